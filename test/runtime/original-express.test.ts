import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findExpressApps } from '../../codegen/outline/express-app.js';
import { OriginalLoadError, ORIGINAL_CLOCK_START, readProjectConfig, runOriginal } from '../../src/runtime/original/index.js';
import { expressRouteEntry } from '../../src/runtime/original/express-entry.js';
import { planOnce } from '../planner/plan-helpers.js';
import { clockedJsonwebtoken } from '../../src/runtime/shims/jsonwebtoken.js';
import { VirtualClock } from '../../src/runtime/stores/index.js';

/**
 * The original conduit program on its REAL libraries: Express 5 serving the request over
 * node:http, drizzle-orm on the pg shim, ioredis on the KV shim, jsonwebtoken on the
 * runtime's clock.
 */

const root = path.resolve(import.meta.dirname, '../..');
const conduit = path.join(root, 'fixtures/conduit');
const seedFile = path.join(conduit, 'seed.json');

/** What the `etag` package computes for a body Express sends (weak, Express's default). */
function weakEtag(body: string): string {
  const bytes = Buffer.from(body);
  return `W/"${bytes.length.toString(16)}-${crypto.createHash('sha1').update(bytes).digest('base64').slice(0, 27)}"`;
}

function jsonHeaders(body: string): [string, string][] {
  return [
    ['content-length', String(Buffer.byteLength(body))],
    ['content-type', 'application/json; charset=utf-8'],
    ['etag', weakEtag(body)],
  ];
}

describe('the original conduit on real Express', () => {
  it('serves GET /api/tags from Postgres on a cache miss and fills the cache at the edge', async () => {
    const r = await runOriginal({ projectDir: conduit, seedFile, entry: 'GET /api/tags', request: { method: 'GET', url: 'https://conduit.example/api/tags' } });
    const body = '{"tags":["edge","intro","news","orm"]}';
    expect([r.stop, r.status, r.body, r.headers]).toEqual(['edge', 200, body, jsonHeaders(body)]);
    expect(r.stores.kv['tagcache']).toEqual([['conduit:tags', '["edge","intro","news","orm"]']]);
  });

  it('serves GET /api/tags from the cache when it holds the list', async () => {
    const r = await runOriginal({ projectDir: conduit, seedFile: path.join(conduit, 'seed-tags-cached.json'), entry: 'GET /api/tags', request: { method: 'GET', url: 'https://conduit.example/api/tags' } });
    expect([r.status, r.body]).toEqual([200, '{"tags":["cached","from-redis"]}']);
  });

  it('reads an article with its author and tags through drizzle (timestamps parsed and printed back as ISO)', async () => {
    const r = await runOriginal({ projectDir: conduit, seedFile, entry: 'GET /api/articles/:slug', request: { method: 'GET', url: 'https://conduit.example/api/articles/drizzle-on-the-edge' } });
    const body = JSON.stringify({
      article: {
        slug: 'drizzle-on-the-edge',
        title: 'Drizzle on the edge',
        description: 'Queries far from home',
        body: 'Round trips add up.',
        tagList: ['edge', 'news', 'orm'],
        createdAt: '2025-12-10T12:30:00.000Z',
        updatedAt: '2025-12-11T08:15:30.250Z',
        author: { username: 'bob', bio: null, image: null },
      },
    });
    expect([r.status, r.body, r.headers]).toEqual([200, body, jsonHeaders(body)]);
  });

  it("answers Express's own 404 page for a path no route matches, and the app's 404 for a missing article", async () => {
    const none = await runOriginal({ projectDir: conduit, seedFile, entry: 'GET /api/articles/:slug', request: { method: 'GET', url: 'https://conduit.example/api/nope?x=1' } });
    const page = '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot GET /api/nope</pre>\n</body>\n</html>\n';
    expect([none.status, none.body]).toEqual([404, page]);
    expect(none.headers).toEqual([
      ['content-length', String(page.length)],
      ['content-security-policy', "default-src 'none'"],
      ['content-type', 'text/html; charset=utf-8'],
      ['x-content-type-options', 'nosniff'],
    ]);
    const missing = await runOriginal({ projectDir: conduit, seedFile, entry: 'GET /api/articles/:slug', request: { method: 'GET', url: 'https://conduit.example/api/articles/nope' } });
    expect([missing.status, missing.body]).toEqual([404, '{"errors":{"body":["article not found"]}}']);
  });

  it('runs requireAuth before the handler: no token, 401; the store is untouched', async () => {
    const r = await runOriginal({
      projectDir: conduit,
      seedFile,
      entry: 'POST /api/articles',
      request: { method: 'POST', url: 'https://conduit.example/api/articles', headers: { 'content-type': 'application/json' }, body: '{"article":{"title":"x"}}' },
    });
    expect([r.status, r.body]).toEqual([401, '{"errors":{"body":["missing authorization token"]}}']);
    const before = await runOriginal({ projectDir: conduit, seedFile, entry: 'GET /api/tags', request: { method: 'GET', url: 'https://conduit.example/api/tags' } });
    expect(r.stores.sql).toEqual(before.stores.sql);
  });

  it('refuses an entry that is neither a function entry nor a route', async () => {
    await expect(runOriginal({ projectDir: conduit, seedFile, entry: 'listTags', request: { method: 'GET', url: 'https://conduit.example/' } })).rejects.toBeInstanceOf(OriginalLoadError);
  });
});

