import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ts } from 'ts-morph';
import type { StoplineConfig, StoreConfig } from '../../src/config/index.js';
import type { PayloadSchema, StopSources } from '../../src/ir/index.js';
import { LINK_FILE } from '../outline/outline.js';
import { getPreset } from '../../src/presets/index.js';
import { exportedClasses } from './error-classes.js';
import { httpEntryParts, type EntryRoutes } from './http-entry.js';
import { domLowering } from './lowerings/dom.js';
import { librarySpecifiers } from './lowerings/libraries.js';
import { frameworkLowerings, storeLowerings } from './lowerings/registry.js';
import { processPrelude } from './process-global.js';
import { normalizePrelude, usesNormalize } from './unicode-normalize.js';
import { expandModulePropertyEscapes } from './unicode-properties.js';
import { js, WIT_IMPORTS, type HandleBinding, type LoweringContext, type LoweringParts, type StopWorld } from './lowerings/types.js';

/**
 * bundleStop(stop, options) → one ES module for the stop's component, and its world.
 *
 * The module is what componentize-js builds: the stop's TypeScript files (from codegen's
 * `generate`) transpiled one by one with `ts.transpileModule` (as the original-program
 * loader does), relative imports resolved among them (extensionless, `.js`, `/index`),
 * bare imports of libraries replaced by the lowerings of the config's presets
 * (`lowerings/`, one file per preset, over the guest modules of codegen/lower: `pg` → the
 * lowered pg on `stopline:line/sql`) and by the library lowerings that are not stores
 * (`lowerings/libraries.ts`: `node:crypto`, `jsonwebtoken`, wherever a stop's code
 * imports them; framework lowerings such as `express` where a stop imports their
 * preset's packages), packages a lowering names as `bundled` (pure
 * JavaScript, resolved from the project) included as they are, the wire format and
 * devalue included, and an entry that
 *   - sets the globals the guest lacks (`process.env`: at a server stop a read-only view
 *     over `wasi:config/store` read at access time, at a client stop `{}` —
 *     process-global.ts; and the lowerings' prelude: at a client stop with a web-storage
 *     store, `localStorage` on `stopline:line/client-local`; at a client stop whose
 *     sources mention `document`, `document` on `stopline:line/client-dom`),
 *   - builds `env` (the lowerings' Workers-style bindings: KV namespaces on
 *     `wasi:keyvalue/store`, one bucket per store, named as the store),
 *   - points bound handles (`binding: src/db.ts#pool`) at their stores,
 *   - binds `__stopline_link.ts` to the link import,
 *   - exports `dispatch` (`{ invoke }`): the stop's outlined segments, and the entries
 *     that arrive here under `entry:<name>` (see codegen/lower/link.ts); each call first
 *     leaves the build-time phase (codegen/lower/runtime-phase.ts: the module's top level
 *     runs at build time, where no import may be called).
 * Everything else is tree-shaken away: a stop ships what its segments and entries reach.
 * The only imports left are WIT interfaces (`stopline:line/…@0.1.0`, `wasi:keyvalue/…`,
 * `wasi:config/store` at server stops).
 * At a server stop it also exports `incomingHandler` (wasi:http/incoming-handler: the
 * stop served over HTTP) and gives the link its HTTP transport (http-entry.ts).
 *
 * Bundled with rolldown (a direct dependency, pinned to the version jco also uses).
 */

export type { StopWorld } from './lowerings/types.js';
export { WIT_IMPORTS } from './lowerings/types.js';

export interface BundleOptions {
  /** `client` for the client stop, `server` for the others. */
  readonly world: StopWorld;
  /** The config's stores; each is lowered by its preset's lowering (lowerings/registry.ts). */
  readonly stores: readonly StoreConfig[];
  /** The project's root: where packages a lowering bundles as they are (`bundled`) are resolved from. */
  readonly projectDir?: string;
  /** The line's untrusted stops (no key: calls to them are not sealed, their calls arrive bare); default: none. */
  readonly untrusted?: readonly string[];
  /** The line (names, one-way hop latencies): the HTTP link's deadlines at a server stop (http-entry.ts). */
  readonly line?: readonly { readonly name: string; readonly latencyMs: number }[];
  /** Entry name → the route it is served at over HTTP (the graph's `entries[].route`); default: none. */
  readonly entryRoutes?: EntryRoutes;
}

