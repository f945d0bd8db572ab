#!/usr/bin/env node
// Per-request latency through real HTTP (`stopline serve`: every server stop a `jco serve`
// process, link calls over HTTP between them) for a fixture's split program against every
// entry whole at the edge (`--place-all edge`), as a ratio measured in the same run, and
// the requests per second one stop sustains on loopback. Prints one JSON line
// (bench/run.mjs can take it as a section):
//
//   node bench/serve-once.mjs --fixture fixtures/shop --out bench/out/serve-shop [--rounds 3] [--seconds 3]
//
// Real-time latency injection is OFF (the forwarders pass requests on at once): what is
// measured is the stops' own cost over HTTP — the HTTP hops between stops, the
// components' work, the stores — not the configured line. Each request of the fixture's
// requests.json (HTTP requests only) is sent `rounds` times to each build in turn
// (interleaved, so both see the same machine load), the stores written fresh from the
// case's seed before each (not timed). Latency is wall time from sending the request to
// reading the whole answer, in ms.
//
// Output: {"section":"serve","fixture","requests","rounds",
//          "split":{"meanMs","p50Ms","p95Ms"},"allAtEdge":{…},"ratio":{"mean","p50"},
//          "rps":{"stop","entry","requests","seconds","perSecond"},"healthRps":{…},
//          "startMs":{"split","allAtEdge"}}
// Exit codes: 0 ok, 3 the library is not built, 1 it threw.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const argv = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const fixture = path.resolve(arg('fixture', 'fixtures/shop'));
const out = path.resolve(arg('out', `bench/out/serve-${path.basename(fixture)}`));
const ROUNDS = Number(arg('rounds', '3'));
const SECONDS = Number(arg('seconds', '3'));
const print = (record, code) => {
  process.stdout.write(JSON.stringify(record) + '\n');
  process.exitCode = code;
};

let lib;
try {
  lib = {
    build: await import('../lib/src/build/build-project.js'),
    run: await import('../lib/src/build/run-build.js'),
    serve: await import('../lib/src/serve/serve.js'),
    state: await import('../lib/src/serve/state.js'),
    original: await import('../lib/src/runtime/original/index.js'),
  };
} catch (err) {
  print({ section: 'serve', ok: false, reason: 'unavailable', message: `cannot import lib/ (${String(err?.message ?? err).split('\n')[0]}); run \`npm run build\`` }, 3);
  process.exit();
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  const round = (x) => Math.round(x * 100) / 100;
  return { meanMs: round(s.reduce((a, b) => a + b, 0) / s.length), p50Ms: round(q(0.5)), p95Ms: round(q(0.95)) };
};

async function timed(base, c) {
  const url = new URL(c.request.url);
  const t0 = performance.now();
  const r = await fetch(`${base}${url.pathname}${url.search}`, { method: c.request.method, headers: { ...(c.request.headers ?? {}) }, ...(c.request.body === undefined ? {} : { body: c.request.body }) });
  await r.arrayBuffer();
  return performance.now() - t0;
}

/** Sequential requests to `base` for `seconds`: requests per second. */
async function sustained(base, c, seconds) {
  const until = performance.now() + seconds * 1000;
  let n = 0;
  const t0 = performance.now();
  while (performance.now() < until) {
    await timed(base, c);
    n++;
  }
  return { requests: n, seconds: Math.round((performance.now() - t0) / 10) / 100, perSecond: Math.round((n * 1000) / (performance.now() - t0)) };
}

const running = [];
try {
  fs.mkdirSync(out, { recursive: true });
  const config = lib.original.readProjectConfig(fixture);
  const corpusFile = path.join(fixture, 'requests.json');
  const corpus = lib.original.loadRequestCorpus(corpusFile).filter((c) => c.request !== undefined);
  const seedFile = fs.existsSync(path.join(fixture, 'seed.json')) ? path.join(fixture, 'seed.json') : null;
  const cacheDir = path.join(out, 'components');
  const servers = {};
  const startMs = {};
  for (const [name, placeAll] of [['split', undefined], ['allAtEdge', 'edge']]) {
    const dist = path.join(out, name);
    const built = await lib.build.buildDirectory(fixture, { out: dist, cacheDir, ...(placeAll ? { placeAll } : {}) });
    if (built.status !== 'built') throw new Error(`${name}: ${built.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`);
    const { build, diagnostics } = lib.run.readBuild(dist, fixture, config);
    if (build === null) throw new Error(`${name}: ${diagnostics.map((d) => d.code).join(', ')}`);
    const t0 = performance.now();
    const s = await lib.serve.startServe({ projectDir: fixture, config, build, stateDir: path.join(out, `${name}-state`), seedFile, latency: false });
    startMs[name] = Math.round(performance.now() - t0);
    running.push(s);
    const arrival = (entry) => build.manifest.entries.find((e) => e.name === entry)?.arrives;
    servers[name] = { serve: s, stateDir: path.join(out, `${name}-state`), url: (entry) => s.stops.find((x) => x.stop === arrival(entry)).url };
  }
  const times = { split: [], allAtEdge: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of corpus) {
      const caseSeed = lib.original.caseSeedFile(c, path.dirname(corpusFile), seedFile);
      for (const name of ['split', 'allAtEdge']) {
        await lib.state.seedState(config, servers[name].stateDir, caseSeed);
        times[name].push(await timed(servers[name].url(c.entry), c));
      }
    }
  }
  const split = stats(times.split);
  const allAtEdge = stats(times.allAtEdge);
  // One stop on loopback: the first corpus request that stays at its arrival stop in the split (no link call), sent back to back.
  const local = corpus[0];
  const splitServer = servers.split;
  await lib.state.seedState(config, splitServer.stateDir, lib.original.caseSeedFile(local, path.dirname(corpusFile), seedFile));
  const entryRps = await sustained(splitServer.url(local.entry), local, SECONDS);
  const health = { request: { method: 'GET', url: 'http://x/.well-known/stopline/health' } };
  const healthRps = await sustained(splitServer.url(local.entry), health, SECONDS);
  print(
    {
      section: 'serve',
      ok: true,
      fixture: path.basename(fixture),
      requests: corpus.length,
      rounds: ROUNDS,
      split,
      allAtEdge,
      ratio: { mean: Math.round((split.meanMs / allAtEdge.meanMs) * 100) / 100, p50: Math.round((split.p50Ms / allAtEdge.p50Ms) * 100) / 100 },
      rps: { stop: splitServer.serve.stops.find((x) => x.url === splitServer.url(local.entry)).stop, entry: local.name, ...entryRps },
      healthRps,
      startMs,
    },
    0,
  );
} catch (err) {
  print({ section: 'serve', ok: false, reason: 'threw', message: String(err?.stack ?? err) }, 1);
} finally {
  for (const s of running) await s.close();
}
