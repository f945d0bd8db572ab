import type { Preset } from './types.js';

/**
 * A documented preset to copy. Copy this file to `<name>.ts`, rename the export, fill in
 * the fields, and add it to `index.ts`. Presets are plain data: no functions, no
 * classes, nothing computed from the program. The analyzer (analyzer/match) reads them
 * to recognise calls by the declaration they resolve to, never by spelling alone.
 *
 * Pick the sort of preset first:
 *   - a store preset has `store` set and `capability: null`: its `calls` are accesses;
 *   - a capability preset has `store: null` and `capability` set: its `calls` and
 *     `references` are uses of a client-only, server-only or secret API;
 *   - a framework preset has both null and only lists `handles` (request objects).
 *
 * To find `module`, `owner` and `name` for a rule, look at the library's .d.ts: the
 * declaration of the method the user's call resolves to (often on a base class, e.g.
 * pg's `PoolClient.query` is declared on `ClientBase`). See `SymbolPattern` in types.ts
 * for how each field is matched.
 */
export const templatePreset: Preset = {
  // The name users write in stopline.yaml: `preset: my-kv`.
  name: 'my-kv',
  description: 'Example KV client (a template; not registered)',
  // Imports that reveal the library: store detection and `stopline init` look for them.
  packages: ['my-kv-client'],
  // Defaults of a store backed by this library. Users may override consistency, home and
  // replicas per store in stopline.yaml.
  store: {
    kind: 'kv',
    consistency: 'eventual',
    home: 'origin',
    replicas: 'edges',
    lowering: 'wasi:keyvalue/store',
  },
  capability: null,
  calls: [
    // `client.get(key)` where `get` is declared in class `KvClient` of package my-kv-client.
    { match: { module: 'my-kv-client', owner: 'KvClient', name: 'get' }, op: 'read' },
    // Globs are allowed in every field: `put`, `putMany`…
    { match: { module: 'my-kv-client', owner: 'KvClient', name: 'put*' }, op: 'write' },
    // SQL-carrying calls classify their SQL text: `{ sql: { argument: 0 } }`.
    // HTTP-like calls classify their method: `{ http: { argument: 1 } }` plus `url: { argument: 0 }`.
  ],
  // Non-call uses; capability presets only (e.g. `process.env`, `document`).
  references: [],
  // Values of these types are handles: never serialised across a cut.
  handles: [{ match: { module: 'my-kv-client', owner: null, name: 'KvClient' }, kind: 'store-handle' }],
};
