import type { Preset } from './types.js';

/** node-postgres: `Pool`, `Client` and `PoolClient` (`pool.connect()`) `query`. */
export const pgPreset: Preset = {
  name: 'pg',
  description: 'PostgreSQL through node-postgres (pg): Pool, Client and PoolClient query',
  packages: ['pg'],
  store: { kind: 'sql', consistency: 'strong', home: 'origin', replicas: 'none', lowering: 'stopline:sql/query' },
  capability: null,
  calls: [
    { match: { module: 'pg', owner: 'Pool', name: 'query' }, op: { sql: { argument: 0 } } },
    // Client and PoolClient inherit query from ClientBase.
    { match: { module: 'pg', owner: 'ClientBase', name: 'query' }, op: { sql: { argument: 0 } } },
    { match: { module: 'pg', owner: 'Client', name: 'query' }, op: { sql: { argument: 0 } } },
  ],
  references: [],
  handles: [
    // A pooled client holds a session (a transaction, prepared statements): a resource.
    { match: { module: 'pg', owner: null, name: 'PoolClient' }, kind: 'resource' },
    { match: { module: 'pg', owner: null, name: 'Pool' }, kind: 'store-handle' },
    { match: { module: 'pg', owner: null, name: 'Client' }, kind: 'store-handle' },
    { match: { module: 'pg', owner: null, name: 'ClientBase' }, kind: 'store-handle' },
  ],
};
