import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createExpressModule, requestPair, serveExpress } from '../../codegen/lower/express.js';
import { EXTENSIONS, mimeContentType, querystringParse } from '../../codegen/lower/express-text.js';
import { serveWithNodeHttp, type RequestListener } from '../../src/runtime/original/express-server.js';

/**
 * The Express lowering (codegen/lower/express.ts, what a component gets for
 * `import express from 'express'`) against REAL Express 5 on the same apps and the same
 * requests: status, every header and the body must be equal, byte for byte. Real Express
 * answers over node:http (src/runtime/original/express-server.ts, as the original program
 * does); the lowering answers a web Response from `serveExpress`.
 */

const require = createRequire(path.join(import.meta.dirname, '../../package.json'));
const realExpress = require('express') as (() => unknown) & Record<string, (...args: unknown[]) => unknown>;
const lowered = createExpressModule() as unknown as typeof realExpress;

/* eslint-disable @typescript-eslint/no-explicit-any -- the test apps are plain Express code, run on both */
type App = any;
type Build = (express: any) => App;

interface Answer {
  status: number;
  headers: [string, string][];
  body: string;
}

async function normalise(response: Response): Promise<Answer> {
  const headers = [...response.headers].sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return { status: response.status, headers, body: await response.text() };
}

interface Case {
  readonly method?: string;
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

const request = (c: Case): Request => new Request(`https://app.example${c.url}`, { method: c.method ?? 'GET', headers: c.headers ?? {}, ...(c.body === undefined ? {} : { body: c.body }) });

async function both(build: Build, c: Case): Promise<{ real: Answer; lowered: Answer }> {
  const realApp = build(realExpress);
  const loweredApp = build(lowered);
  return {
    real: await normalise(await serveWithNodeHttp(realApp as RequestListener, request(c))),
    lowered: await normalise(await serveExpress(loweredApp, request(c))),
  };
}

// --- the apps -------------------------------------------------------------------------

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** conduit's shape: json parser with a limit, a router with params, auth middleware, async handlers, an error handler. */
const conduitLike: Build = (express) => {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '1kb' }));
  const router = express.Router();
  const auth = (req: any, _res: any, next: any) => {
    if (req.get('Authorization') !== 'Token good') throw new HttpError(401, 'missing authorization token');
    req.user = { id: 1 };
    next();
  };
  router.get('/api/items/:slug', async (req: any, res: any) => {
    if (req.params.slug === 'missing') throw new HttpError(404, 'not found');
    res.json({ item: { slug: req.params.slug, query: req.query, path: req.path, url: req.url, originalUrl: req.originalUrl } });
  });
  router.post('/api/items', auth, async (req: any, res: any) => {
    res.status(201).json({ created: req.body, by: req.user });
  });
  router.put('/api/items/:slug', auth, async (req: any, res: any) => {
    res.json({ slug: req.params.slug, body: req.body ?? null });
  });
  app.use(router);
  app.use((err: any, _req: any, res: any, next: any) => {
    if (res.headersSent) return next(err);
    if (err instanceof HttpError) return res.status(err.status).json({ errors: { body: [err.message] } });
    res.status(500).json({ errors: { body: ['internal server error'], type: err.type ?? null, status: err.status ?? null } });
  });
  return app;
};

/** res.send and friends, without an error handler (the final handler answers). */
const responses: Build = (express) => {
  const app = express();
  app.set('env', 'production');
  app.get('/text', (_req: any, res: any) => res.send('héllo <b>'));
  app.get('/number', (_req: any, res: any) => res.send(42));
  app.get('/null', (_req: any, res: any) => res.send(null));
  app.get('/bytes', (_req: any, res: any) => res.send(new Uint8Array([1, 2, 255])));
  app.get('/typed', (_req: any, res: any) => res.type('txt').send('plain'));
  app.get('/ct', (_req: any, res: any) => res.set('Content-Type', 'text/plain; charset=iso-8859-1').send('x'));
  app.get('/empty', (_req: any, res: any) => res.status(204).send('ignored'));
  app.get('/reset', (_req: any, res: any) => res.status(205).send('ignored'));
  app.get('/status', (_req: any, res: any) => res.sendStatus(418));
  app.get('/end', (_req: any, res: any) => res.status(202).end('done'));
  app.get('/end-nothing', (_req: any, res: any) => res.end());
  app.get('/headers', (_req: any, res: any) => {
    res.set({ 'X-One': 1, 'x-two': ['a', 'b'] });
    res.append('X-Three', 'c').append('X-Three', 'd');
    res.vary('Accept').vary('accept, Origin');
    res.location('/a path?x=é');
    res.json({ headersSent: res.headersSent, one: res.get('x-one') });
  });
  app.get('/spaces', (req: any, res: any) => {
    req.app.set('json spaces', 2);
    req.app.set('json escape', true);
    res.json({ html: '<script>&' });
  });
  app.get('/undefined', (_req: any, res: any) => res.json(undefined));
  app.get('/strong', (req: any, res: any) => {
    req.app.set('etag', 'strong');
    res.send('strong tag');
  });
  app.get('/no-etag', (req: any, res: any) => {
    req.app.set('etag', false);
    res.send('no tag');
  });
  app.get('/route', (_req: any, _res: any, next: any) => next('route'), (_req: any, res: any) => res.send('skipped'));
  app.get('/route', (_req: any, res: any) => res.send('next route'));
  app.get('/boom', () => {
    throw new HttpError(409, 'conflict');
  });
  app.get('/reject', async () => {
    throw new Error('rejected');
  });
  app.get('/echo', (req: any, res: any) =>
    res.json({ query: req.query, referrer: req.get('Referrer') ?? null, host: req.hostname, protocol: req.protocol, xhr: req.xhr, is: req.is('json'), method: req.method }),
  );
  app.post('/body', express.json(), (req: any, res: any) => res.json({ body: req.body ?? null, is: req.is('application/json') }));
  app.post('/strict-off', express.json({ strict: false }), (req: any, res: any) => res.json({ body: req.body }));
  app.post('/vendor', express.json({ type: '+json' }), (req: any, res: any) => res.json({ body: req.body ?? null }));
  const api = express.Router();
  api.get('/where', (req: any, res: any) => res.json({ baseUrl: req.baseUrl, url: req.url, originalUrl: req.originalUrl, path: req.path }));
  app.use('/api/v1', api);
  return app;
};

