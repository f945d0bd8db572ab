import { describe, expect, it } from 'vitest';
import { accesses, loadCase, matcherFor, store, type CaseOptions, type FoundAccess } from './harness.js';

/**
 * Every store preset against real typings (or ambient stand-ins where the library is not
 * installable): `valid` cases list every call that must match, with its exact position,
 * store, operation and API name; `invalid` cases hold look-alikes that must not match.
 */
const workers: CaseOptions = { types: ['@cloudflare/workers-types'] };
const dom: CaseOptions = { libs: ['lib.dom.d.ts', 'lib.dom.iterable.d.ts'] };

type Row = readonly [file: string, line: number, column: number, op: 'read' | 'write', api: string];

function rows(found: readonly FoundAccess[]): Row[] {
  return found.map((a) => [a.file, a.line, a.column, a.op as 'read' | 'write', a.api] as const);
}

/** Runs one case with a single store `main` of the preset. */
function run(dir: string, preset: string, options?: CaseOptions) {
  const loaded = loadCase(dir, options);
  const matcher = matcherFor(loaded, [store('main', preset)]);
  const found = accesses(loaded, matcher, { resolvedBy: true });
  return { found, matcher, rows: rows(found) };
}

describe('pg', () => {
  it('matches Pool, PoolClient and Client query, op from the SQL text', () => {
    const { rows: r, found, matcher } = run('pg/valid', 'pg');
    expect(r).toEqual([
      ['handlers.ts', 6, 26, 'read', 'Pool.query'], // const SELECT_USER
      ['handlers.ts', 11, 10, 'read', 'Pool.query'], // leading comment
      ['handlers.ts', 17, 9, 'read', 'Pool.query'], // WITH … SELECT
      ['handlers.ts', 18, 9, 'read', 'Pool.query'], // /* … */ EXPLAIN
      ['handlers.ts', 19, 9, 'read', 'Pool.query'], // { text: 'show …' }
      ['handlers.ts', 23, 9, 'write', 'Pool.query'], // INSERT
      ['handlers.ts', 24, 9, 'write', 'Pool.query'], // WITH … DELETE
      ['handlers.ts', 25, 9, 'write', 'Pool.query'], // CREATE
      ['handlers.ts', 31, 11, 'write', 'PoolClient.query'], // BEGIN, on ClientBase
      ['handlers.ts', 32, 11, 'read', 'PoolClient.query'], // template head SELECT
      ['handlers.ts', 33, 11, 'write', 'PoolClient.query'], // not a literal
      ['handlers.ts', 34, 11, 'write', 'PoolClient.query'], // template head unknown
      ['handlers.ts', 35, 11, 'write', 'PoolClient.query'], // COMMIT
      ['handlers.ts', 43, 10, 'read', 'Client.query'],
    ]);
    expect(found.every((a) => a.store === 'main' && a.resolvedBy === 'symbol')).toBe(true);
    expect(matcher.diagnostics()).toEqual([]);
  });

  it('ignores a user query method, a local function, an object property, Map, any, connect/end', () => {
    expect(run('pg/invalid', 'pg').found).toEqual([]);
  });
});

describe('mysql2', () => {
  it('matches query/execute on Pool, PoolConnection, Connection, prepared statements and transactions', () => {
    expect(run('mysql2/valid', 'mysql2').rows).toEqual([
      ['callbacks.ts', 6, 3, 'read', 'Pool.query'], // the callback API
      ['handlers.ts', 6, 24, 'read', 'Pool.query'],
      ['handlers.ts', 7, 9, 'write', 'Pool.execute'],
      ['handlers.ts', 10, 11, 'write', 'PoolConnection.beginTransaction'],
      ['handlers.ts', 11, 11, 'read', 'PoolConnection.query'], // { sql: … }
      ['handlers.ts', 12, 11, 'write', 'PoolConnection.execute'],
      ['handlers.ts', 14, 11, 'read', 'PreparedStatementInfo.execute'], // SQL of conn.prepare(…)
      ['handlers.ts', 15, 11, 'write', 'PoolConnection.commit'],
      ['handlers.ts', 20, 9, 'read', 'Connection.query'], // SHOW
    ]);
  });

  it('ignores a user Connection class, getConnection, release, format, end', () => {
    expect(run('mysql2/invalid', 'mysql2').found).toEqual([]);
  });
});

