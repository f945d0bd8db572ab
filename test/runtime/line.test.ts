import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildComponent, type BuiltComponent } from '../../codegen/component/index.js';
import { decode, encode } from '../../codegen/wire/index.js';
import { openLine, type Line } from '../../src/runtime/line/index.js';
import { createSqlEngine, openKvStore, openLocalStore, VirtualClock, type KvStore, type SqlStore } from '../../src/runtime/stores/index.js';

/**
 * The local line runtime on two real components of the `server` world
 * (test/cases/runtime/line/): "edge" forwards segment `ask` to the origin through
 * `link.call`; "origin" answers with a SQL query and a KV read through its imports.
 */
const root = path.resolve(import.meta.dirname, '../..');
const fixtures = path.join(root, 'test/cases/runtime/line');
const componentCache = path.join(root, 'test/.tmp/component-cache');
const transpileCache = path.join(root, 'test/.tmp/line-transpiled');

function build(stop: 'edge' | 'origin'): Promise<BuiltComponent> {
  return buildComponent({
    source: path.join(fixtures, `${stop}.js`),
    witPath: path.join(root, 'codegen/wit'),
    worldName: 'server',
    cacheDir: componentCache,
    disableFeatures: ['stdio', 'random', 'clocks', 'http', 'fetch-event'],
  });
}

function report(what: string, values: Record<string, number | string | boolean>): void {
  // STOPLINE_COMPONENT_TIMES=1 npx vitest run test/runtime/line.test.ts
  if (process.env['STOPLINE_COMPONENT_TIMES']) console.log(`[line] ${what}: ${Object.entries(values).map(([k, v]) => `${k}=${v}`).join(' ')}`);
}

const EDGE_LATENCY = 20;
const ORIGIN_LATENCY = 35;

let built: { edge: BuiltComponent; origin: BuiltComponent };
let db: SqlStore;
let cache: KvStore;
let clock: VirtualClock;
let line: Line;

beforeAll(async () => {
  // Built one after the other: componentize-js peaks at ~0.8 GB a build.
  const edge = await build('edge');
  const origin = await build('origin');
  built = { edge, origin };
  report('build', { edgeCached: edge.cached, edgeMs: edge.ms, originCached: origin.cached, originMs: origin.ms });

  clock = new VirtualClock(1000);
  const engine = await createSqlEngine();
  db = engine.openSqlStore({
    name: 'db',
    seed: `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, joined TEXT);
           INSERT INTO users VALUES (1, 'ada', '1843-01-01'), (2, 'grace', '1906-12-09');`,
  });
  cache = openKvStore({ name: 'cache', home: 'origin', replicas: ['edge'], lagMs: 50, clock });
  cache.seed({ greeting: 'hello from kv', hits: '40' });
  const started = performance.now();
  line = await openLine({
    stops: [
      { name: 'edge', wasmPath: edge.wasmPath },
      { name: 'origin', wasmPath: origin.wasmPath },
    ],
    line: ['client', 'edge', 'origin'],
    stores: { sql: new Map([['db', db]]), kv: new Map([['cache', cache]]), local: new Map([['local', openLocalStore({ name: 'local' })]]) },
    clock,
    hopLatencyMs: { client: 0, edge: EDGE_LATENCY, origin: ORIGIN_LATENCY },
    cacheDir: transpileCache,
  });
  report('open line', { ms: Math.round(performance.now() - started), ...Object.fromEntries(line.stops.flatMap((s) => [[`${s.name}TranspileMs`, s.transpileMs], [`${s.name}TranspileCached`, s.transpileCached], [`${s.name}InstantiateMs`, s.instantiateMs]])) });
}, 300_000);

afterAll(() => {
  line?.close();
  db?.close();
});

const ask = (sql: string, params: unknown[], key = 'greeting'): string => JSON.stringify({ store: 'db', sql, params: encode(params), bucket: 'cache', key });

