import fs from 'node:fs/promises';
import path from 'node:path';
import { bundleOptionsFor, bundleStop, type StopBundle } from '../../codegen/bundle/index.js';
import { buildComponent, stopWorld, writeStopWorld, type BuiltComponent, type ComponentFeature, type StopWorld } from '../../codegen/component/index.js';
import { generate } from '../../codegen/index.js';
import type { StoplineConfig } from '../config/index.js';
import { initConfigReads } from '../../codegen/bundle/init-reads.js';
import { compareDiagnostics, diagnostic } from '../diagnostics/index.js';
import type { Diagnostic, Plan, SegmentGraph, SplitProgram, StopSources } from '../ir/index.js';

/**
 * The split program of a plan as one component per stop: `generate` (codegen/outline),
 * `bundleStop` (codegen/bundle) and `buildComponent` (codegen/component, cached by the
 * content hash of its inputs), one stop after the other (componentize-js peaks at
 * ~0.8 GB a build). A stop that serves nothing (no segment placed there, no entry
 * arriving there) gets no component: nothing would ever call it.
 *
 * Codegen diagnostics (SL5xxx) are returned, not thrown: with any of them the program is
 * not built, since a split program that lost a piece would be silently wrong.
 */

/**
 * The WASI features the stops' components leave out. `clocks` stays, so the guest's `Date`
 * has a wall clock. `random` stays too: without it StarlingMonkey's `Math.random`,
 * `crypto.getRandomValues` and `crypto.randomUUID` run on a fixed seed and give the SAME
 * values in every fresh instance (checked with componentize-js 0.23: two instances of one
 * component returned identical "random" UUIDs), so tokens or ids made at a stop would
 * repeat; with it they read `wasi:random/random` at run time (the line gives
 * preview2-shim's, src/runtime/line/wasi.ts). Randomness read while the module is
 * evaluated at build time is still baked into the snapshot (componentize-js runs the top
 * level inside wizer), so module-level random values are the same in every instance.
 */
export const STOP_DISABLED_FEATURES: readonly ComponentFeature[] = ['stdio', 'http', 'fetch-event'];

/**
 * A server stop keeps `http` too (issue #6): its component exports
 * `wasi:http/incoming-handler` directly (codegen/lower/http-wasi.ts; `fetch-event`, the
 * engine's one-request-per-instance shim, stays out) and its link may call other stops
 * with `fetch` (http-link.ts). The engine then imports wasi:http's `types` and
 * `outgoing-handler`, which the local line's WASI (preview2-shim) provides. The client
 * stop (a browser runs it) keeps `STOP_DISABLED_FEATURES`.
 */
export const SERVER_STOP_DISABLED_FEATURES: readonly ComponentFeature[] = ['stdio', 'fetch-event'];

export interface BuildStopsInput {
  readonly projectDir: string;
  readonly config: StoplineConfig;
  readonly plan: Plan;
  readonly graph: SegmentGraph;
  /** Project-relative path → TypeScript text of every source file. */
  readonly sources: ReadonlyMap<string, string>;
  /** Where components are cached (`<hash>.wasm`). */
  readonly cacheDir: string;
  /** Where each stop's bundled module is written (`<stop>.js`) for componentize-js to read. */
  readonly workDir: string;
  /** Told before each stop's component build starts, and after it ends. */
  readonly onStop?: (event: { readonly stop: string; readonly phase: 'bundling' | 'building' | 'built'; readonly component?: BuiltComponent }) => void;
  readonly signal?: AbortSignal;
}

export interface BuiltStop {
  readonly stop: string;
  readonly sources: StopSources;
  /** null when the stop serves nothing */
  readonly bundle: StopBundle | null;
  /** the bundled module on disk (`<workDir>/<stop>/<stop>.js`), or null */
  readonly modulePath: string | null;
  /** the stop's own world (exactly its bundle's imports) and where it was written (`<workDir>/<stop>/wit`) */
  readonly world: StopWorld | null;
  readonly witPath: string | null;
  readonly component: BuiltComponent | null;
}

