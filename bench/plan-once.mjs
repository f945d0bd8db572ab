#!/usr/bin/env node
// Runs stopline's planner in a fresh process and prints one JSON line. Two modes:
//
//   node --expose-gc bench/plan-once.mjs --segments 100000 [--stops 3] [--shape service|giant] [--seed 1]
//        [--min-runs 5] [--min-ms 1000] [--max-runs 50] [--warmup-ms 300]
//     Times plan(graph) on a synthetic graph (bench/synthetic-graph.mjs): one cold call, warm-up
//     calls, then timed calls (a gc() before each when --expose-gc is given) until both
//     --min-runs and --min-ms are reached (or --max-runs). Prints
//     {"ok":true,"genMs":…,"firstMs":…,"timesMs":[…],"medianMs":…,"medianCpuMs":…,"rssAfterGenKiB":…,"maxRssKiB":…,"check":{…},…}
//     (CPU time: process.cpuUsage() user + system around each call, GC helper threads included;
//     steadier than wall time when other processes compete for the cores)
//
//   node bench/plan-once.mjs --fixture fixtures/shop
//     Analyzes the project (analyzeDirectory) and plans it; prints every planned entry with its
//     latency, baselines and round trips.
//
// `check` compares every planned entry with its feasible baselines: a planned latency above
// the cheapest feasible baseline is a planner bug (the baseline is itself a placement).
// Exit codes: 0 ok, 3 the library is not built (or has no plan yet), 1 it threw.
// STOPLINE_BENCH_LIB=<path to lib/src/index.js> measures another build.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { graphSummary, syntheticGraph } from './synthetic-graph.mjs';

function print(record, exitCode) {
  process.stdout.write(JSON.stringify(record) + '\n');
  process.exitCode = exitCode;
}

const args = { segments: 1000, stops: 3, shape: 'service', seed: 1, minRuns: 5, minMs: 1000, maxRuns: 50, warmupMs: 300, fixture: null };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const key = a.replace(/^--/, '').replace(/-(\w)/g, (_, c) => c.toUpperCase());
  if (!(key in args) || !a.startsWith('--')) {
    console.error(`unknown argument ${a}`);
    process.exit(64);
  }
  const v = argv[++i];
  args[key] = key === 'shape' || key === 'fixture' ? v : Number(v);
}

/** Where the library is: STOPLINE_BENCH_LIB, else lib/src/index.js (fixtures) or lib/planner/index.js (synthetic: no ts-morph loaded). */
function libUrl(which) {
  const override = process.env.STOPLINE_BENCH_LIB;
  if (override) {
    const base = /^file:/.test(override) ? new URL(override) : pathToFileURL(path.resolve(override));
    return which === 'planner' ? new URL('../planner/index.js', base) : base;
  }
  return new URL(which === 'planner' ? '../lib/planner/index.js' : '../lib/src/index.js', import.meta.url);
}

async function load(which, names) {
  const url = libUrl(which);
  let mod;
  try {
    mod = await import(url.href);
  } catch (err) {
    print({ ok: false, reason: 'unavailable', message: `cannot import ${url.pathname} (${String(err?.message ?? err).split('\n')[0]}); run \`npm run build\`` }, 3);
    return null;
  }
  for (const n of names) {
    if (typeof mod[n] !== 'function') {
      print({ ok: false, reason: 'unavailable', message: `${url.pathname} does not export ${n} yet` }, 3);
      return null;
    }
  }
  return mod;
}

const EPS = 0.0015; // plans round to 1 µs; allow for rounding on both sides

