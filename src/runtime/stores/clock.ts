/**
 * Time as the embedded stores see it. Stores never read the wall clock: the local line
 * runtime injects a clock, virtual by default, so replication lag and hop latency are
 * deterministic and a test of minutes of lag runs in microseconds.
 *
 * Contract: `now()` returns milliseconds and never decreases. Stores check it and throw
 * when it goes backwards.
 */
export interface Clock {
  now(): number;
}

/** A clock that moves only when told to. Starts at `start` (default 0) ms. */
export class VirtualClock implements Clock {
  #now: number;

  constructor(start = 0) {
    if (!Number.isFinite(start)) throw new RangeError(`VirtualClock: start must be a finite number of ms, got ${String(start)}`);
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  /** Moves the clock forward by `ms` (≥ 0, finite) and returns the new time. */
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`VirtualClock.advance: ms must be a finite number ≥ 0, got ${String(ms)}`);
    this.#now += ms;
    return this.#now;
  }

  /** Moves the clock forward to `time`; a time in the past is an error. Returns the new time. */
  advanceTo(time: number): number {
    if (!Number.isFinite(time) || time < this.#now) {
      throw new RangeError(`VirtualClock.advanceTo: time must be finite and ≥ now (${this.#now}), got ${String(time)}`);
    }
    this.#now = time;
    return this.#now;
  }
}

/**
 * Reads `clock` and checks the contract against the last reading. Shared by the stores.
 * @internal
 */
export class MonotonicReader {
  #last = -Infinity;

  constructor(private readonly clock: Clock, private readonly owner: string) {}

  now(): number {
    const t = this.clock.now();
    if (!Number.isFinite(t)) throw new RangeError(`${this.owner}: the clock returned ${String(t)}`);
    if (t < this.#last) throw new RangeError(`${this.owner}: the clock went backwards (${t} after ${this.#last})`);
    this.#last = t;
    return t;
  }
}
