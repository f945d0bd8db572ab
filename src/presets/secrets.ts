import type { Preset } from './types.js';

/**
 * Reads of secrets and deployment configuration: never placed on an untrusted stop.
 * `process.env` (its declaration in @types/node), `Deno.env.get`, Fastly's secret store
 * and `env()` from 'fastly:env'.
 */
export const secretsPreset: Preset = {
  name: 'secrets',
  description: 'Secrets and environment: process.env, Deno.env.get, fastly:secret-store, fastly:env; never on an untrusted stop',
  packages: ['fastly:secret-store', 'fastly:env'],
  store: null,
  capability: 'secret',
  calls: [
    { match: { module: null, owner: 'Deno.Env', name: 'get' }, op: 'read' },
    { match: { module: null, owner: 'Deno.Env', name: 'toObject' }, op: 'read' },
    { match: { module: 'fastly:secret-store', owner: 'SecretStore', name: 'get' }, op: 'read' },
    { match: { module: 'fastly:secret-store', owner: 'SecretStore', name: 'fromBytes' }, op: 'read' },
    { match: { module: 'fastly:env', owner: null, name: 'env' }, op: 'read' },
  ],
  references: [{ match: { module: null, owner: 'NodeJS.Process', name: 'env', from: 'node' } }],
  handles: [{ match: { module: 'fastly:secret-store', owner: null, name: 'SecretStore' }, kind: 'store-handle' }],
};
