import { createRedisClass, ReplyError, type RedisClient, type RedisKv } from '../../src/presets/calls/ioredis.js';
import { MiniEmitter } from './events.js';
import { payloadOf, type BucketResource, type KeyvalueStoreImport } from './imports.js';

/**
 * ioredis inside a component, over `wasi:keyvalue/store`: the call shapes of the Node-side
 * shim (src/runtime/shims/ioredis.ts) — the same commands, replies and ReplyErrors, from
 * src/presets/calls/ioredis.ts — on a bucket per store, opened (named as the store) at the
 * first command, never while the module is evaluated (that happens at build time, where no
 * import may be called).
 *
 *   const ioredis = createIoredisModule({ keyvalue, defaultStore: 'tagcache' });  // what `import … from 'ioredis'` gives
 *   await new ioredis.Redis(url).get('k');                                        // bucket.get('k')
 *
 * Values: a string is stored as its UTF-8 bytes; bytes read back that are valid UTF-8 are
 * a string again (the embedded store and Redis both hold bytes; the host keeps UTF-8 as
 * text). The `…Buffer` commands answer Uint8Array (the guest has no Buffer). A client bound
 * with `bind(client, store)` (the bundle does it for a store's `binding: src/cache.ts#redis`)
 * uses that store, any other `defaultStore`. Expiry is not emulated (see the shared module).
 * A failure of the bucket (no such store, access denied) rejects with an Error naming it.
 */

const encoder = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function kvError(error: unknown): Error {
  const p = payloadOf(error) as { tag?: string; val?: string } | undefined;
  if (p && typeof p.tag === 'string') return new Error(`ioredis (stopline): the key-value store failed: ${p.tag}${p.val ? ` (${p.val})` : ''}`);
  return error instanceof Error ? error : new Error(String(error));
}

function bucketKv(open: () => BucketResource): RedisKv {
  let bucket: BucketResource | null = null;
  const b = (): BucketResource => {
    try {
      return (bucket ??= open());
    } catch (error) {
      throw kvError(error);
    }
  };
  const guarded = <T>(run: () => T): T => {
    try {
      return run();
    } catch (error) {
      throw kvError(error);
    }
  };
  return {
    get(key) {
      const bytes = guarded(() => b().get(key));
      if (bytes === undefined) return undefined;
      try {
        return strictUtf8.decode(bytes);
      } catch {
        return bytes;
      }
    },
    set: (key, value) => guarded(() => b().set(key, typeof value === 'string' ? encoder.encode(value) : value)),
    delete: (key) => guarded(() => b().delete(key)),
    has: (key) => guarded(() => b().exists(key)),
  };
}

export interface IoredisModuleOptions {
  readonly keyvalue: KeyvalueStoreImport;
  /** The store of every client no binding names; null: such a client fails at its first command. */
  readonly defaultStore: string | null;
}

export interface IoredisModule {
  readonly Redis: new (...args: unknown[]) => RedisClient;
  readonly ReplyError: typeof ReplyError;
  /** Points a client of this module at a store; false when `client` is not one. */
  bind(client: unknown, store: string): boolean;
}

export function createIoredisModule(options: IoredisModuleOptions): IoredisModule {
  const stores = new WeakMap<object, { store: string | null; kv: RedisKv | null }>();
  const kvs = new Map<string, RedisKv>();
  const kvOf = (store: string): RedisKv => {
    let kv = kvs.get(store);
    if (!kv) {
      kv = bucketKv(() => options.keyvalue.open(store));
      kvs.set(store, kv);
    }
    return kv;
  };
  const Base = createRedisClass({
    Emitter: MiniEmitter,
    storeOf(client) {
      const store = stores.get(client)?.store ?? options.defaultStore;
      if (store === null) throw new Error('ioredis (stopline): this client is bound to no KV store (several ioredis stores: give each a `binding` in stopline.yaml)');
      return kvOf(store);
    },
    toBuffer: (bytes) => bytes,
    defer: (fn) => queueMicrotask(fn),
  });
  class Redis extends Base {
    constructor(...args: unknown[]) {
      super(...args);
      stores.set(this, { store: null, kv: null });
    }
  }
  return {
    Redis,
    ReplyError,
    bind(client, store) {
      const entry = typeof client === 'object' && client !== null ? stores.get(client) : undefined;
      if (!entry) return false;
      entry.store = store;
      return true;
    },
  };
}
