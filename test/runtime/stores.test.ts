import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { scanParameters, leadingKeyword } from '../../src/presets/sql-text.js';
import {
  applySeed,
  createSqlEngine,
  loadSeedFile,
  openKvStore,
  openLocalStore,
  parseSeed,
  seedPathText,
  SqlError,
  VirtualClock,
  type KvStore,
  type SqlEngine,
  type SqlStore,
} from '../../src/runtime/stores/index.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('VirtualClock', () => {
  it('moves only when told, never backwards', () => {
    const clock = new VirtualClock();
    expect(clock.now()).toBe(0);
    expect(clock.advance(25)).toBe(25);
    expect(clock.advanceTo(100)).toBe(100);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
    expect(() => clock.advanceTo(99)).toThrow(RangeError);
    expect(clock.now()).toBe(100);
  });
});

describe('SQL text scanning', () => {
  it('rewrites pg $N to SQLite ?N outside strings, identifiers and comments', () => {
    const scan = scanParameters(`SELECT $2, '$1', "$1", [$1], a$1, $1 -- $3\n/* $4 */ FROM t WHERE x = $10`);
    expect(scan.text).toBe(`SELECT ?2, '$1', "$1", [$1], a$1, ?1 -- $3\n/* $4 */ FROM t WHERE x = ?10`);
    expect(scan.positional).toBe(10);
    expect(scan.named).toBe(false);
  });

  it("counts ? as SQLite numbers it, and named parameters, and statements", () => {
    expect(scanParameters('SELECT ?, ?5, ?').positional).toBe(6);
    expect(scanParameters("SELECT 'it''s ?', ?").positional).toBe(1);
    expect(scanParameters('SELECT :a, @b, $c').named).toBe(true);
    expect(scanParameters('SELECT x::int').named).toBe(false);
    expect(scanParameters('SELECT 1; ; -- x\n SELECT 2;').statements).toBe(2);
    expect(scanParameters('  -- only a comment\n').statements).toBe(0);
  });

  it('finds the leading keyword after comments', () => {
    expect(leadingKeyword(' /* c */ -- d\n  begin transaction')).toBe('BEGIN');
    expect(leadingKeyword('  ')).toBe('');
  });
});

