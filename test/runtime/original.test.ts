import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import {
  caseSeedFile,
  dumpStores,
  loadOriginal,
  loadRequestCorpus,
  openConfiguredStores,
  OriginalLoadError,
  readProjectConfig,
  resolveEntry,
  runOriginal,
  seedStores,
  type OriginalResult,
  type RequestCase,
  type StoresDump,
} from '../../src/runtime/original/index.js';
import {
  createClockedDate,
  createKvNamespace,
  createPgModule,
  createWebStorage,
  bindPgHandle,
  DatabaseError,
  nearestCopy,
  type PgPoolClient,
  type PgQueryResult,
} from '../../src/runtime/shims/index.js';
import { createSqlEngine, openKvStore, openLocalStore, VirtualClock, type SqlEngine, type SqlStore } from '../../src/runtime/stores/index.js';

const root = path.resolve(import.meta.dirname, '../..');
const shop = path.join(root, 'fixtures/shop');
const seedFile = path.join(shop, 'seed.json');
const scratch = path.join(root, 'test/.tmp', `original-${process.pid}`);

async function rejection(promise: Promise<unknown> | undefined): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** Writes a small project under test/.tmp (so node_modules resolves from the repository). */
function project(name: string, files: Record<string, string>): string {
  const dir = path.join(scratch, name);
  fs.rmSync(dir, { recursive: true, force: true });
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

// --- shims -------------------------------------------------------------------------

describe('pg shim', () => {
  let engine: SqlEngine;
  let db: SqlStore;
  beforeAll(async () => {
    engine = await createSqlEngine();
  });
  const open = (): SqlStore => {
    db = engine.openSqlStore({ name: 'db', seed: "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, big INTEGER, raw BLOB); INSERT INTO t (name) VALUES ('a'), ('b');" });
    return db;
  };

  it('answers Pool.query with pg result shapes', async () => {
    const pg = createPgModule({ defaultStore: open() });
    const pool = new pg.Pool({ connectionString: 'ignored', max: 5 });
    const select = (await pool.query('SELECT id, name FROM t WHERE id >= $1 ORDER BY id', [1])) as PgQueryResult;
    expect(select.rows).toEqual([
      { id: 1, name: 'a' },
      { id: 2, name: 'b' },
    ]);
    expect(select).toMatchObject({ command: 'SELECT', rowCount: 2, oid: null, rowAsArray: false });
    expect(select.fields.map((f) => f.name)).toEqual(['id', 'name']);
    const insert = (await pool.query('INSERT INTO t (name, big, raw) VALUES ($1, $2, $3) RETURNING id', ['c', 2n ** 60n, new Uint8Array([1, 2])])) as PgQueryResult;
    expect(insert).toMatchObject({ command: 'INSERT', rowCount: 1, rows: [{ id: 3 }] });
    const row = ((await pool.query({ text: 'SELECT big, raw FROM t WHERE id = $1', values: [3] })) as PgQueryResult).rows[0];
    expect(row).toEqual({ big: '1152921504606846976', raw: Buffer.from([1, 2]) }); // int8 as text, bytea as Buffer
    const arrays = (await pool.query({ text: 'SELECT id, name FROM t ORDER BY id LIMIT 1', rowMode: 'array' })) as PgQueryResult;
    expect(arrays.rows).toEqual([[1, 'a']]);
    expect(((await pool.query('UPDATE t SET name = name || $1 WHERE id > 1', ['!'])) as PgQueryResult).rowCount).toBe(2);
  });

  it('rejects SQLite failures as DatabaseError with the SQLSTATE in code', async () => {
    const pg = createPgModule({ defaultStore: open() });
    const pool = new pg.Pool();
    const unique = await rejection(pool.query('INSERT INTO t (name) VALUES ($1)', ['a']));
    expect(unique).toBeInstanceOf(DatabaseError);
    expect(unique).toMatchObject({ name: 'error', severity: 'ERROR', code: '23505', message: 'UNIQUE constraint failed: t.name' });
    expect(await rejection(pool.query('SELECT $1, $2', [1]))).toMatchObject({ code: '08P01' });
    expect(await rejection(pool.query('SELECT * FROM nope'))).toMatchObject({ code: '42P01' });
    expect(await rejection(pool.query(null as unknown as string))).toBeInstanceOf(TypeError);
  });

  it('runs transactions on a pooled client; release rolls back, a second release throws', async () => {
    const pg = createPgModule({ defaultStore: open() });
    const pool = new pg.Pool();
    const client = (await pool.connect()) as PgPoolClient;
    expect(pool.totalCount).toBe(1);
    expect(((await client.query('BEGIN')) as PgQueryResult).rowCount).toBeNull();
    await client.query('INSERT INTO t (name) VALUES ($1)', ['tx']);
    // One transaction at a time: the pool's own query is refused, not blocked.
    expect(await rejection(pool.query('SELECT 1'))).toMatchObject({ code: '55P03' });
    await client.query('ROLLBACK');
    client.release();
    expect(pool.totalCount).toBe(0);
    expect(() => client.release()).toThrow('Release called on client which has already been released to the pool.');
    expect(((await pool.query('SELECT count(*) AS n FROM t')) as PgQueryResult).rows).toEqual([{ n: 2 }]);

    const left = (await pool.connect()) as PgPoolClient;
    await left.query('BEGIN');
    await left.query("INSERT INTO t (name) VALUES ('lost')");
    left.release();
    expect(((await pool.query('SELECT count(*) AS n FROM t')) as PgQueryResult).rows).toEqual([{ n: 2 }]);
    await pool.end();
    expect(await rejection(pool.query('SELECT 1'))).toMatchObject({ message: 'Cannot use a pool after calling end on the pool' });
  });

  it('supports node-style callbacks and the standalone Client', async () => {
    const pg = createPgModule({ defaultStore: open() });
    const pool = new pg.Pool();
    const viaCallback = await new Promise<PgQueryResult | undefined>((resolve, reject) => {
      const returned = pool.query('SELECT name FROM t WHERE id = $1', [2], (error: Error | null, result?: PgQueryResult) => (error ? reject(error) : resolve(result)));
      expect(returned).toBeUndefined();
    });
    expect(viaCallback?.rows).toEqual([{ name: 'b' }]);
    const client = new pg.Client();
    expect(await rejection(client.query('SELECT 1'))).toBeInstanceOf(Error);
    await client.connect();
    expect(((await client.query('SELECT 1 AS one')) as PgQueryResult).rows).toEqual([{ one: 1 }]);
    await client.end();
    expect(await rejection(client.query('SELECT 1'))).toMatchObject({ message: 'Client was closed and is not queryable' });
  });

  it('finds its store through a binding when there is no default', async () => {
    const pg = createPgModule({ defaultStore: null });
    const pool = new pg.Pool();
    expect(await rejection(pool.query('SELECT 1'))).toBeInstanceOf(Error);
    expect(bindPgHandle(pool, open())).toBe(true);
    expect(bindPgHandle({}, db)).toBe(false);
    expect(((await pool.query('SELECT count(*) AS n FROM t')) as PgQueryResult).rows).toEqual([{ n: 2 }]);
  });
});

describe('Workers KV shim', () => {
  const open = () => {
    const clock = new VirtualClock();
    const kv = openKvStore({ name: 'cache', home: 'origin', replicas: ['edge'], lagMs: 100, clock });
    return { kv, clock, ns: createKvNamespace(kv.at('edge')) };
  };

  it('gets as text, json, arrayBuffer and stream, in both call forms', async () => {
    const { kv, ns } = open();
    kv.seed({ s: '{"a":1}', b: new TextEncoder().encode('bytes') });
    expect(await ns.get('s')).toBe('{"a":1}');
    expect(await ns.get('s', 'json')).toEqual({ a: 1 });
    expect(await ns.get('s', { type: 'json' })).toEqual({ a: 1 });
    expect(await ns.get('b', 'text')).toBe('bytes');
    expect(new Uint8Array((await ns.get('s', 'arrayBuffer')) as ArrayBuffer)).toEqual(new TextEncoder().encode('{"a":1}'));
    expect(await new Response((await ns.get('b', 'stream')) as ReadableStream).text()).toBe('bytes');
    expect(await ns.get('missing', 'json')).toBeNull();
    expect(await ns.get(['s', 'missing'], 'json')).toEqual(new Map([['s', { a: 1 }], ['missing', null]]));
    expect(await ns.getWithMetadata('s')).toEqual({ value: '{"a":1}', metadata: null, cacheStatus: null });
    expect(await rejection(ns.get('b', 'json'))).toBeInstanceOf(SyntaxError);
    expect(await rejection(ns.get('s', 'xml' as 'text'))).toBeInstanceOf(TypeError);
  });

  it('writes to the copy it was made on, which replicates with the lag', async () => {
    const { kv, clock, ns } = open();
    await ns.put('k', 'v', { expirationTtl: 3600 });
    await ns.put('bytes', new Uint8Array([1, 2, 3]).buffer);
    expect(kv.at('edge').get('k')).toBe('v');
    expect(kv.at('origin').get('k')).toBeUndefined();
    clock.advance(100);
    expect(kv.at('origin').get('k')).toBe('v');
    expect(kv.dump()).toEqual([
      ['bytes', new Uint8Array([1, 2, 3])],
      ['k', 'v'],
    ]);
    await ns.delete('k');
    expect(await ns.get('k')).toBeNull();
    const stream = new Response('streamed').body as ReadableStream;
    await ns.put('s', stream);
    expect(await ns.get('s')).toBe('streamed');
  });

  it('validates keys and options as Cloudflare does; metadata is refused, not dropped', async () => {
    const { ns } = open();
    for (const key of ['', '.', '..', 'x'.repeat(513)]) expect(await rejection(ns.put(key, 'v'))).toBeInstanceOf(TypeError);
    expect(await rejection(ns.put('k', 'v', { expirationTtl: 30 }))).toBeInstanceOf(TypeError);
    expect(await rejection(ns.put('k', 'v', { metadata: { a: 1 } }))).toBeInstanceOf(TypeError);
    expect(await rejection(ns.put('k', 42))).toBeInstanceOf(TypeError);
  });

  it('lists by prefix in pages with a cursor', async () => {
    const { kv, ns } = open();
    kv.seed({ 'cart:b': '1', 'cart:a': '1', 'cart:c': '1', other: '1' });
    const first = await ns.list({ prefix: 'cart:', limit: 2 });
    expect(first).toMatchObject({ list_complete: false, keys: [{ name: 'cart:a' }, { name: 'cart:b' }] });
    const second = await ns.list({ prefix: 'cart:', limit: 2, cursor: first.list_complete ? null : first.cursor });
    expect(second).toEqual({ list_complete: true, keys: [{ name: 'cart:c' }], cacheStatus: null });
    expect((await ns.list()).keys.map((k) => k.name)).toEqual(['cart:a', 'cart:b', 'cart:c', 'other']);
    expect(await rejection(ns.list({ limit: 0 }))).toBeInstanceOf(TypeError);
  });

  it('picks the copy nearest the stop, ties towards the origin', () => {
    const kv = openKvStore({ name: 'c', home: 'origin', replicas: ['edge'], lagMs: 0, clock: new VirtualClock() });
    const line = ['client', 'edge', 'shield', 'origin'];
    expect(nearestCopy(kv, 'edge', line)).toBe('edge');
    expect(nearestCopy(kv, 'client', line)).toBe('edge');
    const far = openKvStore({ name: 'f', home: 'origin', replicas: ['edge'], lagMs: 0, clock: new VirtualClock() });
    expect(nearestCopy(far, 'shield', ['client', 'edge', 'shield', 'origin'])).toBe('origin');
  });
});

describe('clock and web storage shims', () => {
  it('makes Date read the clock and stay the real Date otherwise', () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 1));
    const D = createClockedDate(clock);
    expect(D.now()).toBe(Date.UTC(2026, 0, 1));
    clock.advance(1500);
    expect(new D().toISOString()).toBe('2026-01-01T00:00:01.500Z');
    expect(new D(0).getTime()).toBe(0);
    expect(D.UTC(2000, 0, 1)).toBe(Date.UTC(2000, 0, 1));
    expect(new D()).toBeInstanceOf(Date);
    expect(new Date()).toBeInstanceOf(D);
    expect((D as unknown as () => string)()).toBe(new Date(Date.UTC(2026, 0, 1, 0, 0, 1, 500)).toString());
    class Stamp extends D {}
    expect(new Stamp().getTime()).toBe(Date.UTC(2026, 0, 1) + 1500);
  });

  it('gives each client its own localStorage area', () => {
    const store = openLocalStore({ name: 'prefs' });
    createWebStorage(store, 'alice').setItem('theme', 'dark');
    expect(createWebStorage(store, 'alice').getItem('theme')).toBe('dark');
    expect(createWebStorage(store, 'bob').getItem('theme')).toBeNull();
  });
});

