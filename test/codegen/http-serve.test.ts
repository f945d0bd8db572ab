import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addressKey, createHttpTransport, linkDeadlines, MIN_HTTP_DEADLINE_MS } from '../../codegen/lower/http-link.js';
import { createHttpServe, RPC_STATUS, type HttpEntry } from '../../codegen/lower/http-serve.js';
import { createIncomingHandler, MAX_WRITE, type HttpTypesImport, type IncomingRequestResource } from '../../codegen/lower/http-wasi.js';
import { createDispatch, createLink, RpcFailure, StoplineRpcError, type Dispatch, type OutlinedFunction } from '../../codegen/lower/link.js';
import { createLinkAuth } from '../../codegen/lower/rpc-auth.js';
import { decodeCompletion, encodeCall, encodeCompletion } from '../../codegen/wire/index.js';
import { rpcPolicy } from '../../src/runtime/line/rpc-policy.js';
import { readProjectConfig } from '../../src/runtime/original/index.js';
import { repoRoot } from '../helpers/graph.js';

/**
 * A server stop's HTTP side on fakes (codegen/lower/http-serve.ts, http-wasi.ts,
 * http-link.ts): the routes of the contract and their status codes, the wasi:http
 * adapter's reading and chunked writing, and the link's HTTP transport (addresses,
 * status → rpc-error, retries of the same envelope, deadlines equal to the line's policy).
 * The same code runs for real inside the shop's components in test/serve/serve.test.ts.
 */

const KEY = 'k'.repeat(32);
const auth = (stop: string) => createLinkAuth({ stop, keys: () => ({ current: KEY, previous: undefined }) });
const s1: OutlinedFunction = async (liveIns) => ({ kind: 'return', value: (liveIns['n'] as number) * 2, liveOuts: {} });

function stopServe(entries: readonly HttpEntry[], handlers: Record<string, (...args: unknown[]) => unknown> = {}): { serve: (r: Request) => Promise<Response>; dispatch: Dispatch } {
  const dispatch = createDispatch({
    segments: { s1 },
    entries: handlers,
    env: {},
    guard: { callers: { s1: ['edge'] }, schemas: { s1: { fields: { n: { t: 'number' } } } }, untrusted: ['client'], auth: auth('origin') },
  });
  return { serve: createHttpServe({ stop: 'origin', dispatch, env: {}, entries }), dispatch };
}

const at = (p: string, init?: RequestInit): Request => new Request(`http://127.0.0.1:9${p}`, init);