/** Planned entries against their feasible baselines. */
function checkPlan(plan, graph) {
  const above = [];
  let unsatisfiable = 0;
  let planned = 0;
  let sumPlanned = 0;
  let sumBest = 0;
  let moved = 0;
  for (const e of plan.entries) {
    moved += e.moved ?? 0;
    if (e.status !== 'planned' || e.latencyMs === null) {
      unsatisfiable++;
      continue;
    }
    planned++;
    const feasible = Object.entries(e.baselines).filter(([, b]) => b.feasible);
    const best = feasible.length ? Math.min(...feasible.map(([, b]) => b.latencyMs)) : Infinity;
    if (Number.isFinite(best)) {
      sumPlanned += e.latencyMs;
      sumBest += best;
    }
    if (e.latencyMs > best + EPS) {
      const which = feasible.find(([, b]) => b.latencyMs === best);
      above.push({ entry: e.name, plannedMs: e.latencyMs, baseline: which[0], stop: which[1].stop, baselineMs: best });
    }
  }
  return {
    entries: plan.entries.length,
    planned,
    unsatisfiable,
    aboveBaseline: above.length,
    firstAbove: above.slice(0, 5),
    /** Σ planned ÷ Σ cheapest feasible baseline, over the entries that have one. */
    plannedOverBest: sumBest > 0 ? sumPlanned / sumBest : null,
    withFeasibleBaseline: plan.entries.filter((e) => Object.values(e.baselines).some((b) => b.feasible)).length,
    moved,
    cuts: plan.cuts.length,
    segmentsMatch: plan.segments.length === graph.segments.length,
    diagnostics: plan.diagnostics.filter((d) => /^SL4/.test(d.code)).map((d) => d.code).slice(0, 10),
  };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function synthetic() {
  const mod = await load('planner', ['plan']);
  if (!mod) return;
  const gc = typeof globalThis.gc === 'function' ? globalThis.gc : () => {};
  const t0 = performance.now();
  const graph = syntheticGraph({ segments: args.segments, stops: args.stops, seed: args.seed, shape: args.shape });
  const genMs = performance.now() - t0;
  const summary = graphSummary(graph);
  gc();
  const rssAfterGenKiB = process.resourceUsage().maxRSS;
  const heapAfterGen = process.memoryUsage().heapUsed;

  let t = performance.now();
  let result = mod.plan(graph);
  const firstMs = performance.now() - t;
  const heapWithPlan = process.memoryUsage().heapUsed;
  const rssAfterFirstKiB = process.resourceUsage().maxRSS;
  const check = checkPlan(result, graph);
  result = null;

  // Warm-up: at least one more call, and `warmupMs` in all (skipped when one call is slow).
  let warm = firstMs;
  let warmups = 1;
  while (firstMs < 10_000 && (warmups < 2 || warm < args.warmupMs)) {
    t = performance.now();
    mod.plan(graph);
    warm += performance.now() - t;
    warmups++;
  }
  const times = [];
  const cpuTimes = [];
  let total = 0;
  const slow = firstMs > 10_000;
  const minRuns = slow ? 1 : args.minRuns;
  while (times.length < args.maxRuns && (times.length < minRuns || total < args.minMs)) {
    gc();
    const cpu0 = process.cpuUsage();
    t = performance.now();
    mod.plan(graph);
    const dt = performance.now() - t;
    const cpu = process.cpuUsage(cpu0);
    times.push(dt);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
    total += dt;
    if (slow && times.length >= 1) break;
  }
  print({
    ok: true,
    segments: graph.segments.length,
    entries: graph.entries.length,
    accesses: graph.accesses.length,
    variables: graph.variables.length,
    maxDepth: summary.maxDepth,
    stops: graph.line.stops.length,
    shape: args.shape,
    genMs,
    firstMs,
    warmups,
    timesMs: times,
    medianMs: median(times),
    cpuTimesMs: cpuTimes,
    medianCpuMs: median(cpuTimes),
    minMs: Math.min(...times),
    rssAfterGenKiB,
    rssAfterFirstKiB,
    heapGraphMiB: heapAfterGen / 1048576,
    heapPlanMiB: (heapWithPlan - heapAfterGen) / 1048576,
    maxRssKiB: process.resourceUsage().maxRSS,
    check,
  }, 0);
}

async function fixture() {
  const mod = await load('src', ['plan', 'analyzeDirectory']);
  if (!mod) return;
  const dir = path.resolve(args.fixture);
  const t0 = performance.now();
  const result = mod.analyzeDirectory(dir);
  const analyzeMs = performance.now() - t0;
  if (!result.graph) {
    print({ ok: false, reason: 'no-graph', message: `no graph for ${args.fixture}: ${result.diagnostics.filter((d) => d.category === 'error').map((d) => `${d.code} ${d.message}`).slice(0, 3).join('; ')}` }, 2);
    return;
  }
  const t1 = performance.now();
  const plan = mod.plan(result.graph);
  const planMs = performance.now() - t1;
  print({
    ok: true,
    analyzeMs,
    planMs,
    segments: result.graph.segments.length,
    stops: plan.line.stops.map((s) => s.name),
    entries: plan.entries.map((e) => ({
      name: e.name,
      arrives: e.arrives,
      status: e.status,
      latencyMs: e.latencyMs,
      roundTrips: e.roundTrips,
      strongRemote: e.strongRemote,
      breakdown: e.breakdown,
      moved: e.moved,
      segments: plan.segments.filter((s) => s.entry === e.name).length,
      baselines: e.baselines,
    })),
    check: checkPlan(plan, result.graph),
    plannerDiagnostics: plan.diagnostics.filter((d) => /^SL4/.test(d.code)).map((d) => ({ code: d.code, message: d.message })),
  }, 0);
}

try {
  await (args.fixture ? fixture() : synthetic());
} catch (err) {
  print({ ok: false, reason: 'threw', message: String(err?.stack ?? err).split('\n').slice(0, 8).join('\n') }, 1);
}
