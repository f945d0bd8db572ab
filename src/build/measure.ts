import path from 'node:path';
import type { StoplineConfig } from '../config/index.js';
import { diagnostic, hasErrors } from '../diagnostics/index.js';
import type { Diagnostic, Plan, RoundTrips } from '../ir/index.js';
import { planDirectory } from '../plan-project.js';
import { ComponentRunError, runOnComponents } from '../runtime/line/run-components.js';
import { roundTripsOfTrace, unexplainedCrossings } from '../runtime/line/trace-check.js';
import { caseInput, caseSeedFile, OriginalLoadError, type OriginalResult, type RequestCase } from '../runtime/original/index.js';
import { readCodegenSources } from './sources.js';
import { buildStops } from './stops.js';

/**
 * measureDirectory(dir, corpus) → the split program against the baselines, measured: the
 * plan's split, every entry whole at its arrival stop, and every entry whole at the origin
 * (the last stop), each built as components (cached) and run on the local line on every
 * request of the corpus, from the same seeded stores. Per entry and placement: mean
 * virtual latency and mean round trips per link over the entry's requests.
 *
 * It is also a check: the three programs must give every request the same response (or
 * exception) and leave the same stores (`mismatches`), and every crossing of every run
 * must be one its plan accounts for (`unexplained`). For that comparison the guests'
 * `Date` reads the time the request arrived at every stop: code run at the origin would
 * otherwise see the clock a crossing later and, say, stamp a record 70 ms later — a real
 * but expected difference, not a change of meaning. The `stopline measure` job as a
 * function; the demo and the benchmark use it.
 */

export type PlacementName = 'plan' | 'arrival' | 'origin';

export interface MeasuredEntry {
  readonly entry: string;
  readonly requests: number;
  readonly meanVirtualMs: number;
  readonly meanRoundTrips: RoundTrips;
  /** the plan's expected latency (static counts), for reference */
  readonly plannedMs: number | null;
}

export interface MeasuredPlacement {
  readonly placement: PlacementName;
  /** the one stop everything runs at (`arrival`: when every entry arrives at the same stop), or null */
  readonly stop: string | null;
  /** `built` and measured, or `infeasible` (a hard constraint forbids it: SL4005) */
  readonly status: 'measured' | 'infeasible';
  readonly entries: readonly MeasuredEntry[];
  /** wall time to build the components (ms), and whether every one came from the cache */
  readonly buildMs: number;
  readonly cached: boolean;
}