export type BuildStopsResult =
  | {
      readonly ok: true;
      readonly program: SplitProgram;
      readonly stops: readonly BuiltStop[];
      /** Warnings about the built program: SL5201, a module-level `process.env` read that a server stop's component evaluates at build time (initConfigWarnings). */
      readonly diagnostics: readonly Diagnostic[];
    }
  | { readonly ok: false; readonly program: SplitProgram };

/** Whether anything would ever run at this stop. */
export function serves(stop: StopSources): boolean {
  return stop.dispatch.length > 0 || stop.entries.length > 0;
}

export async function buildStops(input: BuildStopsInput): Promise<BuildStopsResult> {
  const program = generate(input.plan, input.graph, input.sources);
  if (program.diagnostics.length > 0) return { ok: false, program };
  await fs.mkdir(input.workDir, { recursive: true });
  const stops: BuiltStop[] = [];
  for (const sources of program.stops) {
    if (!serves(sources)) {
      stops.push({ stop: sources.stop, sources, bundle: null, modulePath: null, world: null, witPath: null, component: null });
      continue;
    }
    input.onStop?.({ stop: sources.stop, phase: 'bundling' });
    const entryRoutes = Object.fromEntries(input.graph.entries.map((e) => [e.name, e.route]));
    const bundle = await bundleStop(sources, { ...bundleOptionsFor(input.config, sources.stop), projectDir: input.projectDir, entryRoutes });
    const stopDir = path.join(input.workDir, sources.stop);
    await fs.mkdir(stopDir, { recursive: true });
    const modulePath = path.join(stopDir, `${sources.stop}.js`);
    await fs.writeFile(modulePath, bundle.js);
    const server = bundle.world === 'server';
    const world = stopWorld(sources.stop, bundle.imports, { http: server });
    const witPath = path.join(stopDir, 'wit');
    writeStopWorld(world, witPath);
    input.onStop?.({ stop: sources.stop, phase: 'building' });
    const component = await buildComponent({
      source: modulePath,
      witPath,
      worldName: world.name,
      cacheDir: input.cacheDir,
      disableFeatures: server ? SERVER_STOP_DISABLED_FEATURES : STOP_DISABLED_FEATURES,
      ...(input.signal ? { signal: input.signal } : {}),
    });
    input.onStop?.({ stop: sources.stop, phase: 'built', component });
    stops.push({ stop: sources.stop, sources, bundle, modulePath, world, witPath, component });
  }
  return { ok: true, program, stops, diagnostics: initConfigWarnings(stops, input.sources, input.config) };
}

/**
 * SL5201 for every `process.env` read at the top level of a project file a server stop's
 * bundle includes (codegen/bundle/init-reads.ts), at its range in the original source
 * (codegen edits function bodies only, never top-level code). One warning per read, naming
 * the first stop (in line order) that evaluates it. The initialisers of the stores' bound
 * handles (`binding: src/db.ts#pool`) are left out: the lowering re-points those handles.
 */
export function initConfigWarnings(stops: readonly BuiltStop[], sources: ReadonlyMap<string, string>, config: StoplineConfig): Diagnostic[] {
  const handles = new Map<string, Set<string>>();
  for (const store of config.stores) {
    const hash = store.binding?.lastIndexOf('#') ?? -1;
    if (store.binding === null || hash <= 0) continue;
    const [file, name] = [store.binding.slice(0, hash), store.binding.slice(hash + 1)];
    if (name.includes('.')) continue;
    handles.set(file, new Set([...(handles.get(file) ?? []), name]));
  }
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const s of stops) {
    if (s.bundle === null || s.bundle.world !== 'server') continue;
    for (const file of s.bundle.files) {
      const text = sources.get(file);
      if (text === undefined) continue;
      for (const read of initConfigReads(file, text, handles.get(file))) {
        const key = `${file}:${read.range.start.line}:${read.range.start.column}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(diagnostic('SL5201', read.range, { read: read.key === null ? 'process.env' : `process.env.${read.key}`, stop: s.stop }));
      }
    }
  }
  return out.sort(compareDiagnostics);
}
