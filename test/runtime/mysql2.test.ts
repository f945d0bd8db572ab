import realMysql from 'mysql2';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMysql2LoweredModule, type SqlImport } from '../../codegen/lower/index.js';
import { createStopHost } from '../../src/runtime/line/host.js';
import { createMysql2ShimModule, type Mysql2Module } from '../../src/runtime/shims/index.js';
import { createSqlEngine, type SqlEngine, type SqlStore } from '../../src/runtime/stores/index.js';

/**
 * mysql2/promise as programs use it, on the embedded SQL store: the Node shim of the
 * original program (src/runtime/shims/mysql2.ts) and the guest lowering
 * (codegen/lower/mysql2.ts) over the REAL line host's `sql` import — the same
 * src/presets/calls/mysql2.ts module on two backends. The last block runs one script on
 * both and requires the same results and errors.
 */

process.env['TZ'] = 'UTC';

const SCHEMA = [
  'CREATE TABLE authors (id INTEGER PRIMARY KEY, name VARCHAR(80) NOT NULL UNIQUE, bio TEXT, born DATE, seen TIMESTAMP, score DECIMAL(6,2), prefs JSON, avatar BLOB, big BIGINT);',
  "INSERT INTO authors VALUES (1, 'ada', 'O''Brien \\\\ \"quoted\"', '1815-12-10', '2026-01-01 08:30:00.250', 12.5, '{\"theme\":\"dark\"}', x'01ff', 9007199254740993);",
].join('\n');