describe('prisma', () => {
  it('matches model delegates, raw queries (tagged templates too) and $transaction through declared types', () => {
    const { rows: r, found } = run('prisma/ambient', 'prisma');
    expect(r).toEqual([
      ['handlers.ts', 6, 9, 'read', 'UserDelegate.findMany'],
      ['handlers.ts', 7, 9, 'read', 'UserDelegate.findUnique'],
      ['handlers.ts', 8, 9, 'read', 'UserDelegate.count'],
      ['handlers.ts', 9, 9, 'write', 'UserDelegate.create'],
      ['handlers.ts', 10, 9, 'write', 'UserDelegate.upsert'],
      ['handlers.ts', 11, 9, 'write', 'UserDelegate.deleteMany'],
      ['handlers.ts', 12, 9, 'read', 'PrismaClient.$queryRaw'],
      ['handlers.ts', 13, 9, 'read', 'PrismaClient.$queryRawUnsafe'],
      ['handlers.ts', 14, 9, 'write', 'PrismaClient.$executeRaw'],
      ['handlers.ts', 15, 9, 'write', 'PrismaClient.$transaction'],
      ['handlers.ts', 16, 11, 'write', 'UserDelegate.update'], // tx: Prisma.TransactionClient
    ]);
    expect(found.every((a) => a.resolvedBy === 'symbol')).toBe(true);
  });

  it('falls back to the import chain when the client was never generated, with one SL2003 per module and api', () => {
    const { rows: r, found, matcher } = run('prisma/missing', 'prisma');
    expect(r).toEqual([
      ['handlers.ts', 7, 23, 'read', 'PrismaClient.user.findMany'],
      ['handlers.ts', 8, 9, 'read', 'PrismaClient.user.findMany'],
      ['handlers.ts', 9, 9, 'write', 'PrismaClient.post.create'],
      ['handlers.ts', 10, 9, 'read', 'PrismaClient.$queryRaw'],
      ['handlers.ts', 11, 9, 'write', 'PrismaClient.$transaction'],
      ['handlers.ts', 12, 11, 'write', 'PrismaClient.user.update'], // the callback's tx
    ]);
    expect(found.every((a) => a.resolvedBy === 'import-chain')).toBe(true);
    const diags = matcher.diagnostics();
    expect(diags.map((d) => [d.code, d.category, d.range?.start.line, d.range?.start.column])).toEqual([
      ['SL2003', 'warning', 7, 23], // findMany: once, at its first call (line 8 is the same api)
      ['SL2003', 'warning', 9, 9],
      ['SL2003', 'warning', 10, 9],
      ['SL2003', 'warning', 11, 9],
      ['SL2003', 'warning', 12, 11],
    ]);
    expect(diags[0]?.range).toEqual({ file: 'handlers.ts', start: { line: 7, column: 23 }, end: { line: 7, column: 45 } });
  });

  it('ignores user repositories and plain objects with the same method names', () => {
    expect(run('prisma/invalid', 'prisma').found).toEqual([]);
  });
});

describe('drizzle', () => {
  it('matches the database calls (select, relational queries, insert/update/delete, execute, transactions)', () => {
    expect(run('drizzle/valid', 'drizzle').rows).toEqual([
      ['handlers.ts', 6, 9, 'read', 'NodePgDatabase.select'],
      ['handlers.ts', 7, 9, 'read', 'NodePgDatabase.selectDistinct'],
      ['handlers.ts', 8, 9, 'read', 'RelationalQueryBuilder.findMany'],
      ['handlers.ts', 9, 9, 'read', 'RelationalQueryBuilder.findFirst'],
      ['handlers.ts', 10, 9, 'write', 'NodePgDatabase.insert'],
      ['handlers.ts', 11, 9, 'write', 'NodePgDatabase.update'],
      ['handlers.ts', 12, 9, 'write', 'NodePgDatabase.delete'],
      ['handlers.ts', 13, 9, 'read', 'NodePgDatabase.execute'], // sql`select …`
      ['handlers.ts', 14, 9, 'write', 'NodePgDatabase.execute'], // sql`delete …`
      ['handlers.ts', 15, 9, 'write', 'NodePgDatabase.transaction'],
      ['handlers.ts', 16, 11, 'write', 'PgTransaction.insert'],
    ]);
  });

  it('ignores same-named user functions and objects, operators, Promise.all, Map.values', () => {
    expect(run('drizzle/invalid', 'drizzle').found).toEqual([]);
  });
});

