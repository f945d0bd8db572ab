import type { Plan, StopName } from '../../ir/index.js';
import type { LinkOutcome, RpcError } from './host.js';

/**
 * Deadlines and retries of the calls over cuts, enforced by the host carrying the caller's
 * `link.call` (the WIT contract: "the host carrying the link … enforces the deadline"). The
 * guest's `link.call` is a synchronous import it cannot abandon, so the caller's side of
 * the deadline is the host's: it measures each attempt on the line's clock and answers
 * `timeout` when the answer came back later than the deadline (or never: a lost message
 * costs the whole deadline).
 *
 * Deadline of a call from `from` into `to` (default, from the line's latencies):
 * `max(MIN_DEADLINE_MS, DEADLINE_RTTS × rtt(from, to))`, plus the time the callee may
 * itself spend on calls further along the line (`attempts ×` the largest deadline of a
 * call from `to` to a stop after it): a callee's region only calls outwards (line.ts), so
 * an inner call gives up and retries within its caller's deadline. `deadlineMs` overrides
 * it (one number for every call). A region whose own work (store round trips, many nested
 * calls) takes longer than its deadline times out: give it a larger `deadlineMs`.
 *
 * Retries: an attempt that ends `timeout` or `unavailable` is retried, up to `attempts`
 * attempts in all (default 3), at once (virtual time has no use for a backoff); any other
 * rpc-error (bad-payload, unknown-segment, unauthenticated, internal) is final. Retrying is
 * safe by construction:
 * - a cut whose region only reads (no write access in the plan under its run) is simply run
 *   again: reading twice leaves the stores as reading once;
 * - a cut whose region writes (or a crossing the plan does not know, e.g. an entry's:
 *   assumed to write) carries an idempotency key `<from>><to>#<call ordinal>`, the same on
 *   every retry of that call, which the callee's host remembers with the answer
 *   (idempotency.ts): a retried or duplicated write happens once.
 * After the last attempt the caller's guest gets the last rpc-error, which surfaces as a
 * `StoplineRpcError` (codegen/lower/rpc-error.ts): never a default value.
 */

export const DEADLINE_RTTS = 20;
export const MIN_DEADLINE_MS = 50;
export const DEFAULT_ATTEMPTS = 3;

export interface RpcPolicyOptions {
  /** every call's deadline per attempt, in virtual ms (default: from the line's latencies, above) */
  readonly deadlineMs?: number;
  /** attempts per call, the first included (default 3; 1: never retry) */
  readonly attempts?: number;
  /** whether the region of the cut headed by `segment` writes (default: every one does; `writingSegments(plan)`) */
  readonly writes?: (segment: string) => boolean;
}

/** One attempt of one call, as the faults and the callee see it. */
export interface AttemptInfo {
  readonly from: StopName;
  readonly to: StopName;
  readonly segment: string;
  /** ordinal of the logical call since the line opened (0-based; its retries share it) */
  readonly call: number;
  /** 0 for the first attempt, 1 for the first retry… */
  readonly attempt: number;
  /** the idempotency key the attempt carries (null: a read-only region, run again on retry) */
  readonly key: string | null;
  readonly deadlineMs: number;
}

export interface RpcPolicy {
  readonly attempts: number;
  deadline(from: StopName, to: StopName): number;
  /** Runs one logical call: `attempt` per try until one answers, or the error is final, or attempts run out. */
  call(from: StopName, to: StopName, segment: string, attempt: (info: AttemptInfo) => LinkOutcome): LinkOutcome;
}

const RETRYABLE: ReadonlySet<RpcError['code']> = new Set(['timeout', 'unavailable']);

export function rpcPolicy(options: RpcPolicyOptions, line: readonly StopName[], rtt: (a: StopName, b: StopName) => number): RpcPolicy {
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
  if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError(`rpc policy: attempts must be a positive integer, not ${attempts}`);
  if (options.deadlineMs !== undefined && !(options.deadlineMs > 0)) throw new RangeError(`rpc policy: deadlineMs must be positive, not ${options.deadlineMs}`);
  const writes = options.writes ?? (() => true);
  const memo = new Map<string, number>();
  const deadline = (from: StopName, to: StopName): number => {
    if (options.deadlineMs !== undefined) return options.deadlineMs;
    const k = `${from}\0${to}`;
    const known = memo.get(k);
    if (known !== undefined) return known;
    let nested = 0;
    for (const further of line.slice(line.indexOf(to) + 1)) nested = Math.max(nested, deadline(to, further));
    const d = Math.max(MIN_DEADLINE_MS, DEADLINE_RTTS * rtt(from, to)) + attempts * nested;
    memo.set(k, d);
    return d;
  };
  let calls = 0;
  return {
    attempts,
    deadline,
    call(from, to, segment, attempt) {
      const call = calls++;
      const key = writes(segment) ? `${from}>${to}#${call}` : null;
      const deadlineMs = deadline(from, to);
      let outcome: LinkOutcome = { ok: false, error: { code: 'internal', message: 'no attempt' } };
      for (let n = 0; n < attempts; n++) {
        outcome = attempt({ from, to, segment, call, attempt: n, key, deadlineMs });
        if (outcome.ok || !RETRYABLE.has(outcome.error.code)) return outcome;
      }
      if (outcome.ok) return outcome;
      return { ok: false, error: { code: outcome.error.code, message: `${outcome.error.message} (after ${attempts} attempt${attempts === 1 ? '' : 's'})` } };
    },
  };
}

/**
 * The segments heading a cut of `plan` whose region writes: a write access in a segment of
 * the cut's run or below it. Crossings into any other segment are read-only regions.
 */
export function writingSegments(plan: Plan): ReadonlySet<string> {
  const children = new Map<string, string[]>();
  for (const s of plan.segments) if (s.parent !== null) children.set(s.parent, [...(children.get(s.parent) ?? []), s.id]);
  const byId = new Map(plan.segments.map((s) => [s.id, s]));
  const writes = (id: string): boolean => {
    const s = byId.get(id);
    if (s === undefined) return true; // unknown: assume it writes
    return s.accesses.some((a) => a.op === 'write') || (children.get(id) ?? []).some(writes);
  };
  return new Set(plan.cuts.filter((c) => c.run.some(writes)).map((c) => c.child));
}

/** `writes` for a plan: a crossing into a cut's head writes when `writingSegments` says so; anything the plan has no cut for is assumed to write. */
export function writesByPlan(plan: Plan): (segment: string) => boolean {
  const heads = new Set(plan.cuts.map((c) => c.child));
  const writing = writingSegments(plan);
  return (segment) => !heads.has(segment) || writing.has(segment);
}