// --- the cases ------------------------------------------------------------------------

const CONDUIT_CASES: readonly (readonly [string, Case])[] = [
  ['a route with a param and a query', { url: '/api/items/first?tag=a&tag=b&q=x+y&bad=%ZZ' }],
  ['an encoded param', { url: '/api/items/caf%C3%A9' }],
  ['a malformed param escape (the URIError reaches the error handler)', { url: '/api/items/%E0%A4%A' }],
  ['an async handler that throws', { url: '/api/items/missing' }],
  ['a trailing slash (non-strict routing)', { url: '/api/items/first/' }],
  ['case-insensitive routing', { url: '/API/Items/first' }],
  ['no route: the final 404', { url: '/api/nothing?x=1' }],
  ['a method without a route: 404', { method: 'DELETE', url: '/api/items/first' }],
  ['HEAD on a GET route', { method: 'HEAD', url: '/api/items/first' }],
  ['OPTIONS answers Allow', { method: 'OPTIONS', url: '/api/items/first' }],
  ['middleware that throws before the handler', { method: 'POST', url: '/api/items', headers: { 'content-type': 'application/json' }, body: '{"a":1}' }],
  ['middleware then handler, with the parsed body', { method: 'POST', url: '/api/items', headers: { 'content-type': 'application/json', authorization: 'Token good' }, body: '{"a":[1,2,{"b":null}]}' }],
  ['malformed JSON: 400 entity.parse.failed to the error handler', { method: 'POST', url: '/api/items', headers: { 'content-type': 'application/json', authorization: 'Token good' }, body: '{"a":' }],
  ['strict JSON refuses a top-level string', { method: 'POST', url: '/api/items', headers: { 'content-type': 'application/json', authorization: 'Token good' }, body: ' "text"' }],
  ['a body over the limit: 413 entity.too.large', { method: 'POST', url: '/api/items', headers: { 'content-type': 'application/json', authorization: 'Token good' }, body: JSON.stringify({ pad: 'x'.repeat(2000) }) }],
  ['an unsupported charset: 415', { method: 'POST', url: '/api/items', headers: { 'content-type': 'application/json; charset=latin1', authorization: 'Token good' }, body: '{}' }],
  ['another content type: the body is not parsed', { method: 'PUT', url: '/api/items/x', headers: { 'content-type': 'text/plain', authorization: 'Token good' }, body: '{"a":1}' }],
  ['an empty JSON body is {}', { method: 'PUT', url: '/api/items/x', headers: { 'content-type': 'application/json', authorization: 'Token good' }, body: '' }],
];

