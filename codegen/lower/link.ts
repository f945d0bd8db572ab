import { decodeCall, decodeCompletion, encodeCall, encodeCompletion, WireError, type Completion, type ErrorClasses } from '../wire/index.js';
import { payloadOf, type LinkImport } from './imports.js';
import type { PayloadSchema } from '../../src/ir/payload-schema.js';
import { AuthFailure, type LinkAuth, type Sealed } from './rpc-auth.js';
import { StoplineRpcError } from './rpc-error.js';
import { checkLiveIns } from './rpc-guard.js';

/**
 * The stop's side of the link, inside a component:
 *
 * - `createLink({ link, env })` is what the bundle binds into the generated
 *   `__stopline_link.ts`: `call(stop, segment, liveIns)` packs the live-ins, runs
 *   `link.call(stop, segment, encodeCall(…))` (a synchronous import), decodes the
 *   completion, rethrows a `throw` completion and unpacks the rest; `handle('env')` is this
 *   stop's `env` (its KV bindings are the lowered namespaces).
 * - `createDispatch({ segments, entries, env })` is the `dispatch` export:
 *   `invoke(segment, payload)` runs the outlined function of `segment` on the decoded
 *   live-ins and answers with the encoded completion; a throw becomes a `throw`
 *   completion. Failures of the crossing itself (unknown segment, undecodable payload, an
 *   answer that cannot be encoded even as a throw) reject with an rpc-error, which
 *   componentize-js turns into the `err` of the WIT result (it lowers a thrown value's
 *   `payload`).
 *
 * Hardened RPC: with a `guard` (the bundle always gives one) dispatch admits a call only
 * after the checks of `DispatchGuard` — size, segment, caller (a sealed envelope verified
 * with the deployment key, rpc-auth.ts, or a bare call where the client may make it),
 * payload schema (rpc-guard.ts) — and the link seals its calls to trusted stops
 * (`auth`). Failures are rpc-errors, before any of the program's code runs.
 *
 * Web `Request` and `Response` cross as their data and `env` as a marker, exactly as the
 * in-process runner (src/runtime/split/run.ts) packs them, so a host can mix both.
 *
 * Crossings (`crossings`): request-scoped objects of a framework lowering that cross as
 * data one way and come back as effects the other (Express's `req`/`res`:
 * express-crossing.ts). A crossing packs its values at the caller and unpacks them at the
 * callee, once per call (the same object packed twice is one object on the other side);
 * after the callee's segment ends — whatever its completion — its `effects` travel back
 * in the completion's live-outs under `__stopline_effects`, and the caller `apply`s them to
 * its own objects before it returns or rethrows.
 *
 * Errors of the program's own classes (`errorClasses`) cross as instances of their class
 * (codegen/wire/codec.ts).
 *
 * Entries: `invoke('entry:<name>', encodeCall({ segment: 'entry:<name>', liveIns: { args } }))`
 * calls the entry's handler with the unpacked `args` (a packed Request, and the env marker
 * `{ __stopline_handle: 'env' }` where the handler takes `env`) and answers a `return`
 * completion whose value is the packed Response. A server stop's wasi:http export enters
 * them the same way (http-serve.ts).
 *
 * Transport: with a `transport` (a server stop: http-link.ts), a call to a stop whose
 * address the configuration names goes out over HTTP with the same sealed payload; any
 * other call takes the `link` import.
 */

export { createErrorClasses } from '../wire/index.js';

export const ENTRY_PREFIX = 'entry:';

const REQUEST = '__stopline_request';
const RESPONSE = '__stopline_response';
const HANDLE = '__stopline_handle';

interface PackedRequest {
  method: string;
  url: string;
  headers: [string, string][];
  body: string | null;
}

interface PackedResponse {
  status: number;
  headers: [string, string][];
  body: string;
}

const hasRequest = (): boolean => typeof Request !== 'undefined';
const hasResponse = (): boolean => typeof Response !== 'undefined';

function headerList(headers: Headers): [string, string][] {
  const out: [string, string][] = [];
  headers.forEach((value, name) => out.push([name, value]));
  return out;
}