export interface StopBundle {
  /** One ES module whose only imports are WIT interfaces. */
  readonly js: string;
  /** The world of codegen/wit/line.wit to build it for. */
  readonly world: StopWorld;
  /** The WIT interfaces the module imports (sorted), e.g. `stopline:line/sql@0.1.0`. */
  readonly imports: readonly string[];
  /** The project files the module includes after tree-shaking (sorted): whose top level the component evaluates at build time. */
  readonly files: readonly string[];
}

export class BundleError extends Error {
  override readonly name = 'BundleError';
}

const WIT_SPECIFIER = /^(stopline|wasi):[a-z0-9-]+\/[a-z0-9-]+(@[0-9A-Za-z.+-]+)?$/;

const here = path.dirname(fileURLToPath(import.meta.url));

/** A module of codegen/lower by name: `.ts` in the sources (tests), `.js` once built (lib/). */
function lowering(name: string): string {
  for (const ext of ['.ts', '.js']) {
    const file = path.join(here, '..', 'lower', `${name}${ext}`);
    if (fs.existsSync(file)) return file;
  }
  throw new BundleError(`codegen/lower/${name} is missing next to ${here}`);
}

/** The lowering options of `stop` from the project's config. */
export function bundleOptionsFor(config: StoplineConfig, stop: string): BundleOptions {
  const index = config.line.stops.findIndex((s) => s.name === stop);
  if (index < 0) throw new BundleError(`stop '${stop}' is not on the line`);
  const world: StopWorld = index === 0 && config.line.stops[0]?.trusted === false ? 'client' : 'server';
  return { world, stores: config.stores, untrusted: config.line.stops.filter((s) => !s.trusted).map((s) => s.name), line: config.line.stops.map((s) => ({ name: s.name, latencyMs: s.latencyMs })) };
}

const FILE = '\0stopline-file:';
const ENTRY = '\0stopline-entry';
const PRELUDE = '\0stopline-prelude';
const ENV = '\0stopline-env';
const MODULE = '\0stopline-module:';
const LIBRARY = '\0stopline-library:';

/** The project source a relative specifier in `from` names, if it is one of `files`. */
function resolveRelative(from: string, specifier: string, files: ReadonlySet<string>): string | null {
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  const stem = target.replace(/\.(js|mjs|ts|mts)$/, '');
  const candidates = /\.m(js|ts)$/.test(target) ? [`${stem}.mts`] : /\.(js|ts)$/.test(target) ? [`${stem}.ts`] : [`${target}.ts`, `${target}.mts`, `${target}/index.ts`, `${target}/index.mts`];
  return candidates.find((c) => files.has(c)) ?? null;
}

function transpile(file: string, text: string): string {
  const out = ts.transpileModule(text, {
    fileName: file,
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, isolatedModules: true, sourceMap: false, declaration: false },
  });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) throw new BundleError(`${file}: ${errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')).join('; ')}`);
  return out.outputText;
}

/** Every lowering's parts for this stop, composed. */
interface Lowered {
  readonly modules: Map<string, string>;
  readonly prelude: string[];
  readonly envImports: string[];
  readonly envEntries: (readonly [string, string])[];
  readonly bindings: HandleBinding[];
  readonly bundled: string[];
  readonly crossingImports: string[];
  readonly crossings: string[];
  readonly servers: Map<string, { readonly imports: readonly string[]; readonly call: string }>;
}

