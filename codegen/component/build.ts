import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ComponentBuildError } from './errors.js';
import { locatePackage } from './packages.js';

/**
 * Builds a WASI component from one bundled ES module and a WIT world with componentize-js
 * (StarlingMonkey), cached by content hash.
 *
 * The cache key covers everything the output depends on: the JS source's bytes and file
 * name, every WIT file's bytes and relative path, the world name, the disabled features
 * and the versions of componentize-js, jco and wizer. A hit returns `<cacheDir>/<hash>.wasm`
 * without building. The output is not reproducible byte for byte (componentize-js bakes a
 * random temporary path into the snapshot), which is why the key is computed from the
 * inputs, never from the output.
 *
 * componentize-js runs in a child Node process: it blocks its thread for the whole build
 * (`spawnSync` of wizer, 7–27 s), lets wizer write the guest's init-time output to the
 * process' stdout, peaks at ~0.8 GB and resolves the guest's files against the working
 * directory. In a child, stopline's own event loop stays free, nothing is printed, the
 * working directory is the source's folder, memory is returned when it exits, and a
 * timeout or an AbortSignal can kill the child and its wizer (its own process group).
 * The child writes a temporary file in the cache folder that is renamed into place only
 * after it is checked, so an interrupted build never leaves a broken cache entry. Its
 * TMPDIR is a fresh folder removed afterwards: componentize-js leaves its work folder in
 * the temporary directory whenever a build fails.
 */

/** The engine features componentize-js can leave out (its DEFAULT_FEATURES). */
export const COMPONENT_FEATURES = ['stdio', 'random', 'clocks', 'http', 'fetch-event'] as const;
export type ComponentFeature = (typeof COMPONENT_FEATURES)[number];

export interface BuildComponentInput {
  /** absolute path of a bundled, self-contained ES module (its imports are WIT interfaces only) */
  readonly source: string;
  /** a .wit file or a folder of them (with `deps/`) */
  readonly witPath: string;
  readonly worldName: string;
  readonly cacheDir: string;
  /** WASI features the guest does not need; all five make a component with no WASI import */
  readonly disableFeatures?: readonly ComponentFeature[];
  /** kill the build after this long (default 10 minutes) */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface BuiltComponent {
  /** `<cacheDir>/<hash>.wasm` */
  readonly wasmPath: string;
  /** sha-256 (hex) of the inputs, see `hashComponentInput` */
  readonly hash: string;
  /** true when the cache already held the component and nothing was built */
  readonly cached: boolean;
  /** wall time of this call, hashing included */
  readonly ms: number;
  /** size of the component in bytes */
  readonly bytes: number;
}

/** Bump when the key's layout or the build's meaning changes: old entries then miss. */
const CACHE_FORMAT = 'stopline-component/1';
const DEFAULT_TIMEOUT_MS = 10 * 60_000;
/** `\0asm`, version 0x0d, layer 1: a component (a core module has version 1, layer 0). */
const COMPONENT_HEADER = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]);
/** How much of the child's stdout/stderr an error keeps. */
const OUTPUT_LIMIT = 64 * 1024;

const here = path.dirname(fileURLToPath(import.meta.url));

/** The tool versions that go into the key, and the componentize-js module the child loads. */
interface Toolchain {
  readonly componentizeEntry: string;
  readonly versions: string;
}

let toolchain: Toolchain | null = null;

function loadToolchain(): Toolchain {
  if (toolchain) return toolchain;
  const componentize = locatePackage('@bytecodealliance/componentize-js', here);
  // jco and wizer as componentize-js resolves them (the npm overrides keep one copy of each).
  const jco = locatePackage('@bytecodealliance/jco', componentize.dir);
  const wizer = locatePackage('@bytecodealliance/wizer', componentize.dir);
  toolchain = {
    componentizeEntry: componentize.entry,
    versions: `componentize-js@${componentize.version} jco@${jco.version} wizer@${wizer.version}`,
  };
  return toolchain;
}