// --- the loader --------------------------------------------------------------------

describe('loadOriginal', () => {
  it('rewrites relative, shimmed and global names, and loads a fresh instance per call', async () => {
    const dir = project('rewrite', {
      'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true }, include: ['src'] }),
      'stopline.yaml': 'entries:\n  - function: src/main.ts#main\n    arrives: origin\n',
      'src/main.ts': [
        "import type { Shape } from './types';",
        "import { next } from './counter';",
        "import { twice } from './lib/index.js';",
        "import lib, { Thing } from 'fake-lib';",
        "import { parse } from 'devalue';",
        "export * from './lib';",
        'export async function main(): Promise<Shape> {',
        "  const helper = await import('./lib/helper.js');",
        '  return { n: next(), t: twice(2), thing: new Thing().kind, lib: lib.tag, now: Date.now(), helper: helper.HELPER, parsed: parse(\'[1]\') as number };',
        '}',
        "export const Api = { ping() { return 'pong'; } };",
        '',
      ].join('\n'),
      'src/types.ts': 'export interface Shape { n: number; t: number; thing: string; lib: string; now: number; helper: string; parsed: number }\n',
      'src/counter.ts': 'let count = 0;\nexport function next(): number { return ++count; }\n',
      'src/lib/index.ts': "export function twice(x: number): number { return 2 * x; }\nexport const Date = 'shadowed';\nexport const stamp = Date;\n",
      'src/lib/helper.ts': "export const HELPER = 'helped';\n",
    });
    class Thing {
      kind = 'shim-thing';
    }
    const shims = { 'fake-lib': { Thing, tag: 'shim-lib' } };
    const clock = new VirtualClock(1234);
    const one = await loadOriginal(dir, { moduleShims: shims, globals: { Date: createClockedDate(clock) } });
    const two = await loadOriginal(dir, { moduleShims: shims, globals: { Date: createClockedDate(clock) }, entries: { main: 'src/main.ts#main', ping: 'src/main.ts#Api.ping' } });
    try {
      expect(Object.keys(one.entries)).toEqual(['main']); // the config's function entries
      expect(Object.keys(two.entries).sort()).toEqual(['main', 'ping']);
      expect(await one.entries['main']?.()).toEqual({ n: 1, t: 4, thing: 'shim-thing', lib: 'shim-lib', now: 1234, helper: 'helped', parsed: 1 });
      expect(await one.entries['main']?.()).toMatchObject({ n: 2 });
      expect(await two.entries['main']?.()).toMatchObject({ n: 1 }); // module state starts over per load
      expect(two.entries['ping']?.()).toBe('pong');
      // A module that declares `Date` itself keeps its own.
      expect((await one.module('src/lib/index.ts'))['stamp']).toBe('shadowed');
      const main = fs.readFileSync(path.join(one.dir, 'src/main.js'), 'utf8');
      expect(main).toContain('from "./counter.js"');
      expect(main).toContain('from "./lib/index.js"');
      expect(main).toContain('export * from "./lib/index.js"');
      expect(main).toContain('import("./lib/helper.js")');
      expect(main).toContain('from "../__stopline__/modules/fake-lib.js"');
      expect(main).toContain('from "devalue"');
      expect(main).toContain('import { Date } from "../__stopline__/globals.js"');
      expect(main).not.toContain('./types');
      expect(fs.readFileSync(path.join(one.dir, 'src/lib/index.js'), 'utf8')).not.toContain('globals.js');
    } finally {
      await one.dispose();
      await two.dispose();
    }
    expect(fs.existsSync(one.dir)).toBe(false);
  });

  it('reports unresolvable imports, syntax errors and unknown entries as OriginalLoadError', async () => {
    const broken = project('broken', {
      'src/a.ts': "import { x } from './missing';\nexport const y = x;\n",
      'src/b.ts': 'export const = 1;\n',
    });
    const error = await rejection(loadOriginal(broken, { moduleShims: {} }));
    expect(error).toBeInstanceOf(OriginalLoadError);
    expect((error as Error).message).toContain("src/a.ts: cannot resolve './missing'");
    expect((error as Error).message).toContain('src/b.ts:1:');
    const fine = project('fine', { 'src/a.ts': 'export const a = 1;\n' });
    expect(await rejection(loadOriginal(fine, { moduleShims: {}, entries: { a: 'src/a.ts#a' } }))).toBeInstanceOf(OriginalLoadError);
    expect(await rejection(loadOriginal(fine, { moduleShims: {}, entries: { a: 'src/nope.ts#a' } }))).toBeInstanceOf(OriginalLoadError);
  });

  it("loads the shop's three entries with the pg module shimmed", async () => {
    const engine = await createSqlEngine();
    const orders = engine.openSqlStore({ name: 'orders', seed: "CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT, price_cents INTEGER, stock INTEGER); INSERT INTO products VALUES (1, 'x', 100, 5);" });
    const carts = openKvStore({ name: 'carts', home: 'origin', replicas: ['edge'], lagMs: 0, clock: new VirtualClock() });
    carts.seed({ 'cart:ada': JSON.stringify({ userId: 'ada', lines: [{ productId: 1, quantity: 3 }], updatedAt: 0 }) });
    const program = await loadOriginal(shop, { moduleShims: { pg: createPgModule({ defaultStore: orders }) } });
    try {
      expect(Object.keys(program.entries).sort()).toEqual(['addToCart', 'checkout', 'viewCart']);
      const response = (await program.entries['viewCart']?.(new Request('https://shop.example/cart', { headers: { 'x-user-id': 'ada' } }), { CARTS: createKvNamespace(carts.at('edge')) })) as Response;
      expect(await response.json()).toEqual({ lines: [{ productId: 1, name: 'x', quantity: 3, unitCents: 100, subtotalCents: 300 }], itemCount: 3, netCents: 300, taxCents: 60, totalCents: 360 });
    } finally {
      await program.dispose();
    }
  });
});