/** One crossing's state for one call: at the caller what it packed, at the callee what it unpacked. */
export interface CrossingSession {
  readonly state: Map<unknown, unknown>;
}

/** Objects of a framework lowering that cross a cut as data and come back as effects (see the module comment). */
export interface Crossing {
  /** Names the crossing's effects in a completion. */
  readonly name: string;
  /** The packed form of `value` when it is this crossing's kind, else undefined. */
  pack(value: unknown, session: CrossingSession): unknown;
  /** The value a packed form stands for when the form is this crossing's, else NOT_MINE. */
  unpack(packed: Record<string, unknown>, session: CrossingSession): unknown;
  /** At the callee, after the segment ended: what goes back (undefined: nothing). */
  effects(session: CrossingSession): unknown;
  /** At the caller: the callee's effects applied to the objects packed in this session. */
  apply(effects: unknown, session: CrossingSession): void;
}

export const NOT_MINE: unique symbol = Symbol('stopline.not-mine');

const EFFECTS = '__stopline_effects';

/** The crossings of one call, each with its session. */
export interface CrossingContext {
  readonly crossings: readonly Crossing[];
  readonly sessions: Map<Crossing, CrossingSession>;
}

export function crossingContext(crossings: readonly Crossing[] = []): CrossingContext {
  return { crossings, sessions: new Map(crossings.map((c) => [c, { state: new Map() }])) };
}

/** Request/Response objects become their data, the stop's env a marker, a crossing's objects its packed form. */
export async function pack(value: unknown, env: object, context: CrossingContext = crossingContext()): Promise<unknown> {
  if (value === env) return { [HANDLE]: 'env' };
  for (const c of context.crossings) {
    const packed = c.pack(value, context.sessions.get(c)!);
    if (packed !== undefined) return packed;
  }
  if (hasRequest() && value instanceof Request) {
    const packed: PackedRequest = { method: value.method, url: value.url, headers: headerList(value.headers), body: value.bodyUsed ? null : await value.clone().text() };
    return { [REQUEST]: packed };
  }
  if (hasResponse() && value instanceof Response) {
    // StarlingMonkey (componentize-js 0.23) has no Response.prototype.clone: read the body
    // itself there. A Response packed here is on its way out (a completion's value or a
    // live-in that crosses), so consuming this copy's body loses nothing the sender reads.
    const body = typeof value.clone === 'function' ? await value.clone().text() : await value.text();
    const packed: PackedResponse = { status: value.status, headers: headerList(value.headers), body };
    return { [RESPONSE]: packed };
  }
  if (Array.isArray(value)) return Promise.all(value.map((v) => pack(v, env, context)));
  return value;
}

export function unpack(value: unknown, env: object, context: CrossingContext = crossingContext()): unknown {
  if (Array.isArray(value)) return value.map((v) => unpack(v, env, context));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (HANDLE in record) return env;
  for (const c of context.crossings) {
    const unpacked = c.unpack(record, context.sessions.get(c)!);
    if (unpacked !== NOT_MINE) return unpacked;
  }
  if (REQUEST in record) {
    const r = record[REQUEST] as PackedRequest;
    const withBody = !(r.body === null || r.method === 'GET' || r.method === 'HEAD');
    return new Request(r.url, withBody ? { method: r.method, headers: r.headers, body: r.body } : { method: r.method, headers: r.headers });
  }
  if (RESPONSE in record) {
    const r = record[RESPONSE] as PackedResponse;
    return new Response(r.body, { status: r.status, headers: r.headers });
  }
  return value;
}

export async function packRecord(values: Record<string, unknown>, env: object, context: CrossingContext = crossingContext()): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) out[k] = await pack(v, env, context);
  return out;
}

export function unpackRecord(values: Record<string, unknown>, env: object, context: CrossingContext = crossingContext()): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, unpack(v, env, context)]));
}

/** The crossings' effects at the callee, by crossing name (empty when none has any). */
function effectsOf(context: CrossingContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of context.crossings) {
    const e = c.effects(context.sessions.get(c)!);
    if (e !== undefined) out[c.name] = e;
  }
  return out;
}

