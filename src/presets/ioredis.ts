import { redisReadCommands, redisWriteCommands } from './_redis-commands.js';
import type { CallRule, Preset } from './types.js';

/**
 * ioredis: every command is declared on the `RedisCommander` interface that `Redis`,
 * `Cluster` and pipelines share. Names are lower case; `…Buffer` variants return
 * Buffers and count the same.
 */
const module = 'ioredis';
const spell = (names: readonly string[]): string[] =>
  [...new Set(names.map((n) => n.toLowerCase()))].flatMap((n) => [n, `${n}Buffer`]);

const calls: CallRule[] = [
  ...spell(redisReadCommands).map((name): CallRule => ({ match: { module, owner: 'RedisCommander', name }, op: 'read' })),
  ...spell(redisWriteCommands).map((name): CallRule => ({ match: { module, owner: 'RedisCommander', name }, op: 'write' })),
];

export const ioredisPreset: Preset = {
  name: 'ioredis',
  description: 'Redis through ioredis: get/mget/hget/hgetall/exists/ttl/smembers/lrange… read; set/del/hset/expire/incr… write',
  packages: ['ioredis'],
  store: { kind: 'kv', consistency: 'eventual', home: 'origin', replicas: 'edges', lowering: 'wasi:keyvalue/store' },
  capability: null,
  calls,
  references: [],
  handles: [
    // A pipeline or MULTI queues commands on one connection.
    { match: { module, owner: null, name: 'Pipeline' }, kind: 'resource' },
    { match: { module, owner: null, name: 'ChainableCommander' }, kind: 'resource' },
    { match: { module, owner: null, name: 'Redis' }, kind: 'store-handle' },
    { match: { module, owner: null, name: 'Cluster' }, kind: 'store-handle' },
  ],
};