describe('embedded SQL store (sql.js)', () => {
  let engine: SqlEngine;
  const seed = 'CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, age INTEGER);';
  const open = (extra = ''): SqlStore => engine.openSqlStore({ name: 'db', seed: seed + extra });

  beforeAll(async () => {
    engine = await createSqlEngine();
  });

  it('creates, inserts and selects with pg-style $N parameters', () => {
    const db = open();
    const insert = db.query('INSERT INTO users (name, age) VALUES ($1, $2)', ['ada', 36]);
    expect(insert).toEqual({ rows: [], rowCount: 1, fields: [], types: [], lastInsertRowid: 1 });
    db.query('INSERT INTO users (name, age) VALUES ($1, $2)', ['bob', 41]);
    const result = db.query('SELECT id, name FROM users WHERE age > $1 ORDER BY id', [30]);
    expect(result.rows).toEqual([
      { id: 1, name: 'ada' },
      { id: 2, name: 'bob' },
    ]);
    expect(result.rowCount).toBe(2);
    expect(result.fields).toEqual(['id', 'name']);
  });

  it('binds $N by number, not by order of appearance (sql.js alone would not)', () => {
    const db = open();
    expect(db.query('SELECT $2 AS a, $1 AS b, $2 AS c', ['x', 'y']).rows).toEqual([{ a: 'y', b: 'x', c: 'y' }]);
  });

  it('binds mysql2/D1-style ? and ?NNN positionally', () => {
    const db = open();
    db.query('INSERT INTO users (name, age) VALUES (?, ?)', ['cy', 7]);
    expect(db.query('SELECT name FROM users WHERE name = ? AND age = ?', ['cy', 7]).rows).toEqual([{ name: 'cy' }]);
    expect(db.query('SELECT ?2 AS a, ?1 AS b', [1, 2]).rows).toEqual([{ a: 2, b: 1 }]);
  });

  it('binds named parameters from an object', () => {
    const db = open();
    expect(db.query('SELECT :a AS a, @b AS b, $c AS c', { ':a': 1, '@b': 'two', $c: null }).rows).toEqual([{ a: 1, b: 'two', c: null }]);
  });

  it('converts values in and out', () => {
    const db = open();
    const when = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
    const row = db.query('SELECT $1 AS u, $2 AS t, $3 AS big, $4 AS small, $5 AS blob, $6 AS d, $7 AS j, 9007199254740993 AS huge', [
      undefined,
      true,
      2n ** 60n,
      5n,
      new Uint8Array([1, 2, 3]),
      when,
      { a: [1] },
    ]).rows[0];
    expect(row).toEqual({ u: null, t: 1, big: '1152921504606846976', small: 5, blob: new Uint8Array([1, 2, 3]), d: '2024-01-02T03:04:05.000Z', j: '{"a":[1]}', huge: 9007199254740993n });
  });

  it('checks the number of values against the placeholders, as pg does', () => {
    const db = open();
    const few = thrown(() => db.query('SELECT $1, $2', [1]));
    expect(few).toBeInstanceOf(SqlError);
    expect(few).toMatchObject({ kind: 'params', sqlState: '08P01' });
    expect(thrown(() => db.query('SELECT ?', [1, 2]))).toMatchObject({ kind: 'params' });
    expect(thrown(() => db.query('SELECT $1'))).toMatchObject({ kind: 'params' });
    expect(thrown(() => db.query('SELECT 1; SELECT $1', [1]))).toMatchObject({ kind: 'params' });
    expect(thrown(() => db.query('SELECT :a', [1]))).toMatchObject({ kind: 'params' });
  });

  it("gives each result column's declared type (SQLite's decltype): plain column references through joins, subqueries and CTEs; null for expressions", () => {
    const db = engine.openSqlStore({
      name: 'content',
      seed: 'CREATE TABLE pages (id INTEGER PRIMARY KEY, path TEXT, updated_at DATETIME, day DATE); CREATE TABLE authors (id INTEGER PRIMARY KEY, name VARCHAR(80));',
    });
    db.query("INSERT INTO pages VALUES (1, '/a', '2025-11-03 09:30:00', '2025-11-03')");
    db.query("INSERT INTO authors VALUES (1, 'ada')");
    const select = db.query('SELECT id, path, updated_at FROM pages WHERE path = ? LIMIT ?', ['/a', 1]);
    expect(select.types).toEqual(['INTEGER', 'TEXT', 'DATETIME']);
    expect(select.rows).toEqual([{ id: 1, path: '/a', updated_at: '2025-11-03 09:30:00' }]);
    const joined = db.query('SELECT p.updated_at AS u, a.name, max(p.day) AS m, 1 AS one FROM pages p JOIN authors a ON a.id = p.id');
    expect(joined.types).toEqual(['DATETIME', 'VARCHAR(80)', null, null]);
    expect(db.query('WITH x AS (SELECT day FROM pages) SELECT day FROM x WHERE day = :d', { ':d': '2025-11-03' }).types).toEqual(['DATE']);
    expect(db.query('PRAGMA table_info(pages)').types.every((t) => t === null)).toBe(true);
    // The probe leaves nothing behind, inside a transaction too, and follows schema changes.
    const conn = db.connect();
    conn.query('BEGIN');
    conn.query('ALTER TABLE pages ADD COLUMN seen TIMESTAMP');
    expect(conn.query('SELECT seen FROM pages').types).toEqual(['TIMESTAMP']);
    conn.query('ROLLBACK');
    conn.release();
    expect(thrown(() => db.query('SELECT seen FROM pages'))).toMatchObject({ kind: 'sqlite' });
    expect(db.dump().map((t) => t.table)).toEqual(['authors', 'pages']);
    expect(db.query("SELECT count(*) AS n FROM sqlite_temp_schema").rows).toEqual([{ n: 0 }]);
  });

  it('runs several statements without values and returns the last result', () => {
    const db = open();
    const result = db.query("INSERT INTO users (name) VALUES ('a'); INSERT INTO users (name) VALUES ('b'); SELECT count(*) AS n FROM users");
    expect(result.rows).toEqual([{ n: 2 }]);
    expect(db.query('  -- nothing\n')).toEqual({ rows: [], rowCount: 0, fields: [], types: [], lastInsertRowid: null });
  });

  it('reports rows changed by UPDATE and DELETE, and 0 for DDL after them', () => {
    const db = open("INSERT INTO users (name, age) VALUES ('a', 1), ('b', 2), ('c', 3);");
    expect(db.query('UPDATE users SET age = age + 1 WHERE age >= $1', [2]).rowCount).toBe(2);
    expect(db.query('UPDATE users SET age = 0 WHERE age > 100').rowCount).toBe(0);
    expect(db.query('DELETE FROM users WHERE name = $1', ['a']).rowCount).toBe(1);
    expect(db.query('CREATE TABLE other (x)').rowCount).toBe(0);
    expect(db.query("INSERT INTO users (name) VALUES ('d') RETURNING id, name").rows).toEqual([{ id: 4, name: 'd' }]);
  });

  it('surfaces bad SQL as a thrown SqlError with the SQLite message', () => {
    const db = open();
    const syntax = thrown(() => db.query('SELEC 1'));
    expect(syntax).toBeInstanceOf(SqlError);
    expect(syntax).toMatchObject({ name: 'SqlError', kind: 'sqlite', message: 'near "SELEC": syntax error', sqlState: '42601', store: 'db' });
    expect(thrown(() => db.query('SELECT * FROM nope'))).toMatchObject({ message: 'no such table: nope', sqlState: '42P01' });
    db.query("INSERT INTO users (name) VALUES ('a')");
    expect(thrown(() => db.query("INSERT INTO users (name) VALUES ('a')"))).toMatchObject({ message: 'UNIQUE constraint failed: users.name', sqlState: '23505' });
    expect(thrown(() => db.query('INSERT INTO users (name) VALUES (NULL)'))).toMatchObject({ sqlState: '23502' });
    expect(() => engine.openSqlStore({ name: 'bad', seed: 'CREATE TABLEX' })).toThrow(SqlError);
  });

  it('enforces foreign keys', () => {
    const db = open('CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id));');
    expect(thrown(() => db.query('INSERT INTO orders (user_id) VALUES (?)', [42]))).toMatchObject({ message: 'FOREIGN KEY constraint failed', sqlState: '23503' });
  });

  it('rolls back a transaction through a connection, leaving no rows', () => {
    const db = open();
    const conn = db.connect();
    conn.query('BEGIN');
    expect(conn.inTransaction).toBe(true);
    conn.query('INSERT INTO users (name) VALUES ($1)', ['ghost']);
    expect(conn.query('SELECT count(*) AS n FROM users').rows).toEqual([{ n: 1 }]);
    conn.query('ROLLBACK');
    expect(conn.inTransaction).toBe(false);
    conn.release();
    expect(db.query('SELECT count(*) AS n FROM users').rows).toEqual([{ n: 0 }]);
  });

  it('commits through a connection; mysql2 START TRANSACTION reads as BEGIN', () => {
    const db = open();
    const conn = db.connect();
    conn.query('START TRANSACTION');
    conn.query('INSERT INTO users (name) VALUES (?)', ['kept']);
    conn.query('COMMIT');
    conn.release();
    expect(db.query('SELECT name FROM users').rows).toEqual([{ name: 'kept' }]);
  });

  it('runs one transaction at a time: others get a busy error, never a dirty read', () => {
    const db = open();
    const a = db.connect();
    const b = db.connect();
    a.query('BEGIN');
    a.query("INSERT INTO users (name) VALUES ('a')");
    expect(thrown(() => b.query('SELECT * FROM users'))).toMatchObject({ kind: 'busy', sqlState: '55P03' });
    expect(thrown(() => db.query('SELECT * FROM users'))).toMatchObject({ kind: 'busy' });
    expect(thrown(() => db.dump())).toMatchObject({ kind: 'busy' });
    a.query('COMMIT');
    expect(b.query('SELECT name FROM users').rows).toEqual([{ name: 'a' }]);
  });

  it('rolls back a transaction left open by release(), and refuses a bare BEGIN on the store', () => {
    const db = open();
    const conn = db.connect();
    conn.query('BEGIN');
    conn.query("INSERT INTO users (name) VALUES ('lost')");
    conn.release();
    expect(conn.released).toBe(true);
    expect(db.inTransaction).toBe(false);
    expect(db.query('SELECT count(*) AS n FROM users').rows).toEqual([{ n: 0 }]);
    expect(thrown(() => conn.query('SELECT 1'))).toMatchObject({ kind: 'closed' });
    expect(thrown(() => conn.release())).toMatchObject({ kind: 'closed' });

    expect(thrown(() => db.query('BEGIN'))).toMatchObject({ kind: 'usage' });
    expect(db.inTransaction).toBe(false);
    db.query("BEGIN; INSERT INTO users (name) VALUES ('x'); COMMIT"); // a whole transaction in one call is fine
    expect(db.query('SELECT count(*) AS n FROM users').rows).toEqual([{ n: 1 }]);
  });

  it('keeps the transaction when a statement in it fails (SQLite, not pg, semantics)', () => {
    const db = open();
    const conn = db.connect();
    conn.query('BEGIN');
    conn.query("INSERT INTO users (name) VALUES ('a')");
    expect(() => conn.query("INSERT INTO users (name) VALUES ('a')")).toThrow(SqlError);
    expect(conn.inTransaction).toBe(true);
    conn.query('COMMIT');
    expect(db.query('SELECT name FROM users').rows).toEqual([{ name: 'a' }]);
  });

  it('dumps every table sorted, the same whatever the insertion order', () => {
    const make = (order: number[]): SqlStore => {
      const db = engine.openSqlStore({ name: 'db', seed: 'CREATE TABLE b (k TEXT, v INTEGER); CREATE TABLE a (x INTEGER PRIMARY KEY, y BLOB);' });
      for (const i of order) {
        db.query('INSERT INTO b (k, v) VALUES ($1, $2)', [`k${i % 2}`, i]);
        db.query('INSERT INTO a (x, y) VALUES (?, ?)', [i, new Uint8Array([i])]);
      }
      return db;
    };
    const one = make([3, 1, 2]).dump();
    expect(one).toEqual(make([2, 3, 1]).dump());
    expect(one.map((t) => t.table)).toEqual(['a', 'b']);
    expect(one[1]?.rows).toEqual([
      { k: 'k0', v: 2 },
      { k: 'k1', v: 1 },
      { k: 'k1', v: 3 },
    ]);
    expect(JSON.stringify(one)).toBe(JSON.stringify(make([1, 2, 3]).dump()));
  });

  it('makes random() and randomblob() reproducible per store', () => {
    const sql = 'SELECT random() AS r, hex(randomblob(8)) AS b';
    const a = engine.openSqlStore({ name: 'a' }).query(sql).rows;
    const b = engine.openSqlStore({ name: 'b' }).query(sql).rows;
    expect(a).toEqual(b);
    expect(engine.openSqlStore({ name: 'c', randomSeed: 7 }).query(sql).rows).not.toEqual(a);
    expect(Number.isInteger(a[0]?.['r'])).toBe(true);
  });

  it('refuses work after close', () => {
    const db = open();
    db.close();
    expect(thrown(() => db.query('SELECT 1'))).toMatchObject({ kind: 'closed' });
    expect(engine.sqliteVersion).toMatch(/^3\.\d+\.\d+$/);
  });
});

