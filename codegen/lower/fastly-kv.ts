import { payloadOf, type BucketResource, type KeyvalueStoreImport } from './imports.js';
import { createFastlyKvModule, type FastlyKvBackend, type FastlyKvModule } from '../../src/presets/calls/fastly-kv.js';
export { KVStoreEntry, type FastlyKvModule, type FastlyKVStore, type KvListPage } from '../../src/presets/calls/fastly-kv.js';

/**
 * `fastly:kv-store` inside a component, over `wasi:keyvalue/store`: the module shared with
 * the Node shim (src/presets/calls/fastly-kv.ts: KVStore, KVStoreEntry, key checks,
 * metadata envelope, modes, TTL validated and not applied) on one bucket per store, opened
 * at first use with the store's name from stopline.yaml as its identifier (the host picks
 * the copy of the store this stop reads and writes: its own, or the nearest).
 *
 *   const { KVStore } = createFastlyKvLoweredModule({ keyvalue, stores: ['fragments'] });
 *   await new KVStore('fragments').get('page:/');   // keyvalue.open('fragments').get('page:/')
 *
 * A bucket error (`{ tag: 'no-such-store' | 'access-denied' | 'other', val? }`) rejects the
 * call with an Error naming the tag. `list` reads every page of `list-keys`.
 */

function kvError(op: string, error: unknown): Error {
  const payload = payloadOf(error) as { tag?: unknown; val?: unknown } | undefined;
  if (payload && typeof payload.tag === 'string') return new Error(`KVStore.${op}: ${payload.tag}${typeof payload.val === 'string' ? ` (${payload.val})` : ''}`);
  return error instanceof Error ? error : new Error(String(error));
}

export interface FastlyKvLoweringOptions {
  readonly keyvalue: KeyvalueStoreImport;
  /** The config's fastly-kv store names: what `new KVStore(name)` may open. */
  readonly stores: readonly string[];
}

export function createFastlyKvLoweredModule(options: FastlyKvLoweringOptions): FastlyKvModule {
  const buckets = new Map<string, BucketResource>();
  const bucket = (store: string, op: string): BucketResource => {
    let b = buckets.get(store);
    if (b === undefined) {
      try {
        b = options.keyvalue.open(store);
      } catch (error) {
        throw kvError(op, error);
      }
      buckets.set(store, b);
    }
    return b;
  };
  const call = <T>(store: string, op: string, fn: (b: BucketResource) => T): T => {
    const b = bucket(store, op);
    try {
      return fn(b);
    } catch (error) {
      throw kvError(op, error);
    }
  };
  const backend: FastlyKvBackend = {
    get: (store, key) => call(store, 'get', (b) => b.get(key)),
    set: (store, key, value) => call(store, 'put', (b) => b.set(key, value)),
    delete: (store, key) => call(store, 'delete', (b) => b.delete(key)),
    keys: (store) =>
      call(store, 'list', (b) => {
        const all: string[] = [];
        let cursor: bigint | undefined;
        do {
          const page = b.listKeys(cursor);
          all.push(...page.keys);
          cursor = page.cursor;
        } while (cursor !== undefined);
        return all;
      }),
  };
  return createFastlyKvModule({ backend, stores: options.stores });
}
