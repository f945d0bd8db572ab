import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleOptionsFor, bundleStop, type StopBundle } from '../../codegen/bundle/index.js';
import { buildComponent, type BuiltComponent, type ComponentFeature } from '../../codegen/component/index.js';
import { generate } from '../../codegen/index.js';
import type { StoplineConfig } from '../config/index.js';
import type { Plan, SegmentGraph, SplitProgram, StopSources } from '../ir/index.js';

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
  /** the bundled module on disk, or null */
  readonly modulePath: string | null;
  readonly component: BuiltComponent | null;
}

export type BuildStopsResult =
  | { readonly ok: true; readonly program: SplitProgram; readonly stops: readonly BuiltStop[] }
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
      stops.push({ stop: sources.stop, sources, bundle: null, modulePath: null, component: null });
      continue;
    }
    input.onStop?.({ stop: sources.stop, phase: 'bundling' });
    const bundle = await bundleStop(sources, { ...bundleOptionsFor(input.config, sources.stop), projectDir: input.projectDir });
    const modulePath = path.join(input.workDir, `${sources.stop}.js`);
    await fs.writeFile(modulePath, bundle.js);
    input.onStop?.({ stop: sources.stop, phase: 'building' });
    const component = await buildComponent({
      source: modulePath,
      witPath: witDir(),
      worldName: bundle.world,
      cacheDir: input.cacheDir,
      disableFeatures: STOP_DISABLED_FEATURES,
      ...(input.signal ? { signal: input.signal } : {}),
    });
    input.onStop?.({ stop: sources.stop, phase: 'built', component });
    stops.push({ stop: sources.stop, sources, bundle, modulePath, component });
  }
  return { ok: true, program, stops };
}

/** The stopline:line WIT package shipped with stopline (codegen/wit; beside lib/ once built). */
export function witDir(): string {
  // src/build/stops.ts → ../../codegen/wit; lib/src/build/stops.js → ../../../codegen/wit
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const candidate of [path.resolve(here, '../../codegen/wit'), path.resolve(here, '../../../codegen/wit')]) {
    if (fileExists(path.join(candidate, 'line.wit'))) return candidate;
  }
  throw new Error(`stopline's WIT package (codegen/wit) is missing next to ${here}`);
}

function fileExists(file: string): boolean {
  try {
    return fsSync.statSync(file).isFile();
  } catch {
    return false;
  }
}
