import type { Preset } from './types.js';

/** Fastly Compute KV stores: `new KVStore(name)` from 'fastly:kv-store'. */
export const fastlyKvPreset: Preset = {
  name: 'fastly-kv',
  description: 'Fastly Compute KV Store (fastly:kv-store): get/list read, put/delete write',
  packages: ['fastly:kv-store'],
  store: { kind: 'kv', consistency: 'eventual', home: 'origin', replicas: 'edges', lowering: 'wasi:keyvalue/store' },
  capability: null,
  calls: [
    { match: { module: 'fastly:kv-store', owner: 'KVStore', name: 'get' }, op: 'read' },
    { match: { module: 'fastly:kv-store', owner: 'KVStore', name: 'list' }, op: 'read' },
    { match: { module: 'fastly:kv-store', owner: 'KVStore', name: 'put' }, op: 'write' },
    { match: { module: 'fastly:kv-store', owner: 'KVStore', name: 'delete' }, op: 'write' },
  ],
  references: [],
  handles: [{ match: { module: 'fastly:kv-store', owner: null, name: 'KVStore' }, kind: 'store-handle' }],
};
