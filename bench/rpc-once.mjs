#!/usr/bin/env node
// The cost of hardened RPC per call (bench/run.mjs, section `rpc`), in a fresh process,
// printing one JSON line.
//
//   node bench/rpc-once.mjs [--calls 2000] [--reps 5]
//
// The guest code of one crossing — what the caller's link and the callee's dispatch run
// (codegen/lower/link.ts, rpc-auth.ts, rpc-guard.ts, lib/ build) — timed in this process
// on V8 (not inside a component: StarlingMonkey's absolute times are larger), for two
// payloads of the shop: checkout's (a packed Request, ~0.2 KB) and a viewCart-like one with
// 50 priced lines (~5 KB). Per payload, in the same run and interleaved rep by rep:
//   - bare:    encodeCall at the caller, dispatch.invoke without a guard (decode, run a
//              segment that returns at once, encode the completion);
//   - hardened: the same plus seal (HMAC-SHA256 over the call) at the caller and, at the
//              callee, the guard: size, segment, open (verify MAC, window, nonce), schema.
// The ratio hardened ÷ bare is the per-RPC overhead of authentication and validation.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const argv = process.argv.slice(2);
const arg = (name, d) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : d;
};
const CALLS = arg('calls', 2000);
const REPS = arg('reps', 5);
const print = (record, code) => {
  process.stdout.write(JSON.stringify(record) + '\n');
  process.exitCode = code;
};

let link, auth, wire;
try {
  const lib = (p) => import(pathToFileURL(path.join(ROOT, 'lib', p)).href);
  link = await lib('codegen/lower/link.js');
  auth = await lib('codegen/lower/rpc-auth.js');
  wire = await lib('codegen/wire/index.js');
} catch (err) {
  print({ ok: false, reason: 'unavailable', message: `cannot import lib/ (${String(err?.message ?? err).split('\n')[0]}); run \`npm run build\`` }, 3);
  process.exit();
}

try {
  const KEY = 'bench-key-0123456789abcdef0123456789';
  const keys = () => ({ current: KEY, previous: undefined });
  const segment = async () => ({ kind: 'return', value: null, liveOuts: {} });
  const request = await link.pack(new Request('https://shop.example/checkout', { method: 'POST', headers: { 'x-user-id': 'dee', 'content-type': 'application/json' } }), {});
  const priced = Array.from({ length: 50 }, (_, i) => ({ productId: i, name: `Product number ${i}`, quantity: (i % 5) + 1, unitCents: 1000 + i, lineCents: (1000 + i) * ((i % 5) + 1) }));
  const pricedLine = { t: 'object', fields: Object.fromEntries(['productId', 'quantity', 'unitCents', 'lineCents'].map((k) => [k, { s: { t: 'number' }, optional: false }]).concat([['name', { s: { t: 'string' }, optional: false }]])) };
  const payloads = [
    { name: 'checkout (packed Request)', segment: 's1', liveIns: { request }, schema: { fields: { request: { t: 'request' } } } },
    { name: 'viewCart-like (50 priced lines)', segment: 's1', liveIns: { cart: { lines: [] }, priced }, schema: { fields: { cart: { t: 'any' }, priced: { t: 'array', of: pricedLine } } } },
  ];

  const results = [];
  for (const p of payloads) {
    const bare = link.createDispatch({ segments: { s1: segment }, entries: {}, env: {} });
    const one = async (hardened, dispatch, sealer) => {
      const body = wire.encodeCall({ segment: p.segment, liveIns: p.liveIns });
      const sent = hardened ? sealer.seal('origin', p.segment, body) : body;
      return dispatch.invoke(p.segment, sent);
    };
    const time = async (hardened) => {
      // fresh authenticators per rep: the replay memory holds every nonce of the window
      const sealer = auth.createLinkAuth({ stop: 'edge', keys });
      const dispatch = hardened
        ? link.createDispatch({ segments: { s1: segment }, entries: {}, env: {}, guard: { callers: { s1: ['edge'] }, schemas: { s1: p.schema }, untrusted: ['client'], auth: auth.createLinkAuth({ stop: 'origin', keys, maxNonces: CALLS + 100 }) } })
        : bare;
      for (let i = 0; i < 50; i++) await one(hardened, dispatch, sealer); // warm-up
      const t0 = performance.now();
      for (let i = 0; i < CALLS; i++) await one(hardened, dispatch, sealer);
      return ((performance.now() - t0) * 1000) / CALLS; // µs per call
    };
    const bareUs = [];
    const hardUs = [];
    for (let r = 0; r < REPS; r++) {
      bareUs.push(await time(false));
      hardUs.push(await time(true));
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const bytes = Buffer.byteLength(wire.encodeCall({ segment: p.segment, liveIns: p.liveIns }));
    results.push({ payload: p.name, bytes, bareUs: median(bareUs), hardenedUs: median(hardUs), ratio: median(hardUs) / median(bareUs) });
  }
  print({ ok: true, calls: CALLS, reps: REPS, node: process.version, results }, 0);
} catch (err) {
  print({ ok: false, reason: 'threw', message: String(err?.stack ?? err) }, 1);
}
