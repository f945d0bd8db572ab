import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { loadConfig, type StoplineConfig } from '../../config/index.js';
import { hasErrors } from '../../diagnostics/index.js';
import { OriginalLoadError, outputPath, readProjectSources, transpileProject, type ProjectSources, type TranspiledFile } from './transpile.js';

/**
 * Loads the original (unsplit) TypeScript program into this Node process with its
 * libraries replaced by shims:
 *
 *   const program = await loadOriginal('fixtures/shop', {
 *     moduleShims: { pg: createPgModule({ defaultStore: orders }) },
 *     globals: { Date: createClockedDate(clock) },
 *   });
 *   await program.entries.viewCart(request, env);
 *   await program.dispose();
 *
 * Each call is a fresh instance of the program: its sources are transpiled (transpile.ts;
 * the text is cached per project and reused while the files are unchanged) and written to
 * a new directory, so Node's module cache holds nothing from an earlier load and every
 * module-level `new Pool()`, cache or counter starts over. Writing a small project and
 * importing it takes a few milliseconds.
 *
 * The directory (default: a fresh one under os.tmpdir(); `outDir` to choose it) holds the
 * transpiled files at their project-relative paths, a `package.json` that makes `.js`
 * ESM, a `node_modules` link to the project's nearest node_modules (so unshimmed
 * packages resolve as they would in the project), and `__stopline__/`: one module per
 * shimmed specifier and one for the globals. Those read the shim objects from a
 * process-wide bridge, `globalThis[Symbol.for('stopline.original')]`, keyed by the load.
 */

export interface LoadOriginalOptions {
  /** Bare import specifier (`pg`, `mysql2/promise`, `fastly:kv-store`) → the module object the import gives instead. */
  readonly moduleShims: Readonly<Record<string, object>>;
  /** Global name → the value every module of the program sees under that name (`Date`, `localStorage`). */
  readonly globals?: Readonly<Record<string, unknown>>;
  /** Entry name → `file#export` (or `file#Object.method`); default: the `function:` entries of stopline.yaml, named as the analyzer names them. */
  readonly entries?: Readonly<Record<string, string>>;
  /** tsconfig relative to the project; default: stopline.yaml's `tsconfig`, else tsconfig.json. */
  readonly tsconfig?: string;
  /** An empty or missing directory for this load's files; default: a fresh directory under os.tmpdir(). */
  readonly outDir?: string;
  /** The project's parsed config, when the caller has it (saves reading stopline.yaml again). */
  readonly config?: StoplineConfig;
}

export type OriginalEntry = (...args: unknown[]) => unknown;

export interface OriginalProgram {
  readonly projectDir: string;
  /** Where this load's files are. */
  readonly dir: string;
  /** Entry name → the program's function. */
  readonly entries: Readonly<Record<string, OriginalEntry>>;
  /** The exports of a project module of this load (`src/db.ts`). */
  module(file: string): Promise<Record<string, unknown>>;
  /** Removes the load's files and bridge entry. Loaded modules stay usable. */
  dispose(): Promise<void>;
}

interface BridgeWorld {
  readonly modules: Readonly<Record<string, object>>;
  readonly globals: Readonly<Record<string, unknown>>;
}