const RESPONSE_CASES: readonly (readonly [string, Case])[] = [
  ['a string: text/html with charset, x-powered-by on by default', { url: '/text' }],
  ['a number: JSON', { url: '/number' }],
  ['null: an empty body', { url: '/null' }],
  ['bytes: application/octet-stream', { url: '/bytes' }],
  ['res.type', { url: '/typed' }],
  ['a content-type with its own charset: replaced by utf-8', { url: '/ct' }],
  ['204 drops the body and its headers', { url: '/empty' }],
  ['205', { url: '/reset' }],
  ['sendStatus', { url: '/status' }],
  ['end with a chunk: Node adds content-length', { url: '/end' }],
  ['end with nothing', { url: '/end-nothing' }],
  ['set, append, vary, location', { url: '/headers' }],
  ['json spaces and escape', { url: '/spaces' }],
  ['json(undefined)', { url: '/undefined' }],
  ['a strong ETag', { url: '/strong' }],
  ['no ETag', { url: '/no-etag' }],
  ["next('route')", { url: '/route' }],
  ['a thrown error with a status: the final handler (production)', { url: '/boom' }],
  ['a rejected promise: 500 from the final handler', { url: '/reject' }],
  ['request facts', { url: '/echo?a=1&a=2&b', headers: { referer: 'https://from.example/', 'x-requested-with': 'XMLHttpRequest' } }],
  ['HEAD of a string body', { method: 'HEAD', url: '/text' }],
  ['a JSON body', { method: 'POST', url: '/body', headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"ü":"ß"}' }],
  ['a POST without a content type', { method: 'POST', url: '/body', body: '{"a":1}' }],
  ['malformed JSON to the final handler: 400 Bad Request', { method: 'POST', url: '/body', headers: { 'content-type': 'application/json' }, body: '{"a":' }],
  ['strict: false takes a top-level string', { method: 'POST', url: '/strict-off', headers: { 'content-type': 'application/json' }, body: '"just text"' }],
  ['a +json type', { method: 'POST', url: '/vendor', headers: { 'content-type': 'application/vnd.api+json' }, body: '{"data":[]}' }],
  ['a router mounted under a path', { url: '/api/v1/where?x=1' }],
];

describe('the Express lowering answers as real Express 5 does', () => {
  it.each(CONDUIT_CASES)('conduit-like app: %s', async (_name, c) => {
    const { real, lowered: mine } = await both(conduitLike, c);
    expect(mine).toEqual(real);
  });

  it.each(RESPONSE_CASES)('responses app: %s', async (_name, c) => {
    const { real, lowered: mine } = await both(responses, c);
    expect(mine).toEqual(real);
  });

  it('answers 304 to If-None-Match with the ETag both computed, and 200 to a stale one', async () => {
    const { real: first, lowered: mine } = await both(conduitLike, { url: '/api/items/first' });
    const etag = first.headers.find(([name]) => name === 'etag')![1];
    expect(mine.headers).toContainEqual(['etag', etag]);
    const fresh = await both(conduitLike, { url: '/api/items/first', headers: { 'if-none-match': `"other", ${etag}` } });
    expect(fresh.real.status).toBe(304);
    expect(fresh.lowered).toEqual(fresh.real);
    const stale = await both(conduitLike, { url: '/api/items/first', headers: { 'if-none-match': 'W/"0-nope"' } });
    expect(stale.real.status).toBe(200);
    expect(stale.lowered).toEqual(stale.real);
  });

  it("refuses a header once the response is sent, with Node's error", () => {
    const { res } = requestPair({ method: 'GET', url: '/', headers: { host: 'app.example' }, body: null });
    res.end('x');
    expect(res.headersSent).toBe(true);
    const error = (() => {
      try {
        res.setHeader('X-Late', '1');
      } catch (e) {
        return e as Error & { code?: string };
      }
      return null;
    })();
    expect([error?.name, error?.code, error?.message]).toEqual(['Error', 'ERR_HTTP_HEADERS_SENT', 'Cannot set headers after they are sent to the client']);
    expect(() => res.setHeader('Bad Name', 'x')).toThrow(/Cannot set headers/);
  });
});

describe('refusals and mime facts', () => {
  it('says what is not available instead of behaving differently', () => {
    const app = (lowered as unknown as () => { listen(): void; param(): void })();
    expect(() => app.listen()).toThrow(/app\.listen\(\) is not available inside a component/);
    expect(() => app.param()).toThrow(TypeError);
    expect(() => (lowered as unknown as { static(): void }).static()).toThrow(/express\.static\(\)/);
  });

  it("gives mime-types' content types for its extension table", () => {
    const mime = require('mime-types') as { contentType(t: string): string | false };
    for (const ext of Object.keys(EXTENSIONS)) expect([ext, mimeContentType(ext)]).toEqual([ext, mime.contentType(ext)]);
    for (const type of ['application/json', 'text/x-custom', 'application/x-unknown', 'application/fhir+json', 'image/png; charset=binary']) expect(mimeContentType(type)).toBe(mime.contentType(type));
  });

  it("parses query strings as node:querystring does", () => {
    const qs = require('node:querystring') as { parse(s: string): Record<string, unknown> };
    for (const q of ['a', '=x', '=', 'a=1&&b=2', 'a=1&a=2&a=3', 'a+b=c+d', 'x=%E4%B8%AD', 'x=%ZZ%41', 'x=%E4%B8', '&&', 'a=b=c', 'a&a=']) {
      expect([q, { ...querystringParse(q) }]).toEqual([q, { ...qs.parse(q) }]);
    }
  });
});
