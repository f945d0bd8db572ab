import { payloadOf, type ClientLocalImport, type StorageArea } from './imports.js';

/**
 * The browser's `localStorage` (or `sessionStorage`) inside the client component, over
 * `stopline:line/client-local`: the Storage interface (length, key, getItem, setItem,
 * removeItem, clear) with WebIDL's string conversions. As in the Node-side shim, property
 * access (`localStorage.theme = 'dark'`) and storage events are not emulated.
 * A refused write (quota-exceeded) throws a DOMException named QuotaExceededError, as
 * browsers do.
 */
export class LoweredStorage {
  readonly #local: ClientLocalImport;
  readonly #area: StorageArea;

  constructor(local: ClientLocalImport, area: StorageArea) {
    this.#local = local;
    this.#area = area;
  }

  get length(): number {
    return this.#local.keys(this.#area).length;
  }

  key(index: number): string | null {
    const i = Math.trunc(Number(index)) >>> 0;
    return this.#local.keys(this.#area)[i] ?? null;
  }

  getItem(key: string): string | null {
    return this.#local.get(this.#area, String(key)) ?? null;
  }

  setItem(key: string, value: string): void {
    try {
      this.#local.set(this.#area, String(key), String(value));
    } catch (error) {
      const payload = payloadOf(error) as { tag?: unknown; val?: unknown } | undefined;
      if (payload?.tag === 'quota-exceeded') throw domException(`Setting the value of '${String(key)}' exceeded the quota.`, 'QuotaExceededError');
      if (payload?.tag === 'access-denied') throw domException('Access to storage is denied.', 'SecurityError');
      if (payload?.tag === 'other') throw new Error(String(payload.val));
      throw error;
    }
  }

  removeItem(key: string): void {
    this.#local.remove(this.#area, String(key));
  }

  clear(): void {
    for (const key of this.#local.keys(this.#area)) this.#local.remove(this.#area, key);
  }
}

/** A DOMException named `name` where the engine has the class, else an Error carrying that name. */
export function domException(message: string, name: string): Error {
  const Ctor = (globalThis as { DOMException?: new (message: string, name: string) => Error }).DOMException;
  if (typeof Ctor === 'function') return new Ctor(message, name);
  const error = new Error(message);
  Object.defineProperty(error, 'name', { value: name, writable: true, enumerable: false, configurable: true });
  return error;
}

export function createWebStorage(local: ClientLocalImport, area: StorageArea = 'local'): LoweredStorage {
  return new LoweredStorage(local, area);
}