describe('the local line on real components', () => {
  it('carries a request edge → origin → edge, reading the embedded SQL and KV stores', () => {
    const before = clock.now();
    const started = performance.now();
    const result = line.invoke('edge', 'ask', ask('SELECT id, name FROM users WHERE id = $1', [2]));
    const firstCallMs = performance.now() - started;
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const answer = JSON.parse(result.value) as { rows: string; value: string | null; hits: number };
    expect(decode(answer.rows)).toEqual({ rows: [{ id: 2, name: 'grace' }], rowCount: 1, fields: ['id', 'name'], types: ['INTEGER', 'TEXT'], lastInsertRowid: null });
    expect(answer.value).toBe('hello from kv');
    // atomics.increment ran on the home copy.
    expect(answer.hits).toBe(41);
    expect(cache.dump('origin')).toContainEqual(['hits', '41']);

    // One crossing, with its bytes both ways, costing the edge–origin round trip.
    expect(line.rtt('edge', 'origin')).toBe(2 * ORIGIN_LATENCY);
    expect(line.rtt('client', 'origin')).toBe(2 * (EDGE_LATENCY + ORIGIN_LATENCY));
    expect(result.trace).toEqual([
      {
        kind: 'link',
        from: 'edge',
        to: 'origin',
        segment: 'answer',
        requestBytes: Buffer.byteLength(ask('SELECT id, name FROM users WHERE id = $1', [2])),
        responseBytes: Buffer.byteLength(result.value),
        startMs: before,
        endMs: before + 2 * ORIGIN_LATENCY,
        depth: 0,
        outcome: 'ok',
      },
    ]);
    expect(result.virtualMs).toBe(2 * ORIGIN_LATENCY);
    expect(clock.now() - before).toBe(2 * ORIGIN_LATENCY);

    const n = 50;
    const loop = performance.now();
    for (let i = 0; i < n; i++) line.invoke('edge', 'ask', ask('SELECT name FROM users WHERE id = $1', [1]));
    report('calls', { firstCallMs: Math.round(firstCallMs * 10) / 10, callWithCrossingMs: Math.round(((performance.now() - loop) / n) * 100) / 100 });
  });

  it('hands an SQL store error to the guest as an err, and the instances keep working', () => {
    const bad = line.invoke('origin', 'sql', JSON.stringify({ store: 'db', sql: 'SELECT * FROM nowhere', params: encode([]) }));
    expect(bad.ok).toBe(true);
    if (!bad.ok) return;
    expect(JSON.parse(bad.value)).toEqual({ err: { kind: 'query-failed', code: '42P01', message: 'no such table: nowhere' } });

    const dup = line.invoke('origin', 'sql', JSON.stringify({ store: 'db', sql: 'INSERT INTO users (name) VALUES ($1)', params: encode(['ada']) }));
    expect(dup.ok && JSON.parse(dup.value)).toEqual({ err: { kind: 'query-failed', code: '23505', message: 'UNIQUE constraint failed: users.name' } });
    const missing = line.invoke('origin', 'sql', JSON.stringify({ store: 'nope', sql: 'SELECT 1', params: encode([]) }));
    expect(missing.ok && JSON.parse(missing.value)).toEqual({ err: { kind: 'no-such-store', message: "no SQL store named 'nope'" } });
    const garbage = line.invoke('origin', 'sql', JSON.stringify({ store: 'db', sql: 'SELECT 1', params: '{not wire' }));
    expect(garbage.ok && (JSON.parse(garbage.value) as { err: { kind: string } }).err.kind).toBe('other');

    // Still alive, through the link too.
    const again = line.invoke('edge', 'ask', ask('SELECT count(*) AS n FROM users', []));
    expect(again.ok).toBe(true);
    if (!again.ok) return;
    expect(decode((JSON.parse(again.value) as { rows: string }).rows)).toMatchObject({ rows: [{ n: 2 }] });
    expect(line.stops.every((s) => s.alive)).toBe(true);
  });

  it('runs transactions on a connection resource, with state errors as errs', () => {
    const insert = ['query', 'INSERT INTO users (name, joined) VALUES ($1, $2)', encode(['alan', new Date('1912-06-23T00:00:00Z')])];
    const committed = line.invoke('origin', 'tx', JSON.stringify({ store: 'db', steps: [['commit'], ['begin'], insert, ['begin'], ['commit']] }));
    expect(committed.ok).toBe(true);
    if (!committed.ok) return;
    const steps = JSON.parse(committed.value) as { ok?: string | null; err?: { kind: string; code?: string } }[];
    expect(steps[0]).toEqual({ err: { kind: 'transaction-state', code: '25P01', message: 'commit: there is no transaction in progress' } });
    expect(steps[1]).toEqual({ ok: null });
    expect(decode(steps[2]?.ok as string)).toMatchObject({ rowCount: 1, lastInsertRowid: 3 });
    expect(steps[3]?.err?.kind).toBe('transaction-state');
    expect(steps[4]).toEqual({ ok: null });
    expect(db.query('SELECT name, joined FROM users WHERE id = 3').rows).toEqual([{ name: 'alan', joined: '1912-06-23T00:00:00.000Z' }]);

    const rolledBack = line.invoke('origin', 'tx', JSON.stringify({ store: 'db', steps: [['begin'], ['query', 'DELETE FROM users', ''], ['rollback']] }));
    expect(rolledBack.ok).toBe(true);
    expect(db.query('SELECT count(*) AS n FROM users').rows).toEqual([{ n: 3 }]);
  });

  it('routes a KV bucket to the stop’s own copy, with the store’s replication lag', () => {
    const write = line.invoke('origin', 'kv', JSON.stringify({ bucket: 'cache', key: 'fresh', set: 'ünï€ode ✓' }));
    expect(write.ok && JSON.parse(write.value)).toEqual({ ok: { value: 'ünï€ode ✓', exists: true, keys: ['fresh', 'greeting', 'hits'] } });
    expect(cache.at('edge').get('fresh')).toBeUndefined();
    clock.advance(50);
    expect(cache.at('edge').get('fresh')).toBe('ünï€ode ✓');
    const none = line.invoke('origin', 'kv', JSON.stringify({ bucket: 'nope', key: 'x' }));
    expect(none.ok && JSON.parse(none.value)).toEqual({ err: { tag: 'no-such-store' } });
  });

  it('refuses a re-entrant call into a stop that is waiting on its own link.call, as an unavailable rpc-error', () => {
    const before = clock.now();
    const result = line.invoke('edge', 'bounce', 'ping');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { caught } = JSON.parse(result.value) as { caught: { code: string; message: string } };
    expect(caught.code).toBe('unavailable');
    expect(caught.message).toMatch(/^stop 'edge' is busy: .*re-entrant call from 'origin'/);
    // The refused call did not cross: one crossing, one round trip.
    expect(result.trace.map((c) => `${c.from}→${c.to}:${c.segment}:${c.outcome}`)).toEqual(['edge→origin:bounce:ok']);
    expect(clock.now() - before).toBe(2 * ORIGIN_LATENCY);
    // Both instances still answer.
    expect(line.invoke('edge', 'echo', 'x')).toMatchObject({ ok: true, value: 'edge:x' });
    expect(line.invoke('edge', 'ask-nowhere', 'x')).toMatchObject({ ok: true, value: JSON.stringify({ caught: { code: 'unavailable', message: "no stop named 'nowhere' on the line" } }) });
  });

  it('gives a guest’s own rpc-error back as an err', () => {
    const result = line.invoke('edge', 'no-such', '');
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown-segment', message: 'edge has no segment no-such' } });
    expect(line.invoke('edge', 'echo', 'y')).toMatchObject({ ok: true, value: 'edge:y' });
  });

  it('reuses the transpiled components: a second line opens from the cache', async () => {
    const second = await openLine({
      stops: [
        { name: 'edge', wasmPath: built.edge.wasmPath },
        { name: 'origin', wasmPath: built.origin.wasmPath },
      ],
      stores: { sql: new Map([['db', db]]), kv: new Map([['cache', cache]]) },
      clock,
      hopLatencyMs: 10,
      cacheDir: transpileCache,
    });
    try {
      expect(second.stops.map((s) => s.transpileCached)).toEqual([true, true]);
      expect(fs.existsSync(transpileCache)).toBe(true);
      const r = second.invoke('edge', 'ask', ask('SELECT name FROM users WHERE id = $1', [1]));
      expect(r).toMatchObject({ ok: true, virtualMs: 20 });
      report('second line', Object.fromEntries(second.stops.flatMap((s) => [[`${s.name}InstantiateMs`, s.instantiateMs]])));
    } finally {
      second.close();
    }
  });

  it('charges an access served at another stop one round trip, traced as an access crossing', async () => {
    // The same components, with the database homed at the edge: the origin's query is then
    // served there (strong: only its home), while the KV read stays on the origin's own copy
    // and the increment runs at the KV store's home (the origin).
    const placed = await openLine({
      stops: [
        { name: 'edge', wasmPath: built.edge.wasmPath },
        { name: 'origin', wasmPath: built.origin.wasmPath },
      ],
      line: ['client', 'edge', 'origin'],
      stores: { sql: new Map([['db', db]]), kv: new Map([['cache', cache]]) },
      clock,
      hopLatencyMs: { client: 0, edge: EDGE_LATENCY, origin: ORIGIN_LATENCY },
      cacheDir: transpileCache,
      storePlaces: { db: { consistency: 'strong', home: 'edge', replicas: [] }, cache: { consistency: 'eventual', home: 'origin', replicas: ['edge'] } },
    });
    try {
      const before = clock.now();
      const r = placed.invoke('edge', 'ask', ask('SELECT name FROM users WHERE id = $1', [1]));
      expect(r.ok).toBe(true);
      expect(r.trace.map((c) => `${c.kind} ${c.from}→${c.to} ${c.segment} depth ${c.depth} ${c.endMs - c.startMs} ms`)).toEqual([
        `link edge→origin answer depth 0 ${4 * ORIGIN_LATENCY} ms`,
        `access origin→edge sql:db:read depth 1 ${2 * ORIGIN_LATENCY} ms`,
      ]);
      expect(r.virtualMs).toBe(4 * ORIGIN_LATENCY);
      expect(clock.now() - before).toBe(4 * ORIGIN_LATENCY);
      // A write goes where the data lives too: an eventual store's nearest copy is served locally.
      const w = placed.invoke('origin', 'sql', JSON.stringify({ store: 'db', sql: 'UPDATE users SET joined = joined WHERE id = 1', params: encode([]) }));
      expect(w.trace.map((c) => `${c.kind} ${c.from}→${c.to} ${c.segment}`)).toEqual(['access origin→edge sql:db:write']);
      const kv = placed.invoke('edge', 'kv', JSON.stringify({ bucket: 'cache', key: 'greeting' }));
      expect(kv.ok).toBe(false); // the edge component has no 'kv' segment: nothing crossed, nothing charged
      expect(kv.trace).toEqual([]);
    } finally {
      placed.close();
    }
  });
});