describe('eventual KV store', () => {
  const open = (lagMs = 100): { kv: KvStore; clock: VirtualClock } => {
    const clock = new VirtualClock();
    return { kv: openKvStore({ name: 'cache', home: 'origin', replicas: ['edge', 'shield'], lagMs, clock }), clock };
  };

  it('lags replica reads exactly lagMs behind a home write; home reads do not lag', () => {
    const { kv, clock } = open(100);
    kv.at('origin').set('k', 'v1');
    expect(kv.at('origin').get('k')).toBe('v1');
    expect(kv.at('edge').get('k')).toBeUndefined();
    clock.advance(99);
    expect(kv.at('edge').get('k')).toBeUndefined();
    expect(kv.at('edge').has('k')).toBe(false);
    clock.advance(1);
    expect(kv.at('edge').get('k')).toBe('v1');
    expect(kv.at('shield').get('k')).toBe('v1');
  });

  it('reads its own writes at the replica that wrote; the home and other replicas see them after the lag', () => {
    const { kv, clock } = open(50);
    kv.at('edge').set('k', 'from-edge');
    expect(kv.at('edge').get('k')).toBe('from-edge');
    expect(kv.at('origin').get('k')).toBeUndefined();
    expect(kv.at('shield').get('k')).toBeUndefined();
    expect(kv.pending()).toBe(1);
    clock.advance(50);
    expect(kv.at('origin').get('k')).toBe('from-edge');
    expect(kv.at('shield').get('k')).toBe('from-edge');
    expect(kv.pending()).toBe(0);
  });

  it('lets the later write win once both are visible, and never shows a stop an older value again', () => {
    const { kv, clock } = open(100);
    kv.at('edge').set('k', 'edge@0');
    clock.advance(10);
    kv.at('origin').set('k', 'origin@10');
    expect(kv.at('edge').get('k')).toBe('edge@0');
    expect(kv.at('origin').get('k')).toBe('origin@10');
    clock.advance(90); // t=100: the edge write reaches the origin, but it is older
    expect(kv.at('origin').get('k')).toBe('origin@10');
    expect(kv.at('shield').get('k')).toBe('edge@0');
    clock.advance(10); // t=110: the origin write reaches the replicas
    expect(kv.at('edge').get('k')).toBe('origin@10');
    expect(kv.at('shield').get('k')).toBe('origin@10');
  });

  it('replicates deletes and lists keys by prefix, sorted', () => {
    const { kv, clock } = open(10);
    kv.seed({ 'user:2': 'b', 'user:1': 'a', 'item:1': 'x' });
    expect(kv.at('edge').list('user:')).toEqual(['user:1', 'user:2']);
    kv.at('origin').delete('user:1');
    expect(kv.at('origin').list('user:')).toEqual(['user:2']);
    expect(kv.at('edge').list('user:')).toEqual(['user:1', 'user:2']);
    clock.advance(10);
    expect(kv.at('edge').list()).toEqual(['item:1', 'user:2']);
  });

  it('settle() converges every copy without moving the clock', () => {
    const { kv, clock } = open(1000);
    kv.at('edge').set('a', '1');
    kv.at('shield').set('b', '2');
    kv.at('origin').set('a', '3');
    kv.settle();
    expect(clock.now()).toBe(0);
    expect(kv.pending()).toBe(0);
    for (const stop of ['origin', 'edge', 'shield']) {
      expect(kv.dump(stop)).toEqual([
        ['a', '3'],
        ['b', '2'],
      ]);
    }
  });

  it('copies byte values in and out', () => {
    const { kv } = open(0);
    const bytes = new Uint8Array([1, 2, 3]);
    kv.at('origin').set('b', bytes);
    bytes[0] = 9;
    const read = kv.at('edge').get('b') as Uint8Array;
    expect(read).toEqual(new Uint8Array([1, 2, 3]));
    read[1] = 9;
    expect(kv.dump()).toEqual([['b', new Uint8Array([1, 2, 3])]]);
  });

  it('rejects stops without a copy, bad values, bad options and a clock that goes back', () => {
    const { kv } = open();
    expect(() => kv.at('client')).toThrow(RangeError);
    expect(() => kv.at('origin').set('k', 5 as unknown as string)).toThrow(TypeError);
    const clock = new VirtualClock();
    expect(() => openKvStore({ name: 'x', home: 'origin', replicas: ['origin'], lagMs: 1, clock })).toThrow(RangeError);
    expect(() => openKvStore({ name: 'x', home: 'origin', replicas: [], lagMs: -1, clock })).toThrow(RangeError);
    let t = 10;
    const backwards = openKvStore({ name: 'x', home: 'origin', replicas: [], lagMs: 1, clock: { now: () => t } });
    backwards.at('origin').set('k', 'v');
    t = 5;
    expect(() => backwards.at('origin').get('k')).toThrow(RangeError);
  });

  type Op = { kind: 'set'; stop: number; key: string; value: string } | { kind: 'delete'; stop: number; key: string } | { kind: 'advance'; ms: number };
  const stops = ['origin', 'edge', 'shield'] as const;
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), stop: fc.nat({ max: 2 }), key: fc.constantFrom('a', 'b', 'c'), value: fc.string({ maxLength: 3 }) }),
    fc.record({ kind: fc.constant('delete' as const), stop: fc.nat({ max: 2 }), key: fc.constantFrom('a', 'b', 'c') }),
    fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 40 }) }),
  );

  it('property: reads match the reference model at every step, and after settle every replica equals the home (last write call wins)', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), fc.integer({ min: 0, max: 60 }), (ops, lagMs) => {
        const clock = new VirtualClock();
        const kv = openKvStore({ name: 'p', home: 'origin', replicas: ['edge', 'shield'], lagMs, clock });
        // The reference: every write ever made, in call order, with no compaction.
        const log: { time: number; stop: string; key: string; value: string | null }[] = [];
        const model = (stop: string, key: string, settledAll: boolean): string | undefined => {
          let value: string | null | undefined;
          for (const w of log) if (w.key === key && (settledAll || w.stop === stop || w.time + lagMs <= clock.now())) value = w.value;
          return value ?? undefined;
        };
        for (const op of ops) {
          if (op.kind === 'advance') clock.advance(op.ms);
          else {
            const stop = stops[op.stop] as string;
            const value = op.kind === 'set' ? op.value : null;
            if (value === null) kv.at(stop).delete(op.key);
            else kv.at(stop).set(op.key, value);
            log.push({ time: clock.now(), stop, key: op.key, value });
          }
          for (const stop of stops) for (const key of ['a', 'b', 'c']) if (kv.at(stop).get(key) !== model(stop, key, false)) return false;
        }
        kv.settle();
        const home = kv.dump();
        const expected = ['a', 'b', 'c'].flatMap((key) => {
          const value = model('origin', key, true);
          return value === undefined ? [] : [[key, value] as const];
        });
        expect(home).toEqual(expected);
        for (const stop of stops) expect(kv.dump(stop)).toEqual(home);
        expect(kv.pending()).toBe(0);
        return true;
      }),
      { numRuns: 300 },
    );
  });
});

