import type { LinkOutcome } from './host.js';

/**
 * The callee's memory of answered calls: what makes retrying a cut whose region writes
 * safe. A call whose region writes carries an idempotency key (rpc-policy.ts: one per
 * logical call, the same on each of its retries); the host that carries the callee's
 * `dispatch` looks the key up before it runs the region and, when the region answered
 * (an `ok` answer: a completion, the segment's own throw included), remembers the answer
 * under the key. A retry or a duplicated delivery of the same call is answered from here
 * without running the region again, so its writes happen once.
 *
 * Where it lives, and what that guarantees. The table belongs to the callee stop's host,
 * not to its component instance: a stop whose instance dies (a trap, a restart) keeps it,
 * as a platform keeps a stop's durable state. The answer is remembered in the same
 * synchronous step in which the region returns, so on the local line no delivery can fall
 * between the region's writes and the record. What it does NOT give: atomicity with the
 * store. A stop that dies in the middle of a region (after some writes, before the answer)
 * leaves those writes and no record, and a retry runs the region again — exactly-once for a
 * crash inside a region needs the record written in the region's own store transaction,
 * which the generated code does not do yet. The line's fault injection (faults.ts) stops a
 * stop between its answer and the caller receiving it, the case this table covers.
 *
 * Entries expire `retainMs` of virtual time after they were written (the longest a caller
 * keeps retrying: attempts × deadline), so the table stays bounded.
 */
export class IdempotencyTable {
  readonly #answers = new Map<string, { readonly value: string; readonly at: number }>();

  constructor(readonly retainMs: number) {}

  get size(): number {
    return this.#answers.size;
  }

  /** The call answered once under `key`: from memory when it was, else by `run` (remembered when ok). */
  answer(key: string | null, now: number, run: () => LinkOutcome): LinkOutcome {
    if (key === null) return run();
    const known = this.#answers.get(key);
    if (known !== undefined) return { ok: true, value: known.value };
    const outcome = run();
    if (outcome.ok) this.#remember(key, outcome.value, now);
    return outcome;
  }

  #remember(key: string, value: string, now: number): void {
    for (const [k, v] of this.#answers) if (now - v.at > this.retainMs) this.#answers.delete(k);
    this.#answers.set(key, { value, at: now });
  }
}
