import { kvValueBytes, storedKvValue, type KvView } from '../stores/index.js';
import { createFastlyKvModule, type FastlyKvBackend, type FastlyKvModule } from '../../presets/calls/fastly-kv.js';
export { KVStoreEntry, type FastlyKvModule, type FastlyKVStore, type KvListPage } from '../../presets/calls/fastly-kv.js';

/**
 * `fastly:kv-store` for the original program: the shared module
 * (src/presets/calls/fastly-kv.ts: KVStore, KVStoreEntry, key checks, metadata envelope,
 * modes, TTL validated and not applied) over each store's copy at the stop where the
 * program runs (`kv.at('edge')`): reads see that copy, writes land in it and replicate
 * with the store's lag. Bytes are kept as the line host keeps what a component writes
 * through wasi:keyvalue (a string when valid UTF-8), so both programs leave equal stores.
 *
 *   world.modules.set('fastly:kv-store', createFastlyKvShimModule(new Map([['fragments', fragments.at('edge')]])));
 */
export function createFastlyKvShimModule(views: ReadonlyMap<string, KvView>): FastlyKvModule {
  const view = (store: string): KvView => {
    const v = views.get(store);
    if (!v) throw new Error(`KVStore: no KV store named '${store}'`);
    return v;
  };
  const backend: FastlyKvBackend = {
    get: (store, key) => {
      const value = view(store).get(key);
      return value === undefined ? undefined : new Uint8Array(kvValueBytes(value));
    },
    set: (store, key, value) => view(store).set(key, storedKvValue(value)),
    delete: (store, key) => view(store).delete(key),
    keys: (store) => view(store).list(),
  };
  return createFastlyKvModule({ backend, stores: [...views.keys()] });
}
