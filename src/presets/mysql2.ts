import type { Preset } from './types.js';

/**
 * mysql2 (promise and callback APIs). `query` and `execute` are declared in the
 * `QueryableBase` / `ExecutableBase` mixin functions that Pool, Connection and
 * PoolConnection extend.
 */
export const mysql2Preset: Preset = {
  name: 'mysql2',
  description: 'MySQL through mysql2 (mysql2/promise): Pool, Connection and PoolConnection query/execute',
  packages: ['mysql2'],
  store: { kind: 'sql', consistency: 'strong', home: 'origin', replicas: 'none', lowering: 'stopline:sql/query' },
  capability: null,
  calls: [
    { match: { module: 'mysql2', owner: 'QueryableBase', name: 'query' }, op: { sql: { argument: 0 } } },
    { match: { module: 'mysql2', owner: 'ExecutableBase', name: 'execute' }, op: { sql: { argument: 0 } } },
    // `const stmt = await conn.prepare(sql); await stmt.execute(values)`
    { match: { module: 'mysql2', owner: 'PreparedStatementInfo', name: 'execute' }, op: { sql: { argument: 0, via: 'prepare' } } },
    { match: { module: 'mysql2', owner: 'Connection', name: 'beginTransaction' }, op: 'write' },
    { match: { module: 'mysql2', owner: 'Connection', name: 'commit' }, op: 'write' },
    { match: { module: 'mysql2', owner: 'Connection', name: 'rollback' }, op: 'write' },
  ],
  references: [],
  handles: [
    { match: { module: 'mysql2', owner: null, name: 'PoolConnection' }, kind: 'resource' },
    { match: { module: 'mysql2', owner: null, name: 'Pool' }, kind: 'store-handle' },
    { match: { module: 'mysql2', owner: null, name: 'PoolCluster' }, kind: 'store-handle' },
    { match: { module: 'mysql2', owner: null, name: 'PoolNamespace' }, kind: 'store-handle' },
    { match: { module: 'mysql2', owner: null, name: 'Connection' }, kind: 'store-handle' },
  ],
};
