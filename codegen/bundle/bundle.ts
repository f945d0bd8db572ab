import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ts } from 'ts-morph';
import type { StoplineConfig } from '../../src/config/index.js';
import type { StopSources } from '../../src/ir/index.js';
import { LINK_FILE } from '../outline/outline.js';

/**
 * bundleStop(stop, options) → one ES module for the stop's component, and its world.
 *
 * The module is what componentize-js builds: the stop's TypeScript files (from codegen's
 * `generate`) transpiled one by one with `ts.transpileModule` (as the original-program
 * loader does), relative imports resolved among them (extensionless, `.js`, `/index`),
 * bare imports of libraries replaced by the lowerings of codegen/lower (`pg` → the
 * lowered pg on `stopline:line/sql`), the wire format and devalue included, and an entry
 * that
 *   - sets the globals the guest lacks (`process.env` as `{}`; at a client stop with a
 *     web-storage store, `localStorage` on `stopline:line/client-local`),
 *   - builds `env` (Workers KV bindings → lowered namespaces on `wasi:keyvalue/store`,
 *     one bucket per store, named as the store),
 *   - points bound handles (`binding: src/db.ts#pool`) at their stores,
 *   - binds `__stopline_link.ts` to the link import,
 *   - exports `dispatch` (`{ invoke }`): the stop's outlined segments, and the entries
 *     that arrive here under `entry:<name>` (see codegen/lower/link.ts).
 * Everything else is tree-shaken away: a stop ships what its segments and entries reach.
 * The only imports left are WIT interfaces (`stopline:line/…@0.1.0`, `wasi:keyvalue/…`).
 * Entries over wasi:http (`incoming-handler`) are not exported yet.
 *
 * Bundled with rolldown (a direct dependency, pinned to the version jco also uses).
 */

export type StopWorld = 'client' | 'server';

/** How a store of the config is lowered at a stop. */
export type LoweredStore =
  /** `pg` imports: queries on `stopline:line/sql` with `store` as the store name. */
  | { readonly kind: 'pg'; readonly store: string; readonly binding: { readonly file: string; readonly name: string } | null }
  /** A Workers KV binding `env[envName]` on the `wasi:keyvalue` bucket named `store`. */
  | { readonly kind: 'workers-kv'; readonly store: string; readonly envName: string }
  /** The `localStorage` global on `stopline:line/client-local` (client stops only). */
  | { readonly kind: 'web-storage'; readonly store: string };

export interface BundleOptions {
  /** `client` for the client stop, `server` for the others. */
  readonly world: StopWorld;
  readonly stores: readonly LoweredStore[];
}

export interface StopBundle {
  /** One ES module whose only imports are WIT interfaces. */
  readonly js: string;
  /** The world of codegen/wit/line.wit to build it for. */
  readonly world: StopWorld;
}

export class BundleError extends Error {
  override readonly name = 'BundleError';
}

/** The interfaces of each world, as the guest imports them. */
export const WIT_IMPORTS = {
  link: 'stopline:line/link@0.1.0',
  sql: 'stopline:line/sql@0.1.0',
  clientLocal: 'stopline:line/client-local@0.1.0',
  keyvalue: 'wasi:keyvalue/store@0.2.0-draft',
} as const;

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
  const stores: LoweredStore[] = [];
  for (const s of config.stores) {
    const parts = s.binding === null ? null : splitBinding(s.binding);
    if (s.preset === 'pg') stores.push({ kind: 'pg', store: s.name, binding: parts && !parts.member ? { file: parts.file, name: parts.name } : null });
    else if (s.preset === 'cloudflare-kv') {
      stores.push({ kind: 'workers-kv', store: s.name, envName: parts ? parts.name : s.name.toUpperCase().replace(/[^A-Z0-9_$]/g, '_') });
    } else if (s.preset === 'web-storage') stores.push({ kind: 'web-storage', store: s.name });
  }
  return { world, stores };
}

function splitBinding(binding: string): { file: string; name: string; member: boolean } | null {
  const hash = binding.lastIndexOf('#');
  if (hash <= 0 || hash === binding.length - 1) return null;
  const target = binding.slice(hash + 1);
  const dot = target.lastIndexOf('.');
  return { file: binding.slice(0, hash), name: dot < 0 ? target : target.slice(dot + 1), member: dot >= 0 };
}

const FILE = '\0stopline-file:';
const ENTRY = '\0stopline-entry';
const PRELUDE = '\0stopline-prelude';
const ENV = '\0stopline-env';
const MODULE = '\0stopline-module:';

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

const js = (value: string): string => JSON.stringify(value);