describe('ioredis', () => {
  it('matches commands declared on RedisCommander', () => {
    expect(run('ioredis/valid', 'ioredis').rows).toEqual([
      ['handlers.ts', 6, 9, 'read', 'Redis.get'],
      ['handlers.ts', 7, 9, 'read', 'Redis.mget'],
      ['handlers.ts', 8, 9, 'read', 'Redis.hgetall'],
      ['handlers.ts', 9, 9, 'read', 'Redis.exists'],
      ['handlers.ts', 10, 9, 'read', 'Redis.ttl'],
      ['handlers.ts', 11, 9, 'read', 'Redis.smembers'],
      ['handlers.ts', 12, 9, 'read', 'Redis.lrange'],
      ['handlers.ts', 13, 9, 'read', 'Redis.getBuffer'],
      ['handlers.ts', 14, 9, 'write', 'Redis.set'],
      ['handlers.ts', 15, 9, 'write', 'Redis.del'],
      ['handlers.ts', 16, 9, 'write', 'Redis.hset'],
      ['handlers.ts', 17, 9, 'write', 'Redis.expire'],
      ['handlers.ts', 18, 9, 'write', 'Redis.incr'],
      ['handlers.ts', 19, 9, 'write', 'ChainableCommander.set'], // queued in a MULTI
    ]);
  });

  it('ignores Map get/set/delete, a local get(), a user class, ping/on/quit', () => {
    expect(run('ioredis/invalid', 'ioredis').found).toEqual([]);
  });
});

describe('redis (node-redis)', () => {
  it('matches commands of the mapped client type, both spellings', () => {
    expect(run('redis/valid', 'redis').rows).toEqual([
      ['handlers.ts', 7, 9, 'read', 'RedisClientType.get'],
      ['handlers.ts', 8, 9, 'read', 'RedisClientType.hGetAll'],
      ['handlers.ts', 9, 9, 'read', 'RedisClientType.mGet'],
      ['handlers.ts', 10, 9, 'read', 'RedisClientType.GET'],
      ['handlers.ts', 11, 9, 'write', 'RedisClientType.set'],
      ['handlers.ts', 12, 9, 'write', 'RedisClientType.del'],
      ['handlers.ts', 13, 9, 'write', 'RedisClientType.hSet'],
      ['handlers.ts', 14, 9, 'write', 'RedisClientType.expire'],
      ['handlers.ts', 15, 9, 'write', 'RedisClientType.incr'],
    ]);
  });

  it('ignores an object with get/set, Map.get, connect/ping/on/quit', () => {
    expect(run('redis/invalid', 'redis').found).toEqual([]);
  });
});

describe('fastly-kv', () => {
  it("matches KVStore from 'fastly:kv-store'", () => {
    expect(run('fastly-kv/valid', 'fastly-kv').rows).toEqual([
      ['handlers.ts', 6, 23, 'read', 'KVStore.get'],
      ['handlers.ts', 8, 9, 'write', 'KVStore.put'],
      ['handlers.ts', 9, 9, 'write', 'KVStore.delete'],
      ['handlers.ts', 10, 9, 'read', 'KVStore.list'],
    ]);
  });

  it('ignores a user KVStore class, entry.text(), Map.delete', () => {
    expect(run('fastly-kv/invalid', 'fastly-kv').found).toEqual([]);
  });
});

describe('cloudflare-kv', () => {
  it('matches the global KVNamespace, through env.X, destructuring and parameters', () => {
    expect(run('cloudflare-kv/valid', 'cloudflare-kv', workers).rows).toEqual([
      ['worker.ts', 5, 24, 'read', 'KVNamespace.get'],
      ['worker.ts', 6, 11, 'write', 'KVNamespace.put'],
      ['worker.ts', 7, 29, 'read', 'KVNamespace.getWithMetadata'],
      ['worker.ts', 8, 11, 'read', 'KVNamespace.list'],
      ['worker.ts', 9, 11, 'write', 'KVNamespace.delete'],
      ['worker.ts', 11, 11, 'read', 'KVNamespace.get'],
      ['worker.ts', 18, 9, 'write', 'KVNamespace.put'],
    ]);
  });

  it('ignores a module-local KVNamespace interface, Map, Headers.get, the Cache API', () => {
    expect(run('cloudflare-kv/invalid', 'cloudflare-kv', workers).found).toEqual([]);
  });
});