function normalizedFeatures(features: readonly string[] | undefined): ComponentFeature[] {
  const known = new Set<string>(COMPONENT_FEATURES);
  for (const f of features ?? []) {
    if (!known.has(f)) {
      throw new ComponentBuildError('invalid-option', `unknown WASI feature '${f}'; componentize-js knows ${COMPONENT_FEATURES.join(', ')}`);
    }
  }
  return COMPONENT_FEATURES.filter((f) => features?.includes(f));
}

async function readInput(file: string, what: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (e) {
    throw new ComponentBuildError('input-missing', `cannot read the ${what} ${file}: ${(e as Error).message}`);
  }
}

/** Every .wit file under `witPath` (itself when it is a file), as sorted relative POSIX paths. */
async function witFiles(witPath: string): Promise<{ root: string; files: string[] }> {
  let stat;
  try {
    stat = await fs.stat(witPath);
  } catch {
    throw new ComponentBuildError('input-missing', `WIT path does not exist: ${witPath}`);
  }
  if (stat.isFile()) return { root: path.dirname(witPath), files: [path.basename(witPath)] };
  const entries = await fs.readdir(witPath, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && e.name.endsWith('.wit'))
    .map((e) => path.relative(witPath, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
  if (files.length === 0) throw new ComponentBuildError('input-missing', `no .wit file in ${witPath}`);
  return { root: witPath, files };
}

/**
 * The cache key of a build: sha-256 over a length-prefixed list of the format tag, tool
 * versions, world name, sorted disabled features, the source (file name and bytes) and
 * every WIT file (relative path and bytes). The source's folder is not part of it: the
 * same bundle built from another checkout hits the same entry.
 */
export async function hashComponentInput(input: BuildComponentInput): Promise<string> {
  const features = normalizedFeatures(input.disableFeatures);
  const hash = createHash('sha256');
  const part = (label: string, bytes: Buffer | string): void => {
    const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
    hash.update(`${label}\0${data.length}\0`);
    hash.update(data);
  };
  part('format', CACHE_FORMAT);
  part('tools', loadToolchain().versions);
  part('world', input.worldName);
  part('disable', features.join(','));
  part(`source ${path.basename(input.source)}`, await readInput(input.source, 'component source'));
  const wit = await witFiles(input.witPath);
  for (const file of wit.files) part(`wit ${file}`, await readInput(path.join(wit.root, file), 'WIT file'));
  return hash.digest('hex');
}

/** The size of `file` when it holds a component (right magic and version), else null. */
async function componentSize(file: string): Promise<number | null> {
  let handle;
  try {
    handle = await fs.open(file, 'r');
  } catch {
    return null;
  }
  try {
    const header = Buffer.alloc(COMPONENT_HEADER.length);
    const { bytesRead } = await handle.read(header, 0, header.length, 0);
    if (bytesRead !== header.length || !header.equals(COMPONENT_HEADER)) return null;
    return (await handle.stat()).size;
  } finally {
    await handle.close();
  }
}

export async function buildComponent(input: BuildComponentInput): Promise<BuiltComponent> {
  const started = performance.now();
  const elapsed = (): number => Math.round((performance.now() - started) * 10) / 10;
  const source = path.resolve(input.source);
  const witPath = path.resolve(input.witPath);
  const cacheDir = path.resolve(input.cacheDir);
  const hash = await hashComponentInput({ ...input, source, witPath });
  const wasmPath = path.join(cacheDir, `${hash}.wasm`);

  const existing = await componentSize(wasmPath);
  if (existing !== null) return { wasmPath, hash, cached: true, ms: elapsed(), bytes: existing };

  await fs.mkdir(cacheDir, { recursive: true });
  const tmpPath = path.join(cacheDir, `.${hash}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'stopline-componentize-'));
  try {
    await runComponentize({
      workDir,
      entry: loadToolchain().componentizeEntry,
      sourcePath: source,
      witPath,
      worldName: input.worldName,
      disableFeatures: normalizedFeatures(input.disableFeatures),
      outPath: tmpPath,
      timeoutMs: input.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      signal: input.signal,
    });
    const bytes = await componentSize(tmpPath);
    if (bytes === null) throw new ComponentBuildError('componentize-failed', `componentize-js wrote no component for ${source}`);
    await fs.rename(tmpPath, wasmPath);
    return { wasmPath, hash, cached: false, ms: elapsed(), bytes };
  } finally {
    await fs.rm(tmpPath, { force: true });
    await fs.rm(workDir, { recursive: true, force: true });
  }
}

interface ComponentizeJob {
  readonly entry: string;
  /** the child's TMPDIR */
  readonly workDir: string;
  readonly sourcePath: string;
  readonly witPath: string;
  readonly worldName: string;
  readonly disableFeatures: readonly string[];
  readonly outPath: string;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
}

type ChildReply = { ok: true } | { ok: false; message: string; stack: string };

/**
 * The child: loads componentize-js from the absolute URL the parent located, builds, writes
 * the component to the temporary path and answers over IPC.
 */
const CHILD_SCRIPT = `
const [entryUrl, json] = process.argv.slice(1);
const job = JSON.parse(json);
const reply = (message) => new Promise((resolve) => process.send(message, () => resolve()));
try {
  const { componentize } = await import(entryUrl);
  const { component } = await componentize({
    sourcePath: job.sourcePath,
    witPath: job.witPath,
    worldName: job.worldName,
    disableFeatures: job.disableFeatures,
  });
  const { writeFile } = await import('node:fs/promises');
  await writeFile(job.outPath, component);
  await reply({ ok: true });
} catch (error) {
  await reply({ ok: false, message: String(error?.message ?? error), stack: String(error?.stack ?? '') });
}
process.disconnect();
`;

function runComponentize(job: ComponentizeJob): Promise<void> {
  return new Promise((resolve, reject) => {
    if (job.signal?.aborted) {
      reject(new ComponentBuildError('aborted', `build of ${job.sourcePath} aborted`));
      return;
    }
    const payload = JSON.stringify({
      sourcePath: job.sourcePath,
      witPath: job.witPath,
      worldName: job.worldName,
      disableFeatures: job.disableFeatures,
      outPath: job.outPath,
    });
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD_SCRIPT, pathToFileURL(job.entry).href, payload], {
      // componentize-js preopens the working directory for wizer when the source is below it.
      cwd: path.dirname(job.sourcePath),
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, TMPDIR: job.workDir },
      // Its own process group, so a kill reaches wizer (a grandchild) too.
      detached: true,
    });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);

    let reply: ChildReply | null = null;
    let stopped: ComponentBuildError | null = null;
    const stop = (error: ComponentBuildError): void => {
      if (stopped) return;
      stopped = error;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(
      () => stop(new ComponentBuildError('timeout', `componentize-js took longer than ${job.timeoutMs} ms on ${job.sourcePath}`)),
      job.timeoutMs,
    );
    const onAbort = (): void => stop(new ComponentBuildError('aborted', `build of ${job.sourcePath} aborted`));
    job.signal?.addEventListener('abort', onAbort, { once: true });

    child.on('message', (message) => {
      reply = message as ChildReply;
    });
    child.on('error', (error) => stop(new ComponentBuildError('componentize-failed', `cannot start componentize-js: ${error.message}`)));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      job.signal?.removeEventListener('abort', onAbort);
      const answer = reply as ChildReply | null;
      if (stopped) reject(stopped);
      else if (answer?.ok) resolve();
      else if (answer) {
        reject(new ComponentBuildError('componentize-failed', `componentize-js could not build ${job.sourcePath}: ${headline(answer.message)}`, [answer.message, output].filter(Boolean).join('\n')));
      } else {
        reject(new ComponentBuildError('componentize-failed', `componentize-js exited (${signal ?? `code ${code}`}) without an answer on ${job.sourcePath}`, output));
      }
    });
  });
}

/** Tool banners that say which step failed, not why. */
const BANNERS = [/^Failed to initialize component/, /^Exception while evaluating/, /^Caused by:?$/];

/**
 * The line of componentize-js' error that says why: for a guest that throws at init that
 * is `guest.js:3:7 TypeError: …` (positions relative to the source's folder), which sits
 * under wizer's banners.
 */
function headline(message: string): string {
  const lines = message.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return lines.find((l) => !BANNERS.some((b) => b.test(l))) ?? lines[0] ?? 'failed';
}
