#!/usr/bin/env node
// stopline benchmarks: `npm run bench` (= npm run build && node bench/run.mjs).
//
// Each section is an async function that measures something and returns markdown;
// BENCHMARKS.md is rewritten whole from all sections on every run. Add a section (planner,
// codegen, …) by writing `async function mySection(ctx) { …; return markdown; }` and
// appending it to SECTIONS.
//
//   node bench/run.mjs [--sizes 12500,25000,50000] [--reps 3] [--section analyzer]
//
// Sections (ids for --section, repeatable; default all, in this order):
//   analyzer       analyzer vs tsc --noEmit on generated services (a few minutes)
//   plan-time      plan() time on synthetic graphs (bench/synthetic-graph.mjs) of 1k/10k/100k
//                  segments × 3/5 stops × service/giant shape (~3 minutes);
//                  --plan-sizes 1000,10000 and --plan-stops 3 narrow it
//   plan-fixtures  planned latency of every fixtures/*/ entry against its three baselines (~30 s)
//   components     per fixture: each stop's component built cold and cached, instantiated, and
//                  the split measured against the single-stop baselines on requests.json
//                  (bench/components-once.mjs; a few minutes, componentize-js builds cold)
//   rpc            per-RPC cost of hardened RPC (seal, verify, validate) against a bare call, in the
//                  same run (bench/rpc-once.mjs; ~30 s)
//   serve          the shop over real HTTP (stopline serve, jco serve processes): per-request latency
//                  of the split against everything at the edge, in the same run, and one stop's
//                  requests per second on loopback (bench/serve-once.mjs; a few minutes)
// Quick iteration on one section: `node bench/run.mjs --section plan-fixtures` (writes
// bench/out/BENCHMARKS.md, see below). Run `npm run build` first: run.mjs measures lib/.
//
// With the default options it writes /work/main/BENCHMARKS.md; with any option changed it
// writes bench/out/BENCHMARKS.md instead, so a quick trial never replaces the real numbers.
// Every measurement runs in a fresh child process (`node --import bench/rss.mjs …`) so its
// time and peak RSS are its own. Generated services and scratch files go to bench/out/.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateService } from './generate.mjs';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH);
const OUT = path.join(BENCH, 'out');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const RSS_HOOK = pathToFileURL(path.join(BENCH, 'rss.mjs')).href;
const ANALYZE_ONCE = path.join(BENCH, 'analyze-once.mjs');
const PLAN_ONCE = path.join(BENCH, 'plan-once.mjs');

const DEFAULTS = { sizes: [12500, 25000, 50000], reps: 3, seed: 1, planSizes: [1000, 10000, 100000], planStops: [3, 5] };

// ---------------------------------------------------------------------------------------
// Helpers

function parseArgs(argv) {
  const opts = { ...DEFAULTS, sections: null, custom: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--sizes') opts.sizes = argv[++i].split(',').map((s) => Number(s.trim()));
    else if (a === '--reps') opts.reps = Number(argv[++i]);
    else if (a === '--seed') opts.seed = Number(argv[++i]);
    else if (a === '--section') (opts.sections ??= []).push(argv[++i]);
    else if (a === '--plan-sizes') opts.planSizes = argv[++i].split(',').map((s) => Number(s.trim()));
    else if (a === '--plan-stops') opts.planStops = argv[++i].split(',').map((s) => Number(s.trim()));
    else if (a === '-h' || a === '--help') opts.help = true;
    else throw new Error(`unknown argument ${a} (try --help)`);
    opts.custom = true;
  }
  if (opts.sizes.some((n) => !Number.isFinite(n) || n < 1000)) throw new Error('--sizes: numbers ≥ 1000');
  if (!Number.isInteger(opts.reps) || opts.reps < 1) throw new Error('--reps: an integer ≥ 1');
  if (opts.planSizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--plan-sizes: integers ≥ 1');
  if (opts.planStops.some((n) => !Number.isInteger(n) || n < 2)) throw new Error('--plan-stops: integers ≥ 2');
  return opts;
}

const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (x, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : '—');
const fmtInt = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '—');
const mib = (kib) => kib / 1024;

let scratch = 0;
/**
 * Runs `node --import rss.mjs <args>` and returns its wall time (ms, measured here: the
 * whole process, start-up included), exit status, output and peak RSS (KiB).
 */
function measureNode(args, { timeoutMs = 30 * 60 * 1000 } = {}) {
  const rssFile = path.join(OUT, `.rss-${process.pid}-${scratch++}.json`);
  rmSync(rssFile, { force: true });
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', RSS_HOOK, ...args], {
    cwd: ROOT,
    env: { ...process.env, STOPLINE_BENCH_RSS_FILE: rssFile },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: timeoutMs,
  });
  const wallMs = performance.now() - t0;
  let maxRssKiB = NaN;
  if (existsSync(rssFile)) {
    maxRssKiB = JSON.parse(readFileSync(rssFile, 'utf8')).maxRssKiB;
    rmSync(rssFile, { force: true });
  }
  return { wallMs, status: r.status, signal: r.signal, error: r.error, stdout: r.stdout ?? '', stderr: r.stderr ?? '', maxRssKiB };
}

function machineInfo() {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) cpu = m[1].trim();
  } catch {}
  let distro = `${os.type()} ${os.release()}`;
  try {
    const m = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'));
    if (m) distro = `${m[1]} (${os.type()} ${os.release()})`;
  } catch {}
  const version = (pkg) => {
    try {
      return JSON.parse(readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version;
    } catch {
      return '?';
    }
  };
  return {
    cpu,
    cores: os.cpus().length,
    memGiB: os.totalmem() / 1024 ** 3,
    node: process.version,
    os: distro,
    typescript: version('typescript'),
    tsMorph: version('ts-morph'),
    load: os.loadavg().map((x) => x.toFixed(2)).join(' '),
    date: new Date().toISOString().replace(/:\d\d\.\d+Z$/, '').replace('T', ' '),
  };
}