interface Pool {
  query(sql: unknown, values?: unknown): Promise<[unknown, unknown]>;
  execute(sql: unknown, values?: unknown): Promise<[unknown, unknown]>;
  getConnection(): Promise<Conn>;
  format(sql: string, values?: unknown): string;
}
interface Conn {
  query(sql: unknown, values?: unknown): Promise<[unknown, unknown]>;
  beginTransaction(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  release(): void;
}

let engine: SqlEngine;
beforeAll(async () => {
  engine = await createSqlEngine();
});

function open(): SqlStore {
  return engine.openSqlStore({ name: 'content', seed: SCHEMA });
}

function shim(store: SqlStore): Mysql2Module {
  return createMysql2ShimModule({ stores: new Map([['content', store]]), defaultStore: 'content' });
}

function lowered(store: SqlStore): Mysql2Module {
  const host = createStopHost({ stop: 'origin', line: ['edge', 'origin'], stores: { sql: new Map([['content', store]]) }, link: () => ({ ok: false, error: { code: 'unavailable', message: 'no link' } }) });
  return createMysql2LoweredModule({ sql: host.imports['stopline:line/sql@0.1.0'] as unknown as SqlImport, defaultStore: 'content' });
}

const poolOf = (m: Mysql2Module, config: Record<string, unknown> = {}): Pool => m.createPool({ uri: 'mysql://x', ...config }) as Pool;
const failure = async (p: Promise<unknown>): Promise<Record<string, unknown>> => {
  const e = await p.then(() => null, (error: unknown) => error as Error);
  if (e === null) throw new Error('expected a rejection');
  return Object.assign({ name: e.name, message: e.message }, e) as unknown as Record<string, unknown>;
};

describe('mysql2 shim: what programs read', () => {
  it('gives [rows, fields] for SELECT: DATETIME/TIMESTAMP and DATE as Dates, DECIMAL as text, JSON parsed, BLOB as Buffer, BIGINT as a number', async () => {
    const [rows, fields] = await poolOf(shim(open())).query('SELECT id, name, bio, born, seen, score, prefs, avatar, big FROM authors WHERE id = ?', [1]);
    expect(rows).toEqual([
      { id: 1, name: 'ada', bio: 'O\'Brien \\\\ "quoted"', born: new Date(Date.UTC(1815, 11, 10)), seen: new Date(Date.UTC(2026, 0, 1, 8, 30, 0, 250)), score: '12.5', prefs: { theme: 'dark' }, avatar: Buffer.from([1, 255]), big: 9007199254740992 },
    ]);
    expect((fields as { name: string; type: number }[]).map((f) => [f.name, f.type])).toEqual([
      ['id', 3], ['name', 253], ['bio', 252], ['born', 10], ['seen', 7], ['score', 246], ['prefs', 245], ['avatar', 252], ['big', 8],
    ]);
  });

  it('honours dateStrings, decimalNumbers, supportBigNumbers/bigNumberStrings, timezone and rowsAsArray', async () => {
    const store = open();
    const [asText] = await poolOf(shim(store), { dateStrings: true, decimalNumbers: true, supportBigNumbers: true }).query('SELECT born, seen, score, big FROM authors');
    expect(asText).toEqual([{ born: '1815-12-10', seen: '2026-01-01 08:30:00.250', score: 12.5, big: '9007199254740993' }]);
    const [some] = await poolOf(shim(store), { dateStrings: ['DATE'], timezone: '+02:00' }).query('SELECT born, seen FROM authors');
    expect(some).toEqual([{ born: '1815-12-10', seen: new Date(Date.UTC(2026, 0, 1, 6, 30, 0, 250)) }]);
    const [arrays] = await poolOf(shim(store)).query({ sql: 'SELECT id, name FROM authors', rowsAsArray: true });
    expect(arrays).toEqual([[1, 'ada']]);
  });

  it('gives a ResultSetHeader for writes: insertId, affectedRows, changedRows and info for UPDATE', async () => {
    const pool = poolOf(shim(open()));
    const [insert, none] = await pool.query('INSERT INTO authors (name, seen) VALUES (?)', [["o'hara", new Date(Date.UTC(2026, 4, 6, 7, 8, 9))]]);
    expect([insert, none]).toEqual([{ fieldCount: 0, affectedRows: 1, insertId: 2, info: '', serverStatus: 2, warningStatus: 0, changedRows: 0 }, undefined]);
    const [update] = await pool.execute('UPDATE authors SET bio = ? WHERE id IN (1, 2)', ['x']);
    expect(update).toMatchObject({ affectedRows: 2, insertId: 0, changedRows: 2, info: 'Rows matched: 2  Changed: 2  Warnings: 0' });
    const [rows] = await pool.query('SELECT name, seen FROM authors WHERE id = 2');
    expect(rows).toEqual([{ name: "o'hara", seen: new Date(Date.UTC(2026, 4, 6, 7, 8, 9)) }]);
  });

  it('expands ? like mysql2: strings with quotes and backslashes, IN (?) arrays, VALUES ? nested arrays, ?? identifiers, raw', async () => {
    const pool = poolOf(shim(open()));
    const tricky = "it's a \\ backslash\nand \"quotes\"";
    await pool.query('INSERT INTO authors (name, bio) VALUES ?', [[['b', tricky], ['c', null]]]);
    const [rows] = await pool.query('SELECT ?? FROM ?? WHERE name IN (?) AND id > ? ORDER BY id', [['name', 'bio'], 'authors', ['b', 'c', 'zz'], realMysql.raw('1')]);
    expect(rows).toEqual([{ name: 'b', bio: tricky }, { name: 'c', bio: null }]);
  });

  it('writes the SQL text mysql2 would send, value for value (its own format as the reference)', () => {
    const pool = poolOf(shim(open()), { timezone: 'Z' });
    const cases: [string, unknown[]][] = [
      ['SELECT ? , ?? , ? -- ?\n, ?', ["a'b\\", 't.c', { a: 1 }, [1, [2, 3]]]],
      ['UPDATE t SET ? WHERE id = ?', [{ a: 1, b: 'x', f() {} }, 7]],
      ['INSERT INTO t (a) VALUES ?', [[[1, 'a'], [2, null]]]],
      ['SELECT ?', [new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6))]],
      ['SELECT ?', [Buffer.from([1, 255])]],
      ['SELECT ?, ?', [true, undefined]],
      ['SELECT ?', [realMysql.raw('NOW()')]],
      ['SELECT ?', [1, 2]],
      ['SELECT ?, ?', [1]],
      ["SELECT '?', \"?\", `?`, ?, ???", ['x', 'y']],
    ];
    for (const [sql, values] of cases) expect([sql, pool.format(sql, values)]).toEqual([sql, realMysql.format(sql, values as never, false, 'Z')]);
  });