/** The lowered library modules, by bare specifier, for a stop. */
function libraryModules(options: BundleOptions): Map<string, string> {
  const modules = new Map<string, string>();
  const pg = options.stores.filter((s) => s.kind === 'pg');
  if (pg.length > 0) {
    modules.set(
      'pg',
      options.world === 'server'
        ? [
            `import * as sql from ${js(WIT_IMPORTS.sql)};`,
            `import { createPgModule } from ${js(lowering('pg'))};`,
            `const pg = createPgModule({ sql, defaultStore: ${pg.length === 1 ? js(pg[0]!.store) : 'null'} });`,
            'export const { Pool, Client, DatabaseError, types, escapeIdentifier, escapeLiteral } = pg;',
            'export const __stopline_bind = pg.bind;',
            'export default pg;',
          ].join('\n')
        : "throw new Error('pg is not available at a client stop');\nexport {};",
    );
  }
  return modules;
}

function envModule(options: BundleOptions): string {
  const kv = options.stores.filter((s): s is Extract<LoweredStore, { kind: 'workers-kv' }> => s.kind === 'workers-kv');
  if (options.world !== 'server' || kv.length === 0) return 'export const env = {};';
  return [
    `import * as keyvalue from ${js(WIT_IMPORTS.keyvalue)};`,
    `import { createKvNamespace } from ${js(lowering('workers-kv'))};`,
    `export const env = { ${kv.map((s) => `${js(s.envName)}: createKvNamespace(keyvalue, ${js(s.store)})`).join(', ')} };`,
  ].join('\n');
}

function preludeModule(options: BundleOptions): string {
  const lines = ['if (typeof globalThis.process === "undefined") globalThis.process = { env: {} };'];
  if (options.world === 'client' && options.stores.some((s) => s.kind === 'web-storage')) {
    lines.unshift(`import * as clientLocal from ${js(WIT_IMPORTS.clientLocal)};`, `import { createWebStorage } from ${js(lowering('web-storage'))};`);
    lines.push('globalThis.localStorage = createWebStorage(clientLocal, "local");');
  }
  return lines.join('\n');
}

function entryModule(stop: StopSources, options: BundleOptions, files: ReadonlySet<string>): string {
  const lines = [
    `import ${js(PRELUDE)};`,
    `import * as __link from ${js(WIT_IMPORTS.link)};`,
    `import { createDispatch, createLink } from ${js(lowering('link'))};`,
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
  const segments = stop.dispatch.map((d) => `${js(d.segment)}: ${moduleOf(d.file)}[${js(d.exportName)}]`);
  const entries = stop.entries.map((e) => `${js(e.name)}: ${moduleOf(e.file)}[${js(e.exportName)}]`);
  const body: string[] = [];
  const pg = options.stores.filter((s) => s.kind === 'pg');
  if (options.world === 'server') {
    for (const s of pg) {
      if (s.binding === null || !files.has(s.binding.file)) continue;
      if (!lines.some((l) => l.includes('__stopline_bind'))) lines.push(`import { __stopline_bind } from ${js(MODULE + 'pg')};`);
      body.push(`__stopline_bind(${moduleOf(s.binding.file)}[${js(s.binding.name)}], ${js(s.store)});`);
    }
  }
  body.push('bind(createLink({ link: __link, env }));');
  body.push(`export const dispatch = createDispatch({ segments: { ${segments.join(', ')} }, entries: { ${entries.join(', ')} }, env });`);
  return [...lines, ...body].join('\n');
}

export async function bundleStop(stop: StopSources, options: BundleOptions): Promise<StopBundle> {
  const texts = new Map(stop.files.map((f) => [f.path, f.text]));
  const files = new Set(texts.keys());
  if (!files.has(LINK_FILE)) throw new BundleError(`stop ${stop.stop} has no ${LINK_FILE}`);
  const libraries = libraryModules(options);
  const virtual = new Map<string, string>([
    [ENTRY, entryModule(stop, options, files)],
    [PRELUDE, preludeModule(options)],
    [ENV, envModule(options)],
    ...[...libraries].map(([name, code]) => [MODULE + name, code] as [string, string]),
  ]);

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
        resolveId(source, importer) {
          if (WIT_SPECIFIER.test(source)) return { id: source, external: true };
          if (virtual.has(source)) return source;
          if (source.startsWith(FILE)) return source;
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
            if (libraries.has(source)) return MODULE + source;
            problems.push(`${from}: '${source}' has no lowering for a component (stop ${stop.stop})`);
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
      },
    ],
  });
  try {
    const { output } = await build.generate({ format: 'esm' });
    if (problems.length > 0) throw new BundleError(`stop ${stop.stop}:\n  ${problems.join('\n  ')}`);
    const chunk = output.find((o) => o.type === 'chunk' && o.isEntry);
    if (chunk === undefined || chunk.type !== 'chunk') throw new BundleError(`stop ${stop.stop}: rolldown made no entry chunk`);
    if (output.length !== 1) throw new BundleError(`stop ${stop.stop}: rolldown made ${output.length} outputs, expected one module`);
    return { js: chunk.code, world: options.world };
  } finally {
    await build.close();
  }
}
