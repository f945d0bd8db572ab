import type { ConfigStoreImport } from './imports.js';
import { DISPATCH_PATH, RPC_ERROR_HEADER } from './http-serve.js';

/**
 * A server stop's link calls over HTTP (issue #6): when this stop's configuration
 * (`wasi:config/store`, read at each call, never in the bundle) has
 * `STOPLINE_ADDR_<STOP>` for the target stop, `__sl.call` goes out as
 *
 *   fetch(POST ${STOPLINE_ADDR_<STOP>}/.well-known/stopline/dispatch/${encodeURIComponent(segment)})
 *
 * with the payload exactly as the `link` import would carry it (sealed by link.ts, the
 * #5 envelope), and the answer is the response body of a 200. Without the address the
 * call takes the `link` import as before (the local line).
 *
 * An HTTP failure maps back to the rpc-error the caller's link turns into a
 * `StoplineRpcError` (an Error whose `payload` is `{ code, message }`, as a failed
 * `link.call` throws): the callee's `stopline-rpc-error` header (or the JSON body's
 * `code`) when it sent one, else by status (404 unknown-segment, 400 bad-payload, 401
 * unauthenticated, 502/503 unavailable, 504 timeout, anything else internal); a fetch
 * that fails (connection refused, reset) is `unavailable`.
 *
 * Deadlines and retries follow the local line's policy (src/runtime/line/rpc-policy.ts),
 * computed at build time from the line (`linkDeadlines`, the same formula:
 * `max(50, 20 × RTT) + attempts ×` the callee's own largest deadline further along the
 * line; a test holds them equal to the line's), with these differences, because real
 * time is not virtual time:
 * - every deadline is at least `MIN_HTTP_DEADLINE_MS` (2 s): on the line a callee's own
 *   work costs no virtual time, over HTTP it costs real milliseconds (a first request
 *   instantiates the component). `STOPLINE_RPC_DEADLINE_MS` in the configuration
 *   overrides every deadline (the line's `rpc.deadlineMs`);
 * - an attempt past its deadline is abandoned by the caller (the promise races a timer;
 *   the request itself may still be delivered);
 * - retries (on `timeout` and `unavailable`, up to `attempts`, 3) re-send the SAME sealed
 *   envelope. That is this transport's idempotency key: the callee's dispatch answers a
 *   second delivery of an envelope from the answer it kept for its nonce, without running
 *   anything (rpc-auth.ts), so a retried write happens once — the line's per-call keys
 *   (idempotency.ts) are the host's, which a wasi:http host does not have. A retry that
 *   reaches the callee before its first delivery answered, or after the first failed, is
 *   refused `unauthenticated` (final), never run twice. Every cut between server stops is
 *   sealed, so every one is retried this way.
 *
 * Plain JavaScript: runs inside the component (StarlingMonkey's `fetch` on wasi:http's
 * outgoing-handler).
 */

export const ADDR_PREFIX = 'STOPLINE_ADDR_';
export const DEADLINE_KEY = 'STOPLINE_RPC_DEADLINE_MS';
export const MIN_HTTP_DEADLINE_MS = 2000;
/** The line's policy (src/runtime/line/rpc-policy.ts), repeated here because a component cannot import it. */
export const DEADLINE_RTTS = 20;
export const MIN_DEADLINE_MS = 50;
export const DEFAULT_ATTEMPTS = 3;

/** The configuration key of a stop's address: upper-cased, every character outside [A-Z0-9] `_`. */
export function addressKey(stop: string): string {
  return `${ADDR_PREFIX}${stop.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/**
 * The line policy's deadline of a call from `from` to each stop after it, in ms
 * (rpc-policy.ts `deadline`, default options): `line` in order, each stop's one-way
 * latency of the hop into it.
 */
export function linkDeadlines(line: readonly { readonly name: string; readonly latencyMs: number }[], from: string, attempts: number = DEFAULT_ATTEMPTS): Record<string, number> {
  const names = line.map((s) => s.name);
  const oneWay = (a: string, b: string): number => {
    const [i, j] = [names.indexOf(a), names.indexOf(b)];
    let sum = 0;
    for (let k = Math.min(i, j) + 1; k <= Math.max(i, j); k++) sum += line[k]!.latencyMs;
    return sum;
  };
  const memo = new Map<string, number>();
  const deadline = (a: string, b: string): number => {
    const key = `${a}\0${b}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let nested = 0;
    for (const further of names.slice(names.indexOf(b) + 1)) nested = Math.max(nested, deadline(b, further));
    const d = Math.max(MIN_DEADLINE_MS, DEADLINE_RTTS * 2 * oneWay(a, b)) + attempts * nested;
    memo.set(key, d);
    return d;
  };
  const out: Record<string, number> = {};
  for (const to of names.slice(names.indexOf(from) + 1)) out[to] = deadline(from, to);
  return out;
}

