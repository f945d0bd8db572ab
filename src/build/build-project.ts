import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BundleError, storeLowerings, WIT_IMPORTS } from '../../codegen/bundle/index.js';
import { ComponentBuildError, componentInterfaces } from '../../codegen/component/index.js';
import { emitBrowserClient } from './browser-client.js';
import { version } from '../cli/version.js';
import type { StoplineConfig } from '../config/index.js';
import { diagnostic, hasErrors } from '../diagnostics/index.js';
import type { Diagnostic, Plan, SegmentGraph } from '../ir/index.js';
import { planDirectory, type PlanDirectoryOptions } from '../plan-project.js';
import { getPreset } from '../presets/index.js';
import { planJson } from '../report/plan-json.js';
import { OriginalLoadError } from '../runtime/original/transpile.js';
import { readCodegenSources, sourcesHash } from './sources.js';
import { MANIFEST_FILE, manifestJson, type Manifest, type ManifestStop } from './manifest.js';
import { buildStops, type BuiltStop } from './stops.js';
import { stopHostFacts, writeDeployDescriptors } from '../deploy/index.js';

/**
 * buildDirectory(dir, { out }) → `dist/`: the `stopline build` job as a function.
 *
 *   dist/stopline.manifest.json   what was built (manifest.ts)
 *   dist/plan.json                the plan the components implement
 *   dist/<stop>/<stop>.wasm       the stop's WASI component (componentize-js, cached by input hash)
 *   dist/<stop>/<stop>.js         its bundled ES module (what was componentized)
 *   dist/<stop>/wit/              its WIT world: exactly the interfaces it imports, and dispatch
 *   dist/<stop>/spin.toml, wadm.yaml, fastly.toml
 *                                 server stops: descriptors for Spin, wasmCloud and Fastly Compute
 *                                 (src/deploy), with a warning wherever one cannot run as generated
 *   dist/<client>/browser/        the client stop for browsers (browser-client.ts): its component
 *                                 transpiled by jco, and stopline-client.js, which a page imports:
 *                                 loadClient({ linkUrl }) with the browser host, then call(entry, args)
 *
 * Whole or not at all: everything is written into a fresh sibling folder, which replaces
 * `out` only once complete (the old build is renamed away, then removed). A failure leaves
 * `out` as it was and removes the partial folder. `out` must be missing, empty, or an
 * earlier stopline build (it has a manifest): anything else is refused (SL5102), so a
 * mistyped `--out` never deletes a user's folder.
 *
 * No component is built when the plan has errors (an unsatisfiable entry, a syntax error)
 * or codegen cannot split the program faithfully (SL5xxx): a build is never silently
 * wrong. Diagnostics are returned, never printed.
 */

export interface BuildDirectoryOptions extends Pick<PlanDirectoryOptions, 'configFile' | 'profile' | 'placeAll'> {
  /** The dist folder (absolute, or relative to the process' working directory). */
  readonly out: string;
  /** Where components are cached (default `<dir>/.stopline-cache/components`). */
  readonly cacheDir?: string;
  /** Told when each phase starts (`planning`, `building edge`…). */
  readonly onPhase?: (phase: string) => void;
  readonly signal?: AbortSignal;
}

export interface BuiltStopSummary {
  readonly stop: string;
  /** null: nothing runs at this stop, no component */
  readonly component: { readonly cached: boolean; readonly ms: number; readonly bytes: number } | null;
}

export interface BuildResult {
  /** `usage` when the config, profile or output folder is unusable; `errors` when the project cannot be built; `built` otherwise. */
  readonly status: 'built' | 'errors' | 'usage';
  readonly diagnostics: readonly Diagnostic[];
  readonly plan: Plan | null;
  readonly manifest: Manifest | null;
  readonly stops: readonly BuiltStopSummary[];
  /** the dist folder written (absolute) */
  readonly out: string;
}

