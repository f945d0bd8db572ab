#!/usr/bin/env node
// Builds and runs one fixture's split program on components, in a fresh process, and prints
// one JSON line (bench/run.mjs, section `components`):
//
//   node bench/components-once.mjs --fixture fixtures/shop --cache bench/out/components-shop
//
// 1. build cold: every stop of the plan's split built with an EMPTY component cache
//    (`--cache` is wiped first), the time of each stop's componentize-js;
// 2. build cached: the same again, every stop a cache hit;
// 3. instantiate: a line opened on the split's components; per stop the first
//    instantiation (compiling the core modules included) and a second one (restart: the
//    compiled modules reused);
// 4. measure: `measureDirectory` on the fixture's requests.json and seed.json, the split
//    against every entry whole at its arrival stop and at the origin (their components
//    built cold too, in the same cache): per entry mean virtual latency and round trips.
// Exit codes: 0 ok, 3 the library is not built, 1 it threw.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const argv = process.argv.slice(2);
const arg = (name) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const fixture = path.resolve(arg('fixture') ?? 'fixtures/shop');
const cache = path.resolve(arg('cache') ?? 'bench/out/components');
const print = (record, code) => {
  process.stdout.write(JSON.stringify(record) + '\n');
  process.exitCode = code;
};

let lib;
try {
  lib = {
    plan: await import('../lib/src/plan-project.js'),
    stops: await import('../lib/src/build/stops.js'),
    sources: await import('../lib/src/build/sources.js'),
    measure: await import('../lib/src/build/measure.js'),
    line: await import('../lib/src/runtime/line/index.js'),
    wasi: await import('../lib/src/runtime/line/wasi.js'),
    runtime: await import('../lib/src/runtime/original/index.js'),
    stores: await import('../lib/src/runtime/stores/index.js'),
  };
} catch (err) {
  print({ ok: false, reason: 'unavailable', message: `cannot import lib/ (${String(err?.message ?? err).split('\n')[0]}); run \`npm run build\`` }, 3);
  process.exit();
}

try {
  fs.rmSync(cache, { recursive: true, force: true });
  const planned = lib.plan.planDirectory(fixture);
  if (!planned.plan || !planned.graph || !planned.config) throw new Error(`${fixture} does not plan`);
  const { plan, graph, config } = planned;
  const sources = lib.sources.readCodegenSources(fixture, config);
  const buildOnce = async () => {
    const r = await lib.stops.buildStops({ projectDir: fixture, config, plan, graph, sources, cacheDir: path.join(cache, 'components'), workDir: path.join(cache, 'work') });
    if (!r.ok) throw new Error(`codegen: ${r.program.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`);
    return r.stops;
  };
  const cold = await buildOnce();
  const warm = await buildOnce();
  const stops = cold.map((s, i) => ({
    stop: s.stop,
    serves: s.component !== null,
    coldMs: s.component ? Math.round(s.component.ms) : null,
    cachedMs: warm[i].component ? warm[i].component.ms : null,
    cachedHit: warm[i].component ? warm[i].component.cached : null,
    bytes: s.component ? s.component.bytes : null,
    bundleBytes: s.bundle ? Buffer.byteLength(s.bundle.js) : null,
  }));

  // Instantiation, on the line's own stores (empty: nothing runs).
  const clock = new lib.stores.VirtualClock(lib.runtime.ORIGINAL_CLOCK_START);
  const opened = await lib.runtime.openConfiguredStores(config, { clock });
  const line = await lib.line.openLine({
    stops: warm.filter((s) => s.component).map((s) => ({ name: s.stop, wasmPath: s.component.wasmPath })),
    line: config.line.stops.map((s) => s.name),
    stores: { sql: opened.sql, kv: opened.kv, local: opened.local },
    clock,
    hopLatencyMs: Object.fromEntries(config.line.stops.map((s) => [s.name, s.latencyMs])),
    cacheDir: path.join(cache, 'transpiled'),
    extraImports: lib.wasi.wasiImports(clock),
  });
  const first = new Map(line.stops.map((s) => [s.name, { instantiateMs: s.instantiateMs, transpileMs: s.transpileMs }]));
  for (const s of line.stops) await line.restart(s.name);
  for (const s of stops) {
    const f = first.get(s.stop);
    const again = line.stops.find((x) => x.name === s.stop);
    s.transpileMs = f ? f.transpileMs : null;
    s.firstInstantiateMs = f ? f.instantiateMs : null;
    s.instantiateMs = again ? again.instantiateMs : null;
  }
  line.close();
  opened.close();

  const requestsFile = path.join(fixture, 'requests.json');
  let measured = null;
  if (fs.existsSync(requestsFile)) {
    const corpus = lib.runtime.loadRequestCorpus(requestsFile);
    const seed = path.join(fixture, 'seed.json');
    const t0 = performance.now();
    const result = await lib.measure.measureDirectory(fixture, { corpus, seedFile: fs.existsSync(seed) ? seed : null, cacheDir: cache });
    measured = { ...result, ms: Math.round(performance.now() - t0), requests: corpus.length };
  }
  print({ ok: true, fixture: path.basename(fixture), stops, measured }, 0);
} catch (err) {
  print({ ok: false, reason: 'threw', message: String(err?.stack ?? err) }, 1);
}