describe('the routes of a server stop (http-serve.ts)', () => {
  it('health: 200 with the stop name; other methods 405', async () => {
    const { serve } = stopServe([]);
    const r = await serve(at('/.well-known/stopline/health'));
    expect([r.status, r.headers.get('content-type'), await r.text()]).toEqual([200, 'application/json', '{"stop":"origin"}']);
    expect((await serve(at('/.well-known/stopline/health', { method: 'POST', body: '' }))).status).toBe(405);
  });

  it('dispatch: the same invoke as the dispatch export, 200 text/plain with its answer', async () => {
    const { serve, dispatch } = stopServe([]);
    const call = (n: number): string => auth('edge').seal('origin', 's1', encodeCall({ segment: 's1', liveIns: { n } }));
    const r = await serve(at(`/.well-known/stopline/dispatch/${encodeURIComponent('s1')}`, { method: 'POST', body: call(21) }));
    expect([r.status, r.headers.get('content-type')]).toEqual([200, 'text/plain; charset=utf-8']);
    const answer = await r.text();
    expect(decodeCompletion(answer)).toMatchObject({ kind: 'return', value: 42 });
    expect(decodeCompletion(await dispatch.invoke('s1', call(21)))).toEqual(decodeCompletion(answer));
  });

  it('dispatch: #5\'s refusals become the contract\'s statuses, JSON bodies and stopline-rpc-error', async () => {
    const { serve } = stopServe([]);
    const post = (segment: string, body: string) => serve(at(`/.well-known/stopline/dispatch/${encodeURIComponent(segment)}`, { method: 'POST', body }));
    const outcome = async (r: Response) => [r.status, r.headers.get('stopline-rpc-error'), r.headers.get('content-type'), ((await r.json()) as { code: string }).code];
    expect(await outcome(await post('nope', 'x'))).toEqual([404, 'unknown-segment', 'application/json', 'unknown-segment']);
    expect(await outcome(await post('s1', encodeCall({ segment: 's1', liveIns: { n: 1 } })))).toEqual([401, 'unauthenticated', 'application/json', 'unauthenticated']);
    expect(await outcome(await post('s1', auth('edge').seal('origin', 's1', encodeCall({ segment: 's1', liveIns: { n: 'one' } }))))).toEqual([400, 'bad-payload', 'application/json', 'bad-payload']);
    expect((await serve(at('/.well-known/stopline/dispatch/s1'))).status).toBe(405);
  });

  it('maps every rpc-error code to its status', async () => {
    for (const [code, status] of Object.entries(RPC_STATUS)) {
      const dispatch: Dispatch = { invoke: () => Promise.reject(new RpcFailure(code, 'no')) };
      const r = await createHttpServe({ stop: 'edge', dispatch, env: {}, entries: [] })(at('/.well-known/stopline/dispatch/x', { method: 'POST', body: '' }));
      expect([r.status, r.headers.get('stopline-rpc-error')]).toEqual([status, code]);
    }
    expect(RPC_STATUS).toEqual({ 'unknown-segment': 404, 'bad-payload': 400, unauthenticated: 401, unavailable: 503, timeout: 504, internal: 500 });
  });

  it('serves a function entry at its route, one without a route at /.well-known/stopline/entry/<name>', async () => {
    const seen: string[] = [];
    const handler = (name: string) => async (request: unknown) => {
      seen.push(`${name} ${(request as Request).method} ${new URL((request as Request).url).pathname} ${await (request as Request).text()}`);
      return new Response(`from ${name}`, { status: 201, headers: { 'x-a': '1' } });
    };
    const { serve } = stopServe(
      [
        { name: 'item', route: { method: 'GET', path: '/items/:id' }, express: false },
        { name: 'any', route: { method: 'ALL', path: '/any' }, express: false },
        { name: 'plain', route: null, express: false },
      ],
      { item: handler('item'), any: handler('any'), plain: handler('plain') },
    );
    const r = await serve(at('/items/7'));
    expect([r.status, r.headers.get('x-a'), await r.text()]).toEqual([201, '1', 'from item']);
    expect((await serve(at('/items'))).status).toBe(404);
    expect((await serve(at('/items/7', { method: 'POST', body: '' }))).status).toBe(404);
    expect((await serve(at('/any', { method: 'PUT', body: 'b' }))).status).toBe(201);
    expect((await serve(at('/.well-known/stopline/entry/plain', { method: 'POST', body: 'p' }))).status).toBe(201);
    expect((await serve(at('/.well-known/stopline/entry/plain'))).status).toBe(405);
    expect((await serve(at('/.well-known/stopline/entry/item', { method: 'POST', body: '' }))).status).toBe(404);
    expect(seen).toEqual(['item GET /items/7 ', 'any PUT /any b', 'plain POST /.well-known/stopline/entry/plain p']);
  });

  it('sends a request no route matches to the Express application when the stop serves one', async () => {
    const { serve } = stopServe([{ name: 'GET /a', route: { method: 'GET', path: '/a' }, express: true }], { 'GET /a': async (r: unknown) => new Response(`app saw ${new URL((r as Request).url).pathname}`, { status: 404 }) });
    const r = await serve(at('/elsewhere'));
    expect([r.status, await r.text()]).toEqual([404, 'app saw /elsewhere']);
  });

  it('an entry that throws, or returns no Response, answers 500 naming only the error', async () => {
    class Secretive extends Error {
      override name = 'Secretive';
    }
    const { serve } = stopServe(
      [
        { name: 'boom', route: { method: 'GET', path: '/boom' }, express: false },
        { name: 'odd', route: { method: 'GET', path: '/odd' }, express: false },
      ],
      {
        boom: () => {
          throw new Secretive('the key is hunter2');
        },
        odd: () => 42,
      },
    );
    const boom = await serve(at('/boom'));
    expect([boom.status, boom.headers.get('stopline-entry-error'), await boom.text()]).toEqual([500, 'Secretive', 'Internal Server Error']);
    const odd = await serve(at('/odd'));
    expect([odd.status, odd.headers.get('stopline-entry-error')]).toEqual([500, 'not-a-response']);
  });
});

