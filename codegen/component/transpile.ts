import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ComponentBuildError } from './errors.js';

/**
 * Turns a component into an ES module Node or a browser can load (jco transpile): the
 * component's core wasm, a JS module that instantiates it and lifts/lowers every call,
 * and `.d.ts` files for its exports and imports.
 *
 * Two ways to give the component its imports:
 * - `map` (ESM output, the default): each imported interface becomes an `import` of a
 *   module, e.g. `{ 'stopline:line/link': './host.js' }`. The value is written verbatim
 *   into the generated module, so it is a specifier relative to `outDir`, a package name or
 *   a `file:` URL (not a bare absolute path). `#member` picks a member of the module.
 *   WASI interfaces not mapped are imported from `@bytecodealliance/preview2-shim`, which
 *   must be resolvable from `outDir`.
 * - `instantiation: 'async' | 'sync'`: the module exports `instantiate(getCoreModule,
 *   imports)`; imports are an object keyed by interface name, given per instance (no WASI
 *   shim is wired in). This is how one process can hold several instances with
 *   different hosts.
 */
export interface TranspileOptions {
  /** base name of the generated files: `<name>.js`, `<name>.d.ts`, `<name>.core.wasm` */
  readonly name: string;
  readonly map?: Readonly<Record<string, string>>;
  readonly instantiation?: 'async' | 'sync';
  /**
   * jco's JSPI mode (experimental in jco 1.35): the listed imports may return promises (each
   * wrapped in `WebAssembly.Suspending`, so the guest's stack is suspended while one is
   * pending) and the listed exports return promises (`WebAssembly.promising`). Items are
   * `interface#function` (`stopline:line/link@0.1.0#call`) or `*`.
   */
  readonly jspi?: { readonly imports: readonly string[]; readonly exports: readonly string[] };
}

export interface TranspiledComponent {
  /** absolute paths of every file written, sorted */
  readonly files: readonly string[];
  /** absolute path of `<outDir>/<name>.js` */
  readonly entry: string;
}

export async function transpileComponent(wasmPath: string, outDir: string, options: TranspileOptions): Promise<TranspiledComponent> {
  let component: Buffer;
  try {
    component = await fs.readFile(wasmPath);
  } catch (e) {
    throw new ComponentBuildError('input-missing', `cannot read the component ${wasmPath}: ${(e as Error).message}`);
  }
  // Loaded on first use: jco pulls in wasm-tools and the bindgen (a few MB of wasm).
  const jco = await import('@bytecodealliance/jco');
  let generated: Record<string, Uint8Array>;
  try {
    // jco mutates the options object it is given: always a fresh one.
    const result = await jco.transpile(component, {
      name: options.name,
      quiet: true,
      ...(options.map ? { map: { ...options.map } } : {}),
      ...(options.instantiation ? { instantiation: options.instantiation } : {}),
      ...(options.jspi ? { asyncMode: 'jspi', asyncImports: [...options.jspi.imports], asyncExports: [...options.jspi.exports] } : {}),
    });
    generated = result.files;
  } catch (e) {
    throw new ComponentBuildError('transpile-failed', `jco could not transpile ${wasmPath}: ${(e as Error).message}`, String((e as Error).stack ?? e));
  }

  const root = path.resolve(outDir);
  const files: string[] = [];
  for (const [name, bytes] of Object.entries(generated)) {
    const file = path.resolve(root, name);
    if (!file.startsWith(root + path.sep)) {
      throw new ComponentBuildError('transpile-failed', `jco named a file outside the output folder: ${name}`);
    }
    await fs.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await fs.writeFile(tmp, bytes);
      await fs.rename(tmp, file);
    } finally {
      await fs.rm(tmp, { force: true });
    }
    files.push(file);
  }
  files.sort();
  const entry = path.join(root, `${options.name}.js`);
  if (!files.includes(entry)) {
    throw new ComponentBuildError('transpile-failed', `jco produced no ${options.name}.js for ${wasmPath}`);
  }
  return { files, entry };
}
