import { payloadOf } from './imports.js';

/**
 * The `wasi:http/incoming-handler` export of a server stop, on the `wasi:http/types`
 * import (taken as an argument, so tests pass fakes): `handle(request, outparam)` reads
 * the incoming request into a web `Request` (method, `scheme://authority/path?query`,
 * headers, the whole body), runs `serve` on it (http-serve.ts), and writes the web
 * `Response` back: status, headers, then the body in writes of at most 4096 bytes
 * (`blockingWriteAndFlush` takes no more at once: wasi:io's contract, and what
 * StarlingMonkey's streams enforce), then `OutgoingBody.finish`. Exported directly, not
 * through the engine's fetch-event shim, one instance serves many requests
 * (TOOLCHAIN.md). Anything that fails before the response is set answers 500.
 *
 * Plain JavaScript: runs inside the component.
 */

export const MAX_WRITE = 4096;
const READ_CHUNK = BigInt(64 * 1024);

/** wasi:http/types@0.2.10 as componentize-js gives it to the guest (the parts used here). */
export interface HttpTypesImport {
  Fields: { fromList(entries: [string, Uint8Array][]): FieldsResource };
  OutgoingResponse: new (headers: FieldsResource) => OutgoingResponseResource;
  OutgoingBody: { finish(body: OutgoingBodyResource, trailers: undefined): void };
  IncomingBody: { finish(body: IncomingBodyResource): unknown };
  ResponseOutparam: { set(param: unknown, response: { tag: 'ok'; val: OutgoingResponseResource } | { tag: 'err'; val: unknown }): void };
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface FieldsResource {}

export interface OutgoingResponseResource {
  setStatusCode(status: number): void;
  body(): OutgoingBodyResource;
}

export interface OutgoingBodyResource {
  write(): OutputStreamResource;
}

export interface OutputStreamResource {
  blockingWriteAndFlush(contents: Uint8Array): void;
}

export interface InputStreamResource {
  blockingRead(len: bigint): Uint8Array;
}

export interface IncomingBodyResource {
  stream(): InputStreamResource;
}

export interface IncomingRequestResource {
  method(): { tag: string; val?: string };
  pathWithQuery(): string | undefined;
  scheme(): { tag: string; val?: string } | undefined;
  authority(): string | undefined;
  headers(): { entries(): [string, Uint8Array][] };
  consume(): IncomingBodyResource;
}

const DISPOSE: symbol = (Symbol as unknown as { dispose?: symbol }).dispose ?? Symbol.for('dispose');

function drop(resource: object): void {
  const fn = (resource as Record<symbol, unknown>)[DISPOSE];
  if (typeof fn === 'function') (fn as () => void).call(resource);
}

function methodName(m: { tag: string; val?: string }): string {
  return m.tag === 'other' ? String(m.val) : m.tag.toUpperCase();
}

function isClosed(error: unknown): boolean {
  const p = payloadOf(error) as { tag?: unknown } | undefined;
  return p !== undefined && p.tag === 'closed';
}

/** The whole body of an incoming request (its stream read until closed). */
function readBody(request: IncomingRequestResource, types: HttpTypesImport): Uint8Array {
  const body = request.consume();
  const stream = body.stream();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let chunk: Uint8Array;
    try {
      chunk = stream.blockingRead(READ_CHUNK);
    } catch (error) {
      if (isClosed(error)) break;
      throw error;
    }
    parts.push(chunk);
    size += chunk.length;
  }
  drop(stream);
  const trailers = types.IncomingBody.finish(body);
  if (trailers !== null && typeof trailers === 'object') drop(trailers);
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A web Request of the incoming request. */
export function webRequestOf(request: IncomingRequestResource, types: HttpTypesImport): Request {
  const method = methodName(request.method());
  const scheme = request.scheme();
  const protocol = scheme === undefined ? 'http' : scheme.tag === 'other' ? String(scheme.val) : scheme.tag.toLowerCase();
  const url = `${protocol}://${request.authority() ?? 'localhost'}${request.pathWithQuery() ?? '/'}`;
  const decoder = new TextDecoder();
  const headers = new Headers();
  for (const [name, value] of request.headers().entries()) headers.append(name, decoder.decode(value));
  const body = readBody(request, types);
  const withBody = method !== 'GET' && method !== 'HEAD';
  return new Request(url, withBody ? { method, headers, body } : { method, headers });
}

/**
 * The header list of a web Response, `set-cookie` kept as separate fields. A
 * `content-length` that is not the length of the body sent (an answer to HEAD, which has
 * none; a program's wrong one) is left out: a wasi:http host holds the body to the length
 * its header announces, and finishing it shorter fails (preview2-shim: HTTP-request-body-size).
 */
function fieldList(response: Response, bodyBytes: number): [string, Uint8Array][] {
  const encoder = new TextEncoder();
  const out: [string, Uint8Array][] = [];
  const getSetCookie = (response.headers as Headers & { getSetCookie?: () => string[] }).getSetCookie;
  const cookies = typeof getSetCookie === 'function' ? getSetCookie.call(response.headers) : null;
  response.headers.forEach((value, name) => {
    if (name === 'set-cookie' && cookies !== null) return;
    if (name === 'content-length' && value.trim() !== String(bodyBytes)) return;
    out.push([name, encoder.encode(value)]);
  });
  for (const c of cookies ?? []) out.push(['set-cookie', encoder.encode(c)]);
  return out;
}

/**
 * Writes `response` to the outparam: status and headers, the body in writes of ≤ MAX_WRITE
 * bytes (none for a HEAD request, or a 204 or 304 answer).
 */
export async function writeResponse(response: Response, outparam: unknown, types: HttpTypesImport, method = 'GET'): Promise<void> {
  const bodiless = method === 'HEAD' || response.status === 204 || response.status === 304;
  const bytes = bodiless ? new Uint8Array(0) : new Uint8Array(await response.arrayBuffer());
  const outgoing = new types.OutgoingResponse(types.Fields.fromList(fieldList(response, bytes.length)));
  outgoing.setStatusCode(response.status);
  const body = outgoing.body();
  types.ResponseOutparam.set(outparam, { tag: 'ok', val: outgoing });
  const stream = body.write();
  for (let at = 0; at < bytes.length; at += MAX_WRITE) stream.blockingWriteAndFlush(bytes.subarray(at, Math.min(at + MAX_WRITE, bytes.length)));
  drop(stream);
  types.OutgoingBody.finish(body, undefined);
}

/** The export: `{ handle(request, outparam) }`. */
export function createIncomingHandler(types: HttpTypesImport, serve: (request: Request) => Promise<Response>): { handle(request: IncomingRequestResource, outparam: unknown): Promise<void> } {
  return {
    async handle(request, outparam) {
      let response: Response;
      let method = 'GET';
      try {
        const web = webRequestOf(request, types);
        method = web.method;
        response = await serve(web);
      } catch (error) {
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        response = new Response(JSON.stringify({ code: 'internal', message }), { status: 500, headers: { 'content-type': 'application/json', 'stopline-rpc-error': 'internal' } });
      }
      await writeResponse(response, outparam, types, method);
    },
  };
}
