import { describe, expect, it } from 'vitest';
import { createExpressModule, serveExpress, type ExpressApp } from '../../codegen/lower/express.js';
import { createExpressCrossing, runRoute } from '../../codegen/lower/express-crossing.js';
import { createDispatch, createErrorClasses, createLink, type LinkImpl, type OutlinedFunction } from '../../codegen/lower/link.js';

/**
 * Express's req and res crossing a cut, on the guest link and dispatch (codegen/lower/
 * link.ts) with the Express lowering at both stops: the caller's response must come out
 * exactly as when everything runs at one stop, whatever the callee did to req and res.
 */

/* eslint-disable @typescript-eslint/no-explicit-any -- the apps are plain Express code */
type Handler = (req: any, res: any, next: any) => unknown;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const express = createExpressModule() as unknown as ((...a: unknown[]) => ExpressApp) & { json(o?: unknown): Handler; Router(): any };

/**
 * Two stops, `edge` calling `origin` through the wire, each with its own application and
 * crossing. The guest's link import is synchronous (the host runs the other component's
 * dispatch to completion); here the dispatch's answer is computed first — from the payload
 * a probe link packs, the same text — and then handed to the caller's link.
 */
function twoStops(segments: Record<string, OutlinedFunction>, build: (remote: LinkImpl) => ExpressApp): ExpressApp {
  let originApp: ExpressApp | null = null;
  const errorClasses = createErrorClasses({ 'src/errors.ts#HttpError': HttpError });
  const env = {};
  const dispatch = createDispatch({ segments, entries: {}, env, crossings: [createExpressCrossing({ app: () => originApp })], errorClasses });
  let prepared: string | null = null;
  const caller = createLink({
    env,
    crossings: [createExpressCrossing()],
    errorClasses,
    link: {
      call: () => {
        if (prepared === null) throw new Error('no answer prepared');
        const text = prepared;
        prepared = null;
        return text;
      },
    },
  });
  const payloadOf = async (stop: string, segment: string, liveIns: Record<string, unknown>): Promise<string> => {
    let captured: string | null = null;
    const probe = createLink({
      env,
      crossings: [createExpressCrossing()],
      errorClasses,
      link: {
        call: (_stop, _segment, payload) => {
          captured = payload;
          throw Object.assign(new Error('probe'), { payload: { code: 'probe', message: 'probe' } });
        },
      },
    });
    await probe.call(stop, segment, liveIns).catch(() => undefined);
    return captured!;
  };
  const wired: LinkImpl = {
    async call(stop, segment, liveIns) {
      prepared = await dispatch.invoke(segment, await payloadOf(stop, segment, liveIns));
      return caller.call(stop, segment, liveIns);
    },
    handle: () => undefined,
  };
  const app = build(wired);
  originApp = build(wired);
  return app;
}

async function answer(app: ExpressApp, init: { method?: string; url: string; headers?: Record<string, string>; body?: string }) {
  const response = await serveExpress(app, new Request(`https://app.example${init.url}`, { method: init.method ?? 'GET', headers: init.headers ?? {}, ...(init.body === undefined ? {} : { body: init.body }) }));
  return { status: response.status, headers: [...response.headers].sort(([a], [b]) => (a < b ? -1 : 1)), body: await response.text() };
}

function errorHandler(err: any, _req: any, res: any, next: any) {
  if (res.headersSent) return next(err);
  if (err instanceof HttpError) return res.status(err.status).json({ errors: { body: [err.message] } });
  res.status(500).json({ errors: { body: ['internal server error'] } });
}

