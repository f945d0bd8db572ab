import path from 'node:path';
import { expect } from 'vitest';
import { buildStops, type BuiltStop } from '../../src/build/stops.js';
import type { StoplineConfig } from '../../src/config/index.js';
import type { Plan, RoundTrips, SegmentGraph } from '../../src/ir/index.js';
import { runOnComponents, type ComponentsResult, type RunOnComponentsOptions } from '../../src/runtime/line/run-components.js';
import { roundTripsOfTrace, unexplainedCrossings } from '../../src/runtime/line/trace-check.js';
import { loadRequestCorpus, readProjectConfig, runOriginal, type OriginalResult, type RequestCase } from '../../src/runtime/original/index.js';
import { caseInput } from '../../src/runtime/original/call-case.js';
import { caseSeedFile } from '../../src/runtime/original/corpus.js';
import { componentCacheDir } from '../codegen/component.setup.js';
import { planOnce } from '../planner/plan-helpers.js';
import { repoRoot } from './graph.js';
import { projectSources } from './sources.js';

/**
 * The differential test of a fixture on REAL components: its plan's split program built
 * per stop (`buildStops`: generate, bundle, componentize-js cached in
 * test/.tmp/component-cache), and every request of its corpus run on the original program
 * (`runOriginal`) and on the components on the local line (`runOnComponents`, the same
 * stores, seed and virtual clock). A fixture's test file:
 *
 *   const fixture = differentialFixture('fixtures/shop');
 *   beforeAll(() => fixture.build(), 600_000);
 *   it.each(fixture.cases())('%s', async (_name, c) => { const r = await fixture.run(c); expect(r.components).toEqual(r.original); … });
 *
 * and the checks every fixture shares: `expectTraceMatchesPlan` (each crossing is a cut or
 * a remote access of the plan) and `expectRoundTrips` (the corpus case's hand-derived
 * per-link round trips, when it lists them).
 */

export interface DifferentialFixture {
  readonly dir: string;
  readonly config: StoplineConfig;
  readonly plan: Plan;
  readonly graph: SegmentGraph;
  readonly seedFile: string | null;
  readonly corpus: readonly RequestCase[];
  /** Builds every stop's component (cached); call in beforeAll. */
  build(): Promise<readonly BuiltStop[]>;
  /** `[name, case]` pairs for it.each. */
  cases(): (readonly [string, RequestCase])[];
  /** One case on both sides. */
  run(c: RequestCase): Promise<{ readonly original: OriginalResult; readonly components: ComponentsResult; readonly result: OriginalResult }>;
  /** One case on the components only, with more options for the line (faults, RPC policy). */
  runComponents(c: RequestCase, more?: Pick<RunOnComponentsOptions, 'rpc' | 'faults' | 'observeStores'>): Promise<ComponentsResult>;
}

/**
 * `guestClock`: what the components' `Date` and the SQL stores' `now()` read
 * (runOnComponents' option; default its `line`). `request` for a fixture that writes
 * timestamps after a crossing: the original program's clock never moves while it runs.
 */
export function differentialFixture(fixture: string, options: { readonly seed?: string | null; readonly requests?: string; readonly guestClock?: 'line' | 'request' } = {}): DifferentialFixture {
  const dir = path.resolve(repoRoot, fixture);
  const config = readProjectConfig(dir);
  const { plan, graph } = planOnce(fixture);
  if (plan === null || graph === null) throw new Error(`${fixture} does not plan`);
  const seedFile = options.seed === null ? null : path.join(dir, options.seed ?? 'seed.json');
  const corpus = loadRequestCorpus(path.join(dir, options.requests ?? 'requests.json'));
  let built: readonly BuiltStop[] | null = null;
  const scratch = path.join(repoRoot, 'test/.tmp/differential', path.basename(dir));
  const transpileCache = path.join(repoRoot, 'test/.tmp/line-transpiled');
  return {
    dir,
    config,
    plan,
    graph,
    seedFile,
    corpus,
    async build() {
      const r = await buildStops({ projectDir: dir, config, plan, graph, sources: projectSources(dir), cacheDir: componentCacheDir, workDir: scratch });
      if (!r.ok) throw new Error(`${fixture}: codegen diagnostics ${r.program.diagnostics.map((d) => `${d.code} ${d.range?.file}:${d.range?.start.line} ${d.message}`).join(', ')}`);
      built = r.stops;
      return built;
    },
    cases: () => corpus.map((c) => [c.name, c] as const),
    async run(c) {
      const caseSeed = caseSeedFile(c, path.dirname(path.join(dir, options.requests ?? 'requests.json')), seedFile);
      const original = await runOriginal({ projectDir: dir, config, graph, seedFile: caseSeed, entry: c.entry, ...caseInput(c), ...(c.client ? { clientId: c.client } : {}) });
      const components = await this.runComponents(c);
      const { trace: _trace, virtualMs: _virtualMs, timings: _timings, ...result } = components;
      return { original, components, result };
    },
    async runComponents(c, more = {}) {
      if (built === null) throw new Error('build() first');
      const caseSeed = caseSeedFile(c, path.dirname(path.join(dir, options.requests ?? 'requests.json')), seedFile);
      return runOnComponents({
        projectDir: dir,
        config,
        graph,
        seedFile: caseSeed,
        entry: c.entry,
        ...caseInput(c),
        stops: built.flatMap((s) => (s.component ? [{ name: s.stop, wasmPath: s.component.wasmPath }] : [])),
        cacheDir: transpileCache,
        wasi: true,
        ...(options.guestClock ? { guestClock: options.guestClock } : {}),
        ...(c.client ? { clientId: c.client } : {}),
        ...more,
      });
    },
  };
}

/** Every crossing of the run is a cut or a remote access of the plan, for this entry. */
export function expectTraceMatchesPlan(plan: Plan, entry: string, components: ComponentsResult): void {
  expect(unexplainedCrossings(plan, entry, components.trace)).toEqual([]);
}

/** The run's round trips per link, from its trace, equal `expected` (links not named: 0). */
export function expectRoundTrips(plan: Plan, components: ComponentsResult, expected: RoundTrips): void {
  const measured = roundTripsOfTrace(components.trace, plan.line.stops.map((s) => s.name));
  const want = Object.fromEntries(Object.keys(measured).map((link) => [link, expected[link] ?? 0]));
  expect(measured).toEqual(want);
}
