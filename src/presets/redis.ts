import { redisReadCommands, redisWriteCommands } from './_redis-commands.js';
import type { CallRule, HandleRule, Preset } from './types.js';

/**
 * node-redis (the `redis` package, v4+). Its types come from '@redis/client': commands
 * are properties of a mapped type over the command table, so rules match the
 * receiver's type name (`RedisClientType`, `RedisClusterType`, a MULTI…) rather than a
 * declaring class. Both spellings count: `hGetAll` and `HGETALL`.
 */
const module = '@redis/client';
const owner = 'Redis*';
const spell = (names: readonly string[]): string[] => [...new Set(names.flatMap((n) => [n, n.toUpperCase()]))];

const calls: CallRule[] = [
  ...spell(redisReadCommands).map((name): CallRule => ({ match: { module, owner, name }, op: 'read' })),
  ...spell(redisWriteCommands).map((name): CallRule => ({ match: { module, owner, name }, op: 'write' })),
];

export const redisPreset: Preset = {
  name: 'redis',
  description: 'Redis through node-redis (redis, @redis/client): get/mGet/hGet/hGetAll… read; set/del/hSet/expire/incr… write',
  packages: ['redis', '@redis/client'],
  store: { kind: 'kv', consistency: 'eventual', home: 'origin', replicas: 'edges', lowering: 'wasi:keyvalue/store' },
  capability: null,
  calls,
  references: [],
  handles: ['redis', '@redis/client'].flatMap((module): HandleRule[] => [
    // A MULTI queues commands on one connection.
    { match: { module, owner: '*', name: 'RedisClientMultiCommand*' }, kind: 'resource' },
    { match: { module, owner: '*', name: 'RedisClientType' }, kind: 'store-handle' },
    { match: { module, owner: '*', name: 'RedisClusterType' }, kind: 'store-handle' },
    { match: { module, owner: '*', name: 'RedisSentinelType' }, kind: 'store-handle' },
    { match: { module, owner: '*', name: 'RedisClientPoolType' }, kind: 'store-handle' },
    { match: { module, owner: '*', name: 'RedisClient' }, kind: 'store-handle' },
  ]),
};