/** Fakes of the wasi:http resources, recording what the adapter does. */
function fakeHttp(log: string[]): HttpTypesImport {
  class Fields {
    constructor(readonly list: [string, Uint8Array][]) {}
    static fromList(list: [string, Uint8Array][]) {
      return new Fields(list);
    }
  }
  const decoder = new TextDecoder();
  return {
    Fields,
    OutgoingResponse: class {
      constructor(readonly headers: Fields) {
        log.push(`headers ${headers.list.map(([n, v]) => `${n}=${decoder.decode(v)}`).join(';')}`);
      }
      setStatusCode(s: number) {
        log.push(`status ${s}`);
      }
      body() {
        return { write: () => ({ blockingWriteAndFlush: (c: Uint8Array) => log.push(`write ${c.length} ${decoder.decode(c).slice(0, 3)}`) }) };
      }
    } as unknown as HttpTypesImport['OutgoingResponse'],
    OutgoingBody: { finish: () => void log.push('finish') },
    IncomingBody: { finish: () => ({}) },
    ResponseOutparam: { set: (_p, r) => void log.push(`set ${r.tag}`) },
  };
}

function fakeRequest(method: { tag: string; val?: string }, pathWithQuery: string, headers: [string, string][], chunks: string[]): IncomingRequestResource {
  const encoder = new TextEncoder();
  const pending = chunks.map((c) => encoder.encode(c));
  return {
    method: () => method,
    pathWithQuery: () => pathWithQuery,
    scheme: () => ({ tag: 'HTTP' }),
    authority: () => '127.0.0.1:8101',
    headers: () => ({ entries: () => headers.map(([n, v]) => [n, encoder.encode(v)] as [string, Uint8Array]) }),
    consume: () => ({
      stream: () => ({
        blockingRead: () => {
          const next = pending.shift();
          if (next === undefined) throw Object.assign(new Error('closed'), { payload: { tag: 'closed' } });
          return next;
        },
      }),
    }),
  };
}