const BRIDGE = Symbol.for('stopline.original');
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const RESERVED = new Set(['default', 'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'delete', 'do', 'else', 'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null', 'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield', 'let', 'static', 'implements', 'interface', 'package', 'private', 'protected', 'public', 'arguments', 'eval']);

function bridge(): Map<string, BridgeWorld> {
  const holder = globalThis as unknown as Record<symbol, Map<string, BridgeWorld> | undefined>;
  let map = holder[BRIDGE];
  if (!map) {
    map = new Map();
    holder[BRIDGE] = map;
  }
  return map;
}

// --- the transpile cache ---------------------------------------------------------------

interface CachedTranspile {
  readonly stamp: string;
  readonly files: readonly TranspiledFile[];
}

const transpiled = new Map<string, CachedTranspile>();

function stampOf(sources: ProjectSources): string {
  return sources.files
    .map((f) => {
      const st = fs.statSync(path.join(sources.rootDir, f));
      return `${f}:${st.mtimeMs}:${st.size}`;
    })
    .join('|');
}

function shimModulePaths(specifiers: readonly string[]): Map<string, string> {
  const used = new Set<string>();
  const out = new Map<string, string>();
  for (const specifier of [...specifiers].sort()) {
    const base = specifier.replace(/[^A-Za-z0-9._-]/g, '_');
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
    used.add(name);
    out.set(specifier, `__stopline__/modules/${name}.js`);
  }
  return out;
}

const GLOBALS_MODULE = '__stopline__/globals.js';

function transpileCached(sources: ProjectSources, modules: ReadonlyMap<string, string>, globals: readonly string[]): readonly TranspiledFile[] {
  const key = JSON.stringify([sources.rootDir, sources.files, [...modules], globals, sources.compilerOptions]);
  const stamp = stampOf(sources);
  const hit = transpiled.get(key);
  if (hit && hit.stamp === stamp) return hit.files;
  const files = transpileProject(sources, { modules, globals, globalsModule: GLOBALS_MODULE });
  transpiled.set(key, { stamp, files });
  return files;
}

// --- writing a load -----------------------------------------------------------------

function nearestNodeModules(dir: string): string | null {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const candidate = path.join(d, 'node_modules');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(d) === d) return null;
  }
}

function shimModuleText(id: string, specifier: string, shim: object): string {
  const names = Object.keys(shim).filter((n) => IDENTIFIER.test(n) && !RESERVED.has(n)).sort();
  return [
    `const world = globalThis[Symbol.for('stopline.original')].get(${JSON.stringify(id)});`,
    `const m = world.modules[${JSON.stringify(specifier)}];`,
    `export default Object.prototype.hasOwnProperty.call(m, 'default') ? m.default : m;`,
    ...names.map((n) => `export const ${n} = m.${n};`),
    '',
  ].join('\n');
}

function globalsModuleText(id: string, names: readonly string[]): string {
  return [
    `const world = globalThis[Symbol.for('stopline.original')].get(${JSON.stringify(id)});`,
    ...names.map((n) => `export const ${n} = world.globals.${n};`),
    '',
  ].join('\n');
}

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

let loads = 0;

