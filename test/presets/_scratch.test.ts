import { test } from 'vitest';
import { loadCase, matcherFor, accesses, store, capabilities, detect, type CaseOptions } from './harness.js';
const show = (x: unknown) => JSON.stringify(x).replace(/\},\{/g, '},\n{');
const dom: CaseOptions = { libs: ['lib.dom.d.ts', 'lib.dom.iterable.d.ts'] };
const cf: CaseOptions = { types: ['@cloudflare/workers-types'] };
const runs: [string, string, CaseOptions?][] = [
  ['mysql2/valid', 'mysql2'], ['mysql2/invalid', 'mysql2'],
  ['prisma/ambient', 'prisma'], ['prisma/missing', 'prisma'], ['prisma/invalid', 'prisma'],
  ['drizzle/valid', 'drizzle'], ['drizzle/invalid', 'drizzle'],
  ['ioredis/valid', 'ioredis'], ['ioredis/invalid', 'ioredis'],
  ['redis/valid', 'redis'], ['redis/invalid', 'redis'],
  ['fastly-kv/valid', 'fastly-kv'], ['fastly-kv/invalid', 'fastly-kv'],
  ['cloudflare-kv/valid', 'cloudflare-kv', cf], ['cloudflare-kv/invalid', 'cloudflare-kv', cf],
  ['cloudflare-d1/valid', 'cloudflare-d1', cf], ['cloudflare-d1/invalid', 'cloudflare-d1', cf],
  ['deno-kv/valid', 'deno-kv'], ['deno-kv/invalid', 'deno-kv'],
  ['web-storage/valid', 'web-storage', dom], ['web-storage/invalid', 'web-storage', dom],
];
test('scratch', () => {
  for (const [dir, preset, opts] of runs) {
    const t0 = Date.now();
    const c = loadCase(dir, opts);
    const m = matcherFor(c, [store('main', preset)]);
    console.log(dir, Date.now() - t0, 'ms\n' + show(accesses(c, m, { resolvedBy: true })), show(m.diagnostics()));
  }
  const f = loadCase('fetch/valid');
  const fm = matcherFor(f, [store('api', 'fetch', { urlPrefix: 'https://api.example.com/' }), store('payments', 'fetch', { urlPrefix: 'https://api.example.com/payments/' })]);
  console.log('fetch', show(accesses(f, fm)));
  const fi = loadCase('fetch/invalid');
  console.log('fetch invalid', show(accesses(fi, matcherFor(fi, [store('api', 'fetch', { urlPrefix: 'https://api.example.com/' })]))));
  const kv = loadCase('cloudflare-kv/valid', cf);
  const kvm = matcherFor(kv, [store('carts', 'cloudflare-kv', { binding: 'env.ts#Env.CARTS' }), store('sessions', 'cloudflare-kv', { binding: 'env.ts#Env.SESSIONS' })]);
  console.log('kv bindings', show(accesses(kv, kvm)), show(kvm.diagnostics()));
  for (const [dir, opts] of [['dom/valid', dom], ['dom/invalid', dom], ['dom/workers', cf], ['secrets/valid', {}], ['secrets/invalid', {}], ['node-server/valid', {}], ['node-server/invalid', {}]] as [string, CaseOptions][]) {
    const c = loadCase(dir, opts);
    const m = matcherFor(c, []);
    console.log(dir, show(capabilities(c, m)), show(capabilities(c, m, { all: true })));
  }
});