function machineMarkdown(m) {
  return [
    `Machine: ${m.cpu}, ${m.cores} cores, ${fmt(m.memGiB, 1)} GiB RAM; Node ${m.node}; ${m.os}.`,
    `TypeScript ${m.typescript} (tsc), ts-morph ${m.tsMorph} (analyzer). Measured ${m.date} UTC; load average at start ${m.load}.`,
  ].join('  \n');
}

function table(header, rows) {
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  for (const r of rows) lines.push(`| ${r.join(' | ')} |`);
  return lines.join('\n');
}

function log(msg) {
  process.stderr.write(`[bench] ${msg}\n`);
}

// ---------------------------------------------------------------------------------------
// Section: analyzer vs tsc --noEmit

const RATIO_GOAL = 1.5;
const LINEAR_SLACK = 1.25; // counts growing at most 25% faster than the line count are linear
const TIME_SLACK = 1.5; // marginal time/memory per line may rise 50% (noise on 2 shared cores)

async function analyzerVsTsc(ctx) {
  const { sizes, reps, seed } = ctx.opts;
  const services = [];
  for (const size of sizes) {
    const dir = path.join(OUT, `svc-${size}`);
    const t0 = performance.now();
    const g = generateService({ lines: size, seed, dir });
    log(`generated ${path.relative(ROOT, dir)}: ${g.files} files, ${g.lines} lines, ${g.handlers} handlers (${fmt((performance.now() - t0) / 1000)} s)`);
    services.push({ size, dir, ...g, tsc: [], analyze: [], errors: [] });
  }

  const runTsc = (svc) => {
    const r = measureNode([TSC, '--noEmit', '-p', svc.dir]);
    if (r.status !== 0) {
      const out = (r.stdout + r.stderr).trim().split('\n').slice(0, 5).join('\n');
      throw new Error(`tsc --noEmit failed on ${svc.dir} (exit ${r.status ?? r.signal}); the generator must emit code that type-checks:\n${out}`);
    }
    return { wallMs: r.wallMs, maxRssKiB: r.maxRssKiB };
  };
  let analyzerUnavailable = null;
  const runAnalyze = (svc) => {
    if (analyzerUnavailable) return null;
    const r = measureNode([ANALYZE_ONCE, svc.dir]);
    const rec = lastJsonLine(r);
    if (!rec) {
      svc.errors.push(`analyzer crashed (${crashSummary(r)})`);
      return null;
    }
    if (!rec.ok) {
      if (rec.reason === 'unavailable') analyzerUnavailable = rec.message;
      else svc.errors.push(`analyzer ${rec.reason}: ${rec.message}${rec.first ? ' — ' + rec.first.map((d) => `${d.code} ${d.message}`).join('; ') : ''}`);
      return null;
    }
    return { ...rec, wallMs: r.wallMs, maxRssKiB: r.maxRssKiB };
  };

  // Warm-up (not recorded): the first process after generation pays for a cold file cache.
  log('warm-up');
  runTsc(services[0]);
  runAnalyze(services[0]);
  if (analyzerUnavailable) log(`analyzer unavailable: ${analyzerUnavailable} — measuring tsc only`);

  for (let rep = 0; rep < reps; rep++) {
    for (const svc of services) {
      // Interleave, alternating which goes first, so drift on a noisy machine hits both.
      const order = rep % 2 === 0 ? ['tsc', 'analyze'] : ['analyze', 'tsc'];
      for (const which of order) {
        if (which === 'tsc') {
          const r = runTsc(svc);
          svc.tsc.push(r);
          log(`rep ${rep + 1}/${reps} ${svc.size}: tsc ${fmt(r.wallMs / 1000)} s, ${fmt(mib(r.maxRssKiB), 0)} MiB`);
        } else {
          const r = runAnalyze(svc);
          svc.analyze.push(r);
          if (r) log(`rep ${rep + 1}/${reps} ${svc.size}: analyze ${fmt(r.wallMs / 1000)} s (analyzeDirectory ${fmt(r.analyzeMs / 1000)} s), ${fmt(mib(r.maxRssKiB), 0)} MiB, ${r.segments} segments`);
        }
      }
    }
  }

  // Summaries.
  const rows = services.map((svc) => {
    const kloc = svc.lines / 1000;
    const ok = svc.analyze.filter(Boolean);
    // Ratio: median of the per-repetition ratios (each pair measured back to back).
    const ratios = svc.tsc.map((t, i) => (svc.analyze[i] ? svc.analyze[i].wallMs / t.wallMs : NaN));
    const last = ok[ok.length - 1] ?? null;
    return {
      size: svc.size,
      lines: svc.lines,
      files: svc.files,
      handlers: svc.handlers,
      kloc,
      tscMs: median(svc.tsc.map((r) => r.wallMs)),
      tscRss: median(svc.tsc.map((r) => r.maxRssKiB)),
      anaMs: median(ok.map((r) => r.wallMs)),
      anaInMs: median(ok.map((r) => r.analyzeMs)),
      anaRss: median(ok.map((r) => r.maxRssKiB)),
      ratio: median(ratios),
      segments: last?.segments ?? NaN,
      accesses: last?.accesses ?? NaN,
      entries: last?.entries ?? NaN,
      jsonBytes: last?.jsonBytes ?? NaN,
      diagnostics: last?.diagnostics ?? null,
      errors: svc.errors,
    };
  });

  const header = [
    'service', 'lines', 'files', 'handlers', 'tsc s', 'analyze s', 'analyzeDirectory s', 'analyze / tsc',
    'tsc RSS MiB', 'analyze RSS MiB', 'entries', 'segments', 'accesses', 'segments / kLOC', 'JSON KB / kLOC',
  ];
  const body = rows.map((r) => [
    `svc-${r.size}`, fmtInt(r.lines), fmtInt(r.files), fmtInt(r.handlers), fmt(r.tscMs / 1000), fmt(r.anaMs / 1000),
    fmt(r.anaInMs / 1000), Number.isFinite(r.ratio) ? `${fmt(r.ratio)}×` : '—', fmt(mib(r.tscRss), 0), fmt(mib(r.anaRss), 0),
    fmtInt(r.entries), fmtInt(r.segments), fmtInt(r.accesses), fmt(r.segments / r.kloc, 0), fmt(r.jsonBytes / 1024 / r.kloc, 1),
  ]);
  const tbl = table(header, body);
  console.log('\n## Analyzer vs tsc --noEmit\n');
  console.log(tbl);

  // Verdict.
  const measured = rows.filter((r) => Number.isFinite(r.ratio));
  let verdict;
  if (analyzerUnavailable) {
    verdict = `The analyzer was not measured: ${analyzerUnavailable}. Only the tsc baseline is shown.`;
  } else if (measured.length === 0) {
    verdict = 'The analyzer did not produce a graph at any size (see the notes below), so neither the 1.5× goal nor linearity could be checked.';
  } else {
    const worst = Math.max(...measured.map((r) => r.ratio));
    const goal = measured.every((r) => r.ratio <= RATIO_GOAL) && measured.length === rows.length;
    const small = measured[0];
    const big = measured[measured.length - 1];
    // Counts: growth relative to the line count (1.00 = exactly proportional).
    const growth = (key) => (big[key] / small[key]) / (big.lines / small.lines);
    // Time and memory carry a fixed start-up cost, so compare marginal cost per line:
    // the slope between the two largest sizes over the slope between the two smallest.
    const slopeRatio = (key) => {
      if (measured.length < 3) return growth(key);
      const [a, b] = measured;
      const [c, d] = measured.slice(-2);
      const first = (b[key] - a[key]) / (b.lines - a.lines);
      const last = (d[key] - c[key]) / (d.lines - c.lines);
      // A non-positive first slope is noise at the small end: fall back to overall growth.
      return first > 0 ? last / first : growth(key);
    };
    const checks = [
      ['segments', growth('segments'), LINEAR_SLACK],
      ['graph JSON bytes', growth('jsonBytes'), LINEAR_SLACK],
      [measured.length < 3 ? 'analyze time' : 'marginal analyze time', slopeRatio('anaMs'), TIME_SLACK],
      [measured.length < 3 ? 'peak RSS' : 'marginal peak RSS', slopeRatio('anaRss'), TIME_SLACK],
    ];
    const superlinear = checks.filter(([, g, limit]) => Number.isFinite(g) && g > limit);
    const linear = measured.length >= 2 && superlinear.length === 0;
    verdict =
      `The ${RATIO_GOAL}× goal ${goal ? 'holds' : 'does not hold'} (worst analyze/tsc ratio ${fmt(worst)}×${measured.length < rows.length ? `, ${rows.length - measured.length} size(s) not measured` : ''}), ` +
      (measured.length < 2
        ? 'and linearity cannot be judged from one size.'
        : `and growth ${linear ? 'is linear' : 'is not linear'} from ${fmtInt(small.lines)} to ${fmtInt(big.lines)} lines ` +
          `(segments and JSON bytes: growth over line growth, ${checks.slice(0, 2).map(([n, g]) => `${n} ${fmt(g)}`).join(', ')}, linear if ≤ ${LINEAR_SLACK}; ` +
          `time and memory: ${measured.length < 3 ? 'growth over line growth' : 'cost per added line at the large end over the small end'}, ` +
          `${checks.slice(2).map(([n, g]) => `${n} ${fmt(g)}`).join(', ')}, linear if ≤ ${TIME_SLACK}).`);
  }
  console.log('\n' + verdict + '\n');

  const notes = [];
  for (const r of rows) {
    for (const e of r.errors) notes.push(`- svc-${r.size}: ${e}`);
    if (r.diagnostics && (r.diagnostics.error || r.diagnostics.warning)) {
      notes.push(`- svc-${r.size}: the analyzer reported ${r.diagnostics.error} error(s) and ${r.diagnostics.warning} warning(s).`);
    }
  }

  return [
    '## Analyzer vs tsc --noEmit',
    '',
    machineMarkdown(ctx.machine),
    '',
    `Services generated by \`bench/generate.mjs\` (seed ${seed}): a Workers-style API over Postgres (\`pg\`) and two KV namespaces, ` +
      'about 300 lines per module, one `@stopline entry edge` handler per ~100 lines. ' +
      `Each number is the median of ${reps} run${reps === 1 ? '' : 's'}, each in its own child process; tsc and the analyzer alternate, back to back. ` +
      '"tsc s" and "analyze s" are whole-process wall times (`node node_modules/typescript/bin/tsc --noEmit -p <dir>` and `node bench/analyze-once.mjs <dir>`, start-up and library loading included); ' +
      '"analyzeDirectory s" is the call alone. "analyze / tsc" is the median of the per-run ratios of the two process times (goal ≤ 1.5). ' +
      'Peak RSS is `process.resourceUsage().maxRSS` at exit.',
    '',
    tbl,
    '',
    verdict,
    ...(notes.length ? ['', 'Notes:', '', ...notes] : []),
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------
// Section: planner time on synthetic graphs

const PLAN_GOAL_MS = 1000; // at 100k segments
const PLAN_GOAL_SIZE = 100000;
const PLAN_LINEAR_SLACK = 1.5; // time per segment may rise 50% per 10× (caches, GC, a noisy machine)
const PLAN_SHAPES = ['service', 'giant'];

/** The JSON record a child printed on its last line, or null. */
function lastJsonLine(r) {
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop() ?? '');
  } catch {
    return null;
  }
}

