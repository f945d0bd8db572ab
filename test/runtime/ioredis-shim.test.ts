import { describe, expect, it } from 'vitest';
import { ReplyError } from '../../src/presets/calls/ioredis.js';
import { bindRedisHandle, createIoredisModule } from '../../src/runtime/shims/index.js';
import { openKvStore, VirtualClock } from '../../src/runtime/stores/index.js';

/** The ioredis shim on the embedded KV store: Redis' replies and error replies, as ioredis hands them over. */

type Command = (...args: unknown[]) => Promise<unknown>;
type Client = Record<'get' | 'set' | 'del' | 'ttl' | 'mset' | 'mget' | 'incr' | 'incrby' | 'exists' | 'getBuffer' | 'call' | 'quit', Command> & {
  readonly options: Record<string, unknown>;
  readonly status: string;
};

function setup() {
  const clock = new VirtualClock(0);
  const kv = openKvStore({ name: 'tagcache', home: 'origin', replicas: ['edge'], lagMs: 10, clock });
  const ioredis = createIoredisModule({ defaultStore: kv.at('edge') });
  const redis = new ioredis.Redis('redis://localhost:6379', { maxRetriesPerRequest: 2 }) as unknown as Client;
  return { clock, kv, ioredis, redis };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('the ioredis shim', () => {
  it('connects to nothing, keeps its options and answers get/set/del as Redis does', async () => {
    const { kv, redis } = setup();
    expect(redis.options).toEqual({ maxRetriesPerRequest: 2 });
    expect(redis.status).toBe('ready');
    expect(await redis.get('conduit:tags')).toBeNull();
    expect(await redis.set('conduit:tags', '["a"]', 'EX', 60)).toBe('OK');
    expect(await redis.get('conduit:tags')).toBe('["a"]');
    expect(await redis.del('conduit:tags', 'missing', 'conduit:tags')).toBe(1);
    expect(await redis.get('conduit:tags')).toBeNull();
    // every write lands on the edge's copy, and reaches the home after the lag
    await redis.set('k', 7);
    expect(kv.at('edge').get('k')).toBe('7');
    expect(kv.at('origin').get('k')).toBeUndefined();
  });

  it('honours NX, XX and GET, and checks expiry arguments as Redis does (expiry itself is not emulated)', async () => {
    const { redis } = setup();
    expect(await redis.set('k', 'v1', 'NX')).toBe('OK');
    expect(await redis.set('k', 'v2', 'NX')).toBeNull();
    expect(await redis.set('absent', 'v', 'XX')).toBeNull();
    expect(await redis.set('k', 'v3', 'XX', 'GET')).toBe('v1');
    expect(await redis.get('k')).toBe('v3');
    expect(await redis.ttl('k')).toBe(-1);
    expect(await redis.ttl('absent')).toBe(-2);
    const bad = await rejection(redis.set('k', 'v', 'EX', 0));
    expect(bad).toBeInstanceOf(ReplyError);
    expect([bad.name, bad.message]).toEqual(['ReplyError', "ERR invalid expire time in 'set' command"]);
    expect((await rejection(redis.set('k', 'v', 'EX', 'soon'))).message).toBe('ERR value is not an integer or out of range');
    expect((await rejection(redis.set('k', 'v', 'NX', 'XX'))).message).toBe('ERR syntax error');
    expect((await rejection(redis.get())).message).toBe("ERR wrong number of arguments for 'get' command");
  });

  it('converts arguments as ioredis does, flattens arrays, and gives bytes from the Buffer variants', async () => {
    const { redis } = setup();
    await redis.mset(['a', 1, 'b', null]);
    expect(await redis.mget('a', 'b', 'c')).toEqual(['1', '', null]);
    expect(await redis.incrby('a', 41)).toBe(42);
    expect(await redis.exists('a', 'b', 'nope')).toBe(2);
    const bytes = await redis.getBuffer('a');
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect((bytes as Buffer).toString()).toBe('42');
    expect((await rejection(redis.incr('b'))).message).toBe('ERR value is not an integer or out of range');
  });

  it('calls back node-style when the last argument is a function', async () => {
    const { redis } = setup();
    const reply = await new Promise((resolve, reject) => {
      const returned = redis.set('k', 'v', (error: Error | null, value?: unknown) => (error ? reject(error) : resolve(value)));
      expect(returned).toBeUndefined();
    });
    expect(reply).toBe('OK');
  });

  it('refuses what it does not emulate instead of answering something else', async () => {
    const { redis } = setup();
    expect((await rejection(redis.call('hgetall', 'h'))).message).toBe("ioredis (stopline): the command 'hgetall' is not supported");
    await redis.quit();
    expect((await rejection(redis.get('k'))).message).toBe('Connection is closed.');
  });

  it('uses the store a binding names, whatever the default', async () => {
    const clock = new VirtualClock(0);
    const a = openKvStore({ name: 'a', home: 'origin', replicas: [], lagMs: 0, clock });
    const b = openKvStore({ name: 'b', home: 'origin', replicas: [], lagMs: 0, clock });
    const ioredis = createIoredisModule({ defaultStore: null });
    const bound = new ioredis.Redis() as unknown as Client;
    const unbound = new ioredis.Redis() as unknown as Client;
    expect(bindRedisHandle(bound, b.at('origin'))).toBe(true);
    expect(bindRedisHandle({}, a.at('origin'))).toBe(false);
    await bound.set('k', 'v');
    expect(b.dump()).toEqual([['k', 'v']]);
    expect(a.dump()).toEqual([]);
    expect((await rejection(unbound.get('k'))).message).toMatch(/^ioredis shim: this client is bound to no KV store/);
  });
});