describe('Express route entries (express-entry.ts)', () => {
  const config = readProjectConfig(conduit);
  const { graph } = planOnce('fixtures/conduit');

  it("arrives where the graph's entry arrives, and is null for names that are no Express route", () => {
    expect(expressRouteEntry(conduit, config, 'GET /api/tags', graph)?.arrives).toBe('edge');
    expect(expressRouteEntry(conduit, config, 'GET /api/tags')?.arrives).toBe('edge');
    expect(expressRouteEntry(conduit, config, 'GET /api/none', graph)).toBeNull();
    expect(expressRouteEntry(conduit, config, 'listTags')).toBeNull();
  });

  it('runs a route found in code with the graph given, as without', async () => {
    const request = { method: 'GET', url: 'https://conduit.example/api/articles/nope' };
    const withGraph = await runOriginal({ projectDir: conduit, seedFile, graph, entry: 'GET /api/articles/:slug', request });
    const without = await runOriginal({ projectDir: conduit, seedFile, entry: 'GET /api/articles/:slug', request });
    expect([withGraph.stop, withGraph.status, withGraph.body]).toEqual(['edge', 404, '{"errors":{"body":["article not found"]}}']);
    expect(without).toEqual(withGraph);
  });
});

describe('finding the Express application', () => {
  it('finds the exported express() value, in its import forms', () => {
    expect(
      findExpressApps(
        new Map([
          ['src/app.ts', "import express from 'express';\nexport const app = express();\n"],
          ['src/other.ts', "import * as ex from 'express';\nconst inner = ex.default();\nexport { inner as api };\n"],
          ['src/default.ts', "import { default as e } from 'express';\nexport default e();\n"],
          ['src/router.ts', "import express from 'express';\nexport const router = express.Router();\n"],
          ['src/local.ts', "import express from 'express';\nconst hidden = express();\n"],
        ]),
      ),
    ).toEqual([
      { file: 'src/app.ts', exportName: 'app' },
      { file: 'src/default.ts', exportName: 'default' },
      { file: 'src/other.ts', exportName: 'api' },
    ]);
  });
});

describe('jsonwebtoken on the runtime clock', () => {
  type Fn = (...a: unknown[]) => unknown;
  const jwt = createRequire(path.join(root, 'package.json'))('jsonwebtoken') as { sign: Fn; verify: Fn; decode: Fn; TokenExpiredError: unknown };
  const clock = new VirtualClock(ORIGINAL_CLOCK_START);
  const clocked = clockedJsonwebtoken(root, clock) as unknown as { sign: Fn; verify: Fn };
  const start = ORIGINAL_CLOCK_START / 1000;

  it('signs with the clock as iat and verifies against the clock, where the wall clock is long past', () => {
    const token = clocked.sign({ id: 1 }, 'k', { expiresIn: 3600 }) as string;
    expect(jwt.decode(token)).toEqual({ id: 1, iat: start, exp: start + 3600 });
    expect(clocked.verify(token, 'k')).toEqual({ id: 1, iat: start, exp: start + 3600 });
    expect(() => jwt.verify(token, 'k', { clockTimestamp: start + 3600 })).toThrow(/jwt expired/);
    clock.advance(3600_000);
    expect(() => clocked.verify(token, 'k')).toThrow(jwt.TokenExpiredError as new () => Error);
  });

  it("keeps a caller's own iat and clockTimestamp", () => {
    const token = clocked.sign({ id: 2, iat: 100 }, 'k') as string;
    expect(jwt.decode(token)).toEqual({ id: 2, iat: 100 });
    expect(clocked.verify(token, 'k', { clockTimestamp: 50 })).toEqual({ id: 2, iat: 100 });
  });
});