/** The project's stopline.yaml (defaults when it has none); OriginalLoadError when it has errors. */
export function readProjectConfig(projectDir: string): StoplineConfig {
  const loaded = loadConfig(projectDir);
  if (!loaded.config || hasErrors(loaded.diagnostics)) {
    throw new OriginalLoadError(`Cannot read the project's config: ${loaded.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  }
  return loaded.config;
}

/**
 * `import()` by Node's own ESM loader, whoever loaded this module: a test runner that
 * rewrites `import()` (vitest's module runner does) would otherwise load the program
 * through its own pipeline, slower and not as Node runs it. A script compiled with the
 * main context's default loader (Node ≥ 20.12) keeps the program's modules plain Node
 * modules. Node marks that option experimental and warns once, at the first import; that
 * one warning (and only it) is dropped, since nothing about it is the user's to act on.
 */
const USE_MAIN_LOADER = (vm.constants as Partial<typeof vm.constants> | undefined)?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
const mainLoaderImport: ((url: string) => Promise<Record<string, unknown>>) | null = USE_MAIN_LOADER !== undefined
  ? (new vm.Script('(url) => import(url)', { filename: 'stopline-original-import.js', importModuleDynamically: USE_MAIN_LOADER }).runInThisContext() as (url: string) => Promise<Record<string, unknown>>)
  : null;

function nativeImport(url: string): Promise<Record<string, unknown>> {
  if (!mainLoaderImport) return import(url) as Promise<Record<string, unknown>>;
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (String(warning instanceof Error ? warning.message : warning).includes('USE_MAIN_CONTEXT_DEFAULT_LOADER')) return;
    (emitWarning as (w: string | Error, ...r: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return mainLoaderImport(url);
  } finally {
    process.emitWarning = emitWarning;
  }
}

/** Loads a fresh instance of the project's program; see the module comment. */
export async function loadOriginal(projectDir: string, options: LoadOriginalOptions): Promise<OriginalProgram> {
  const rootDir = path.resolve(projectDir);
  const config = options.config ?? readProjectConfig(rootDir);
  const globals = options.globals ?? {};
  const globalNames = Object.keys(globals).sort();
  for (const name of globalNames) if (!IDENTIFIER.test(name) || RESERVED.has(name)) throw new OriginalLoadError(`Not a global name: '${name}'`);

  const sources = readProjectSources(rootDir, options.tsconfig ?? config.tsconfig);
  const modulePaths = shimModulePaths(Object.keys(options.moduleShims));
  const files = transpileCached(sources, modulePaths, globalNames);

  const entryTargets = options.entries ?? Object.fromEntries(config.entries.flatMap((e) => (e.function ? [[e.name ?? e.function.name, `${e.function.file}#${e.function.name}`]] : [])));
  const known = new Set(sources.files);
  const parsedTargets = Object.entries(entryTargets).map(([name, target]) => {
    const hash = target.lastIndexOf('#');
    const file = hash > 0 ? target.slice(0, hash) : '';
    const member = target.slice(hash + 1).split('.');
    if (hash <= 0 || !known.has(file) || member.length > 2 || member.some((m) => !IDENTIFIER.test(m))) {
      throw new OriginalLoadError(`Entry '${name}': '${target}' is not file#export (or file#Object.method) of a source file of the project`);
    }
    return { name, file, member };
  });

  loads += 1;
  const id = `${process.pid}-${loads}`;
  const dir = options.outDir ? path.resolve(options.outDir) : fs.mkdtempSync(path.join(os.tmpdir(), 'stopline-original-'));
  fs.mkdirSync(dir, { recursive: true });
  if (fs.readdirSync(dir).length > 0) throw new OriginalLoadError(`outDir ${dir} is not empty`);
  const cleanup = (): void => {
    bridge().delete(id);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    write(path.join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
    const nodeModules = nearestNodeModules(rootDir);
    if (nodeModules) fs.symlinkSync(nodeModules, path.join(dir, 'node_modules'), 'junction');
    for (const file of files) write(path.join(dir, file.out), file.text);
    for (const [specifier, out] of modulePaths) write(path.join(dir, out), shimModuleText(id, specifier, options.moduleShims[specifier] as object));
    write(path.join(dir, GLOBALS_MODULE), globalsModuleText(id, globalNames));
    bridge().set(id, { modules: options.moduleShims, globals });

    const namespaces = new Map<string, Promise<Record<string, unknown>>>();
    const module = (file: string): Promise<Record<string, unknown>> => {
      if (!known.has(file)) return Promise.reject(new OriginalLoadError(`'${file}' is not a source file of the project`));
      let ns = namespaces.get(file);
      if (!ns) {
        ns = nativeImport(pathToFileURL(path.join(dir, outputPath(file))).href);
        namespaces.set(file, ns);
      }
      return ns;
    };

    const entries: Record<string, OriginalEntry> = {};
    for (const target of parsedTargets) {
      const ns = await module(target.file);
      const [head, method] = target.member as [string, string | undefined];
      const owner = ns[head];
      const fn: unknown = method === undefined ? owner : typeof owner === 'object' || typeof owner === 'function' ? (owner as Record<string, unknown> | null)?.[method] : undefined;
      if (typeof fn !== 'function') throw new OriginalLoadError(`Entry '${target.name}': ${target.file} exports no function ${target.member.join('.')}`);
      entries[target.name] = method === undefined ? (fn as OriginalEntry) : (fn as OriginalEntry).bind(owner);
    }
    let disposed = false;
    return {
      projectDir: rootDir,
      dir,
      entries,
      module,
      dispose: () => {
        if (!disposed) cleanup();
        disposed = true;
        return Promise.resolve();
      },
    };
  } catch (error) {
    cleanup();
    throw error;
  }
}