// --- the shop corpus ------------------------------------------------------------------

const JSON_TYPE: [string, string][] = [['content-type', 'application/json; charset=utf-8']];
const NOW = Date.UTC(2026, 0, 1);

type Expected = Pick<OriginalResult, 'status' | 'body' | 'error'> & { stores: (base: StoresDump) => StoresDump };

function badRequest(message: string): Pick<Expected, 'status' | 'body' | 'error'> {
  return { status: null, body: null, error: { name: 'Error', message, props: { status: 400 } } };
}

const unchanged = (base: StoresDump): StoresDump => base;

function withCart(user: string, cart: unknown): (base: StoresDump) => StoresDump {
  return (base) => {
    const carts = (base.kv['carts'] ?? []).filter(([k]) => k !== `cart:${user}`);
    if (cart !== null) carts.push([`cart:${user}`, JSON.stringify(cart)]);
    carts.sort(([a], [b]) => (a < b ? -1 : 1));
    return { ...base, kv: { ...base.kv, carts } };
  };
}

/** The seed's SQL with an order placed: stock taken, an order row, its lines; the cart deleted. */
function placed(user: string, orderId: number, lines: [product: number, quantity: number, unit: number][]): (base: StoresDump) => StoresDump {
  return (base) => {
    const tables = (base.sql['orders'] ?? []).map((t) => {
      if (t.table === 'orders') return { ...t, rows: [...t.rows, { id: orderId, user_id: user, status: 'placed' }] };
      if (t.table === 'order_lines') return { ...t, rows: [...t.rows, ...lines.map(([p, q, u]) => ({ order_id: orderId, product_id: p, quantity: q, unit_cents: u }))] };
      if (t.table === 'products') return { ...t, rows: t.rows.map((r) => ({ ...r, stock: (r['stock'] as number) - (lines.find(([p]) => p === r['id'])?.[1] ?? 0) })) };
      return t;
    });
    return withCart(user, null)({ ...base, sql: { ...base.sql, orders: tables } });
  };
}

