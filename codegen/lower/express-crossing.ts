import { ExpressRequest, ExpressResponse, createApplication, type ExpressApp } from './express.js';
import { Route } from './express-router.js';
import type { HeaderValue } from './express-http.js';
import { NOT_MINE, type Crossing, type CrossingSession } from './link.js';

/**
 * Express's `req` and `res` crossing a cut (a Crossing of codegen/lower/link.ts).
 *
 * `req` crosses as its data: method, url, originalUrl, baseUrl, headers, params, body, and
 * the own properties the program set on it (`req.user` from an auth middleware). At the
 * callee it is a request of this lowering with that data (its `query`, `path`, `get()`…
 * derived from it as usual); what the callee sets on it (own properties, `body`) comes
 * back and is set on the caller's `req`.
 *
 * `res` crosses as its state (status, headers with the names and values as set, whether
 * the headers were sent or the response ended, `locals`, and its `req`). At the callee it
 * is a recorder: a response of this lowering that starts in that state, behaves exactly as
 * one (reads answer from its state, `json` computes the body, content-type, length and
 * ETag, `setHeader` after the headers are sent throws ERR_HTTP_HEADERS_SENT…), and logs
 * every primitive change it makes — status code and message, header set and removal,
 * writeHead, write, end. The log comes back with the completion, whatever it is (a throw
 * too: a status set before the error is part of the response), and is replayed on the
 * caller's real `res` in order, before the caller returns or rethrows: `res.json(…)` at the
 * origin ends the response at the edge. A response already ended at the caller arrives
 * ended, so nothing at the callee can write it again (its writes are what real Express
 * would do with an ended response: an error, or nothing) and the log holds no second
 * answer. The recorder's `app` is the callee stop's own copy of the application (the same
 * module, so the same settings; runtime `app.set` calls made at the caller are not seen).
 *
 * The same `req` packed twice in one call (a live-in and `res.req`) is one request at the
 * callee.
 */

const REQ = '__stopline_express_req';
const RES = '__stopline_express_res';

/** What Express and the lowering manage on a request themselves: never carried as the program's own properties. */
const MANAGED = new Set([
  'method', 'url', 'headers', 'rawHeaders', 'httpVersion', 'httpVersionMajor', 'httpVersionMinor', 'socket', 'complete',
  'params', 'originalUrl', 'baseUrl', 'route', 'next', 'body', 'res', 'app',
]);

interface PackedRequest {
  readonly id: number;
  readonly method: string;
  readonly url: string;
  readonly originalUrl: string | undefined;
  readonly baseUrl: string | undefined;
  readonly headers: Record<string, string>;
  readonly params: Record<string, unknown> | undefined;
  readonly hasBody: boolean;
  readonly body: unknown;
  readonly complete: boolean;
  readonly props: Record<string, unknown>;
}

interface PackedResponse {
  readonly id: number;
  readonly statusCode: number;
  readonly statusMessage: string | undefined;
  readonly headers: [string, HeaderValue][];
  readonly headersSent: boolean;
  readonly ended: boolean;
  readonly locals: Record<string, unknown>;
  readonly req: { readonly [REQ]: PackedRequest } | null;
}

/** One primitive change of a response, as the recorder logs it and the caller replays it. */
export type ResponseOp =
  | readonly ['status', number]
  | readonly ['message', string | undefined]
  | readonly ['set', string, HeaderValue]
  | readonly ['remove', string]
  | readonly ['head']
  | readonly ['write', string | Uint8Array]
  | readonly ['end', string | Uint8Array | null];

interface Effects {
  readonly requests: Record<number, { props: Record<string, unknown>; removed: string[]; hasBody: boolean; body: unknown }>;
  readonly responses: Record<number, { ops: ResponseOp[]; locals: Record<string, unknown> }>;
}

function ownProps(req: ExpressRequest): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(req)) if (!MANAGED.has(key)) out[key] = (req as unknown as Record<string, unknown>)[key];
  return out;
}

