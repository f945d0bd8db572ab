import { describe, expect, it } from 'vitest';
import { handleKinds, loadCase, matcherFor, type CaseOptions } from './harness.js';

const workers: CaseOptions = { types: ['@cloudflare/workers-types'] };
const dom: CaseOptions = { libs: ['lib.dom.d.ts', 'lib.dom.iterable.d.ts'] };

describe('classifyType', () => {
  it('knows the handles of the Node libraries, request objects, and what is no handle', () => {
    const loaded = loadCase('handles/node');
    expect(handleKinds(loaded, matcherFor(loaded, []))).toEqual({
      pgPool: 'store-handle pg Pool',
      pgClient: 'store-handle pg Client',
      pgPoolClient: 'resource pg PoolClient', // although it extends Client
      maybePool: 'store-handle pg Pool', // Pool | undefined
      mysqlPool: 'store-handle mysql2 Pool',
      mysqlConnection: 'resource mysql2 PoolConnection',
      ioredisClient: 'store-handle ioredis Redis',
      redisClient: 'store-handle redis RedisClientType',
      db: 'store-handle drizzle NodePgDatabase', // NodePgDatabase & { $client: Pool }
      prisma: 'store-handle prisma PrismaClient',
      prismaTx: 'resource prisma TransactionClient',
      expressReq: 'request express Request',
      expressRes: 'request express Response',
      myPool: 'store-handle pg Pool', // a user class extending Pool
      unrelated: null,
      plain: null,
      text: null,
      map: null,
      drizzleTx: 'resource drizzle PgTransaction',
      app: null,
      honoContext: 'request hono Context',
      server: null,
      req: 'request express Request', // express-serve-static-core's Request
      res: 'request express Response',
    });
  });

  it('knows the workers, Fastly and Deno handles', () => {
    const loaded = loadCase('handles/workers', workers);
    expect(handleKinds(loaded, matcherFor(loaded, []))).toEqual({
      env: null,
      cache: 'store-handle cloudflare-kv KVNamespace',
      d1: 'store-handle cloudflare-d1 D1Database',
      statement: null,
      fastlyStore: 'store-handle fastly-kv KVStore',
      denoKv: 'store-handle deno-kv Deno.Kv',
      atomic: 'resource deno-kv Deno.AtomicOperation',
    });
  });

  it('knows web storage, and that a DOM element is no store handle', () => {
    const loaded = loadCase('handles/dom', dom);
    expect(handleKinds(loaded, matcherFor(loaded, []))).toEqual({
      local: 'store-handle web-storage Storage',
      session: 'store-handle web-storage Storage',
      element: null,
    });
  });

  it('returns the same answer for the same type (cached)', () => {
    const loaded = loadCase('handles/node');
    const matcher = matcherFor(loaded, []);
    expect(handleKinds(loaded, matcher)).toEqual(handleKinds(loaded, matcher));
  });
});
