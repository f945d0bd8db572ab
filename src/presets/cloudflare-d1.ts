import type { CallRule, HandleRule, Preset } from './types.js';

/**
 * Cloudflare D1: `env.DB.prepare(sql).bind(…).first()/all()/raw()/run()`. The access is
 * the executing call; its operation comes from the SQL of the `prepare` call found in
 * its receiver chain (also through a local `const stmt = env.DB.prepare(sql)`).
 * `batch` and `exec` count as writes.
 */
const modules = [null, '@cloudflare/workers-types'];
const statementCalls = ['first', 'all', 'raw', 'run'];

export const cloudflareD1Preset: Preset = {
  name: 'cloudflare-d1',
  description: 'Cloudflare D1 (D1Database bindings): prepared statements classified by their SQL; batch/exec write',
  packages: [],
  store: { kind: 'sql', consistency: 'strong', home: 'origin', replicas: 'none', lowering: 'stopline:sql/query' },
  capability: null,
  calls: modules.flatMap((module): CallRule[] => [
    ...statementCalls.map((name): CallRule => ({
      match: { module, owner: 'D1PreparedStatement', name },
      op: { sql: { argument: 0, via: 'prepare' } },
    })),
    { match: { module, owner: 'D1Database', name: 'batch' }, op: 'write' },
    { match: { module, owner: 'D1Database', name: 'exec' }, op: 'write' },
    { match: { module, owner: 'D1DatabaseSession', name: 'batch' }, op: 'write' },
  ]),
  references: [],
  handles: modules.flatMap((module): HandleRule[] => [
    { match: { module, owner: null, name: 'D1Database' }, kind: 'store-handle' },
    { match: { module, owner: null, name: 'D1DatabaseSession' }, kind: 'resource' },
  ]),
};