/** Bare specifiers the stop's sources import (`express`, `drizzle-orm/pg-core`…). */
function importedSpecifiers(sources: ReadonlyMap<string, string>): Set<string> {
  const out = new Set<string>();
  for (const text of sources.values()) for (const f of ts.preProcessFile(text, true, false).importedFiles) out.add(f.fileName);
  return out;
}

/** The store lowerings of the config's presets, then the library lowerings of the packages the stop imports. */
function lowerStop(stop: string, options: BundleOptions & { readonly usesDocument?: boolean }, sources: ReadonlyMap<string, string>): Lowered {
  const out: Lowered = { modules: new Map(), prelude: [], envImports: [], envEntries: [], bindings: [], bundled: [], crossingImports: [], crossings: [], servers: new Map() };
  const byPreset = new Map<string, StoreConfig[]>();
  for (const s of options.stores) byPreset.set(s.preset, [...(byPreset.get(s.preset) ?? []), s]);
  const context: LoweringContext = { stop, world: options.world, lowering, stores: options.stores, sources };
  const add = (parts: LoweringParts): void => {
    for (const [specifier, code] of Object.entries(parts.modules ?? {})) {
      // Presets that share a library (pg under drizzle) give the same module text.
      if (out.modules.has(specifier) && out.modules.get(specifier) !== code) throw new BundleError(`stop ${stop}: two lowerings provide '${specifier}'`);
      out.modules.set(specifier, code);
    }
    out.prelude.push(...(parts.prelude ?? []));
    out.envImports.push(...(parts.env?.imports ?? []));
    out.envEntries.push(...(parts.env?.entries ?? []));
    out.bindings.push(...(parts.bindings ?? []));
    out.bundled.push(...(parts.bundled ?? []));
    out.crossingImports.push(...(parts.crossings?.imports ?? []));
    out.crossings.push(...(parts.crossings?.expressions ?? []));
    for (const [kind, server] of Object.entries(parts.servers ?? {})) out.servers.set(kind, server);
  };
  for (const [preset, stores] of [...byPreset].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const l = storeLowerings.get(preset);
    if (l !== undefined) add(l.lower(stores, context));
  }
  const imported = importedSpecifiers(sources);
  const uses = (pkg: string): boolean => [...imported].some((s) => s === pkg || s.startsWith(`${pkg}/`));
  for (const [preset, l] of [...frameworkLowerings].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if ((getPreset(preset)?.packages ?? [preset]).some(uses)) add(l.lower(context));
  }
  if (options.usesDocument === true) out.prelude.push(...(domLowering(context).prelude ?? []));
  return out;
}

function envModule(lowered: Lowered): string {
  if (lowered.envEntries.length === 0) return 'export const env = {};';
  return [...new Set(lowered.envImports), `export const env = { ${lowered.envEntries.map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(', ')} };`].join('\n');
}

function preludeModule(lowered: Lowered, world: StopWorld): string {
  const lines = [...processPrelude(world, lowering), ...lowered.prelude];
  const imports = lines.filter((l) => /^import\b/.test(l));
  const statements = lines.filter((l) => !/^import\b/.test(l));
  return [...new Set(imports), ...statements].join('\n');
}

/** Segment id → the stops that call it (a segment dispatched for several cuts accepts each cut's caller). */
function dispatchCallers(stop: StopSources): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const d of stop.dispatch) out[d.segment] = [...new Set([...(out[d.segment] ?? []), ...d.callers])].sort();
  return out;
}

/** Segment id → its payload schema (the first generated: one segment is outlined once per stop). */
function dispatchSchemas(stop: StopSources): Record<string, PayloadSchema> {
  const out: Record<string, PayloadSchema> = {};
  for (const d of stop.dispatch) if (!Object.hasOwn(out, d.segment)) out[d.segment] = d.schema;
  return out;
}

/**
 * The entry module. `bound`: the files whose module-level handles are bound (null: none),
 * so that a handle's module is pulled into the bundle only where the stop's own code
 * reaches it (bundleStop's first pass finds out).
 */
