import { decodeCompletion, encodeCall, type ErrorClasses } from '../wire/index.js';
import { payloadOf } from './imports.js';
import { ENTRY_PREFIX, pack, unpack, type Dispatch } from './link.js';

/**
 * A server stop served over HTTP (issue #6): the routing of the stop's
 * `wasi:http/incoming-handler` export, on web `Request`/`Response` (the wasi:http side is
 * http-wasi.ts). The paths are the contract of issue #6 (/work/prompts/http-contract.md):
 *
 *   POST /.well-known/stopline/dispatch/<segment id, URL-encoded>
 *        body: exactly the payload `dispatch.invoke(segment, payload)` takes (a sealed
 *        `stopline-link/1` envelope, or a bare call where the client may make one); the
 *        SAME `invoke` as the dispatch export, so every check of #5 applies unchanged.
 *        200 `text/plain; charset=utf-8` with the answer; an rpc-error → its status
 *        (`RPC_STATUS`), `application/json` `{"code","message"}`, header `stopline-rpc-error`.
 *   GET  /.well-known/stopline/health → 200 `{"stop":"<name>"}`.
 *   the entries arriving at this stop:
 *     - a function entry with a route (`function:` and `route:` in the config) at its
 *       method and path; without one at `POST /.well-known/stopline/entry/<name>`;
 *     - an Express route entry at its method and path; a request no entry's route matches
 *       goes to the application too when the stop serves one (its router answers, a 404
 *       of its final handler included), as a request entering `entry:<name>` does on the line.
 *   An entry is run through `invoke('entry:<name>', …)` with `[request, env]` as its
 *   arguments, exactly as the local line enters it (src/runtime/line/run-components.ts).
 *   Its Response is the HTTP answer. An entry that throws answers 500 `text/plain`
 *   "Internal Server Error" with header `stopline-entry-error: <error name>` (never the
 *   message: it may carry what the caller must not see); one that returns anything but a
 *   Response answers the same with `stopline-entry-error: not-a-response`.
 *
 * Route patterns: literal segments and `:name` parameters (any one non-empty segment),
 * method `ALL` for every method; an Express route whose pattern uses more of
 * path-to-regexp still reaches its application through the fallback above.
 *
 * Plain JavaScript: runs inside the component.
 */

export const WELL_KNOWN = '/.well-known/stopline';
export const DISPATCH_PATH = `${WELL_KNOWN}/dispatch/`;
export const ENTRY_PATH = `${WELL_KNOWN}/entry/`;
export const HEALTH_PATH = `${WELL_KNOWN}/health`;
export const RPC_ERROR_HEADER = 'stopline-rpc-error';
export const ENTRY_ERROR_HEADER = 'stopline-entry-error';

/** rpc-error code → HTTP status (the contract). */
export const RPC_STATUS: Readonly<Record<string, number>> = {
  'unknown-segment': 404,
  'bad-payload': 400,
  unauthenticated: 401,
  unavailable: 503,
  timeout: 504,
  internal: 500,
};

export interface HttpEntry {
  readonly name: string;
  /** where it is served; null: `POST /.well-known/stopline/entry/<name>` */
  readonly route: { readonly method: string; readonly path: string } | null;
  /** served by the project's Express application */
  readonly express: boolean;
}

export interface HttpServeOptions {
  readonly stop: string;
  readonly dispatch: Dispatch;
  readonly env: object;
  readonly entries: readonly HttpEntry[];
  readonly errorClasses?: ErrorClasses;
}

/** An rpc-error answer. */
export function rpcErrorResponse(code: string, message: string): Response {
  const status = RPC_STATUS[code] ?? 500;
  return new Response(JSON.stringify({ code, message }), { status, headers: { 'content-type': 'application/json', [RPC_ERROR_HEADER]: code } });
}

function entryError(what: string): Response {
  return new Response('Internal Server Error', { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8', [ENTRY_ERROR_HEADER]: what } });
}

function plain(status: number, text: string, headers: Record<string, string> = {}): Response {
  return new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers } });
}

/** The rpc-error a rejected `invoke` carries (its WIT `err`), or `internal` for anything else. */
function rpcErrorOf(error: unknown): { code: string; message: string } {
  const p = payloadOf(error) as { code?: unknown; message?: unknown } | undefined;
  if (p && typeof p.code === 'string') return { code: p.code, message: String(p.message) };
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

/** Whether `path` matches the route pattern (literal segments, `:name` parameters). */
export function matchesRoute(pattern: string, path: string): boolean {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return false;
  return want.every((w, i) => (w.startsWith(':') && w.length > 1 ? (got[i] ?? '') !== '' : w === got[i]));
}

function routeFor(entries: readonly HttpEntry[], method: string, path: string): HttpEntry | undefined {
  return entries.find((e) => e.route !== null && (e.route.method === 'ALL' || e.route.method === method) && matchesRoute(e.route.path, path));
}

export function createHttpServe(options: HttpServeOptions): (request: Request) => Promise<Response> {
  const { dispatch, env, stop } = options;
  const wire = options.errorClasses ? { errorClasses: options.errorClasses } : {};
  const entries = [...options.entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const app = entries.find((e) => e.express);

  async function runEntry(entry: HttpEntry, request: Request): Promise<Response> {
    const segment = `${ENTRY_PREFIX}${entry.name}`;
    let answer: string;
    try {
      const args = [await pack(request, env), await pack(env, env)];
      answer = await dispatch.invoke(segment, encodeCall({ segment, liveIns: { args } }, wire));
    } catch (error) {
      const e = rpcErrorOf(error);
      return rpcErrorResponse(e.code, e.message);
    }
    const completion = decodeCompletion(answer, wire);
    if (completion.kind === 'throw') {
      const error = completion.error;
      return entryError(error instanceof Error ? error.name : typeof error);
    }
    const value = completion.kind === 'return' ? unpack(completion.value, env) : undefined;
    return value instanceof Response ? value : entryError('not-a-response');
  }

  async function runDispatch(segmentPart: string, request: Request): Promise<Response> {
    if (request.method !== 'POST') return plain(405, 'Method Not Allowed', { allow: 'POST' });
    let segment: string;
    try {
      segment = decodeURIComponent(segmentPart);
    } catch {
      return rpcErrorResponse('unknown-segment', 'the segment id is not URL-encoded text');
    }
    const payload = await request.text();
    try {
      const answer = await dispatch.invoke(segment, payload);
      return new Response(answer, { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    } catch (error) {
      const e = rpcErrorOf(error);
      return rpcErrorResponse(e.code, e.message);
    }
  }

  return async (request) => {
    const url = new URL(request.url);
    const path = url.pathname;
    if (path.startsWith(DISPATCH_PATH)) return runDispatch(path.slice(DISPATCH_PATH.length), request);
    if (path === HEALTH_PATH) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method Not Allowed', { allow: 'GET, HEAD' });
      return new Response(JSON.stringify({ stop }), { status: 200, headers: { 'content-type': 'application/json' } });
    }
    if (path.startsWith(ENTRY_PATH)) {
      let name: string | null = null;
      try {
        name = decodeURIComponent(path.slice(ENTRY_PATH.length));
      } catch {
        name = null;
      }
      const entry = entries.find((e) => e.route === null && !e.express && e.name === name);
      if (entry === undefined) return plain(404, 'Not Found');
      if (request.method !== 'POST') return plain(405, 'Method Not Allowed', { allow: 'POST' });
      return runEntry(entry, request);
    }
    const routed = routeFor(entries, request.method, path) ?? app;
    if (routed === undefined) return plain(404, 'Not Found');
    return runEntry(routed, request);
  };
}