describe('res crossing as a recorder', () => {
  // The POST shape: part of the handler runs at the origin with `res`.
  const tail = async (res: any, value: unknown) => {
    if (value === 'missing') throw new HttpError(404, 'not found');
    res.status(201).set('X-From', 'origin').json({ created: value });
  };
  const single = (): ExpressApp => {
    const app: any = express();
    app.use(express.json());
    app.post('/items', async (req: any, res: any) => {
      await tail(res, req.body.name);
    });
    app.use(errorHandler);
    return app;
  };
  const split = (): ExpressApp =>
    twoStops(
      { seg: async (liveIns) => (await tail(liveIns['res'], liveIns['value']), { kind: 'normal', liveOuts: {} }) },
      (link) => {
        const app: any = express();
        app.use(express.json());
        app.post('/items', async (req: any, res: any) => {
          await link.call('origin', 'seg', { res, value: req.body.name });
        });
        app.use(errorHandler);
        return app;
      },
    );

  it('replays status, headers and the JSON body (content-length, ETag) on the caller’s response', async () => {
    const request = { method: 'POST', url: '/items', headers: { 'content-type': 'application/json' }, body: '{"name":"a"}' };
    const expected = await answer(single(), request);
    expect(expected.status).toBe(201);
    expect(await answer(split(), request)).toEqual(expected);
  });

  it('rethrows the callee’s error as its own class, so the caller’s error handler answers as before', async () => {
    const request = { method: 'POST', url: '/items', headers: { 'content-type': 'application/json' }, body: '{"name":"missing"}' };
    const expected = await answer(single(), request);
    expect([expected.status, expected.body]).toEqual([404, '{"errors":{"body":["not found"]}}']);
    expect(await answer(split(), request)).toEqual(expected);
  });

  it('never sends a response again that the caller had already ended: the callee sees it ended and its write fails as Express’s would', async () => {
    const build = (remote: boolean) =>
      twoStops(
        {
          seg: async (liveIns) => {
            const res = liveIns['res'] as any;
            let code = 'none';
            try {
              res.json({ second: true });
            } catch (error: any) {
              code = error.code;
            }
            return { kind: 'return', value: { headersSent: res.headersSent, code }, liveOuts: {} };
          },
        },
        (link) => {
          const app: any = express();
          app.get('/twice', async (_req: any, res: any) => {
            res.json({ first: true });
            const seen = remote ? (await link.call('origin', 'seg', { res }) as any).value : null;
            if (seen) res.locals.seen = seen;
          });
          return app;
        },
      );
    const local = await answer(build(false), { url: '/twice' });
    const crossed = await answer(build(true), { url: '/twice' });
    expect(crossed).toEqual(local);
    expect(crossed.body).toBe('{"first":true}');
  });
});

describe('a route forwarded whole', () => {
  const auth: Handler = (req, _res, next) => {
    if (req.get('authorization') !== 'Token good') throw new HttpError(401, 'missing authorization token');
    req.user = { id: 7 };
    next();
  };
  const handler: Handler = async (req, res) => {
    if (req.params.slug === 'gone') throw new HttpError(404, 'article not found');
    res.json({ slug: req.params.slug, user: req.user, body: req.body, query: req.query });
  };
  const single = (): ExpressApp => {
    const app: any = express();
    app.use(express.json());
    app.put('/a/:slug', auth, handler);
    app.put('/a/:slug', (req: any, res: any) => res.status(418).json({ later: true, user: req.user ?? null }));
    app.use(errorHandler);
    return app;
  };
  const split = (): ExpressApp =>
    twoStops(
      {
        route: async (liveIns) => ({ kind: 'return', value: await runRoute([auth, handler], liveIns['req'] as any, liveIns['res'] as any, '/a/:slug'), liveOuts: {} }),
      },
      (link) => {
        const app: any = express();
        app.use(express.json());
        app.put('/a/:slug', async (req: any, res: any, next: any) => {
          const how = ((await link.call('origin', 'route', { req, res })) as { value: string }).value;
          if (how === 'next') next();
          else if (how === 'router') next('router');
        });
        app.put('/a/:slug', (req: any, res: any) => res.status(418).json({ later: true, user: req.user ?? null }));
        app.use(errorHandler);
        return app;
      },
    );

  const cases: readonly (readonly [string, { method?: string; url: string; headers?: Record<string, string>; body?: string }])[] = [
    ['the middleware and the handler at the other stop, with params, query, body and req.user', { method: 'PUT', url: '/a/first?x=1', headers: { 'content-type': 'application/json', authorization: 'Token good' }, body: '{"t":1}' }],
    ['the middleware throws: the arrival stop’s error handler answers', { method: 'PUT', url: '/a/first', headers: { 'content-type': 'application/json' }, body: '{}' }],
    ['the handler throws', { method: 'PUT', url: '/a/gone', headers: { 'content-type': 'application/json', authorization: 'Token good' }, body: '{}' }],
  ];
  it.each(cases)('%s', async (_name, request) => {
    const expected = await answer(single(), request);
    expect(await answer(split(), request)).toEqual(expected);
  });

  it('brings back what the other stop set on req (req.user) for the routes after it', async () => {
    const chainNext: Handler = (req, _res, next) => {
      req.user = { id: 9 };
      next();
    };
    const build = (remote: boolean) =>
      twoStops(
        { route: async (liveIns) => ({ kind: 'return', value: await runRoute([chainNext], liveIns['req'] as any, liveIns['res'] as any, '/b'), liveOuts: {} }) },
        (link) => {
          const app: any = express();
          if (remote) {
            app.get('/b', async (req: any, res: any, next: any) => {
              const how = ((await link.call('origin', 'route', { req, res })) as { value: string }).value;
              if (how === 'next') next();
            });
          } else app.get('/b', chainNext);
          app.get('/b', (req: any, res: any) => res.json({ user: req.user }));
          return app;
        },
      );
    const local = await answer(build(false), { url: '/b' });
    expect(local.body).toBe('{"user":{"id":9}}');
    expect(await answer(build(true), { url: '/b' })).toEqual(local);
  });
});