describe('the wasi:http adapter (http-wasi.ts) on fake resources', () => {
  it('reads method, URL, headers and the whole body; writes status, headers, then the body in writes of at most 4096 bytes', async () => {
    const log: string[] = [];
    let seen = '';
    const big = 'abc'.repeat(5000);
    const handler = createIncomingHandler(fakeHttp(log), async (request) => {
      seen = `${request.method} ${request.url} ${request.headers.get('x-user-id')} ${await request.text()}`;
      return new Response(big, { status: 202, headers: { 'content-type': 'text/plain' } });
    });
    await handler.handle(fakeRequest({ tag: 'post' }, '/cart/items?x=1', [['x-user-id', 'ada']], ['{"a":', '1}']), {});
    expect(seen).toBe('POST http://127.0.0.1:8101/cart/items?x=1 ada {"a":1}');
    const writes = log.filter((l) => l.startsWith('write '));
    expect(writes.map((w) => Number(w.split(' ')[1]))).toEqual([4096, 4096, 4096, 2712]);
    expect(writes.every((w) => Number(w.split(' ')[1]) <= MAX_WRITE)).toBe(true);
    expect(log[0]).toMatch(/^headers .*content-type=text\/plain/);
    expect(log.slice(1, 3)).toEqual(['status 202', 'set ok']);
    expect(log.at(-1)).toBe('finish');
  });

  it('sends no body to HEAD (nor for 204/304), and never a content-length the body sent does not have', async () => {
    const log: string[] = [];
    const handler = createIncomingHandler(fakeHttp(log), async () => new Response('twelve bytes', { status: 200, headers: { 'content-length': '12', 'x-a': '1' } }));
    await handler.handle(fakeRequest({ tag: 'head' }, '/', [], []), {});
    expect(log.filter((l) => l.startsWith('write '))).toEqual([]);
    expect(log[0]).toBe('headers content-type=text/plain;charset=UTF-8;x-a=1');
    const wrong: string[] = [];
    await createIncomingHandler(fakeHttp(wrong), async () => new Response('abc', { headers: { 'content-length': '99' } })).handle(fakeRequest({ tag: 'get' }, '/', [], []), {});
    expect(wrong[0]).not.toContain('content-length');
    expect(wrong).toContain('write 3 abc');
    const right: string[] = [];
    await createIncomingHandler(fakeHttp(right), async () => new Response('abc', { headers: { 'content-length': '3' } })).handle(fakeRequest({ tag: 'get' }, '/', [], []), {});
    expect(right[0]).toContain('content-length=3');
  });

  it('a failure before the response answers 500 internal', async () => {
    const log: string[] = [];
    const handler = createIncomingHandler(fakeHttp(log), () => Promise.reject(new TypeError('broken')));
    await handler.handle(fakeRequest({ tag: 'other', val: 'PURGE' }, '/', [], []), {});
    expect(log).toContain('status 500');
    expect(log[0]).toContain('stopline-rpc-error=internal');
  });
});