export async function buildDirectory(dir: string, options: BuildDirectoryOptions): Promise<BuildResult> {
  const rootDir = path.resolve(dir);
  const out = path.resolve(options.out);
  const fail = (status: 'errors' | 'usage', diagnostics: readonly Diagnostic[], plan: Plan | null = null): BuildResult => ({ status, diagnostics, plan, manifest: null, stops: [], out });

  const planned = planDirectory(rootDir, {
    ...(options.configFile !== undefined ? { configFile: options.configFile } : {}),
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
    ...(options.placeAll !== undefined ? { placeAll: options.placeAll } : {}),
    ...(options.onPhase ? { onPhase: options.onPhase } : {}),
  });
  const { plan, graph, config } = planned;
  if (plan === null || graph === null || config === null) return fail('usage', planned.diagnostics);
  if (hasErrors(plan.diagnostics)) return fail(plan.diagnostics.some((d) => d.category === 'error' && d.code.startsWith('SL1')) ? 'usage' : 'errors', plan.diagnostics, plan);

  const refusal = checkOutput(out);
  if (refusal !== null) return fail('usage', [...plan.diagnostics, refusal], plan);

  let sources: Map<string, string>;
  try {
    sources = readCodegenSources(rootDir, config);
  } catch (error) {
    if (!(error instanceof OriginalLoadError)) throw error;
    return fail('errors', [...plan.diagnostics, diagnostic('SL5110', null, { detail: error.message })], plan);
  }
  const tmp = path.join(path.dirname(out), `.${path.basename(out)}.build-${randomBytes(6).toString('hex')}`);
  try {
    fs.mkdirSync(tmp, { recursive: true });
    let built;
    try {
      built = await buildStops({
        projectDir: rootDir,
        config,
        plan,
        graph,
        sources,
        cacheDir: options.cacheDir ?? path.join(rootDir, '.stopline-cache', 'components'),
        workDir: tmp,
        onStop: (e) => options.onPhase?.(`${e.phase === 'built' ? 'built' : e.phase} ${e.stop}`),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      return fail('errors', [...plan.diagnostics, buildFailure(error)], plan);
    }
    if (!built.ok) return fail('errors', [...plan.diagnostics, ...built.program.diagnostics], plan);

    options.onPhase?.('writing');
    const stops: ManifestStop[] = [];
    for (const s of built.stops) stops.push(await writeStop(s, tmp, plan, config, graph, sources));
    fs.writeFileSync(path.join(tmp, 'plan.json'), planJson(plan));
    const draft: Manifest = {
      schema: 'stopline.manifest/v1',
      stopline: version,
      placement: plan.model.placeAll === undefined ? 'plan' : { placeAll: plan.model.placeAll },
      planSha256: sha256(planJson(plan)),
      sourcesSha256: sourcesHash(sources),
      stops,
      entries: graph.entries
        .map((e) => ({ name: e.name, arrives: e.arrives, route: e.route, rootStop: plan.segments.find((s) => s.id === e.root)?.stop ?? e.arrives }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      stores: config.stores.map((s) => ({ name: s.name, preset: s.preset, consistency: s.consistency, home: s.home, replicas: [...s.replicas] })),
    };
    // Host descriptors next to each server stop's component (src/deploy); where a host cannot run one as generated, a warning.
    const deployed = writeDeployDescriptors(draft, tmp, out);
    const manifest = deployed.manifest;
    fs.writeFileSync(path.join(tmp, MANIFEST_FILE), manifestJson(manifest));
    replace(out, tmp);
    return {
      status: 'built',
      diagnostics: [...plan.diagnostics, ...deployed.diagnostics],
      plan,
      manifest,
      stops: built.stops.map((s) => ({ stop: s.stop, component: s.component ? { cached: s.component.cached, ms: s.component.ms, bytes: s.component.bytes } : null })),
      out,
    };
  } catch (error) {
    return fail('errors', [...plan.diagnostics, buildFailure(error)], plan);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function buildFailure(error: unknown): Diagnostic {
  if (error instanceof StopBuildError) return diagnostic('SL5101', null, { stop: error.stop, detail: error.message });
  if (error instanceof BundleError || error instanceof ComponentBuildError) return diagnostic('SL5101', null, { stop: stopOf(error.message), detail: error.message });
  const e = error as NodeJS.ErrnoException;
  if (typeof e?.code === 'string') return diagnostic('SL4211', null, { file: e.path ?? 'the output folder', detail: e.code });
  throw error;
}

class StopBuildError extends Error {
  constructor(
    readonly stop: string,
    message: string,
  ) {
    super(message);
  }
}

/** `stop edge: …` → `edge`, for errors that name their stop in the message. */
function stopOf(message: string): string {
  return /^stop (\S+?):/.exec(message)?.[1] ?? '?';
}

/** Null when `out` may be replaced: missing, an empty folder, or an earlier build. */
function checkOutput(out: string): Diagnostic | null {
  let stat;
  try {
    stat = fs.statSync(out);
  } catch {
    return null;
  }
  const at = { file: out, start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
  if (!stat.isDirectory()) return diagnostic('SL5102', at, { dir: out });
  if (fs.readdirSync(out).length === 0 || fs.existsSync(path.join(out, MANIFEST_FILE))) return null;
  return diagnostic('SL5102', at, { dir: out });
}

/** Puts the complete `tmp` folder at `out`: the old build renamed away first, removed after. */
function replace(out: string, tmp: string): void {
  const old = fs.existsSync(out) ? path.join(path.dirname(out), `.${path.basename(out)}.old-${randomBytes(6).toString('hex')}`) : null;
  if (old !== null) fs.renameSync(out, old);
  try {
    fs.renameSync(tmp, out);
  } catch (error) {
    if (old !== null) fs.renameSync(old, out);
    throw error;
  }
  if (old !== null) fs.rmSync(old, { recursive: true, force: true });
}

async function writeStop(s: BuiltStop, tmp: string, plan: Plan, config: StoplineConfig, graph: SegmentGraph, sources: ReadonlyMap<string, string>): Promise<ManifestStop> {
  const info = config.line.stops.find((x) => x.name === s.stop)!;
  const segments = s.sources.dispatch.map((d) => d.segment).sort();
  const entries = s.sources.entries.map((e) => e.name).sort();
  const base = { stop: s.stop, trusted: info.trusted, latencyMs: info.latencyMs, segments, entries, stores: storesAt(s.stop, plan, config) };
  if (s.component === null || s.bundle === null || s.world === null) return { ...base, component: null, imports: [], exports: [] };
  const stopDir = path.join(tmp, s.stop);
  const wasm = path.join(stopDir, `${s.stop}.wasm`);
  fs.copyFileSync(s.component.wasmPath, wasm);
  const bytes = fs.readFileSync(wasm);
  const world = await componentInterfaces(bytes);
  let browser: string | null = null;
  if (s.bundle.world === 'client') {
    try {
      await emitBrowserClient({ wasmPath: wasm, outDir: path.join(stopDir, 'browser') });
    } catch (error) {
      throw new StopBuildError(s.stop, `transpiling the client component for browsers failed: ${(error as Error).message}`);
    }
    browser = `${s.stop}/browser/stopline-client.js`;
  }
  return {
    ...base,
    component: {
      path: `${s.stop}/${s.stop}.wasm`,
      sha256: sha256(bytes),
      inputHash: s.component.hash,
      bytes: bytes.length,
      module: `${s.stop}/${s.stop}.js`,
      wit: `${s.stop}/wit`,
      world: s.world.name,
      browser,
    },
    imports: [...world.imports],
    exports: [...world.exports],
    ...(info.trusted ? { host: hostOf(s.stop, plan, graph, sources, config) } : {}),
  };
}

/** What the stop needs from a host besides its imports; its descriptors are listed once written. */
function hostOf(stop: string, plan: Plan, graph: SegmentGraph, sources: ReadonlyMap<string, string>, config: StoplineConfig): NonNullable<ManifestStop['host']> {
  const facts = stopHostFacts(stop, plan, graph, sources, config);
  return { calls: [...facts.calls], config: [...facts.config], outbound: [...facts.outbound], descriptors: [] };
}

/** The stores the segments placed at `stop` access, and the interface each is reached through there. */
function storesAt(stop: string, plan: Plan, config: StoplineConfig): ManifestStop['stores'] {
  const names = new Set<string>();
  for (const seg of plan.segments) if (seg.stop === stop) for (const a of seg.accesses) if (a.store !== null) names.add(a.store);
  return [...names].sort().flatMap((name) => {
    const store = config.stores.find((s) => s.name === name);
    if (store === undefined) return [];
    const kind = getPreset(store.preset)?.store?.kind;
    const lowered = storeLowerings.has(store.preset);
    const iface = !lowered ? null : kind === 'sql' ? WIT_IMPORTS.sql : kind === 'kv' ? WIT_IMPORTS.keyvalue : kind === 'local' ? WIT_IMPORTS.clientLocal : null;
    return [{ store: name, preset: store.preset, interface: iface }];
  });
}

export function projectSourcesHash(rootDir: string, config: StoplineConfig): string {
  return sourcesHash(readCodegenSources(rootDir, config));
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