/** A response that logs its primitive changes once `recording` is on. */
export class RecordingResponse extends ExpressResponse {
  readonly ops: ResponseOp[] = [];
  recording = false;

  override get statusCode(): number {
    return super.statusCode;
  }
  override set statusCode(code: number) {
    super.statusCode = code;
    if (this.recording) this.ops.push(['status', code]);
  }
  override get statusMessage(): string | undefined {
    return super.statusMessage;
  }
  override set statusMessage(message: string | undefined) {
    super.statusMessage = message;
    if (this.recording) this.ops.push(['message', message]);
  }

  override setHeader(name: string, value: HeaderValue | undefined): this {
    super.setHeader(name, value);
    if (this.recording) this.ops.push(['set', name, value as HeaderValue]);
    return this;
  }

  override removeHeader(name: string): void {
    super.removeHeader(name);
    if (this.recording) this.ops.push(['remove', name]);
  }

  protected override sendHeaders(): void {
    const first = !this.headersSent;
    super.sendHeaders();
    if (this.recording && first) this.ops.push(['head']);
  }

  override write(chunk: string | Uint8Array, encoding?: string | (() => void), callback?: () => void): boolean {
    const ended = this.writableEnded;
    const written = super.write(chunk, encoding, callback);
    if (this.recording && !ended) this.ops.push(['write', chunk]);
    return written;
  }

  override end(chunk?: string | Uint8Array | (() => void), encoding?: string | (() => void), callback?: () => void): this {
    const ended = this.writableEnded;
    super.end(chunk, encoding, callback);
    if (this.recording && !ended) this.ops.push(['end', typeof chunk === 'function' || chunk === undefined ? null : chunk]);
    return this;
  }

  /** Puts the response in a crossed state without logging it. */
  restore(state: PackedResponse): void {
    this.statusCode = state.statusCode;
    this.statusMessage = state.statusMessage;
    for (const [name, value] of state.headers) this.setHeader(name, value);
    if (state.headersSent) super.sendHeaders();
    if (state.ended) super.end();
  }
}

/** Replays a recorder's log on a real response, in order. */
export function replay(res: ExpressResponse, ops: readonly ResponseOp[]): void {
  for (const op of ops) {
    switch (op[0]) {
      case 'status':
        res.statusCode = op[1];
        break;
      case 'message':
        res.statusMessage = op[1];
        break;
      case 'set':
        res.setHeader(op[1], op[2]);
        break;
      case 'remove':
        res.removeHeader(op[1]);
        break;
      case 'head':
        if (!res.headersSent) res.writeHead(res.statusCode);
        break;
      case 'write':
        res.write(op[1]);
        break;
      case 'end':
        res.end(op[1] ?? undefined);
        break;
    }
  }
}

interface CallerState {
  next: number;
  readonly ids: Map<object, number>;
  readonly objects: Map<number, object>;
  readonly packed: Map<object, unknown>;
}

interface CalleeState {
  readonly requests: Map<number, ExpressRequest>;
  readonly responses: Map<number, RecordingResponse>;
  readonly before: Map<number, Record<string, unknown>>;
}

function callerState(session: CrossingSession): CallerState {
  let state = session.state.get('caller') as CallerState | undefined;
  if (!state) {
    state = { next: 0, ids: new Map(), objects: new Map(), packed: new Map() };
    session.state.set('caller', state);
  }
  return state;
}

function calleeState(session: CrossingSession): CalleeState {
  let state = session.state.get('callee') as CalleeState | undefined;
  if (!state) {
    state = { requests: new Map(), responses: new Map(), before: new Map() };
    session.state.set('callee', state);
  }
  return state;
}

export interface ExpressCrossingOptions {
  /** The application of this stop (the project's exported `express()`), for the settings of crossed objects; default: a fresh one with Express's defaults. */
  readonly app?: () => unknown;
}

