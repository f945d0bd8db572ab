#!/usr/bin/env node
// Runs stopline's analyzer once over a project directory and prints one JSON line:
//
//   node bench/analyze-once.mjs <dir>
//   → {"ok":true,"importMs":…,"analyzeMs":…,"segments":…,"accesses":…,"entries":…,"jsonBytes":…,…}
//
// `analyzeMs` is the wall time of analyzeDirectory(dir) alone; `importMs` the time to load
// the library (ts-morph and its TypeScript). Exit codes: 0 ok, 2 analysis produced no graph,
// 3 the library or analyzeDirectory is not available (not built yet), 1 the analyzer threw.
// STOPLINE_BENCH_LIB=<path to index.js> measures another build instead of lib/src/index.js.
// Run it under `node --import ./bench/rss.mjs` to record peak memory too (bench/run.mjs does).
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

function print(record, exitCode) {
  process.stdout.write(JSON.stringify(record) + '\n');
  process.exitCode = exitCode;
}

const arg = process.argv[2];
if (!arg) {
  console.error('usage: node bench/analyze-once.mjs <project dir>');
  process.exit(64);
}
const dir = path.resolve(arg);
// STOPLINE_BENCH_LIB: another build of the library's index.js to measure (a path or URL).
const override = process.env.STOPLINE_BENCH_LIB;
const lib = override
  ? (/^file:/.test(override) ? new URL(override) : pathToFileURL(path.resolve(override)))
  : new URL('../lib/src/index.js', import.meta.url);
const libName = override ? override : 'lib/src/index.js';

const t0 = performance.now();
let mod;
try {
  mod = await import(lib.href);
} catch (err) {
  print({ ok: false, reason: 'unavailable', message: `cannot import ${libName} (${String(err?.message ?? err).split('\n')[0]}); run \`npm run build\`` }, 3);
}
const importMs = performance.now() - t0;

if (mod && typeof mod.analyzeDirectory !== 'function') {
  print({ ok: false, reason: 'unavailable', message: `${libName} does not export analyzeDirectory yet` }, 3);
} else if (mod) {
  try {
    const t1 = performance.now();
    const result = await mod.analyzeDirectory(dir);
    const analyzeMs = performance.now() - t1;
    const diagnostics = result?.diagnostics ?? [];
    const counts = { error: 0, warning: 0, info: 0 };
    for (const d of diagnostics) counts[d.category] = (counts[d.category] ?? 0) + 1;
    const codes = {};
    for (const d of diagnostics) codes[d.code] = (codes[d.code] ?? 0) + 1;
    const graph = result?.graph ?? null;
    if (!graph) {
      print({
        ok: false,
        reason: 'no-graph',
        message: 'analyzeDirectory returned no graph',
        importMs,
        analyzeMs,
        diagnostics: counts,
        codes,
        first: diagnostics.slice(0, 5).map((d) => ({ code: d.code, message: d.message, range: d.range })),
      }, 2);
    } else {
      const t2 = performance.now();
      const json = JSON.stringify(graph);
      const stringifyMs = performance.now() - t2;
      print({
        ok: true,
        importMs,
        analyzeMs,
        stringifyMs,
        segments: graph.segments.length,
        accesses: graph.accesses.length,
        entries: graph.entries.length,
        jsonBytes: Buffer.byteLength(json),
        stats: graph.stats ?? null,
        diagnostics: counts,
        codes,
      }, 0);
    }
  } catch (err) {
    print({ ok: false, reason: 'threw', message: String(err?.stack ?? err).split('\n').slice(0, 6).join('\n'), importMs }, 1);
  }
}