describe('client-local store (Web Storage semantics)', () => {
  it('keeps one area per client, with getItem/setItem/removeItem/key/length/clear', () => {
    const local = openLocalStore({ name: 'prefs' });
    const alice = local.forClient('alice');
    const bob = local.forClient('bob');
    expect(alice.getItem('theme')).toBeNull();
    alice.setItem('theme', 'dark');
    alice.setItem('lang', 'en');
    alice.setItem('theme', 'light'); // keeps its place
    expect(alice.length).toBe(2);
    expect([alice.key(0), alice.key(1), alice.key(2)]).toEqual(['theme', 'lang', null]);
    expect(bob.getItem('theme')).toBeNull();
    expect(bob.length).toBe(0);
    alice.removeItem('theme');
    alice.removeItem('missing');
    expect(alice.key(0)).toBe('lang');
    expect(local.forClient('alice')).toBe(alice);
    alice.clear();
    expect(alice.length).toBe(0);
    expect(local.dump()).toEqual([]);
  });

  it('converts keys, values and indexes as WebIDL does', () => {
    const s = openLocalStore({ name: 'x' }).forClient('c');
    const loose = s as unknown as { setItem(k: unknown, v: unknown): void; getItem(k: unknown): string | null; key(i: unknown): string | null };
    loose.setItem(1, 2);
    loose.setItem('u', undefined);
    loose.setItem('o', { a: 1 });
    expect(s.getItem('1')).toBe('2');
    expect(loose.getItem(1)).toBe('2');
    expect(s.getItem('u')).toBe('undefined');
    expect(s.getItem('o')).toBe('[object Object]');
    expect(loose.key('0')).toBe('1');
    expect(loose.key(1.9)).toBe('u');
    expect(s.key(-1)).toBeNull();
    expect(s.key(2 ** 32)).toBe('1');
    expect(() => (s.getItem as () => unknown)()).toThrow(TypeError);
    expect(() => (s.setItem as (k: string) => unknown)('k')).toThrow(TypeError);
  });

  it('throws QuotaExceededError over the quota and changes nothing', () => {
    const s = openLocalStore({ name: 'q', quota: 10 }).forClient('c');
    s.setItem('abc', '1234567'); // 10 code units
    const error = thrown(() => s.setItem('d', 'e'));
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('QuotaExceededError');
    expect(s.getItem('d')).toBeNull();
    s.setItem('abc', '123'); // replacing frees space
    s.setItem('d', 'e');
    expect(s.length).toBe(2);
  });

  it('dumps clients and keys sorted', () => {
    const local = openLocalStore({ name: 'prefs' });
    local.forClient('zed').setItem('b', '2');
    local.forClient('zed').setItem('a', '1');
    local.forClient('amy').setItem('x', 'y');
    local.forClient('empty');
    expect(local.clients()).toEqual(['amy', 'zed']);
    expect(local.dump()).toEqual([
      { client: 'amy', entries: [['x', 'y']] },
      {
        client: 'zed',
        entries: [
          ['a', '1'],
          ['b', '2'],
        ],
      },
    ]);
  });
});