export function createExpressCrossing(options: ExpressCrossingOptions = {}): Crossing {
  let fallback: ExpressApp | null = null;
  const appOf = (): ExpressApp => {
    const given = options.app?.();
    if (typeof given === 'function' && typeof (given as unknown as Partial<ExpressApp>).handle === 'function') return given as unknown as ExpressApp;
    return (fallback ??= createApplication());
  };

  const packRequest = (req: ExpressRequest, state: CallerState): { [REQ]: PackedRequest } => {
    const known = state.packed.get(req) as { [REQ]: PackedRequest } | undefined;
    if (known) return known;
    const id = state.next++;
    state.ids.set(req, id);
    state.objects.set(id, req);
    const hasBody = 'body' in req;
    const packed = {
      [REQ]: {
        id,
        method: req.method,
        url: req.url,
        originalUrl: req.originalUrl,
        baseUrl: req.baseUrl,
        headers: { ...req.headers },
        params: req.params === undefined ? undefined : { ...req.params },
        hasBody,
        body: hasBody ? req.body : undefined,
        complete: req.complete,
        props: ownProps(req),
      },
    };
    state.packed.set(req, packed);
    return packed;
  };

  const unpackRequest = (p: PackedRequest, state: CalleeState): ExpressRequest => {
    const known = state.requests.get(p.id);
    if (known) return known;
    const req = new ExpressRequest({ method: p.method, url: p.url, headers: p.headers, body: null });
    req.complete = p.complete;
    if (p.originalUrl !== undefined) req.originalUrl = p.originalUrl;
    if (p.baseUrl !== undefined) req.baseUrl = p.baseUrl;
    if (p.params !== undefined) req.params = p.params;
    if (p.hasBody) req.body = p.body;
    Object.assign(req, p.props);
    Object.defineProperty(req, 'app', { value: appOf(), writable: true, configurable: true, enumerable: false });
    state.requests.set(p.id, req);
    state.before.set(p.id, ownProps(req));
    return req;
  };

  return {
    name: 'express',
    pack(value, session) {
      if (value instanceof ExpressRequest) return packRequest(value, callerState(session));
      if (!(value instanceof ExpressResponse)) return undefined;
      const state = callerState(session);
      const known = state.packed.get(value);
      if (known) return known;
      const id = state.next++;
      state.ids.set(value, id);
      state.objects.set(id, value);
      const headers = value.getHeaderNames().map((key): [string, HeaderValue] => [value.headerName(key), value.getHeader(key)!]);
      const packed = {
        [RES]: {
          id,
          statusCode: value.statusCode,
          statusMessage: value.statusMessage,
          headers,
          headersSent: value.headersSent,
          ended: value.writableEnded,
          locals: { ...(value.locals ?? {}) },
          req: value.req ? packRequest(value.req, state) : null,
        } satisfies PackedResponse,
      };
      state.packed.set(value, packed);
      return packed;
    },
    unpack(packed, session) {
      if (REQ in packed) return unpackRequest(packed[REQ] as PackedRequest, calleeState(session));
      if (!(RES in packed)) return NOT_MINE;
      const p = packed[RES] as PackedResponse;
      const state = calleeState(session);
      const known = state.responses.get(p.id);
      if (known) return known;
      const req = p.req ? unpackRequest(p.req[REQ], state) : null;
      const res = new RecordingResponse({ method: req?.method ?? 'GET' });
      res.restore(p);
      res.recording = true;
      Object.defineProperty(res, 'app', { value: appOf(), writable: true, configurable: true, enumerable: false });
      Object.defineProperty(res, 'locals', { value: { ...p.locals }, writable: true, configurable: true, enumerable: false });
      if (req) {
        Object.defineProperty(res, 'req', { value: req, writable: true, configurable: true, enumerable: false });
        Object.defineProperty(req, 'res', { value: res, writable: true, configurable: true, enumerable: false });
      }
      state.responses.set(p.id, res);
      return res;
    },
    effects(session) {
      const state = session.state.get('callee') as CalleeState | undefined;
      if (!state) return undefined;
      const effects: Effects = { requests: {}, responses: {} };
      for (const [id, req] of state.requests) {
        const before = state.before.get(id) ?? {};
        const after = ownProps(req);
        effects.requests[id] = { props: after, removed: Object.keys(before).filter((k) => !(k in after)), hasBody: 'body' in req, body: req.body };
      }
      for (const [id, res] of state.responses) effects.responses[id] = { ops: res.ops, locals: { ...res.locals } };
      return effects;
    },
    apply(effects, session) {
      const state = session.state.get('caller') as CallerState | undefined;
      if (!state) return;
      const e = effects as Effects;
      for (const [id, change] of Object.entries(e.requests)) {
        const req = state.objects.get(Number(id));
        if (!(req instanceof ExpressRequest)) continue;
        for (const key of change.removed) delete (req as unknown as Record<string, unknown>)[key];
        Object.assign(req, change.props);
        if (change.hasBody) req.body = change.body;
      }
      for (const [id, change] of Object.entries(e.responses)) {
        const res = state.objects.get(Number(id));
        if (!(res instanceof ExpressResponse)) continue;
        const locals = res.locals;
        if (locals) {
          for (const k of Object.keys(locals)) delete locals[k];
          Object.assign(locals, change.locals);
        }
        replay(res, change.ops);
      }
    },
  };
}