/** Takes the crossings' effects out of a completion's live-outs and applies them at the caller. */
function applyEffects(liveOuts: Record<string, unknown>, context: CrossingContext): Record<string, unknown> {
  if (!(EFFECTS in liveOuts)) return liveOuts;
  const { [EFFECTS]: effects, ...rest } = liveOuts;
  const byName = (effects ?? {}) as Record<string, unknown>;
  for (const c of context.crossings) if (c.name in byName) c.apply(byName[c.name], context.sessions.get(c)!);
  return rest;
}

/** The completion `__stopline_link.ts` expects (no `throw`: that one is rethrown). */
export type LinkCompletion = Exclude<Completion, { kind: 'throw' }>;

export interface LinkImpl {
  call(stop: string, segment: string, liveIns: Record<string, unknown>): Promise<LinkCompletion>;
  handle(name: string): unknown;
}

/** Thrown at the caller when the link itself failed (an rpc-error, not the segment's own throw): rpc-error.ts. */
export { StoplineRpcError };

export interface LinkOptions {
  readonly link: LinkImport;
  readonly env: object;
  readonly crossings?: readonly Crossing[];
  readonly errorClasses?: ErrorClasses;
  /** This stop's authentication (rpc-auth.ts): calls to trusted stops are sealed with the deployment key. Absent at the client. */
  readonly auth?: LinkAuth;
  /** Stops that hold no key (the client): calls to them are not sealed. */
  readonly untrusted?: readonly string[];
  /** Carries a call instead of the `link` import when it answers one (http-link.ts: a stop with a configured address); undefined: the import. */
  readonly transport?: (stop: string, segment: string, payload: string) => Promise<string> | undefined;
}

/** The payload `link.call` carries: the wire call, sealed when this stop authenticates and `stop` can verify. */
function sealed(options: LinkOptions, stop: string, segment: string, body: string): string {
  if (options.auth === undefined || (options.untrusted ?? []).includes(stop)) return body;
  try {
    return options.auth.seal(stop, segment, body);
  } catch (error) {
    if (error instanceof AuthFailure) throw new StoplineRpcError(error.code, stop, segment, error.message);
    throw error;
  }
}

export function createLink(options: LinkOptions): LinkImpl {
  const { link, env } = options;
  const wire = options.errorClasses ? { errorClasses: options.errorClasses } : {};
  return {
    async call(stop, segment, liveIns) {
      const context = crossingContext(options.crossings);
      const request = encodeCall({ segment, liveIns: await packRecord(liveIns, env, context) }, wire);
      let response: string;
      try {
        const payload = sealed(options, stop, segment, request);
        const remote = options.transport?.(stop, segment, payload);
        response = remote !== undefined ? await remote : link.call(stop, segment, payload);
      } catch (error) {
        const p = payloadOf(error) as { code?: unknown; message?: unknown } | undefined;
        if (p && typeof p.code === 'string') throw new StoplineRpcError(p.code, stop, segment, String(p.message));
        throw error;
      }
      const completion = decodeCompletion(response, wire);
      const crossed = applyEffects(completion.liveOuts, context);
      if (completion.kind === 'throw') throw completion.error;
      const liveOuts = unpackRecord(crossed, env);
      return completion.kind === 'return' ? { ...completion, value: unpack(completion.value, env), liveOuts } : { ...completion, liveOuts };
    },
    handle: (name) => (name === 'env' ? env : undefined),
  };
}

/** What a thrown value must carry for componentize-js to return it as the `err` of a WIT result. */
export class RpcFailure extends Error {
  override readonly name = 'RpcFailure';
  readonly payload: { code: string; message: string };
  constructor(code: string, message: string) {
    super(message);
    this.payload = { code, message };
  }
}

export type OutlinedFunction = (liveIns: Record<string, unknown>) => Promise<Completion>;
export type EntryHandler = (...args: unknown[]) => unknown;

export interface DispatchOptions {
  /** Segment id → the outlined function generated for it at this stop. */
  readonly segments: Readonly<Record<string, OutlinedFunction>>;
  /** Entry name → its handler, for entries that arrive at this stop. */
  readonly entries: Readonly<Record<string, EntryHandler>>;
  readonly env: object;
  readonly crossings?: readonly Crossing[];
  readonly errorClasses?: ErrorClasses;
  /** The checks made before any segment runs (the bundle always gives them; see `DispatchGuard`). */
  readonly guard?: DispatchGuard;
}

