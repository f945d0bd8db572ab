import type { CallRule, HandleRule, Preset } from './types.js';

/**
 * Cloudflare Workers KV: the global `KVNamespace` interface of @cloudflare/workers-types
 * (or of a `wrangler types` worker-configuration.d.ts), reached through a binding such
 * as `env.CACHE`. The module form of workers-types is listed too.
 */
const modules = [null, '@cloudflare/workers-types'];
const reads = ['get', 'getWithMetadata', 'list'];
const writes = ['put', 'delete'];

export const cloudflareKvPreset: Preset = {
  name: 'cloudflare-kv',
  description: 'Cloudflare Workers KV (KVNamespace bindings): get/getWithMetadata/list read, put/delete write',
  packages: [],
  store: { kind: 'kv', consistency: 'eventual', home: 'origin', replicas: 'edges', lowering: 'wasi:keyvalue/store' },
  capability: null,
  calls: modules.flatMap((module): CallRule[] => [
    ...reads.map((name): CallRule => ({ match: { module, owner: 'KVNamespace', name }, op: 'read' })),
    ...writes.map((name): CallRule => ({ match: { module, owner: 'KVNamespace', name }, op: 'write' })),
  ]),
  references: [],
  handles: modules.map((module): HandleRule => ({ match: { module, owner: null, name: 'KVNamespace' }, kind: 'store-handle' })),
};