/** How a forwarded route ended at the stop it ran at: the arrival stop's forwarder continues accordingly. */
export type RouteOutcome = 'done' | 'next' | 'router';

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Runs a route's functions (a route forwarded whole to this stop: codegen/outline/
 * express-route.ts) on the crossed req/res the way Express 5's route dispatch runs them:
 * in order, each with (req, res, next), error handlers (four parameters) only for an error,
 * a throw or a rejected promise as next(err). Resolves with how the route ended — 'next'
 * (a function called next() after the last one, or next('route'): the router goes on),
 * 'router' (next('router')), 'done' (the functions returned without calling next: their
 * promises settled, or the response ended) — and rejects with an error no function of the
 * route handled, for the arrival stop's error handlers. A function that answers later
 * without returning a promise (a callback) is not waited for.
 */
export function runRoute(functions: readonly unknown[], req: ExpressRequest, res: ExpressResponse, path: string): Promise<RouteOutcome> {
  return new Promise<RouteOutcome>((resolve, reject) => {
    let settled = false;
    let pending = 0;
    let dispatched = false;
    const finish = (outcome: { ok: true; value: RouteOutcome } | { ok: false; error: unknown }): void => {
      if (settled) return;
      settled = true;
      if (outcome.ok) resolve(outcome.value);
      else reject(outcome.error);
    };
    const idle = (): void => {
      if (dispatched && pending === 0) finish({ ok: true, value: 'done' });
    };
    const track = (returned: unknown): unknown => {
      if (isThenable(returned)) {
        pending++;
        returned.then(
          () => {
            pending--;
            queueMicrotask(idle);
          },
          () => {
            pending--;
            queueMicrotask(idle);
          },
        );
      }
      return returned;
    };
    const route = new Route(path);
    const wrapped = functions.map((fn) => {
      if (typeof fn !== 'function') throw new TypeError('argument handler must be a function');
      const f = fn as (...args: unknown[]) => unknown;
      // Keep the arity: the route tells error handlers from the others by it.
      return f.length === 4
        ? function (this: unknown, err: unknown, q: unknown, s: unknown, n: unknown) {
            return track(f.call(this, err, q, s, n));
          }
        : function (this: unknown, q: unknown, s: unknown, n: unknown) {
            return track(f.call(this, q, s, n));
          };
    });
    route.all(...wrapped);
    route.dispatch(req, res, (err) => {
      if (err === 'router') finish({ ok: true, value: 'router' });
      else if (err) finish({ ok: false, error: err });
      else finish({ ok: true, value: 'next' });
    });
    dispatched = true;
    if (res.writableEnded && pending === 0) finish({ ok: true, value: 'done' });
    else queueMicrotask(idle);
  });
}