  it("rejects with mysql2's errors: code, errno, sqlState, sqlMessage and the SQL as mysql2 sent it", async () => {
    const pool = poolOf(shim(open()));
    expect(await failure(pool.query('INSERT INTO authors (id, name) VALUES (?, ?)', [1, "o'x"]))).toEqual({
      name: 'Error', message: 'UNIQUE constraint failed: authors.id', code: 'ER_DUP_ENTRY', errno: 1062, sqlState: '23000', sqlMessage: 'UNIQUE constraint failed: authors.id',
      sql: "INSERT INTO authors (id, name) VALUES (1, 'o\\'x')",
    });
    expect(await failure(pool.query('SELECT * FROM nope'))).toMatchObject({ code: 'ER_NO_SUCH_TABLE', errno: 1146, sqlState: '42S02' });
    expect(await failure(pool.query('SELECT nope FROM authors'))).toMatchObject({ code: 'ER_BAD_FIELD_ERROR', errno: 1054, sqlState: '42S22' });
    expect(await failure(pool.query('SELEC 1'))).toMatchObject({ code: 'ER_PARSE_ERROR', errno: 1064, sqlState: '42000' });
    expect(await failure(pool.execute('SELECT ? + ?', [1]))).toMatchObject({ code: 'ER_WRONG_ARGUMENTS', errno: 1210 });
    expect(await failure(pool.execute('SELECT ?', [undefined]))).toMatchObject({ name: 'TypeError', message: 'Bind parameters must not contain undefined. To pass SQL NULL specify JS null' });
    expect(await failure(pool.query({ sql: 'SELECT 1', nestTables: true }))).toMatchObject({ name: 'TypeError' });
  });

  it('runs transactions on a pooled connection with MySQL rules: COMMIT outside one is a no-op, release rolls back', async () => {
    const store = open();
    const pool = poolOf(shim(store));
    const conn = await pool.getConnection();
    await conn.commit(); // nothing open: MySQL does nothing, neither do we
    await conn.beginTransaction();
    await conn.query('INSERT INTO authors (name) VALUES (?)', ['t1']);
    await conn.rollback();
    await conn.query('START TRANSACTION');
    await conn.query('INSERT INTO authors (name) VALUES (?)', ['t2']);
    await conn.query('COMMIT');
    await conn.beginTransaction();
    await conn.query('INSERT INTO authors (name) VALUES (?)', ['t3']);
    conn.release();
    const [rows] = await pool.query('SELECT name FROM authors ORDER BY id');
    expect(rows).toEqual([{ name: 'ada' }, { name: 't2' }]);
    expect(await failure(conn.query('SELECT 1'))).toMatchObject({ message: "Can't add new command when connection is in closed state" });
  });

  it('runs a standalone connection (createConnection) and prepared statements on it', async () => {
    const conn = (await shim(open()).createConnection({ uri: 'mysql://x', timezone: 'Z' })) as Conn & { prepare(sql: string): Promise<{ execute(v: unknown[]): Promise<[unknown, unknown]>; close(): Promise<void> }>; end(): Promise<void> };
    const stmt = await conn.prepare('SELECT name, seen FROM authors WHERE id = ?');
    expect((await stmt.execute([1]))[0]).toEqual([{ name: 'ada', seen: new Date(Date.UTC(2026, 0, 1, 8, 30, 0, 250)) }]);
    await stmt.close();
    await expect(stmt.execute([1])).rejects.toThrow('Statement is closed');
    await conn.end();
    await expect(conn.query('SELECT 1')).rejects.toThrow("Can't add new command when connection is in closed state");
  });

