import { describe, expect, it } from 'vitest';
import { accesses, loadCase, matcherFor, store, type CaseOptions } from './harness.js';

const workers: CaseOptions = { types: ['@cloudflare/workers-types'] };

function where(dir: string, stores: Parameters<typeof matcherFor>[1], options?: CaseOptions) {
  const loaded = loadCase(dir, options);
  const matcher = matcherFor(loaded, stores);
  const rows = accesses(loaded, matcher).map((a) => [a.line, a.column, a.store, a.op] as const);
  const diagnostics = matcher.diagnostics().map((d) => [d.code, d.range?.start.line ?? null, d.range?.start.column ?? null] as const);
  return { rows, diagnostics, all: matcher.diagnostics() };
}

describe('file#name bindings: two pg pools', () => {
  const two = [store('primary', 'pg', { binding: 'db.ts#primary' }), store('analytics', 'pg', { binding: 'db.ts#analytics' })];

  it('follows import aliases, pool.connect(), and callback parameters to the exported pool', () => {
    const { rows, diagnostics } = where('pg/bindings', two);
    expect(rows).toEqual([
      [7, 9, 'primary', 'read'], // db.query: `import { primary as db }`
      [8, 9, 'analytics', 'read'],
      [10, 9, 'analytics', 'write'], // conn = await analytics.connect()
      [13, 46, 'primary', 'write'], // db.connect().then((c) => c.query(…))
    ]);
    // `other` is a third, unconfigured pool: silently no access. The parameter `p` could be
    // either pool: a warning says so.
    expect(diagnostics).toEqual([['SL2040', 12, 9]]);
  });

  it('accepts the binding file with a .js extension, without one, or with ./', () => {
    const spelled = [store('primary', 'pg', { binding: './db.js#primary' }), store('analytics', 'pg', { binding: 'db#analytics' })];
    expect(where('pg/bindings', spelled).rows).toEqual(where('pg/bindings', two).rows);
  });

  it('with one bound store, other pools are not accesses; an untraceable receiver is reported', () => {
    const { rows, diagnostics } = where('pg/bindings', [store('primary', 'pg', { binding: 'db.ts#primary' })]);
    expect(rows).toEqual([
      [7, 9, 'primary', 'read'],
      [13, 46, 'primary', 'write'],
    ]);
    expect(diagnostics).toEqual([['SL2040', 12, 9]]);
  });

  it('a store without a binding takes every call no binding claims', () => {
    const { rows, diagnostics } = where('pg/bindings', [store('primary', 'pg', { binding: 'db.ts#primary' }), store('rest', 'pg')]);
    expect(rows).toEqual([
      [7, 9, 'primary', 'read'],
      [8, 9, 'rest', 'read'],
      [10, 9, 'rest', 'write'],
      [11, 9, 'rest', 'read'],
      [12, 9, 'rest', 'read'],
      [13, 46, 'primary', 'write'],
    ]);
    expect(diagnostics).toEqual([]);
  });

  it('reports a binding that does not exist in the program (SL1013) and matches nothing through it', () => {
    const { rows, all } = where('pg/bindings', [
      store('ghost', 'pg', { binding: 'db.ts#nope' }),
      store('lost', 'pg', { binding: 'nowhere.ts#pool' }),
      store('odd', 'pg', { binding: 'db.ts' }),
    ]);
    expect(rows).toEqual([]);
    expect(all.filter((d) => d.code === 'SL1013').map((d) => [d.code, d.category, d.range])).toEqual([
      ['SL1013', 'error', null],
      ['SL1013', 'error', null],
      ['SL1013', 'error', null],
    ]);
  });

  it('traces drizzle(pool) and its transaction callback back to the pool binding', () => {
    const { rows, diagnostics } = where('drizzle/valid', [store('main', 'drizzle', { binding: 'db.ts#pool' })]);
    expect(rows.map((r) => r[0])).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    expect(diagnostics).toEqual([]);
  });
});

describe('file#Interface.prop bindings: two KV namespaces', () => {
  const two = [
    store('carts', 'cloudflare-kv', { binding: 'env.ts#Env.CARTS' }),
    store('sessions', 'cloudflare-kv', { binding: 'env.ts#Env.SESSIONS' }),
  ];

  it('tells env.CARTS from env.SESSIONS, also when destructured', () => {
    const { rows, diagnostics } = where('cloudflare-kv/valid', two, workers);
    expect(rows).toEqual([
      [5, 24, 'carts', 'read'],
      [6, 11, 'carts', 'write'],
      [7, 29, 'sessions', 'read'],
      [8, 11, 'sessions', 'read'],
      [9, 11, 'sessions', 'write'],
      [11, 11, 'carts', 'read'], // const { CARTS } = env
    ]);
    // touch(kv: KVNamespace): the parameter could be either namespace.
    expect(diagnostics).toEqual([['SL2040', 18, 9]]);
  });

  it('works through a Hono context (`c.env.CARTS`) and a type alias Env; an unbound namespace (FLAGS) is silently no access', () => {
    const { rows, diagnostics } = where('cloudflare-kv/hono', two, workers);
    expect(rows).toEqual([
      [7, 22, 'carts', 'read'],
      [8, 9, 'sessions', 'write'],
    ]);
    expect(diagnostics).toEqual([]);
  });

  it('reports a member that the interface does not declare', () => {
    const { all } = where('cloudflare-kv/valid', [store('x', 'cloudflare-kv', { binding: 'env.ts#Env.MISSING' })], workers);
    expect(all.map((d) => d.code)).toContain('SL1013');
  });
});
