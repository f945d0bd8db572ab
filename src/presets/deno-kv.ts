import type { Preset } from './types.js';

/** Deno KV: `const kv = await Deno.openKv()`; the global namespace `Deno`, interface `Kv`. */
export const denoKvPreset: Preset = {
  name: 'deno-kv',
  description: 'Deno KV (Deno.openKv): get/getMany/list read; set/delete/enqueue and atomic().commit() write',
  packages: [],
  store: { kind: 'kv', consistency: 'eventual', home: 'origin', replicas: 'edges', lowering: 'wasi:keyvalue/store' },
  capability: null,
  calls: [
    { match: { module: null, owner: 'Deno.Kv', name: 'get' }, op: 'read' },
    { match: { module: null, owner: 'Deno.Kv', name: 'getMany' }, op: 'read' },
    { match: { module: null, owner: 'Deno.Kv', name: 'list' }, op: 'read' },
    { match: { module: null, owner: 'Deno.Kv', name: 'watch' }, op: 'read' },
    { match: { module: null, owner: 'Deno.Kv', name: 'set' }, op: 'write' },
    { match: { module: null, owner: 'Deno.Kv', name: 'delete' }, op: 'write' },
    { match: { module: null, owner: 'Deno.Kv', name: 'enqueue' }, op: 'write' },
    // `kv.atomic().check(…).set(…).commit()`: the queued operations run at commit.
    { match: { module: null, owner: 'Deno.AtomicOperation', name: 'commit' }, op: 'write' },
  ],
  references: [],
  handles: [
    { match: { module: null, owner: 'Deno', name: 'AtomicOperation' }, kind: 'resource' },
    { match: { module: null, owner: 'Deno', name: 'Kv' }, kind: 'store-handle' },
  ],
};
