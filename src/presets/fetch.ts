import type { Preset } from './types.js';

/**
 * An HTTP API reached with the global `fetch(url, init)`. A call is an access only when
 * its URL starts with a configured store's `urlPrefix` (a literal, or a template whose
 * known text starts with it); other fetches are not accesses. GET/HEAD (or no method)
 * read, any other method writes, a method not known at analysis time writes.
 */
export const fetchPreset: Preset = {
  name: 'fetch',
  description: 'An HTTP API called with the global fetch(): GET/HEAD read, other methods write; matched by URL prefix',
  packages: [],
  store: { kind: 'http', consistency: 'strong', home: 'origin', replicas: 'none', lowering: 'wasi:http/outgoing-handler' },
  capability: null,
  calls: [{ match: { module: null, owner: null, name: 'fetch' }, op: { http: { argument: 1 } }, url: { argument: 0 } }],
  references: [],
  handles: [],
};