export interface HttpTransportOptions {
  readonly config: ConfigStoreImport;
  /** target stop → the line policy's deadline (linkDeadlines) */
  readonly deadlines: Readonly<Record<string, number>>;
  readonly attempts?: number;
  readonly fetch?: typeof fetch;
  readonly setTimeout?: (fn: () => void, ms: number) => unknown;
  readonly clearTimeout?: (handle: unknown) => void;
}

/** A link call's failure, as a failed `link.call` import throws it. */
export class TransportFailure extends Error {
  override readonly name = 'TransportFailure';
  readonly payload: { code: string; message: string };
  constructor(code: string, message: string) {
    super(message);
    this.payload = { code, message };
  }
}

const BY_STATUS: Readonly<Record<number, string>> = { 400: 'bad-payload', 401: 'unauthenticated', 404: 'unknown-segment', 502: 'unavailable', 503: 'unavailable', 504: 'timeout' };
const CODES = new Set(['unknown-segment', 'bad-payload', 'unauthenticated', 'unavailable', 'timeout', 'internal']);
const RETRYABLE = new Set(['timeout', 'unavailable']);

/** The rpc-error of a non-200 answer. */
export async function failureOf(response: Response): Promise<TransportFailure> {
  const text = await response.text().catch(() => '');
  let code = response.headers.get(RPC_ERROR_HEADER);
  let message = text;
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown };
    if (typeof body.code === 'string' && code === null) code = body.code;
    if (typeof body.message === 'string') message = body.message;
  } catch {
    // not JSON: a proxy's or host's own answer
  }
  if (code === null || !CODES.has(code)) code = BY_STATUS[response.status] ?? 'internal';
  return new TransportFailure(code, `HTTP ${response.status}: ${message.slice(0, 500)}`);
}

export type LinkTransport = (stop: string, segment: string, payload: string) => Promise<string> | undefined;

export function createHttpTransport(options: HttpTransportOptions): LinkTransport {
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const arm = options.setTimeout ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const disarm = options.clearTimeout ?? ((h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>));

  const once = (url: string, payload: string, deadlineMs: number): Promise<string> =>
    new Promise<string>((resolve, reject) => {
      let settled = false;
      const timer = arm(() => {
        if (settled) return;
        settled = true;
        reject(new TransportFailure('timeout', `no answer within ${deadlineMs} ms`));
      }, deadlineMs);
      const settle = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        disarm(timer);
        fn();
      };
      doFetch(url, { method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8' }, body: payload }).then(
        async (response) => {
          if (response.status === 200) {
            const text = await response.text();
            settle(() => resolve(text));
          } else {
            const failure = await failureOf(response);
            settle(() => reject(failure));
          }
        },
        (error: unknown) => settle(() => reject(new TransportFailure('unavailable', `fetch ${url} failed: ${error instanceof Error ? error.message : String(error)}`))),
      );
    });

  return (stop, segment, payload) => {
    const base = options.config.get(addressKey(stop));
    if (base === undefined || base === '') return undefined;
    const override = Number(options.config.get(DEADLINE_KEY) ?? NaN);
    const deadlineMs = override > 0 ? override : Math.max(MIN_HTTP_DEADLINE_MS, options.deadlines[stop] ?? MIN_HTTP_DEADLINE_MS);
    const url = `${base.replace(/\/+$/, '')}${DISPATCH_PATH}${encodeURIComponent(segment)}`;
    return (async () => {
      let last: TransportFailure = new TransportFailure('internal', 'no attempt');
      for (let n = 0; n < attempts; n++) {
        try {
          return await once(url, payload, deadlineMs);
        } catch (error) {
          last = error instanceof TransportFailure ? error : new TransportFailure('internal', String(error));
          if (!RETRYABLE.has(last.payload.code)) throw last;
        }
      }
      throw new TransportFailure(last.payload.code, `${last.payload.message} (after ${attempts} attempt${attempts === 1 ? '' : 's'})`);
    })();
  };
}