/**
 * What a stop's dispatch checks on every call, in this order, before decoding anything
 * but what it must and before any of the program's code runs (each failure is an
 * rpc-error, never a trap):
 *
 * 1. the payload of a segment call is at most `maxBytes` UTF-16 code units (default 1 MiB)
 *    → bad-payload (an entry's is the request as it arrived: its host bounds it);
 * 2. the segment is one of this stop's segments or entries → unknown-segment;
 * 3. the caller: a sealed payload is opened by `auth` (rpc-auth.ts: MAC under the
 *    deployment key, addressed here, timestamp in the window, nonce not replayed) and its
 *    caller is the stop it names (a second delivery of one envelope is answered with the
 *    first delivery's answer, without running anything); a bare payload comes from an untrusted caller (the client
 *    stop, or a request's arrival). A segment accepts only the stops in `callers[segment]`,
 *    and an untrusted caller only where one of those is an `untrusted` stop; an entry
 *    (`entry:<name>`) only from its arrival, i.e. bare → unauthenticated. A stop without
 *    `auth` (the client: no key, no wasi:config) accepts bare calls of its own segments
 *    from anyone — it is untrusted itself;
 * 4. the body decodes as a wire call for this segment → bad-payload;
 * 5. its live-ins conform to `schemas[segment]` (rpc-guard.ts: exactly the fields, each of
 *    its type) → bad-payload; an entry's are `{ args: [...] }`.
 */
export interface DispatchGuard {
  /** Segment id → the stops whose code calls it (the plan's cuts into it). */
  readonly callers: Readonly<Record<string, readonly string[]>>;
  /** Segment id → its payload schema. */
  readonly schemas: Readonly<Record<string, PayloadSchema>>;
  /** The stops that hold no key (the client). */
  readonly untrusted: readonly string[];
  /** This stop's authentication; absent at an untrusted stop. */
  readonly auth?: LinkAuth;
  readonly maxBytes?: number;
}

export const DEFAULT_MAX_PAYLOAD = 1024 * 1024;

const ENTRY_SCHEMA: PayloadSchema = { fields: { args: { t: 'array', of: { t: 'any' } } } };

/** What passed steps 1–3 of the guard (throws RpcFailure): the wire body, or the kept answer of a replay. */
type Admitted = { readonly body: string; readonly nonce: string | null } | { readonly answer: string };

function admitted(guard: DispatchGuard, segment: string, payload: string, known: boolean): Admitted {
  const entry = segment.startsWith(ENTRY_PREFIX);
  if (typeof payload !== 'string') throw new RpcFailure('bad-payload', `${segment}: the payload is not text`);
  // An entry's payload is the request as it arrived: the host that received it bounds its size.
  if (!entry && payload.length > (guard.maxBytes ?? DEFAULT_MAX_PAYLOAD)) {
    throw new RpcFailure('bad-payload', `${segment}: the payload is larger than ${guard.maxBytes ?? DEFAULT_MAX_PAYLOAD} characters`);
  }
  if (!known) throw new RpcFailure('unknown-segment', `this stop has no segment ${segment}`);
  const { auth } = guard;
  if (auth === undefined) {
    if (payload.startsWith('stopline-link/')) throw new RpcFailure('unauthenticated', `${segment}: this stop verifies no sealed call`);
    return { body: payload, nonce: null };
  }
  if (!auth.isSealed(payload)) {
    const open = entry || (guard.callers[segment] ?? []).some((c) => guard.untrusted.includes(c));
    if (!open) throw new RpcFailure('unauthenticated', `${segment}: only ${(guard.callers[segment] ?? []).join(', ') || 'no stop'} may call it, with a sealed call`);
    return { body: payload, nonce: null };
  }
  let opened: Sealed;
  try {
    opened = auth.open(segment, payload);
  } catch (error) {
    if (error instanceof AuthFailure) throw new RpcFailure(error.code, `${segment}: ${error.message}`);
    throw error;
  }
  if (entry || !(guard.callers[segment] ?? []).includes(opened.from)) throw new RpcFailure('unauthenticated', `${segment}: stop '${opened.from}' may not call it`);
  // A second delivery of the same envelope never runs the segment again (rpc-auth.ts).
  return opened.replay !== null ? { answer: opened.replay.answer } : { body: opened.body, nonce: opened.nonce };
}