function entryModule(stop: StopSources, options: BundleOptions, lowered: Lowered, files: ReadonlySet<string>, sources: ReadonlyMap<string, string>, bound: ReadonlySet<string> | null): string {
  const lines = [
    `import ${js(PRELUDE)};`,
    `import * as __link from ${js(WIT_IMPORTS.link)};`,
    `import { createDispatch, createLink } from ${js(lowering('link'))};`,
    `import { enterRuntime } from ${js(lowering('runtime-phase'))};`,
    `import { env } from ${js(ENV)};`,
    `import { bind } from ${js(FILE + LINK_FILE)};`,
  ];
  const moduleIds = new Map<string, string>();
  const moduleOf = (file: string): string => {
    if (!files.has(file)) throw new BundleError(`stop ${stop.stop}: ${file} is not among its files`);
    let id = moduleIds.get(file);
    if (id === undefined) {
      id = `__m${moduleIds.size}`;
      moduleIds.set(file, id);
      lines.push(`import * as ${id} from ${js(FILE + file)};`);
    }
    return id;
  };
  const member = (path: readonly string[]): string => path.map((p) => `[${js(p)}]`).join('');
  const segments = stop.dispatch.map((d) => `${js(d.segment)}: ${moduleOf(d.file)}[${js(d.exportName)}]`);
  const entries = stop.entries.map((e) => {
    const ref = `${moduleOf(e.file)}[${js(e.exportName)}]${member(e.member ?? [])}`;
    if (e.serve !== undefined) {
      // Served by a library (the project's Express application): its server runs the export on the request.
      const server = lowered.servers.get(e.serve);
      if (server === undefined) throw new BundleError(`stop ${stop.stop}: entry ${e.name} is served by '${e.serve}', which no lowering of this stop serves (does the stop import it?)`);
      for (const i of server.imports) if (!lines.includes(i)) lines.push(i);
      return `${js(e.name)}: (request) => ${server.call}(${ref}, request)`;
    }
    // A method (`export default { fetch }`) is called with its object as `this`.
    const self = e.member && e.member.length > 0 ? `${moduleOf(e.file)}[${js(e.exportName)}]${member(e.member.slice(0, -1))}` : null;
    return `${js(e.name)}: ${self === null ? ref : `(...args) => ${ref}.apply(${self}, args)`}`;
  });
  const body: string[] = [];
  for (const b of lowered.bindings) {
    if (!files.has(b.file) || bound === null || !bound.has(b.file)) continue;
    for (const i of b.imports) if (!lines.includes(i)) lines.push(i);
    body.push(b.statement(`${moduleOf(b.file)}[${js(b.name)}]`));
  }
  for (const i of lowered.crossingImports) if (!lines.includes(i)) lines.push(i);
  // The program's own error classes, by `file#export`: thrown across a cut they stay instances of their class.
  // Only those of modules the stop's code reaches (pass 1), so no module is pulled in for its class alone.
  const classes = exportedClasses(sources).filter((c) => files.has(c.file) && bound !== null && bound.has(c.file)).map((c) => `${js(`${c.file}#${c.exportName}`)}: ${moduleOf(c.file)}[${js(c.exportName)}]`);
  if (classes.length > 0) lines.push(`import { createErrorClasses } from ${js(lowering('link'))};`);
  const shared = [`crossings: [${lowered.crossings.join(', ')}]`, ...(classes.length > 0 ? [`errorClasses: createErrorClasses({ ${classes.join(', ')} })`] : [])].join(', ');
  body.push(`const __shared = { ${shared} };`);
  // Hardened RPC (codegen/lower/rpc-auth.ts, link.ts DispatchGuard): at a server stop calls are sealed and verified with the
  // deployment key read from wasi:config; every stop checks callers and payload schemas.
  const untrusted = js(JSON.stringify(options.untrusted ?? []));
  const auth = options.world === 'server' ? '__auth' : 'undefined';
  // A server stop is also served over HTTP, and calls the stops whose address it is configured with over HTTP (http-entry.ts).
  const http = options.world === 'server' ? httpEntryParts(stop, { lowering, line: options.line ?? [], routes: options.entryRoutes ?? {} }) : null;
  if (options.world === 'server') {
    lines.push(`import * as __config from ${js(WIT_IMPORTS.config)};`, `import { configKeys, createLinkAuth } from ${js(lowering('rpc-auth'))};`);
    body.push(`const __auth = createLinkAuth({ stop: ${js(stop.stop)}, keys: configKeys(__config) });`);
  }
  if (http !== null) lines.push(...http.imports);
  if (http !== null) body.push(...http.transport);
  body.push(`const __untrusted = JSON.parse(${untrusted});`);
  body.push(`bind(createLink({ link: __link, env, ...__shared, auth: ${auth}, untrusted: __untrusted${http !== null ? ', transport: __transport' : ''} }));`);
  const guard = `{ callers: JSON.parse(${js(JSON.stringify(dispatchCallers(stop)))}), schemas: JSON.parse(${js(JSON.stringify(dispatchSchemas(stop)))}), untrusted: __untrusted, auth: ${auth} }`;
  body.push(`const __dispatch = createDispatch({ segments: { ${segments.join(', ')} }, entries: { ${entries.join(', ')} }, env, ...__shared, guard: ${guard} });`);
  // Every export enters the runtime phase first: until then the guest calls no import (runtime-phase.ts).
  body.push('export const dispatch = { invoke(segment, payload) { enterRuntime(); return __dispatch.invoke(segment, payload); } };');
  if (http !== null) body.push(...http.exports);
  return [...lines, ...body].join('\n');
}

export async function bundleStop(stop: StopSources, options: BundleOptions): Promise<StopBundle> {
  const texts = new Map(stop.files.map((f) => [f.path, f.text]));
  const files = new Set(texts.keys());
  if (!files.has(LINK_FILE)) throw new BundleError(`stop ${stop.stop} has no ${LINK_FILE}`);
  const usesDocument = stop.files.some((f) => f.path !== LINK_FILE && /(^|[^\w$.])document\b/.test(f.text));
  const lowered = lowerStop(stop.stop, { ...options, usesDocument }, texts);
  // Pass 1 without handle bindings (and error classes): which of the program's modules does this stop's code
  // reach? Pass 2 binds the handles of those only (and registers their error classes) — a module-level `new Pool()` the stop
  // never uses would otherwise pull its module, and its store's interface, into the bundle.
  const first = await bundlePass(stop, options, lowered, texts, null);
  const reached = new Set([...files].filter((f) => first.moduleIds.includes(FILE + f)));
  // String.prototype.normalize, which StarlingMonkey lacks (unicode-normalize.ts), where the code pass 1 kept calls it (a bundled package's too).
  const normalize = usesNormalize([first.code]);
  const needed = normalize || lowered.bindings.some((b) => reached.has(b.file)) || exportedClasses(texts).some((c) => reached.has(c.file));
  const final = normalize ? { ...lowered, prelude: [...lowered.prelude, ...normalizePrelude(lowering)] } : lowered;
  const chunk = needed ? await bundlePass(stop, options, final, texts, reached) : first;
  const included = chunk.moduleIds.filter((id) => id.startsWith(FILE) && id !== FILE + LINK_FILE).map((id) => id.slice(FILE.length)).sort();
  return { js: chunk.code, world: options.world, imports: chunk.imports, files: included };
}

async function bundlePass(
  stop: StopSources,
  options: BundleOptions,
  lowered: Lowered,
  texts: ReadonlyMap<string, string>,
  bound: ReadonlySet<string> | null,
): Promise<{ code: string; imports: string[]; moduleIds: string[] }> {
  const files = new Set(texts.keys());
  const libraries = lowered.modules;
  const virtual = new Map<string, string>([
    [ENTRY, entryModule(stop, options, lowered, files, texts, bound)],
    [PRELUDE, preludeModule(lowered, options.world)],
    [ENV, envModule(lowered)],
    ...[...libraries].map(([name, code]) => [MODULE + name, code] as [string, string]),
  ]);
  const isBundled = (source: string): boolean => lowered.bundled.some((p) => source === p || source.startsWith(`${p}/`));
  // Library lowerings (lowerings/libraries.ts): node:crypto, jsonwebtoken…, wherever imported; a store lowering's module wins.
  const context: LoweringContext = { stop: stop.stop, world: options.world, lowering, stores: options.stores, sources: texts };
  for (const [specifier, l] of librarySpecifiers()) if (!libraries.has(specifier)) virtual.set(LIBRARY + specifier, l.module(context));

  const { rolldown } = await import('rolldown');
  const problems: string[] = [];
  const build = await rolldown({
    input: ENTRY,
    platform: 'neutral',
    treeshake: true,
    logLevel: 'silent',
    resolve: { extensionAlias: { '.js': ['.ts', '.js'] }, conditionNames: ['import', 'default'] },
    plugins: [
      {
        name: 'stopline-stop',
        async resolveId(source, importer) {
          if (WIT_SPECIFIER.test(source)) return { id: source, external: true };
          if (virtual.has(source)) return source;
          if (source.startsWith(FILE)) return source;
          if (libraries.has(source)) return MODULE + source;
          if (virtual.has(LIBRARY + source)) return LIBRARY + source;
          if (importer?.startsWith(FILE)) {
            const from = importer.slice(FILE.length);
            if (source.startsWith('./') || source.startsWith('../')) {
              const target = resolveRelative(from, source, files);
              if (target === null) {
                problems.push(`${from}: cannot resolve '${source}' among the stop's files`);
                return null;
              }
              return FILE + target;
            }
            if (isBundled(source) && options.projectDir !== undefined) {
              const resolved = await this.resolve(source, path.join(options.projectDir, from), { skipSelf: true });
              if (resolved) return resolved;
              problems.push(`${from}: cannot find the package '${source}' from ${options.projectDir}`);
              return { id: source, external: true };
            }
            problems.push(`${from}: '${source}' has no lowering for a component (stop ${stop.stop})`);
            return { id: source, external: true };
          }
          if (importer !== undefined && !importer.startsWith('\0') && /^node:|^(fs|path|crypto|net|tls|http|https|os|stream|events|util|buffer|child_process|zlib|url)$/.test(source)) {
            problems.push(`${importer}: '${source}' is a Node module; a component has none (stop ${stop.stop})`);
            return { id: source, external: true };
          }
          return null;
        },
        load(id) {
          if (virtual.has(id)) return { code: virtual.get(id)!, moduleType: 'js' };
          if (id.startsWith(FILE)) {
            const file = id.slice(FILE.length);
            return { code: transpile(file, texts.get(file)!), moduleType: 'js' };
          }
          return null;
        },
        // StarlingMonkey has no Unicode property data: `\p{…}` in a regular expression is expanded (unicode-properties.ts).
        transform(code, id) {
          const out = expandModulePropertyEscapes(code, id);
          return out === code ? null : { code: out };
        },
      },
    ],
  });
  try {
    const { output } = await build.generate({ format: 'esm' });
    if (problems.length > 0) throw new BundleError(`stop ${stop.stop}:\n  ${problems.join('\n  ')}`);
    const chunk = output.find((o) => o.type === 'chunk' && o.isEntry);
    if (chunk === undefined || chunk.type !== 'chunk') throw new BundleError(`stop ${stop.stop}: rolldown made no entry chunk`);
    if (output.length !== 1) throw new BundleError(`stop ${stop.stop}: rolldown made ${output.length} outputs, expected one module`);
    const imports = [...new Set([...chunk.imports, ...chunk.dynamicImports])].filter((i) => WIT_SPECIFIER.test(i)).sort();
    return { code: chunk.code, imports, moduleIds: chunk.moduleIds };
  } finally {
    await build.close();
  }
}