const line = (productId: number, name: string, quantity: number, unitCents: number) => ({ productId, name, quantity, unitCents, subtotalCents: quantity * unitCents });
const totals = (lines: ReturnType<typeof line>[]) => {
  const netCents = lines.reduce((s, l) => s + l.subtotalCents, 0);
  const taxCents = Math.round((netCents * 2000) / 10_000);
  return { lines, itemCount: lines.reduce((s, l) => s + l.quantity, 0), netCents, taxCents, totalCents: netCents + taxCents };
};
const body = (value: unknown): string => JSON.stringify(value);
const seedCart = (user: string, lines: [number, number][]) => ({ userId: user, lines: lines.map(([productId, quantity]) => ({ productId, quantity })), updatedAt: 1767139200000 });

const BEANS = 'Espresso beans 1kg';
const KETTLE = 'Pour-over kettle';
const FILTERS = 'Paper filters (100)';
const GRINDER = 'Burr grinder';

/** What every case of fixtures/shop/requests.json must give, worked out from the shop's source and seed. */
const expected: Record<string, Expected> = {
  'viewCart/missing-user': { ...badRequest('missing or malformed x-user-id header'), stores: unchanged },
  'viewCart/malformed-user': { ...badRequest('missing or malformed x-user-id header'), stores: unchanged },
  'viewCart/no-cart': { status: 200, body: body(totals([])), stores: unchanged },
  'viewCart/empty-cart': { status: 200, body: body(totals([])), stores: unchanged },
  'viewCart/three-lines': { status: 200, body: body(totals([line(1, BEANS, 2, 2400), line(2, KETTLE, 1, 5900), line(3, FILTERS, 4, 450)])), stores: unchanged },
  'viewCart/dropped-product': { status: 200, body: body(totals([line(1, BEANS, 1, 2400), line(3, FILTERS, 1, 450)])), stores: unchanged },
  'addToCart/new-cart': { status: 200, body: body({ userId: 'zed', lines: [{ productId: 4, quantity: 1 }], updatedAt: NOW }), stores: withCart('zed', { userId: 'zed', lines: [{ productId: 4, quantity: 1 }], updatedAt: NOW }) },
  'addToCart/new-line': {
    status: 200,
    body: body({ ...seedCart('ada', [[1, 2], [2, 1], [3, 4], [5, 1]]), updatedAt: NOW }),
    stores: withCart('ada', { ...seedCart('ada', [[1, 2], [2, 1], [3, 4], [5, 1]]), updatedAt: NOW }),
  },
  'addToCart/existing-line': {
    status: 200,
    body: body({ ...seedCart('ada', [[1, 2], [2, 3], [3, 4]]), updatedAt: NOW }),
    stores: withCart('ada', { ...seedCart('ada', [[1, 2], [2, 3], [3, 4]]), updatedAt: NOW }),
  },
  'addToCart/unknown-product': {
    status: 200,
    body: body({ ...seedCart('dee', [[1, 2], [3, 10], [99, 1]]), updatedAt: NOW }),
    stores: withCart('dee', { ...seedCart('dee', [[1, 2], [3, 10], [99, 1]]), updatedAt: NOW }),
  },
  'addToCart/missing-user': { ...badRequest('missing or malformed x-user-id header'), stores: unchanged },
  'addToCart/not-an-object': { ...badRequest('expected a JSON object'), stores: unchanged },
  'addToCart/bad-product-id': { ...badRequest('productId must be a positive integer'), stores: unchanged },
  'addToCart/bad-quantity': { ...badRequest('quantity must be an integer between 1 and 99'), stores: unchanged },
  // V8's JSON.parse message: another engine words it differently.
  'addToCart/invalid-json': { status: null, body: null, error: { name: 'SyntaxError', message: 'Expected double-quoted property name in JSON at position 16', props: {} }, stores: unchanged },
  'checkout/missing-user': { ...badRequest('missing or malformed x-user-id header'), stores: unchanged },
  'checkout/no-cart': { status: 400, body: body({ error: 'cart is empty' }), stores: unchanged },
  'checkout/empty-cart': { status: 400, body: body({ error: 'cart is empty' }), stores: unchanged },
  'checkout/success': {
    status: 201,
    body: body({ orderId: 3, ...totals([line(1, BEANS, 2, 2400), line(3, FILTERS, 10, 450)]) }),
    stores: placed('dee', 3, [
      [1, 2, 2400],
      [3, 10, 450],
    ]),
  },
  'checkout/exact-stock': { status: 201, body: body({ orderId: 3, ...totals([line(5, GRINDER, 1, 12900)]) }), stores: placed('fay', 3, [[5, 1, 12900]]) },
  'checkout/insufficient-stock': { status: null, body: null, error: { name: 'Error', message: 'product 2 is out of stock', props: { status: 409 } }, stores: unchanged },
  'checkout/dropped-product': { status: null, body: null, error: { name: 'Error', message: 'product 99 is out of stock', props: { status: 409 } }, stores: unchanged },
};