describe('link calls over HTTP (http-link.ts)', () => {
  const config = (values: Record<string, string>) => ({ get: (k: string) => values[k], getAll: () => Object.entries(values) });
  type Timers = { setTimeout: (fn: () => void, ms: number) => unknown; clearTimeout: (h: unknown) => void };
  const immediate: Timers = { setTimeout: (fn) => (fn(), 0), clearTimeout: () => {} };
  const never: Timers = { setTimeout: () => 0, clearTimeout: () => {} };

  it('names addresses as the contract says', () => {
    expect(['origin', 'eu-west.2', 'Shield'].map(addressKey)).toEqual(['STOPLINE_ADDR_ORIGIN', 'STOPLINE_ADDR_EU_WEST_2', 'STOPLINE_ADDR_SHIELD']);
  });

  it('leaves a stop without an address to the link import; POSTs the payload as it is to one with an address', async () => {
    const calls: string[] = [];
    const transport = createHttpTransport({
      config: config({ STOPLINE_ADDR_ORIGIN: 'http://127.0.0.1:8102/' }),
      deadlines: {},
      fetch: (async (url: string, init: RequestInit) => {
        calls.push(`${init.method} ${url} ${String(init.body)}`);
        return new Response('answer', { status: 200 });
      }) as typeof fetch,
      ...never,
    });
    expect(transport('shield', 's#1', 'p')).toBeUndefined();
    expect(await transport('origin', 'seg#1/x', 'payload')).toBe('answer');
    expect(calls).toEqual(['POST http://127.0.0.1:8102/.well-known/stopline/dispatch/seg%231%2Fx payload']);
  });

  it('retries unavailable and timeout with the same envelope, never another error; maps statuses to rpc-errors', async () => {
    const run = async (answers: (() => Promise<Response>)[], timers: Timers = never) => {
      const bodies: string[] = [];
      const transport = createHttpTransport({
        config: config({ STOPLINE_ADDR_ORIGIN: 'http://o' }),
        deadlines: {},
        fetch: ((_u: string, init: RequestInit) => {
          bodies.push(String(init.body));
          return (answers.shift() ?? (() => new Promise<Response>(() => {})))();
        }) as typeof fetch,
        ...timers,
      });
      const outcome = await transport('origin', 's', 'sealed')!.then(
        (a) => a,
        (e: { payload?: { code: string } }) => `err ${e.payload?.code}`,
      );
      return { outcome, bodies };
    };
    const status = (s: number, headers: Record<string, string> = {}, body = '') => () => Promise.resolve(new Response(body, { status: s, headers }));
    expect(await run([status(503), status(502), status(200, {}, 'ok')])).toEqual({ outcome: 'ok', bodies: ['sealed', 'sealed', 'sealed'] });
    expect(await run([status(401, { 'stopline-rpc-error': 'unauthenticated' })])).toEqual({ outcome: 'err unauthenticated', bodies: ['sealed'] });
    expect((await run([status(400, {}, '{"code":"bad-payload","message":"m"}')])).outcome).toBe('err bad-payload');
    expect((await run([status(404)])).outcome).toBe('err unknown-segment');
    expect((await run([status(418)])).outcome).toBe('err internal');
    const refused = () => Promise.reject(new TypeError('fetch failed'));
    expect(await run([refused, refused, refused])).toEqual({ outcome: 'err unavailable', bodies: ['sealed', 'sealed', 'sealed'] });
    expect((await run([status(504), status(504), status(504)])).outcome).toBe('err timeout');
    // no answer within the deadline (the timer fires at once here): timeout, three attempts
    expect(await run([], immediate)).toEqual({ outcome: 'err timeout', bodies: ['sealed', 'sealed', 'sealed'] });
  });

  it('the deadlines are the line policy\'s (rpc-policy.ts), at least MIN_HTTP_DEADLINE_MS over HTTP', () => {
    for (const fixture of ['shop', 'pages', 'offload', 'conduit']) {
      const line = readProjectConfig(path.join(repoRoot, 'fixtures', fixture)).line.stops;
      const names = line.map((s) => s.name);
      const oneWay = (a: string, b: string) => {
        const [i, j] = [names.indexOf(a), names.indexOf(b)];
        return line.slice(Math.min(i, j) + 1, Math.max(i, j) + 1).reduce((sum, s) => sum + s.latencyMs, 0);
      };
      const policy = rpcPolicy({}, names, (a, b) => 2 * oneWay(a, b));
      for (const from of names) {
        const ours = linkDeadlines(line, from);
        expect(Object.keys(ours)).toEqual(names.slice(names.indexOf(from) + 1));
        for (const [to, ms] of Object.entries(ours)) expect(ms, `${fixture} ${from}→${to}`).toBe(policy.deadline(from, to));
      }
    }
    expect(MIN_HTTP_DEADLINE_MS).toBe(2000);
  });

  it('a failed HTTP call reaches the program as StoplineRpcError; without an address the link import carries it', async () => {
    const imported: string[] = [];
    const link = createLink({
      link: { call: (stop, segment) => (imported.push(`${stop} ${segment}`), encodeCompletion({ kind: 'return', value: 'via import', liveOuts: {} })) },
      env: {},
      transport: createHttpTransport({ config: config({ STOPLINE_ADDR_ORIGIN: 'http://o' }), deadlines: {}, fetch: (async () => new Response('', { status: 401, headers: { 'stopline-rpc-error': 'unauthenticated' } })) as unknown as typeof fetch, ...never }),
    });
    const error = await link.call('origin', 's9', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoplineRpcError);
    expect(error).toMatchObject({ code: 'unauthenticated', stop: 'origin', segment: 's9' });
    expect(await link.call('shield', 's8', {})).toMatchObject({ kind: 'return', value: 'via import' });
    expect(imported).toEqual(['shield s8']);
  });
});
