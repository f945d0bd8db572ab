import type { StopName } from '../../ir/index.js';
import { MonotonicReader, type Clock } from './clock.js';

/**
 * The eventually consistent KV store of the local line runtime: a home copy at one stop,
 * replicas at others, and a deterministic replication lag on the injected clock.
 *
 *   const kv = openKvStore({ name: 'cache', home: 'origin', replicas: ['edge'], lagMs: 50, clock });
 *   kv.at('edge').set('k', 'v');     // code running at the edge writes to the edge's copy
 *   kv.at('origin').get('k');        // undefined until clock.now() ≥ write time + 50
 *
 * Semantics (all on the virtual clock, nothing real):
 *   - Every write (set or delete) is a version stamped with the stop that made it, the
 *     clock's time and a store-wide sequence number (the order of the calls).
 *   - A version written at stop S at time t is visible at S at once and at every other
 *     copy (home or replica alike) from time t + lagMs on: a write takes lagMs to reach
 *     each other copy, directly, not through the home.
 *   - A copy shows, per key, the newest of the versions visible to it: last writer wins
 *     by (time, sequence). Ties in time go to the later call. Because the clock never goes
 *     back, this is simply "the later call wins" — every copy converges to the value of
 *     the last write call once all writes are visible.
 *   - So: a read at the home sees every home write and every replica write older than
 *     lagMs; a read at a replica sees its own writes at once (read-your-writes at the
 *     replica that wrote), and the home's and other replicas' writes once they are
 *     lagMs old. Reads at one stop are monotonic: a stop never goes back to an older
 *     value. A newer write from elsewhere replaces a stop's own write when it arrives.
 *   - `settle()` makes every write so far visible everywhere without moving the clock:
 *     for end-of-test comparisons.
 *   - `at(stop)` for a stop with no copy throws: the runtime routes such an access to
 *     the nearest stop that has one, as the cost model charges it.
 *
 * Values are strings or bytes (wasi:keyvalue stores bytes); bytes are copied in and out,
 * so a caller mutating its array changes nothing in the store.
 */

export type KvValue = string | Uint8Array;

export interface KvView {
  readonly stop: StopName;
  get(key: string): KvValue | undefined;
  has(key: string): boolean;
  set(key: string, value: KvValue): void;
  delete(key: string): void;
  /** Keys starting with `prefix` (all keys by default) that have a value at this stop, sorted by UTF-16 code units. */
  list(prefix?: string): string[];
}

export interface KvStoreOptions {
  readonly name: string;
  readonly home: StopName;
  readonly replicas: readonly StopName[];
  /** Replication lag in ms of virtual time, the same for every pair of copies. */
  readonly lagMs: number;
  readonly clock: Clock;
}

export type KvEntry = readonly [key: string, value: KvValue];

export interface KvStore {
  readonly name: string;
  readonly home: StopName;
  readonly replicas: readonly StopName[];
  readonly lagMs: number;
  /** The copy seen by code running at `stop` (the home or a replica). */
  at(stop: StopName): KvView;
  /** Initial data: written at the home and visible everywhere at once (it also settles earlier writes). */
  seed(entries: Iterable<KvEntry> | Readonly<Record<string, KvValue>>): void;
  /** Makes every write so far visible at every copy. */
  settle(): void;
  /** How many writes some copy does not see yet. */
  pending(): number;
  /** The copy at `stop` (default: the home), sorted by key. */
  dump(stop?: StopName): KvEntry[];
}

interface Version {
  readonly seq: number;
  readonly time: number;
  readonly origin: StopName;
  /** null: a delete. */
  readonly value: KvValue | null;
}

