import type { LinkOutcome } from './host.js';
import type { AttemptInfo } from './rpc-policy.js';

/**
 * Fault injection on the local line: what can go wrong with one attempt of a call over a
 * cut (one request message and its answer), applied by the line between the caller's host
 * (deadline and retries: rpc-policy.ts) and the callee's host (idempotency.ts).
 *
 * Kinds, per attempt:
 * - `drop-request`: the request is lost; the callee never runs; the caller waits out its
 *   deadline and sees `timeout`.
 * - `drop-response`: the callee runs the region (its writes happen), the answer is lost;
 *   the caller sees `timeout` at its deadline.
 * - `delay`: the request arrives `delayMs` late (virtual time); past the deadline (`delayMs:
 *   'past-deadline'`) the callee still runs it but the caller has given up: `timeout`.
 * - `duplicate`: the callee receives the request twice, one after the other; the caller
 *   gets the first answer.
 * - `reorder`: link calls are synchronous, so two messages of one caller are never in
 *   flight together; what can be reordered is a copy of a message. The request is
 *   delivered, and a duplicate of it is delivered again AFTER the next attempt on the line
 *   (a later message) — or at the end of the request when there is none; its answer goes
 *   nowhere.
 * - `stop`: the callee's stop dies between running the region and answering: its instance
 *   is replaced by a fresh one (module state lost; stores and the host's idempotency table
 *   kept) and the caller sees `unavailable` at once (the connection broke).
 * - `crash`: the callee's stop dies in the MIDDLE of the region: its instance traps right
 *   after the region's first store write at that stop (a region that writes nothing there
 *   runs to its end and the stop dies before answering, as `stop`). What it wrote stays,
 *   except an open transaction, which its connection's end rolls back; the instance is
 *   replaced and the caller sees `unavailable`. Its retry finds the call started and not
 *   answered (idempotency.ts): run again when the crash left no durable write, refused
 *   (`internal`, final) when it did.
 *
 * Schedules are deterministic: `faultAt(call, kind)` faults the first attempt of the
 * `call`-th logical call of the line (its retries go through), `{ every: true }` every
 * attempt of it (the call fails for good); `seededFaults(seed, rate)` draws a fault per
 * attempt from a seeded generator (mulberry32).
 */

export type FaultKind = 'drop-request' | 'drop-response' | 'delay' | 'duplicate' | 'reorder' | 'stop' | 'crash';

export const FAULT_KINDS: readonly FaultKind[] = ['drop-request', 'drop-response', 'delay', 'duplicate', 'reorder', 'stop', 'crash'];

/** Faults that take a stop's instance down (the line keeps a fresh one ready for them). */
const RESTARTING: ReadonlySet<FaultKind> = new Set(['stop', 'crash']);

export interface Fault {
  readonly kind: FaultKind;
  /** for `delay`: extra virtual ms on the request's way, or just past the attempt's deadline */
  readonly delayMs?: number | 'past-deadline';
}

export interface LinkFaults {
  /** The fault of this attempt, or null. */
  at(attempt: AttemptInfo): Fault | null;
  /** whether a schedule may stop a stop: the line then keeps a fresh instance of each stop ready */
  readonly restarts: boolean;
}

/** A fault on the `call`-th logical call of the line (0-based): its first attempt, or with `every` each of its attempts. */
export function faultAt(call: number, fault: Fault, options: { readonly every?: boolean } = {}): LinkFaults {
  return {
    at: (a) => (a.call === call && (options.every === true || a.attempt === 0) ? fault : null),
    restarts: RESTARTING.has(fault.kind),
  };
}

/** Each attempt faulted with probability `rate`, its kind drawn from `kinds`, from a seeded generator. */
export function seededFaults(seed: number, rate: number, kinds: readonly FaultKind[] = FAULT_KINDS): LinkFaults {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    at: () => {
      if (next() >= rate) return null;
      const kind = kinds[Math.floor(next() * kinds.length)] as FaultKind;
      return kind === 'delay' ? { kind, delayMs: next() < 0.5 ? 'past-deadline' : 5 } : { kind };
    },
    restarts: kinds.some((k) => RESTARTING.has(k)),
  };
}

/** What the line gives `transmit` for one attempt. */
export interface Transport {
  /** one-way latency between the two stops */
  readonly halfMs: number;
  readonly deadlineMs: number;
  now(): number;
  advance(ms: number): void;
  /** The request arrives at the callee's host (answered from its memory, or by running the region). */
  deliver(): LinkOutcome;
  /** As `deliver`, with the callee's instance set to trap right after the region's first store write at that stop. */
  deliverCrashing(): LinkOutcome;
  /** The callee's instance dies and a fresh one takes its place. */
  stop(): void;
  /** Runs `deliver` after the next attempt on the line (a late copy). */
  later(deliver: () => void): void;
}

/** One attempt over `transport` under `fault` (null: none): the outcome the caller's host sees. */
export function transmit(fault: Fault | null, t: Transport): LinkOutcome {
  const start = t.now();
  const timeout = (why: string): LinkOutcome => {
    const left = start + t.deadlineMs - t.now();
    if (left > 0) t.advance(left);
    return { ok: false, error: { code: 'timeout', message: `no answer within the deadline of ${t.deadlineMs} ms: ${why}` } };
  };
  if (fault?.kind === 'drop-request') return timeout('the request was lost');
  const delay = fault?.kind === 'delay' ? (fault.delayMs === 'past-deadline' ? t.deadlineMs + 1 : (fault.delayMs ?? 0)) : 0;
  t.advance(t.halfMs + delay);
  if (fault?.kind === 'crash') {
    t.deliverCrashing();
    t.stop();
    t.advance(t.halfMs);
    return { ok: false, error: { code: 'unavailable', message: 'the stop went down in the middle of the call' } };
  }
  const outcome = t.deliver();
  if (fault?.kind === 'duplicate') t.deliver();
  if (fault?.kind === 'reorder') t.later(() => void t.deliver());
  if (fault?.kind === 'stop') {
    t.stop();
    t.advance(t.halfMs);
    return { ok: false, error: { code: 'unavailable', message: 'the stop went down before it answered' } };
  }
  if (fault?.kind === 'drop-response') return timeout('the answer was lost');
  t.advance(t.halfMs);
  if (t.now() - start > t.deadlineMs) return timeout(`the answer came after ${t.now() - start} ms`);
  return outcome;
}