  it('binds a module-level pool to its store by `binding`, and refuses an unbound one when several stores exist', async () => {
    const a = open();
    const b = engine.openSqlStore({ name: 'other', seed: 'CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (42);' });
    const mysql = createMysql2ShimModule({ stores: new Map([['content', a], ['other', b]]), defaultStore: null });
    const pool = mysql.createPool({});
    expect(await failure((pool as Pool).query('SELECT 1'))).toMatchObject({ message: expect.stringContaining('bound to no SQL store') });
    expect(mysql.bind(pool, 'other')).toBe(true);
    expect(mysql.bind({}, 'other')).toBe(false);
    expect((await (pool as Pool).query('SELECT x FROM t'))[0]).toEqual([{ x: 42 }]);
  });
});

describe('mysql2 in Node and in a component: the shim and the lowering (on the real line host) agree', () => {
  /** One script of calls; each step's outcome as comparable data (bytes as plain arrays). */
  async function script(m: Mysql2Module): Promise<unknown[]> {
    const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (_k, x: unknown) => (x instanceof Uint8Array ? { bytes: [...x] } : typeof x === 'object' && x !== null && (x as { type?: unknown }).type === 'Buffer' ? { bytes: (x as { data: number[] }).data } : x)));
    const out: unknown[] = [];
    const step = async (p: Promise<unknown>): Promise<void> => {
      out.push(await p.then((r) => ({ ok: r === undefined ? null : plain(r) }), (e: Error) => ({ error: Object.assign({ name: e.name, message: e.message }, e) })));
    };
    const pool = poolOf(m);
    await step(pool.query('SELECT * FROM authors'));
    await step(pool.execute('SELECT name, born FROM authors WHERE seen > ?', [new Date(Date.UTC(2020, 0, 1))]));
    await step(pool.query('INSERT INTO authors (name, prefs, avatar) VALUES (?, ?, ?)', ['z', JSON.stringify([1, 2]), Buffer.from('hi')]));
    await step(pool.query('UPDATE authors SET ? WHERE name = ?', [{ bio: "it's", seen: new Date(Date.UTC(2026, 1, 3)) }, 'z']));
    await step(pool.query('INSERT INTO authors (name) VALUES (?)', ['z']));
    await step(pool.execute('UPDATE authors SET score = ? WHERE name = ?', [3.25, 'z']));
    await step(pool.query('SELECT count(*) AS n, max(seen) AS latest FROM authors'));
    const conn = await pool.getConnection();
    await step(conn.beginTransaction());
    await step(conn.query('DELETE FROM authors WHERE name = ?', ['z']));
    await step(conn.rollback());
    conn.release();
    await step(pool.query('SELECT name, avatar FROM authors ORDER BY id'));
    await step(pool.query('SELECT * FROM missing'));
    return out;
  }

  it('gives the same results and errors, and leaves the same store', async () => {
    const nodeStore = open();
    const guestStore = open();
    const viaShim = await script(shim(nodeStore));
    const viaLowering = await script(lowered(guestStore));
    expect(viaLowering).toEqual(viaShim);
    expect(guestStore.dump()).toEqual(nodeStore.dump());
    // It is a real comparison: the script read Dates, bytes, errors and a rolled-back write.
    expect((viaShim[0] as { ok: unknown[][] }).ok[0]).toMatchObject([{ seen: '2026-01-01T08:30:00.250Z', avatar: { bytes: [1, 255] } }]);
    expect(viaShim.at(-1)).toMatchObject({ error: { code: 'ER_NO_SUCH_TABLE' } });
    expect((viaShim.at(-2) as { ok: unknown[][] }).ok[0]).toEqual([{ name: 'ada', avatar: { bytes: [1, 255] } }, { name: 'z', avatar: { bytes: [104, 105] } }]);
  });
});