describe('cloudflare-d1', () => {
  it('classifies prepared statements by the SQL of their prepare call', () => {
    expect(run('cloudflare-d1/valid', 'cloudflare-d1', workers).rows).toEqual([
      ['worker.ts', 7, 24, 'read', 'D1PreparedStatement.first'], // prepare(SELECT).bind().first()
      ['worker.ts', 9, 11, 'write', 'D1PreparedStatement.run'], // through const bump = prepare(UPDATE)
      ['worker.ts', 10, 11, 'read', 'D1PreparedStatement.all'],
      ['worker.ts', 11, 11, 'read', 'D1PreparedStatement.raw'],
      ['worker.ts', 12, 11, 'write', 'D1Database.batch'],
      ['worker.ts', 13, 11, 'write', 'D1Database.exec'],
      ['worker.ts', 14, 11, 'write', 'D1PreparedStatement.first'], // SQL not known
    ]);
  });

  it('ignores prepare/bind alone, user statement classes, Promise.all', () => {
    expect(run('cloudflare-d1/invalid', 'cloudflare-d1', workers).found).toEqual([]);
  });
});

describe('deno-kv', () => {
  it('matches Deno.Kv and atomic().commit()', () => {
    expect(run('deno-kv/valid', 'deno-kv').rows).toEqual([
      ['handlers.ts', 4, 22, 'read', 'Kv.get'],
      ['handlers.ts', 5, 9, 'read', 'Kv.getMany'],
      ['handlers.ts', 6, 29, 'read', 'Kv.list'],
      ['handlers.ts', 7, 9, 'write', 'Kv.set'],
      ['handlers.ts', 8, 9, 'write', 'Kv.delete'],
      ['handlers.ts', 9, 9, 'write', 'AtomicOperation.commit'],
    ]);
  });

  it('ignores a user Kv class, an uncommitted atomic(), close, Map.set', () => {
    expect(run('deno-kv/invalid', 'deno-kv').found).toEqual([]);
  });
});

describe('fetch', () => {
  const stores = [
    store('api', 'fetch', { urlPrefix: 'https://api.example.com/' }),
    store('payments', 'fetch', { urlPrefix: 'https://api.example.com/payments/' }),
  ];

  it('matches fetches whose known URL starts with a store prefix (the longest wins), op from the method', () => {
    const loaded = loadCase('fetch/valid');
    const found = accesses(loaded, matcherFor(loaded, stores));
    expect(found.map((a) => [a.line, a.column, a.store, a.op, a.api])).toEqual([
      [4, 9, 'api', 'read', 'fetch'], // 'literal' + id
      [5, 9, 'api', 'read', 'fetch'], // GET
      [6, 9, 'api', 'write', 'fetch'], // `${API}/…` with a const API, POST
      [7, 9, 'api', 'read', 'fetch'], // head
      [8, 9, 'api', 'write', 'fetch'], // method not known
      [9, 9, 'payments', 'write', 'fetch'],
      [10, 9, 'api', 'read', 'globalThis.fetch'],
    ]);
  });

  it('ignores other URLs, unknown URLs, Request objects and a user function named fetch', () => {
    const loaded = loadCase('fetch/invalid');
    expect(accesses(loaded, matcherFor(loaded, stores))).toEqual([]);
  });

  it('is no access at all without a store', () => {
    const loaded = loadCase('fetch/valid');
    expect(accesses(loaded, matcherFor(loaded, []))).toEqual([]);
  });
});

describe('web-storage', () => {
  it('matches the global localStorage and sessionStorage', () => {
    expect(run('web-storage/valid', 'web-storage', dom).rows).toEqual([
      ['prefs.ts', 2, 17, 'read', 'localStorage.getItem'],
      ['prefs.ts', 3, 3, 'write', 'localStorage.setItem'],
      ['prefs.ts', 4, 3, 'write', 'sessionStorage.removeItem'],
      ['prefs.ts', 5, 3, 'read', 'localStorage.key'],
      ['prefs.ts', 6, 3, 'write', 'sessionStorage.clear'],
      ['prefs.ts', 7, 3, 'read', 'window.localStorage.getItem'],
    ]);
  });

  it('ignores an object named localStorage that is not the global, and Map', () => {
    expect(run('web-storage/invalid', 'web-storage', dom).found).toEqual([]);
  });
});

describe('store selection', () => {
  it('matches nothing for a preset no store uses', () => {
    const loaded = loadCase('pg/valid');
    expect(accesses(loaded, matcherFor(loaded, [store('cache', 'ioredis')]))).toEqual([]);
  });

  it('caches per node: a second matchCall returns the same result', () => {
    const loaded = loadCase('pg/valid');
    const matcher = matcherFor(loaded, [store('main', 'pg')]);
    const first = accesses(loaded, matcher);
    expect(accesses(loaded, matcher)).toEqual(first);
  });
});