/** Why a child gave no record: its exit and the last lines it wrote. */
function crashSummary(r) {
  const why = r.error ? String(r.error.message) : `exit ${r.status ?? r.signal}`;
  return `${why}: ${(r.stderr || r.stdout).trim().split('\n').slice(-4).join(' / ')}`;
}

/** Runs `node --expose-gc --import rss.mjs bench/plan-once.mjs <args>` and parses its JSON line. */
function runPlanOnce(args, { gc = true, timeoutMs = 15 * 60 * 1000 } = {}) {
  const r = measureNode([...(gc ? ['--expose-gc'] : []), PLAN_ONCE, ...args], { timeoutMs });
  const rec = lastJsonLine(r);
  if (!rec) return { ok: false, reason: 'crashed', message: crashSummary(r) };
  return { ...rec, wallMs: r.wallMs, processMaxRssKiB: r.maxRssKiB };
}

const kSize = (n) => (n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));

async function planTime(ctx) {
  const { planSizes, planStops, seed } = ctx.opts;
  const sizes = [...planSizes].sort((a, b) => a - b);
  const loadAtStart = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  const rows = [];
  let unavailable = null;
  outer: for (const shape of PLAN_SHAPES) {
    for (const stops of planStops) {
      let prev = null;
      for (const segments of sizes) {
        const rec = runPlanOnce([
          '--segments', String(segments), '--stops', String(stops), '--shape', shape, '--seed', String(seed),
          '--min-runs', '7', '--min-ms', '2000', '--max-runs', '50', '--warmup-ms', '500',
        ]);
        if (!rec.ok && rec.reason === 'unavailable') {
          unavailable = rec.message;
          break outer;
        }
        const row = { shape, stops, segments, rec, usPerSeg: NaN, cpuUsPerSeg: NaN, growth: NaN };
        if (rec.ok) {
          row.usPerSeg = (rec.medianMs * 1000) / rec.segments;
          row.cpuUsPerSeg = (rec.medianCpuMs * 1000) / rec.segments;
          if (prev?.rec.ok) {
            row.growth = row.cpuUsPerSeg / prev.cpuUsPerSeg;
            row.prevSegments = prev.segments;
          }
          log(`plan ${shape} ${stops} stops ${kSize(segments)}: median ${fmt(rec.medianMs)} ms (CPU ${fmt(rec.medianCpuMs)} ms) of ${rec.timesMs.length} (first ${fmt(rec.firstMs)} ms), ${fmt(row.usPerSeg)} µs/segment, peak ${fmt(mib(rec.maxRssKiB), 0)} MiB, load ${os.loadavg()[0].toFixed(2)}`);
        } else {
          log(`plan ${shape} ${stops} stops ${kSize(segments)}: ${rec.reason}: ${rec.message}`);
        }
        rows.push(row);
        prev = row;
      }
    }
  }

  const intro =
    `Synthetic graphs from \`bench/synthetic-graph.mjs\` (seed ${seed}): **service** = handlers of 200–1000 segments each (30% cache-only, 20% database-heavy, the rest mixed), ` +
    '**giant** = one handler holding every segment (a deep spine of nested regions with wide blocks along it). ' +
    'Lines: 3 stops (client → edge 20 ms → origin 70 ms) and 5 stops (client → edge 15 → shield 10 → region 25 → origin 45 ms, one-way). ' +
    'Each configuration runs in its own process (`node --expose-gc bench/plan-once.mjs …`): one cold call, warm-up calls, then timed calls of `plan(graph)` ' +
    '(a `gc()` before each) until at least 7 calls and 2 s; "plan ms" is their median wall time, "CPU ms" the median CPU time of the same calls ' +
    '(user + system, GC helper threads included), "first call" the cold call (JIT included). ' +
    '"growth" is CPU µs per segment over CPU µs per segment at the next smaller size, in the same shape and line (1.00 is linear; CPU time because wall time ' +
    'on a shared machine also measures the other processes). ' +
    '"peak RSS" is the whole process (graph generation included; "graph only" is the peak before the first plan). ' +
    '"planned ÷ best" is Σ planned latency ÷ Σ cheapest feasible baseline over the entries that have one (the giant handler pins segments to different stops, so no single stop is feasible for it).';

  if (unavailable) {
    return ['## Planner: time on synthetic graphs', '', `Not measured: ${unavailable}.`, ''].join('\n');
  }

  const header = ['shape', 'stops', 'segments', 'entries', 'depth', 'plan ms', 'CPU ms', 'µs / segment', 'growth', 'first call ms', 'runs', 'peak RSS MiB (graph only)', 'planned ÷ best'];
  const body = rows.map(({ shape, stops, segments, rec, usPerSeg, growth }) =>
    rec.ok
      ? [
          shape, String(stops), fmtInt(rec.segments), fmtInt(rec.entries), String(rec.maxDepth), fmt(rec.medianMs, 1), fmt(rec.medianCpuMs, 1), fmt(usPerSeg, 2),
          Number.isFinite(growth) ? fmt(growth, 2) : '—', fmt(rec.firstMs, 1), String(rec.timesMs.length),
          `${fmt(mib(rec.maxRssKiB), 0)} (${fmt(mib(rec.rssAfterGenKiB), 0)})`,
          rec.check.plannedOverBest === null ? '—' : fmt(rec.check.plannedOverBest, 3),
        ]
      : [shape, String(stops), fmtInt(segments), '—', '—', `failed (${rec.reason})`, '—', '—', '—', '—', '—', '—', '—'],
  );
  const tbl = table(header, body);
  console.log('\n## Planner: time on synthetic graphs\n');
  console.log(tbl);

  // Verdict: the goal at 100k, and growth per 10×.
  const big = rows.filter((r) => r.segments === PLAN_GOAL_SIZE);
  let goal;
  if (big.length === 0) goal = `The ${fmt(PLAN_GOAL_MS / 1000, 0)} s goal at ${kSize(PLAN_GOAL_SIZE)} segments was not measured (sizes ${sizes.map(kSize).join(', ')}).`;
  else {
    const met = big.filter((r) => r.rec.ok && r.rec.medianMs < PLAN_GOAL_MS);
    goal =
      `The goal of planning ${kSize(PLAN_GOAL_SIZE)} segments in under ${fmt(PLAN_GOAL_MS / 1000, 0)} s is ${met.length === big.length ? 'met' : met.length === 0 ? '**not met**' : `**met in ${met.length} of ${big.length} configurations only**`}: ` +
      big.map((r) => `${r.shape}/${r.stops} stops ${r.rec.ok ? `${fmt(r.rec.medianMs, 0)} ms` : 'failed'}`).join(', ') + '.';
  }
  const growths = rows.filter((r) => Number.isFinite(r.growth));
  let linear = '';
  if (growths.length) {
    const bad = growths.filter((r) => r.growth > PLAN_LINEAR_SLACK);
    const groups = [];
    for (const shape of PLAN_SHAPES) {
      for (const stops of planStops) {
        const g = growths.filter((r) => r.shape === shape && r.stops === stops);
        if (g.length) groups.push(`${shape}/${stops} stops ${g.map((r) => `${kSize(r.segments)}÷${kSize(r.prevSegments)} ${fmt(r.growth, 2)}`).join(', ')}`);
      }
    }
    linear =
      ` Growth ${bad.length === 0 ? 'is linear' : '**is not linear**'} (CPU time per segment at each size ÷ at the previous size, linear if ≤ ${PLAN_LINEAR_SLACK}: ${groups.join('; ')}).`;
  }
  const verdict = goal + linear;
  console.log('\n' + verdict + '\n');

  const notes = [];
  for (const r of rows) {
    const name = `${r.shape}/${r.stops} stops/${kSize(r.segments)}`;
    if (!r.rec.ok) {
      notes.push(`- ${name}: ${r.rec.reason}: ${r.rec.message}`);
      continue;
    }
    const c = r.rec.check;
    if (c.aboveBaseline > 0) {
      notes.push(`- ${name}: **planner bug**: ${c.aboveBaseline} entr${c.aboveBaseline === 1 ? 'y is' : 'ies are'} planned above a feasible baseline, e.g. ` +
        c.firstAbove.map((a) => `${a.entry} ${fmt(a.plannedMs, 3)} ms > ${a.baseline} (${a.stop}) ${fmt(a.baselineMs, 3)} ms`).join('; ') + '.');
    }
    if (c.unsatisfiable > 0) notes.push(`- ${name}: ${c.unsatisfiable} of ${c.entries} entries unsatisfiable (the generator only makes satisfiable ones).`);
    if (!c.segmentsMatch) notes.push(`- ${name}: the plan does not place every segment of the graph.`);
  }

  return [
    '## Planner: time on synthetic graphs',
    '',
    machineMarkdown(ctx.machine) + (loadAtStart === ctx.machine.load ? '' : `  \nLoad average at the start of this section: ${loadAtStart}.`),
    '',
    intro,
    '',
    tbl,
    '',
    verdict,
    ...(notes.length ? ['', 'Notes:', '', ...notes] : []),
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------
// Section: fixtures, planned latency against the baselines

const fmtMs = (x) => (Number.isFinite(x) ? x.toFixed(x < 1 ? 3 : x < 100 ? 2 : 1) : '—');
const trimNum = (x) => String(Math.round(x * 1000) / 1000);

async function planFixtures(ctx) {
  const fixturesDir = path.join(ROOT, 'fixtures');
  const names = readdirSync(fixturesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(fixturesDir, d.name, 'stopline.yaml')))
    .map((d) => d.name)
    .sort();
  const rows = [];
  const notes = [];
  const ratios = [];
  let entries = 0;
  let beatAll = 0;
  let violations = 0;
  let unavailable = null;
  for (const name of names) {
    const rec = runPlanOnce(['--fixture', path.join('fixtures', name)], { gc: false });
    if (!rec.ok) {
      if (rec.reason === 'unavailable') {
        unavailable = rec.message;
        break;
      }
      notes.push(`- ${name}: ${rec.reason}: ${rec.message}`);
      rows.push([name, '—', '—', `failed (${rec.reason})`, ...Array(9).fill('—')]);
      continue;
    }
    log(`plan fixtures/${name}: ${rec.entries.length} entries, ${rec.segments} segments (analyze ${fmt(rec.analyzeMs / 1000)} s, plan ${fmt(rec.planMs)} ms)`);
    for (const e of [...rec.entries].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      entries++;
      const b = e.baselines;
      const planned = e.status === 'planned' ? e.latencyMs : null;
      const base = (x, withStop = false) => `${fmtMs(x.latencyMs)}${withStop ? ` (${x.stop})` : ''}${x.feasible ? '' : ' ✗'}`;
      const ratio = (x) => {
        if (planned === null || !x.feasible || !(x.latencyMs > 0)) return '—';
        const r = planned / x.latencyMs;
        return `${fmt(r, r < 0.1 ? 3 : 2)}×`;
      };
      const feasible = [b.arrival, b.origin, b.bestSingleStop].filter((x) => x.feasible);
      const best = feasible.length ? Math.min(...feasible.map((x) => x.latencyMs)) : Infinity;
      if (planned !== null && Number.isFinite(best)) {
        if (best > 0) ratios.push(planned / best);
        if (planned < best - 0.0015) beatAll++;
        if (planned > best + 0.0015) {
          violations++;
          const which = feasible.find((x) => x.latencyMs === best);
          notes.push(`- **planner bug**: ${name} \`${e.name}\` is planned at ${fmtMs(planned)} ms, above the feasible single-stop placement at ${which.stop} (${fmtMs(best)} ms).`);
        }
      }
      if (e.status !== 'planned') notes.push(`- ${name} \`${e.name}\` is unsatisfiable: ${rec.plannerDiagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`);
      rows.push([
        name,
        `\`${e.name}\``,
        e.arrives,
        planned === null ? e.status : fmtMs(planned),
        base(b.arrival),
        base(b.origin),
        base(b.bestSingleStop, true),
        ratio(b.arrival),
        ratio(b.origin),
        ratio(b.bestSingleStop),
        e.roundTrips ? Object.entries(e.roundTrips).map(([k, v]) => `${k} ${trimNum(v)}`).join(', ') : '—',
        `${e.moved} / ${e.segments}`,
      ]);
    }
  }
  if (unavailable) return ['## Planner: fixtures against the baselines', '', `Not measured: ${unavailable}.`, ''].join('\n');

  const header = ['fixture', 'entry', 'arrives', 'planned ms', 'arrival ms', 'origin ms', 'best single stop ms', 'planned ÷ arrival', 'planned ÷ origin', 'planned ÷ best single', 'round trips (planned)', 'moved / segments'];
  const tbl = table(header, rows);
  console.log('\n## Planner: fixtures against the baselines\n');
  console.log(tbl);
  const geo = ratios.length ? Math.exp(ratios.reduce((s, r) => s + Math.log(Math.max(r, 1e-9)), 0) / ratios.length) : NaN;
  const verdict =
    `${violations === 0 ? 'No entry is planned above its cheapest feasible baseline' : `**${violations} entr${violations === 1 ? 'y is' : 'ies are'} planned above a feasible baseline (planner bug, see the notes)**`}; ` +
    `${beatAll} of ${entries} entries beat every single-stop placement, ` +
    (ratios.length ? `and the geometric mean of planned ÷ cheapest feasible baseline is ${fmt(geo, 3)} over the ${ratios.length} entries that have one.` : 'and no entry has a feasible baseline to compare with.');
  console.log('\n' + verdict + '\n');
  return [
    '## Planner: fixtures against the baselines',
    '',
    'Every entry of every `fixtures/*/` project, analysed (`analyzeDirectory`) and planned (`plan(graph)`) on its own line from `stopline.yaml`. ' +
      'Latencies are the cost model\'s expected ms per request. Baselines: **arrival** = the whole entry at the stop the request arrives at; ' +
      '**origin** = the whole entry at the last stop; **best single stop** = the cheapest single stop (what runtime placement reaches). ' +
      '✗ marks a baseline a hard constraint forbids (a secret on the client, client-only code away from it…); ratios are only given against feasible baselines. ' +
      '"round trips" are the planned expected exchanges per request on each link; "moved" counts segments placed away from the arrival stop.',
    '',
    tbl,
    '',
    verdict,
    ...(notes.length ? ['', 'Notes:', '', ...notes] : []),
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------
// Section: components — build, instantiate and measured latency of each fixture's split

const COMPONENTS_ONCE = path.join(BENCH, 'components-once.mjs');

async function componentsSection() {
  const fixturesDir = path.join(ROOT, 'fixtures');
  const names = readdirSync(fixturesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(fixturesDir, d.name, 'stopline.yaml')))
    .map((d) => d.name)
    .sort();
  const buildRows = [];
  const latencyRows = [];
  const notes = [];
  for (const name of names) {
    log(`components fixtures/${name} (cold builds: a minute or two)`);
    const r = measureNode([COMPONENTS_ONCE, '--fixture', path.join('fixtures', name), '--cache', path.join(OUT, `components-${name}`)], { timeoutMs: 60 * 60 * 1000 });
    const rec = lastJsonLine(r);
    if (!rec || !rec.ok) {
      const why = rec ? `${rec.reason}: ${String(rec.message).split('\n')[0]}` : crashSummary(r);
      notes.push(`- ${name}: not measured (${why})`);
      continue;
    }
    for (const st of rec.stops) {
      buildRows.push([
        name,
        st.stop,
        st.serves ? 'yes' : 'no component',
        st.bundleBytes === null ? '—' : fmt(st.bundleBytes / 1024, 1),
        st.bytes === null ? '—' : fmt(st.bytes / 1e6, 1),
        st.coldMs === null ? '—' : fmt(st.coldMs / 1000, 1),
        st.cachedMs === null ? '—' : `${fmt(st.cachedMs, 1)}${st.cachedHit ? '' : ' (miss!)'}`,
        st.transpileMs === null ? '—' : fmtInt(st.transpileMs),
        st.firstInstantiateMs === null ? '—' : fmt(st.firstInstantiateMs, 1),
        st.instantiateMs === null ? '—' : fmt(st.instantiateMs, 1),
      ]);
    }
    const m = rec.measured;
    if (m === null) {
      notes.push(`- ${name}: no requests.json, latency not measured`);
      continue;
    }
    if (m.status !== 'measured') notes.push(`- ${name}: **${m.status}**: ${[...m.mismatches, ...m.unexplained, ...m.diagnostics.map((d) => `${d.code} ${d.message}`)].slice(0, 5).join('; ')}`);
    const byPlacement = Object.fromEntries(m.placements.map((p) => [p.placement, p]));
    const label = (p) => (p.placement === 'plan' ? 'split' : p.stop ?? 'arrival');
    const entriesOf = byPlacement.plan?.entries ?? [];
    for (const e of entriesOf) {
      const cell = (p) => {
        if (!p) return '—';
        if (p.status === 'infeasible') return 'not allowed';
        const x = p.entries.find((y) => y.entry === e.entry);
        return x ? `${fmtMs(x.meanVirtualMs)} (${Object.entries(x.meanRoundTrips).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${trimNum(n)}`).join(', ') || 'no RT'})` : '—';
      };
      const ratio = (p) => {
        const x = p?.status === 'measured' ? p.entries.find((y) => y.entry === e.entry) : undefined;
        return x && x.meanVirtualMs > 0 ? `${fmt(e.meanVirtualMs / x.meanVirtualMs, 2)}×` : '—';
      };
      latencyRows.push([
        name,
        `\`${e.entry}\``,
        String(e.requests),
        cell(byPlacement.plan),
        `${cell(byPlacement.arrival)}${byPlacement.arrival ? ` [${label(byPlacement.arrival)}]` : ''}`,
        `${cell(byPlacement.origin)}${byPlacement.origin ? ` [${label(byPlacement.origin)}]` : ''}`,
        ratio(byPlacement.arrival),
        ratio(byPlacement.origin),
        e.plannedMs === null ? '—' : fmtMs(e.plannedMs),
      ]);
    }
    const baselineBuilds = m.placements.filter((p) => p.placement !== 'plan' && p.status === 'measured').map((p) => `${label(p)} ${fmt(p.buildMs / 1000, 1)} s`);
    if (baselineBuilds.length) notes.push(`- ${name}: baseline components built cold in ${baselineBuilds.join(', ')}; ${m.requests} requests × ${m.placements.filter((p) => p.status === 'measured').length} placements run in ${fmt(m.ms / 1000, 1)} s in all`);
  }
  const buildTable = table(['fixture', 'stop', 'serves', 'bundle KiB', 'component MB', 'build cold s', 'build cached ms', 'transpile ms', 'first instantiate ms', 'instantiate ms'], buildRows);
  const latencyTable = table(['fixture', 'entry', 'requests', 'split ms (RT)', 'all at arrival ms (RT)', 'all at origin ms (RT)', 'split ÷ arrival', 'split ÷ origin', 'planned ms (expected)'], latencyRows);
  console.log('\n## Components\n');
  console.log(buildTable);
  console.log();
  console.log(latencyTable);
  return [
    '## Components: build, instantiate, measured latency',
    '',
    "Each fixture's plan built as one WASI component per stop (`buildStops`: codegen, rolldown bundle, componentize-js) in a fresh process: **cold** with an empty component cache, then **cached** (a content-hash hit: the input hash is computed, nothing is built). " +
      '**transpile** is jco turning the component into a JS module for Node (cached by the line after the first time); **first instantiate** compiles the core wasm and instantiates; **instantiate** is a second instance (`restart`) reusing the compiled modules.',
    '',
    buildTable,
    '',
    "Measured on the local line (`stopline measure`): every request of the fixture's `requests.json` run from freshly seeded stores on the split program and on every entry whole at its arrival stop and whole at the origin, each built as components. " +
      "**ms** is the mean virtual latency per request (each crossing and each store access served at another stop costs its round trip on the configured line); **RT** the mean round trips per request on each link, counted from the runtime's trace. " +
      "Compute time is not on the virtual clock; the plan's expected latency (static branch probabilities, compute included) is given for reference: the corpus mixes paths in other proportions than the static estimate.",
    '',
    latencyTable,
    ...(notes.length ? ['', 'Notes:', '', ...notes] : []),
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------
// Section: rpc — the per-RPC cost of authentication and validation

const RPC_ONCE = path.join(BENCH, 'rpc-once.mjs');

async function rpcSection(ctx) {
  log('rpc: hardened vs bare crossings (guest code on V8)');
  const r = measureNode([RPC_ONCE, '--calls', '2000', '--reps', '7'], { timeoutMs: 10 * 60 * 1000 });
  const rec = lastJsonLine(r);
  if (!rec || !rec.ok) return ['## Hardened RPC: cost per call', '', `Not measured (${rec ? `${rec.reason}: ${String(rec.message).split('\n')[0]}` : crashSummary(r)}).`, ''].join('\n');
  const rows = rec.results.map((x) => [x.payload, fmtInt(x.bytes), fmt(x.bareUs, 1), fmt(x.hardenedUs, 1), fmt(x.hardenedUs - x.bareUs, 1), `${fmt(x.ratio, 2)}×`]);
  const t = table(['payload', 'call bytes', 'bare µs', 'hardened µs', 'overhead µs', 'hardened ÷ bare'], rows);
  console.log('\n## Hardened RPC\n');
  console.log(t);
  return [
    '## Hardened RPC: cost per call',
    '',
    "One crossing's guest code (codegen/lower/link.ts with rpc-auth.ts and rpc-guard.ts, from lib/) run in one Node process, " +
      `${rec.calls} calls per rep, ${rec.reps} reps interleaved, median µs per call (${rec.node}, V8 — not inside a component, where StarlingMonkey's times are larger). ` +
      '**bare**: encode the call, dispatch without a guard (decode, a segment that returns at once, encode the completion). ' +
      "**hardened**: the same plus the caller's seal (HMAC-SHA256 of the call, @noble/hashes) and the callee's guard: size, segment, caller, MAC verified, window, nonce, live-ins against the schema. " +
      'The ratio is measured in the same run; it is the cost of authentication and validation per RPC, before any latency of the link.',
    '',
    machineMarkdown(ctx.machine),
    '',
    t,
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------
// Section: serve — the split program over real HTTP (stopline serve) against everything at the edge

const SERVE_ONCE = path.join(BENCH, 'serve-once.mjs');

async function serveSection(ctx) {
  log('serve: the shop over real HTTP, split vs all at the edge, and one stop\'s requests per second');
  const r = measureNode([SERVE_ONCE, '--fixture', path.join(ROOT, 'fixtures', 'shop'), '--out', path.join(ctx.out, 'serve-shop'), '--rounds', '5', '--seconds', '5'], { timeoutMs: 30 * 60 * 1000 });
  const rec = lastJsonLine(r);
  const title = '## Over real HTTP: `stopline serve`';
  if (!rec || rec.section !== 'serve' || !rec.ok) return [title, '', `Not measured (${rec ? String(rec.message ?? rec.reason ?? 'no result').split('\n')[0] : crashSummary(r)}).`, ''].join('\n');
  const latency = table(
    ['build', 'mean ms', 'p50 ms', 'p95 ms', 'start s'],
    [
      ['split (the plan)', fmt(rec.split.meanMs, 2), fmt(rec.split.p50Ms, 2), fmt(rec.split.p95Ms, 2), fmt(rec.startMs.split / 1000, 1)],
      ['all at the edge (`--place-all edge`)', fmt(rec.allAtEdge.meanMs, 2), fmt(rec.allAtEdge.p50Ms, 2), fmt(rec.allAtEdge.p95Ms, 2), fmt(rec.startMs.allAtEdge / 1000, 1)],
    ],
  );
  const rps = table(
    ['stop', 'request', 'requests', 'seconds', 'requests / s'],
    [
      [rec.rps.stop, rec.rps.entry, fmtInt(rec.rps.requests), fmt(rec.rps.seconds, 1), fmt(rec.rps.perSecond, 1)],
      ...(rec.healthRps ? [[rec.rps.stop, 'GET /.well-known/stopline/health', fmtInt(rec.healthRps.requests), fmt(rec.healthRps.seconds, 1), fmt(rec.healthRps.perSecond, 1)]] : []),
    ],
  );
  console.log('\n## Over real HTTP\n');
  console.log(latency);
  console.log(rps);
  return [
    title,
    '',
    `The shop's ${rec.requests} HTTP requests (fixtures/shop/requests.json), each sent ${rec.rounds} times to each build in turn (interleaved, so both see the same load), ` +
      'through `stopline serve`: every server stop a `jco serve` process on 127.0.0.1, link calls between stops over HTTP, sealed as in production, the stores in the state folder reseeded before each request (not timed). ' +
      "Real-time latency injection is off (`--no-latency`): this measures the stops' own cost over HTTP — the components, the HTTP hops on loopback, the stores — not the configured line (the virtual-clock numbers above are the line's). " +
      `Latency is wall time from sending a request to reading its whole answer. **split ÷ all at the edge: ${fmt(rec.ratio.mean, 2)}× (mean), ${fmt(rec.ratio.p50, 2)}× (p50)**, measured in the same run. ` +
      'On loopback a split request pays the extra HTTP hop to the origin and gains none of the wide-area round trips it saves on a real line, so a ratio above 1 here is the price of the hop itself.',
    '',
    machineMarkdown(ctx.machine),
    '',
    latency,
    '',
    `Requests per second one stop sustains on loopback: one client sends the corpus's first request (answered at its arrival stop, no link call), and the stop's health check, back to back for ${fmt(rec.rps.seconds, 0)} s each, every request answered before the next is sent:`,
    '',
    rps,
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------
// Sections, in BENCHMARKS.md order. Later: planner (plan time, exactness vs brute force),
// codegen (bundle and component sizes, build time).

const SECTIONS = [
  { id: 'analyzer', run: analyzerVsTsc },
  { id: 'plan-time', run: planTime },
  { id: 'plan-fixtures', run: planFixtures },
  { id: 'components', run: componentsSection },
  { id: 'rpc', run: rpcSection },
  { id: 'serve', run: serveSection },
];

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.help) {
    console.log('usage: node bench/run.mjs [--sizes 12500,25000,50000] [--reps 3] [--seed 1] [--plan-sizes 1000,10000,100000] [--plan-stops 3,5] [--section analyzer]…');
    console.log(`sections: ${SECTIONS.map((s) => s.id).join(', ')}`);
    return;
  }
  mkdirSync(OUT, { recursive: true });
  if (!existsSync(TSC)) throw new Error(`${TSC} not found: run npm install`);
  const started = performance.now();
  const machine = machineInfo();
  const ctx = { opts, machine, root: ROOT, out: OUT };
  const chosen = opts.sections ? SECTIONS.filter((s) => opts.sections.includes(s.id)) : SECTIONS;
  if (opts.sections && chosen.length !== opts.sections.length) {
    throw new Error(`unknown section; known: ${SECTIONS.map((s) => s.id).join(', ')}`);
  }
  const parts = [];
  for (const s of chosen) {
    log(`section ${s.id}`);
    parts.push(await s.run(ctx));
  }
  const target = opts.custom ? path.join(OUT, 'BENCHMARKS.md') : path.join(ROOT, 'BENCHMARKS.md');
  const doc = [
    '# stopline benchmarks',
    '',
    `Generated by \`npm run bench\` (\`bench/run.mjs\`); this file is rewritten whole on every run. ` +
      `Last run: ${machine.date} UTC, ${fmt((performance.now() - started) / 1000, 0)} s.`,
    '',
    ...parts,
  ].join('\n');
  writeFileSync(target, doc);
  log(`wrote ${path.relative(process.cwd(), target) || target} in ${fmt((performance.now() - started) / 1000, 1)} s`);
}

main().catch((err) => {
  console.error(err?.stack ?? err);
  process.exitCode = 1;
});
