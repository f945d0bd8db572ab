import { EventEmitter } from 'node:events';
import { createRedisClass, ReplyError, type RedisClient, type RedisKv } from '../../presets/calls/ioredis.js';
import type { KvView } from '../stores/index.js';

/**
 * ioredis with its call shapes on the embedded KV store (a store's copy at one stop):
 *
 *   const ioredis = createIoredisModule({ defaultStore: tagcache.at('edge') });  // what `import … from 'ioredis'` gives
 *   const redis = new ioredis.Redis(process.env.REDIS_URL);                      // connects to nothing
 *   await redis.set('k', 'v', 'EX', 60); await redis.get('k');
 *
 * The commands, their replies and errors, and what is not emulated (expiry) are those of
 * src/presets/calls/ioredis.ts, shared with the guest lowering. A client bound with
 * `bindRedisHandle` (the runner does it for a store's `binding: src/cache.ts#redis`) uses
 * that store's copy; any other client the module's `defaultStore`.
 */

const handles = new WeakMap<object, { view: KvView | null }>();

/** Points a client made by an ioredis shim at a store's copy; false when `handle` is not one. */
export function bindRedisHandle(handle: unknown, view: KvView): boolean {
  const entry = typeof handle === 'object' && handle !== null ? handles.get(handle) : undefined;
  if (!entry) return false;
  entry.view = view;
  return true;
}

export interface IoredisModuleOptions {
  /** The copy every unbound client uses; null: such a client fails at its first command. */
  readonly defaultStore: KvView | null;
}

export interface IoredisModule {
  readonly Redis: new (...args: unknown[]) => RedisClient;
  readonly default: new (...args: unknown[]) => RedisClient;
  readonly ReplyError: typeof ReplyError;
}

export function createIoredisModule(options: IoredisModuleOptions): IoredisModule {
  const Base = createRedisClass({
    Emitter: EventEmitter,
    storeOf(client): RedisKv {
      const view = handles.get(client)?.view ?? options.defaultStore;
      if (!view) throw new Error('ioredis shim: this client is bound to no KV store (several ioredis stores: give each a `binding` in stopline.yaml)');
      return view;
    },
    toBuffer: (bytes) => Buffer.from(bytes),
    defer: (fn) => process.nextTick(fn),
  });
  class Redis extends Base {
    constructor(...args: unknown[]) {
      super(...args);
      handles.set(this, { view: null });
    }
  }
  return { Redis, default: Redis, ReplyError };
}
