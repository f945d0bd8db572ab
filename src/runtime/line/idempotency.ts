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
 * between the region's writes and the record.
 *
 * A stop that dies in the MIDDLE of a region (a trap: faults.ts `crash`) leaves no answer.
 * The table marks a keyed call as started before it runs, and compares the stores'
 * `fingerprint` (their durable contents) before and after: when the dead region left them
 * as they were (nothing written, or only inside a transaction its connection's end rolled
 * back), the mark is dropped and a retry runs the region afresh; when it left a durable
 * write, the call is `interrupted` — every later delivery of it is refused with a final
 * `internal` error, so the region never runs twice. The request then fails (a
 * StoplineRpcError at the caller) with the stores as the original program leaves them when
 * it dies at the same point. Exactly once for a crash inside a region would need the
 * record written in the region's own store transaction, which the generated code does not
 * do: this is at most once, and never a duplicated write.
 *
 * Entries expire `retainMs` of virtual time after they were written (the longest a caller
 * keeps retrying: attempts × deadline), so the table stays bounded.
 */
type Memory = { readonly state: 'answered'; readonly value: string; readonly at: number } | { readonly state: 'interrupted'; readonly at: number };

export class IdempotencyTable {
  readonly #calls = new Map<string, Memory>();

  constructor(readonly retainMs: number) {}

  get size(): number {
    return this.#calls.size;
  }

  /**
   * The call answered once under `key`: from memory when it was, refused when an earlier
   * delivery died mid-region after a durable write, else by `run` (remembered when ok).
   * `fingerprint`: the callee's durable store contents, compared around a delivery that traps.
   */
  answer(key: string | null, now: number, run: () => LinkOutcome, fingerprint: () => string = () => ''): LinkOutcome {
    if (key === null) return run();
    const known = this.#calls.get(key);
    if (known?.state === 'answered') return { ok: true, value: known.value };
    if (known?.state === 'interrupted') {
      return { ok: false, error: { code: 'internal', message: `call ${key} was interrupted in the middle of its region after a durable write: not run again (its writes may have partly happened)` } };
    }
    const before = fingerprint();
    const outcome = run();
    if (outcome.ok) this.#remember(key, { state: 'answered', value: outcome.value, at: now });
    else if (outcome.error.code === 'internal' && fingerprint() !== before) this.#remember(key, { state: 'interrupted', at: now });
    return outcome;
  }

  #remember(key: string, memory: Memory): void {
    for (const [k, v] of this.#calls) if (memory.at - v.at > this.retainMs) this.#calls.delete(k);
    this.#calls.set(key, memory);
  }
}