export interface Dispatch {
  invoke(segment: string, payload: string): Promise<string>;
}

async function encodeAnswer(completion: Completion, env: object, context: CrossingContext, wire: { errorClasses?: ErrorClasses }): Promise<string> {
  const effects = effectsOf(context);
  const withEffects = (liveOuts: Record<string, unknown>): Record<string, unknown> => (Object.keys(effects).length === 0 ? liveOuts : { ...liveOuts, [EFFECTS]: effects });
  try {
    const liveOuts = withEffects(await packRecord(completion.liveOuts, env));
    const packed: Completion =
      completion.kind === 'return' ? { ...completion, value: await pack(completion.value, env), liveOuts } : completion.kind === 'throw' ? { ...completion, liveOuts: withEffects(completion.liveOuts) } : { ...completion, liveOuts };
    return encodeCompletion(packed, wire);
  } catch (error) {
    // The in-process runner lets this reach the caller as an exception: do the same.
    if (completion.kind === 'throw' || !(error instanceof WireError || error instanceof Error)) throw error;
    return encodeCompletion({ kind: 'throw', error, liveOuts: withEffects({}) }, wire);
  }
}

export function createDispatch(options: DispatchOptions): Dispatch {
  const { segments, entries, env } = options;
  const wire = options.errorClasses ? { errorClasses: options.errorClasses } : {};
  return {
    async invoke(segment, payload) {
      let liveIns: Record<string, unknown>;
      const context = crossingContext(options.crossings);
      const guard = options.guard;
      const entry = segment.startsWith(ENTRY_PREFIX);
      const known = entry ? Object.hasOwn(entries, segment.slice(ENTRY_PREFIX.length)) : Object.hasOwn(segments, segment);
      const admit = guard === undefined ? { body: payload, nonce: null } : admitted(guard, segment, payload, known);
      if ('answer' in admit) return admit.answer;
      const body = admit.body;
      try {
        const call = decodeCall(body, wire);
        if (call.segment !== segment) throw new Error(`the payload is for ${call.segment}`);
        if (guard !== undefined) {
          const problem = checkLiveIns(entry ? ENTRY_SCHEMA : (guard.schemas[segment] ?? { fields: {} }), call.liveIns);
          if (problem !== null) throw new Error(problem);
        }
        liveIns = unpackRecord(call.liveIns, env, context);
      } catch (error) {
        throw new RpcFailure('bad-payload', `${segment}: ${error instanceof Error ? error.message : String(error)}`);
      }
      let run: () => Promise<Completion>;
      if (segment.startsWith(ENTRY_PREFIX)) {
        const handler = known ? entries[segment.slice(ENTRY_PREFIX.length)] : undefined;
        if (handler === undefined) throw new RpcFailure('unknown-segment', `this stop serves no entry ${segment.slice(ENTRY_PREFIX.length)}`);
        const args = liveIns['args'];
        if (!Array.isArray(args)) throw new RpcFailure('bad-payload', `${segment}: expected liveIns.args to be an array`);
        run = async () => ({ kind: 'return', value: await handler(...(args as unknown[])), liveOuts: {} });
      } else {
        const fn = known ? segments[segment] : undefined;
        if (fn === undefined) throw new RpcFailure('unknown-segment', `this stop has no segment ${segment}`);
        run = () => fn(liveIns);
      }
      let completion: Completion;
      try {
        completion = await run();
      } catch (error) {
        completion = { kind: 'throw', error, liveOuts: {} };
      }
      try {
        const answer = await encodeAnswer(completion, env, context, wire);
        if (admit.nonce !== null) guard?.auth?.remember(admit.nonce, answer);
        return answer;
      } catch (error) {
        throw new RpcFailure('internal', `${segment}: the answer cannot cross: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  };
}