export interface MeasureResult {
  readonly status: 'measured' | 'errors' | 'usage';
  readonly placements: readonly MeasuredPlacement[];
  /** requests whose response, exception or stores differ between placements */
  readonly mismatches: readonly string[];
  /** crossings no cut or access of their plan accounts for */
  readonly unexplained: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

export interface MeasureOptions {
  readonly configFile?: string;
  readonly corpus: readonly RequestCase[];
  readonly seedFile: string | null;
  /** The corpus file's folder: a case's own `seed` is relative to it (corpus.ts caseSeedFile); default: the project directory. */
  readonly corpusDir?: string;
  /** default `<dir>/.stopline-cache` (components in `components/`, bundles in `measure/`, Node transpiles in `transpiled/`) */
  readonly cacheDir?: string;
  /** where components are cached, when not `<cacheDir>/components` */
  readonly componentCacheDir?: string;
  readonly onPhase?: (phase: string) => void;
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

export async function measureDirectory(dir: string, options: MeasureOptions): Promise<MeasureResult> {
  const rootDir = path.resolve(dir);
  const cache = options.cacheDir ?? path.join(rootDir, '.stopline-cache');
  const placements: MeasuredPlacement[] = [];
  const diagnostics: Diagnostic[] = [];
  const unexplained: string[] = [];
  const results = new Map<string, Map<PlacementName, OriginalResult>>();
  let config: StoplineConfig | null = null;
  let sources: Map<string, string> | null = null;

  for (const placement of ['plan', 'arrival', 'origin'] as const) {
    options.onPhase?.(`planning (${placement})`);
    const last = config?.line.stops[config.line.stops.length - 1]?.name;
    const planned = planDirectory(rootDir, {
      ...(options.configFile !== undefined ? { configFile: options.configFile } : {}),
      ...(placement === 'plan' ? {} : { placeAll: placement === 'arrival' ? 'arrival' : last! }),
    });
    if (planned.plan === null || planned.graph === null || planned.config === null) return { status: 'usage', placements, mismatches: [], unexplained, diagnostics: planned.diagnostics };
    config = planned.config;
    const plan: Plan = planned.plan;
    const arrivals = [...new Set(plan.entries.map((e) => e.arrives))];
    const stop = placement === 'plan' ? null : placement === 'origin' ? config.line.stops[config.line.stops.length - 1]!.name : arrivals.length === 1 ? arrivals[0]! : null;
    if (hasErrors(plan.diagnostics)) {
      if (placement === 'plan') return { status: 'errors', placements, mismatches: [], unexplained, diagnostics: plan.diagnostics };
      diagnostics.push(...plan.diagnostics.filter((d) => d.code === 'SL4005'));
      placements.push({ placement, stop, status: 'infeasible', entries: [], buildMs: 0, cached: true });
      continue;
    }
    if (sources === null) {
      try {
        sources = readCodegenSources(rootDir, config);
      } catch (error) {
        if (!(error instanceof OriginalLoadError)) throw error;
        return { status: 'errors', placements, mismatches: [], unexplained, diagnostics: [diagnostic('SL5110', null, { detail: error.message })] };
      }
    }
    options.onPhase?.(`building (${placement})`);
    const started = performance.now();
    const built = await buildStops({ projectDir: rootDir, config, plan, graph: planned.graph, sources, cacheDir: options.componentCacheDir ?? path.join(cache, 'components'), workDir: path.join(cache, 'measure', placement) });
    if (!built.ok) return { status: 'errors', placements, mismatches: [], unexplained, diagnostics: built.program.diagnostics };
    const buildMs = performance.now() - started;
    const stops = built.stops.flatMap((s) => (s.component ? [{ name: s.stop, wasmPath: s.component.wasmPath }] : []));
    const line = config.line.stops.map((s) => s.name);
    const perEntry = new Map<string, { n: number; ms: number; trips: Record<string, number> }>();
    for (const c of options.corpus) {
      options.onPhase?.(`running ${c.name} (${placement})`);
      const arrives = plan.entries.find((e) => e.name === c.entry)?.arrives;
      let r;
      try {
        r = await runOnComponents({
          projectDir: rootDir,
          config,
          seedFile: caseSeedFile(c, options.corpusDir ?? rootDir, options.seedFile),
          entry: c.entry,
          ...(arrives !== undefined ? { arrives } : {}),
          ...caseInput(c),
          stops,
          cacheDir: path.join(cache, 'transpiled'),
          wasi: true,
          guestClock: 'request',
          ...(c.client !== undefined ? { clientId: c.client } : {}),
        });
      } catch (error) {
        if (error instanceof ComponentRunError) {
          diagnostics.push(diagnostic('SL5108', null, { stop: arrives ?? '?', detail: `${c.name} (${placement}): ${error.message}` }));
          continue;
        }
        throw error;
      }
      for (const u of unexplainedCrossings(plan, c.entry, r.trace)) unexplained.push(`${c.name} (${placement}): ${u}`);
      const { trace: _t, virtualMs, timings: _timings, ...result } = r;
      if (!results.has(c.name)) results.set(c.name, new Map());
      results.get(c.name)!.set(placement, result);
      const acc = perEntry.get(c.entry) ?? { n: 0, ms: 0, trips: {} };
      acc.n += 1;
      acc.ms += virtualMs;
      for (const [link, n] of Object.entries(roundTripsOfTrace(r.trace, line))) acc.trips[link] = (acc.trips[link] ?? 0) + n;
      perEntry.set(c.entry, acc);
    }
    placements.push({
      placement,
      stop,
      status: 'measured',
      buildMs: Math.round(buildMs),
      cached: built.stops.every((s) => s.component === null || s.component.cached),
      entries: [...perEntry]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([entry, acc]) => ({
          entry,
          requests: acc.n,
          meanVirtualMs: round3(acc.ms / acc.n),
          meanRoundTrips: Object.fromEntries(Object.entries(acc.trips).map(([link, n]) => [link, round3(n / acc.n)])),
          plannedMs: plan.entries.find((e) => e.name === entry)?.latencyMs ?? null,
        })),
    });
  }

  const mismatches: string[] = [];
  for (const [name, byPlacement] of results) {
    const reference = byPlacement.get('plan');
    if (reference === undefined) continue;
    for (const [placement, result] of byPlacement) {
      if (placement !== 'plan' && JSON.stringify(result) !== JSON.stringify(reference)) mismatches.push(`${name}: all at ${placement} answers or leaves the stores differently from the split`);
    }
  }
  const failed = mismatches.length > 0 || unexplained.length > 0 || diagnostics.some((d) => d.code === 'SL5108');
  return { status: failed ? 'errors' : 'measured', placements, mismatches, unexplained, diagnostics };
}