function copyValue(value: KvValue): KvValue {
  return typeof value === 'string' ? value : new Uint8Array(value);
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function openKvStore(options: KvStoreOptions): KvStore {
  return new EmbeddedKvStore(options);
}

class EmbeddedKvStore implements KvStore {
  readonly name: string;
  readonly home: StopName;
  readonly replicas: readonly StopName[];
  readonly lagMs: number;
  readonly #copies: readonly StopName[];
  readonly #clock: MonotonicReader;
  /** Per key, versions in (time, seq) order; versions older than the newest one visible everywhere are dropped. */
  readonly #versions = new Map<string, Version[]>();
  readonly #views = new Map<StopName, KvView>();
  #seq = 0;
  /** Versions with seq ≤ this are visible everywhere (settle). */
  #settled = 0;

  constructor(options: KvStoreOptions) {
    const { name, home, replicas, lagMs, clock } = options;
    if (!Number.isFinite(lagMs) || lagMs < 0) throw new RangeError(`KV store '${name}': lagMs must be a finite number ≥ 0, got ${String(lagMs)}`);
    if (replicas.includes(home)) throw new RangeError(`KV store '${name}': the home '${home}' is also listed as a replica`);
    if (new Set(replicas).size !== replicas.length) throw new RangeError(`KV store '${name}': a replica is listed twice`);
    this.name = name;
    this.home = home;
    this.replicas = [...replicas];
    this.lagMs = lagMs;
    this.#copies = [home, ...replicas];
    this.#clock = new MonotonicReader(clock, `KV store '${name}'`);
  }

  at(stop: StopName): KvView {
    const cached = this.#views.get(stop);
    if (cached) return cached;
    if (!this.#copies.includes(stop)) {
      throw new RangeError(`KV store '${this.name}' has no copy at stop '${stop}' (home '${this.home}', replicas: ${this.replicas.length ? this.replicas.join(', ') : 'none'})`);
    }
    const view: KvView = {
      stop,
      get: (key) => this.#read(stop, checkKey(this.name, key)),
      has: (key) => this.#read(stop, checkKey(this.name, key)) !== undefined,
      set: (key, value) => this.#write(stop, checkKey(this.name, key), checkValue(this.name, value)),
      delete: (key) => this.#write(stop, checkKey(this.name, key), null),
      list: (prefix = '') => this.#list(stop, prefix),
    };
    this.#views.set(stop, view);
    return view;
  }

  seed(entries: Iterable<KvEntry> | Readonly<Record<string, KvValue>>): void {
    const list: Iterable<KvEntry> = Symbol.iterator in entries ? (entries as Iterable<KvEntry>) : Object.entries(entries);
    for (const [key, value] of list) this.#write(this.home, checkKey(this.name, key), checkValue(this.name, value));
    this.settle();
  }

  settle(): void {
    this.#settled = this.#seq;
    const now = this.#clock.now();
    for (const key of [...this.#versions.keys()]) this.#compact(key, now);
  }

  pending(): number {
    const now = this.#clock.now();
    let count = 0;
    for (const versions of this.#versions.values()) for (const v of versions) if (!this.#everywhere(v, now)) count++;
    return count;
  }

  dump(stop: StopName = this.home): KvEntry[] {
    this.at(stop); // checks the stop
    const now = this.#clock.now();
    const entries: KvEntry[] = [];
    for (const key of [...this.#versions.keys()].sort(compareKeys)) {
      const value = this.#valueAt(stop, key, now);
      if (value !== undefined) entries.push([key, value]);
    }
    return entries;
  }

  #visible(v: Version, stop: StopName, now: number): boolean {
    return v.origin === stop || v.seq <= this.#settled || v.time + this.lagMs <= now;
  }

  #everywhere(v: Version, now: number): boolean {
    return this.#copies.every((stop) => this.#visible(v, stop, now));
  }

  #valueAt(stop: StopName, key: string, now: number): KvValue | undefined {
    const versions = this.#versions.get(key);
    if (!versions) return undefined;
    for (let i = versions.length - 1; i >= 0; i--) {
      const v = versions[i] as Version;
      if (this.#visible(v, stop, now)) return v.value === null ? undefined : copyValue(v.value);
    }
    return undefined;
  }

  #read(stop: StopName, key: string): KvValue | undefined {
    return this.#valueAt(stop, key, this.#clock.now());
  }

  #write(stop: StopName, key: string, value: KvValue | null): void {
    const now = this.#clock.now();
    this.#seq += 1;
    const version: Version = { seq: this.#seq, time: now, origin: stop, value: value === null ? null : copyValue(value) };
    const versions = this.#versions.get(key);
    // The clock never goes back and seq grows, so appending keeps (time, seq) order.
    if (versions) versions.push(version);
    else this.#versions.set(key, [version]);
    this.#compact(key, now);
  }

  /** Drops versions no copy can show any more: those older than the newest version visible everywhere. */
  #compact(key: string, now: number): void {
    const versions = this.#versions.get(key);
    if (!versions) return;
    let newestEverywhere = -1;
    for (let i = versions.length - 1; i >= 0; i--) {
      if (this.#everywhere(versions[i] as Version, now)) {
        newestEverywhere = i;
        break;
      }
    }
    if (newestEverywhere > 0) versions.splice(0, newestEverywhere);
    if (versions.length === 1 && versions[0]?.value === null && newestEverywhere >= 0) this.#versions.delete(key);
  }

  #list(stop: StopName, prefix: string): string[] {
    if (typeof prefix !== 'string') throw new TypeError(`KV store '${this.name}': a list prefix must be a string`);
    const now = this.#clock.now();
    const keys: string[] = [];
    for (const key of this.#versions.keys()) {
      if (key.startsWith(prefix) && this.#valueAt(stop, key, now) !== undefined) keys.push(key);
    }
    return keys.sort(compareKeys);
  }
}

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * How bytes written through a byte interface (wasi:keyvalue) are kept: as a string when
 * they are valid UTF-8, else as bytes. The line host and the byte-level shims both use it,
 * so the original and the split program leave identical stores.
 */
export function storedKvValue(bytes: Uint8Array): KvValue {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return new Uint8Array(bytes);
  }
}

/** A stored value as bytes (strings as UTF-8). */
export function kvValueBytes(value: KvValue): Uint8Array {
  return typeof value === 'string' ? utf8.encode(value) : value;
}

function checkKey(store: string, key: unknown): string {
  if (typeof key !== 'string') throw new TypeError(`KV store '${store}': keys are strings, got ${typeof key}`);
  return key;
}

function checkValue(store: string, value: unknown): KvValue {
  if (typeof value === 'string' || value instanceof Uint8Array) return value;
  throw new TypeError(`KV store '${store}': values are strings or Uint8Array, got ${value === null ? 'null' : typeof value}`);
}