describe('the shop on the original program', () => {
  const corpus: RequestCase[] = loadRequestCorpus(path.join(shop, 'requests.json'));
  let base: StoresDump;
  const results = new Map<string, OriginalResult>();

  beforeAll(async () => {
    const config = loadConfig(shop).config;
    if (!config) throw new Error('shop config');
    const stores = await openConfiguredStores(config, { clock: new VirtualClock() });
    seedStores(stores, seedFile);
    base = dumpStores(stores);
    stores.close();
  });

  it('has an expectation for every case and a case for every expectation', () => {
    expect(corpus.map((c) => c.name).sort()).toEqual(Object.keys(expected).sort());
  });

  it('seeds the products, two past orders and six carts', () => {
    expect(base.sql['orders']?.map((t) => [t.table, t.rows.length])).toEqual([
      ['order_lines', 3],
      ['orders', 2],
      ['products', 5],
    ]);
    expect(base.kv['carts']?.map(([k]) => k)).toEqual(['cart:ada', 'cart:bob', 'cart:cyd', 'cart:dee', 'cart:eve', 'cart:fay']);
    expect(base.local).toEqual({});
  });

  it.each(corpus.map((c) => [c.name, c] as const))('%s', async (name, c) => {
    const result = await runOriginal({ projectDir: shop, seedFile, entry: c.entry, request: c.request });
    results.set(name, result);
    const want = expected[name];
    if (!want) throw new Error(`no expectation for ${name}`);
    expect(result.entry).toBe(c.entry);
    expect(result.stop).toBe('edge');
    expect(result.status).toBe(want.status);
    expect(result.headers).toEqual(want.status === null ? [] : JSON_TYPE);
    expect(result.body).toBe(want.body);
    expect(result.error).toEqual(want.error);
    expect(result.stores).toEqual(want.stores(base));
  });

  it('gives byte-identical results when a request runs again from fresh stores', async () => {
    for (const c of corpus) {
      const again = await runOriginal({ projectDir: shop, seedFile, entry: c.entry, request: c.request });
      const first = results.get(c.name) ?? (await runOriginal({ projectDir: shop, seedFile, entry: c.entry, request: c.request }));
      expect(JSON.stringify(again), c.name).toBe(JSON.stringify(first));
    }
  });

  it("rolls the whole transaction back when a later line is out of stock, keeping the cart", async () => {
    const result = results.get('checkout/insufficient-stock') ?? (await runOriginal({ projectDir: shop, seedFile, entry: 'checkout', request: corpus.find((c) => c.name === 'checkout/insufficient-stock')?.request ?? { method: 'POST', url: 'https://x/' } }));
    const products = result.stores.sql['orders']?.find((t) => t.table === 'products')?.rows;
    expect(products?.find((r) => r['id'] === 3)?.['stock']).toBe(200); // the first line's UPDATE was undone
    expect(result.stores.sql['orders']?.find((t) => t.table === 'orders')?.rows).toHaveLength(2);
    expect(result.stores.kv['carts']?.some(([k]) => k === 'cart:eve')).toBe(true);
  });

  it('reads the time from the given clock', async () => {
    const request = corpus.find((c) => c.name === 'addToCart/new-cart')?.request;
    if (!request) throw new Error('case missing');
    const result = await runOriginal({ projectDir: shop, seedFile, entry: 'addToCart', request, clock: new VirtualClock(5000) });
    expect(JSON.parse(result.body ?? 'null')).toMatchObject({ updatedAt: 5000 });
  });

  it('refuses an entry the config does not have and a bad corpus', async () => {
    expect(await rejection(runOriginal({ projectDir: shop, entry: 'nope', request: { method: 'GET', url: 'https://shop.example/' } }))).toBeInstanceOf(OriginalLoadError);
    const bad = path.join(scratch, 'bad-corpus.json');
    fs.mkdirSync(scratch, { recursive: true });
    fs.writeFileSync(bad, JSON.stringify([{ name: 'a', entry: 'viewCart', request: { method: 'GET', url: 'not a url' } }]));
    expect(() => loadRequestCorpus(bad)).toThrow(OriginalLoadError);
  });

  it("starts a case from its own seed, relative to the corpus file's folder, else from the corpus' seed", () => {
    expect(caseSeedFile({ seed: 'seed-tags-cached.json' }, '/p/fixture', '/p/fixture/seed.json')).toBe(path.resolve('/p/fixture/seed-tags-cached.json'));
    expect(caseSeedFile({}, '/p/fixture', '/p/fixture/seed.json')).toBe('/p/fixture/seed.json');
    expect(caseSeedFile({}, '/p/fixture', null)).toBeNull();
  });
});

describe('entries found in the code', () => {
  const pages = path.join(root, 'fixtures/pages');

  it("locates pages' `export default { fetch }` through the analyzer's entry and the handler's export, and runs it", async () => {
    expect(resolveEntry(pages, readProjectConfig(pages), 'fetch')).toEqual({ name: 'fetch', arrives: 'edge', source: 'fetch-handler', target: 'src/index.ts#default.fetch' });
    const result = await runOriginal({ projectDir: pages, seedFile: path.join(pages, 'seed.json'), entry: 'fetch', request: { method: 'GET', url: 'https://pages.example/about' } });
    expect([result.stop, result.status, result.headers.find(([n]) => n === 'x-cache')?.[1]]).toEqual(['edge', 200, 'HIT']);
  });

  it('refuses a framework route (the framework serves it) and an unknown name, as OriginalLoadError', () => {
    const conduit = path.join(root, 'fixtures/conduit');
    const config = readProjectConfig(conduit);
    expect(() => resolveEntry(conduit, config, 'GET /api/tags')).toThrow(/express route/);
    expect(() => resolveEntry(pages, readProjectConfig(pages), 'nope')).toThrow(OriginalLoadError);
  });
});
