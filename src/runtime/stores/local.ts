/**
 * Client-local storage for the local line runtime: one Web Storage area (what
 * `localStorage` is) per client id, so several simulated users never see each other's
 * data. Semantics follow the HTML spec's Storage interface:
 *   - keys and values are strings: arguments are converted with String() as WebIDL's
 *     DOMString conversion does (`setItem('n', 1)` stores "1", `getItem(1)` reads "1");
 *   - `getItem` of a missing key and `key(n)` out of range give null;
 *   - `key(n)` converts n as WebIDL's unsigned long (truncates; -1 wraps to 2^32 - 1);
 *   - the order of `key(n)` is the order keys were first set (the spec leaves it to the
 *     browser but requires it to stay the same while the keys do; setting an existing key
 *     keeps its place);
 *   - a call with too few arguments throws a TypeError, as browsers do;
 *   - with a quota, a setItem that would take the area over it throws a DOMException
 *     named QuotaExceededError and changes nothing. Usage counts the UTF-16 code units of
 *     every key and value (browsers' ~5 MB limit is about 5 million of them). No quota by
 *     default.
 * Property access (`localStorage.foo = 'x'`) and storage events are not emulated.
 */

export interface WebStorage {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  clear(): void;
}

export interface LocalStoreOptions {
  readonly name: string;
  /** Per-client limit in UTF-16 code units of keys plus values; null or absent: no limit. */
  readonly quota?: number | null;
}

export interface LocalClientDump {
  readonly client: string;
  /** Sorted by key. */
  readonly entries: (readonly [key: string, value: string])[];
}

export interface LocalStore {
  readonly name: string;
  /** The storage area of client `clientId`, created empty on first use. */
  forClient(clientId: string): WebStorage;
  /** Client ids with at least one item, sorted. */
  clients(): string[];
  /** Sets items in a client's area (a seed); subject to the quota. */
  seed(clientId: string, items: Readonly<Record<string, string>>): void;
  /** Every client with at least one item, sorted by client id; a cleared area is the same as an untouched one. */
  dump(): LocalClientDump[];
}

export function openLocalStore(options: LocalStoreOptions): LocalStore {
  const quota = options.quota ?? null;
  if (quota !== null && (!Number.isFinite(quota) || quota < 0)) throw new RangeError(`Local store '${options.name}': quota must be a finite number ≥ 0`);
  const areas = new Map<string, StorageArea>();
  const area = (clientId: string): StorageArea => {
    if (typeof clientId !== 'string') throw new TypeError(`Local store '${options.name}': client ids are strings`);
    let found = areas.get(clientId);
    if (!found) {
      found = new StorageArea(quota);
      areas.set(clientId, found);
    }
    return found;
  };
  const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const clients = (): string[] => [...areas].filter(([, a]) => a.length > 0).map(([id]) => id).sort(compare);
  return {
    name: options.name,
    forClient: area,
    clients,
    seed(clientId, items) {
      const storage = area(clientId);
      for (const [key, value] of Object.entries(items)) storage.setItem(key, value);
    },
    dump: () =>
      clients().map((client) => ({
        client,
        entries: (areas.get(client) as StorageArea).entries().sort(([a], [b]) => compare(a, b)),
      })),
  };
}

function required(method: string, given: number, needed: number): void {
  if (given < needed) {
    throw new TypeError(`Failed to execute '${method}' on 'Storage': ${needed} argument${needed > 1 ? 's' : ''} required, but only ${given} present.`);
  }
}

/** WebIDL's conversion to unsigned long (no [EnforceRange]). */
function toUnsignedLong(value: unknown): number {
  const n = Number(value);
  if (!Number.isFinite(n)) return 0;
  const t = Math.trunc(n) % 2 ** 32;
  return t < 0 ? t + 2 ** 32 : t;
}

class StorageArea implements WebStorage {
  readonly #items = new Map<string, string>();
  #used = 0;

  constructor(private readonly quota: number | null) {}

  get length(): number {
    return this.#items.size;
  }

  key(index: number): string | null {
    required('key', arguments.length, 1);
    const n = toUnsignedLong(index);
    if (n >= this.#items.size) return null;
    let i = 0;
    for (const key of this.#items.keys()) if (i++ === n) return key;
    return null;
  }

  getItem(key: string): string | null {
    required('getItem', arguments.length, 1);
    return this.#items.get(String(key)) ?? null;
  }

  setItem(key: string, value: string): void {
    required('setItem', arguments.length, 2);
    const k = String(key);
    const v = String(value);
    const old = this.#items.get(k);
    const used = this.#used - (old === undefined ? 0 : k.length + old.length) + k.length + v.length;
    if (this.quota !== null && used > this.quota) {
      throw new DOMException(`Setting the value of '${k}' exceeded the quota.`, 'QuotaExceededError');
    }
    this.#items.set(k, v);
    this.#used = used;
  }

  removeItem(key: string): void {
    required('removeItem', arguments.length, 1);
    const k = String(key);
    const old = this.#items.get(k);
    if (old === undefined) return;
    this.#items.delete(k);
    this.#used -= k.length + old.length;
  }

  clear(): void {
    this.#items.clear();
    this.#used = 0;
  }

  entries(): [string, string][] {
    return [...this.#items];
  }
}
