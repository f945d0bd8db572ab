import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { StoplineConfig } from '../config/index.js';
import { diagnostic } from '../diagnostics/index.js';
import type { Diagnostic, RoundTrips } from '../ir/index.js';
import { ComponentRunError, runOnComponents, type ComponentsResult } from '../runtime/line/run-components.js';
import { roundTripsOfTrace } from '../runtime/line/trace-check.js';
import { OriginalLoadError, type CaseInput } from '../runtime/original/index.js';
import { projectSourcesHash } from './build-project.js';
import { MANIFEST_FILE, parseManifest, type Manifest } from './manifest.js';

/**
 * Runs one request through a build (dist/) on the local line: every stop's component from
 * the manifest, the project's stores embedded (seeded from `seedFile`), each hop's latency
 * on the virtual clock (and for real with `realTime`), a trace of every crossing. The
 * `stopline run` job as a function.
 *
 * Checked before anything runs: the manifest is one (SL5103), every component has the
 * bytes the manifest hashed (SL5104: a stale or tampered file), the entry exists (SL5106).
 * A build made from other sources than the project has now still runs, with an SL5105
 * warning. A failure of the runtime itself (a stop that traps, an rpc-error) is SL5108;
 * an exception the program throws is an outcome (`result.error`), like a response.
 */

export interface ReadBuild {
  readonly manifest: Manifest;
  /** absolute path of each stop's component (stops without one are absent) */
  readonly components: ReadonlyMap<string, string>;
  readonly diagnostics: readonly Diagnostic[];
}

const fileRange = (file: string): Diagnostic['range'] => ({ file, start: { line: 1, column: 1 }, end: { line: 1, column: 1 } });

/** Reads and verifies a build; null with the diagnostics that say why it cannot be used. */
export function readBuild(dist: string, projectDir: string, config: StoplineConfig): { build: ReadBuild | null; diagnostics: readonly Diagnostic[] } {
  const manifestPath = path.join(dist, MANIFEST_FILE);
  let text: string;
  try {
    text = fs.readFileSync(manifestPath, 'utf8');
  } catch (error) {
    return { build: null, diagnostics: [diagnostic('SL5103', fileRange(manifestPath), { file: manifestPath, detail: `cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); run stopline build` })] };
  }
  const parsed = parseManifest(text);
  if (parsed.manifest === null) return { build: null, diagnostics: [diagnostic('SL5103', fileRange(manifestPath), { file: manifestPath, detail: parsed.error })] };
  const manifest = parsed.manifest;
  const components = new Map<string, string>();
  const problems: Diagnostic[] = [];
  for (const stop of manifest.stops) {
    if (stop.component === null) continue;
    const file = path.resolve(dist, stop.component.path);
    if (!file.startsWith(path.resolve(dist) + path.sep)) {
      problems.push(diagnostic('SL5103', fileRange(manifestPath), { file: manifestPath, detail: `stop '${stop.stop}': its component path leaves the build folder` }));
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch {
      problems.push(diagnostic('SL5104', fileRange(file), { file, detail: 'it is missing' }));
      continue;
    }
    if (createHash('sha256').update(bytes).digest('hex') !== stop.component.sha256) {
      problems.push(diagnostic('SL5104', fileRange(file), { file, detail: 'its sha-256 differs' }));
      continue;
    }
    components.set(stop.stop, file);
  }
  if (problems.length > 0) return { build: null, diagnostics: problems };
  const diagnostics: Diagnostic[] = [];
  const lineNames = config.line.stops.map((s) => s.name).join(',');
  if (manifest.stops.map((s) => s.stop).join(',') !== lineNames) {
    return { build: null, diagnostics: [diagnostic('SL5103', fileRange(manifestPath), { file: manifestPath, detail: `it was built for the line ${manifest.stops.map((s) => s.stop).join(' → ')}, the project's line is ${lineNames.replaceAll(',', ' → ')}` })] };
  }
  try {
    if (projectSourcesHash(projectDir, config) !== manifest.sourcesSha256) diagnostics.push(diagnostic('SL5105', fileRange(manifestPath), { dir: dist }));
  } catch {
    // sources that cannot be read: the build still runs; `stopline build` will say why
  }
  return { build: { manifest, components, diagnostics }, diagnostics };
}

export interface RunBuildOptions {
  readonly projectDir: string;
  readonly config: StoplineConfig;
  readonly build: ReadBuild;
  readonly entry: string;
  /** What the entry is called with: an HTTP request, or a call-style case's arguments and page (call-case.ts). */
  readonly input: CaseInput;
  readonly seedFile?: string | null;
  readonly realTime?: boolean;
  /** where components are transpiled for Node (default `<projectDir>/.stopline-cache/transpiled`) */
  readonly cacheDir?: string;
  readonly clientId?: string;
}

export interface RunBuildResult {
  readonly outcome: (ComponentsResult & { readonly roundTrips: RoundTrips }) | null;
  readonly diagnostics: readonly Diagnostic[];
}

export async function runBuild(options: RunBuildOptions): Promise<RunBuildResult> {
  const { build, config } = options;
  const entry = build.manifest.entries.find((e) => e.name === options.entry);
  if (entry === undefined) {
    const names = build.manifest.entries.map((e) => `'${e.name}'`).join(', ') || 'none';
    return { outcome: null, diagnostics: [diagnostic('SL5106', null, { entry: options.entry, entries: names })] };
  }
  try {
    const result = await runOnComponents({
      projectDir: options.projectDir,
      config,
      seedFile: options.seedFile ?? null,
      entry: entry.name,
      arrives: entry.arrives,
      ...options.input,
      stops: [...build.components].map(([name, wasmPath]) => ({ name, wasmPath })),
      cacheDir: options.cacheDir ?? path.join(options.projectDir, '.stopline-cache', 'transpiled'),
      wasi: true,
      ...(options.realTime ? { realTime: true } : {}),
      ...(options.clientId !== undefined ? { clientId: options.clientId } : {}),
    });
    const roundTrips = roundTripsOfTrace(result.trace, config.line.stops.map((s) => s.name));
    return { outcome: { ...result, roundTrips }, diagnostics: [] };
  } catch (error) {
    if (error instanceof ComponentRunError) return { outcome: null, diagnostics: [diagnostic('SL5108', null, { stop: entry.arrives, detail: error.message })] };
    if (error instanceof OriginalLoadError) {
      const file = options.seedFile ?? '(seed)';
      return { outcome: null, diagnostics: [diagnostic('SL5109', fileRange(file), { file, detail: error.message })] };
    }
    throw error;
  }
}