describe('store seed files', () => {
  let engine: SqlEngine;
  beforeAll(async () => {
    engine = await createSqlEngine();
  });

  it('parses a valid seed and loads it into the stores', () => {
    const result = parseSeed(
      JSON.stringify({
        $schema: 'ignored',
        sql: { db: ['CREATE TABLE t (x INTEGER);', 'INSERT INTO t VALUES (1), (2);'] },
        kv: { cache: { greeting: 'hi', raw: { base64: 'AQID' } } },
        local: { prefs: { alice: { theme: 'dark' } } },
      }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.seed.kv['cache']).toEqual([
      ['greeting', 'hi'],
      ['raw', new Uint8Array([1, 2, 3])],
    ]);
    const db = engine.openSqlStore({ name: 'db' });
    const clock = new VirtualClock();
    const cache = openKvStore({ name: 'cache', home: 'origin', replicas: ['edge'], lagMs: 1000, clock });
    const prefs = openLocalStore({ name: 'prefs' });
    const errors = applySeed(result.seed, { sql: new Map([['db', db]]), kv: new Map([['cache', cache]]), local: new Map([['prefs', prefs]]) });
    expect(errors).toEqual([]);
    expect(db.query('SELECT sum(x) AS s FROM t').rows).toEqual([{ s: 3 }]);
    expect(cache.at('edge').get('greeting')).toBe('hi'); // seeds are visible everywhere at once
    expect(prefs.forClient('alice').getItem('theme')).toBe('dark');
  });

  it('reads { "file" } SQL sources relative to the seed file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stopline-seed-'));
    try {
      fs.mkdirSync(path.join(dir, 'sql'));
      fs.writeFileSync(path.join(dir, 'sql', 'schema.sql'), 'CREATE TABLE t (x);');
      fs.writeFileSync(path.join(dir, 'seed.json'), JSON.stringify({ sql: { db: { file: 'sql/schema.sql' }, other: { file: 'missing.sql' } } }));
      const result = loadSeedFile(path.join(dir, 'seed.json'));
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.errors).toMatchObject([{ code: 'sql-file', path: ['sql', 'other', 'file'], file: path.join(dir, 'seed.json') }]);
      fs.writeFileSync(path.join(dir, 'seed.json'), JSON.stringify({ sql: { db: { file: 'sql/schema.sql' } } }));
      const ok = loadSeedFile(path.join(dir, 'seed.json'));
      expect(ok).toMatchObject({ ok: true, seed: { sql: { db: 'CREATE TABLE t (x);' } } });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(loadSeedFile(path.join(os.tmpdir(), 'no-such-stopline-seed.json'))).toMatchObject({ ok: false, errors: [{ code: 'read', path: [] }] });
  });

  it('reports JSON syntax errors with a position', () => {
    const result = parseSeed('{\n  "kv": {,}\n}', { file: 'seed.json' });
    expect(result).toMatchObject({ ok: false, errors: [{ code: 'json', file: 'seed.json', path: [], position: { line: 2, column: 10 } }] });
  });

  it('reports schema errors as typed values with JSON paths', () => {
    const result = parseSeed(
      JSON.stringify({
        sql: { db: 42 },
        kv: { cache: { a: 1, b: { base64: '!!' } } },
        local: { prefs: { alice: { theme: true } } },
        extra: {},
      }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const paths = result.errors.map((e) => [e.code, seedPathText(e.path)]);
    expect(paths).toEqual(
      expect.arrayContaining([
        ['schema', '$.extra'],
        ['schema', '$.sql.db'],
        ['schema', '$.kv.cache.a'],
        ['schema', '$.kv.cache.b.base64'],
        ['schema', '$.local.prefs.alice.theme'],
      ]),
    );
    expect(result.errors).toHaveLength(5);
    expect(parseSeed('[]')).toMatchObject({ ok: false, errors: [{ code: 'schema', path: [] }] });
    expect(seedPathText(['kv', 'cache', 'user:1', 0])).toBe('$.kv.cache["user:1"][0]');
  });

  it('reports unknown stores and rejected SQL while seeding the rest', () => {
    const result = parseSeed(JSON.stringify({ sql: { db: 'CREATE TABLE t (x); INSERT INTO nope VALUES (1);' }, kv: { ghost: { a: 'b' } }, local: { prefs: { c: { k: 'v' } } } }));
    if (!result.ok) throw new Error('expected a valid seed');
    const db = engine.openSqlStore({ name: 'db' });
    const prefs = openLocalStore({ name: 'prefs' });
    const errors = applySeed(result.seed, { sql: new Map([['db', db]]), local: new Map([['prefs', prefs]]) }, 'seed.json');
    expect(errors).toMatchObject([
      { code: 'sql', file: 'seed.json', path: ['sql', 'db'], message: 'no such table: nope' }, // SQLite's message
      { code: 'unknown-store', file: 'seed.json', path: ['kv', 'ghost'] },
    ]);
    expect(errors).toHaveLength(2);
    expect(prefs.forClient('c').getItem('k')).toBe('v');
  });
});
