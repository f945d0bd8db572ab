import type { Preset } from './types.js';

/** Hono: the request `Context` (`c`) is request-scoped; its data (params, body) crosses a cut, its bindings do not. */
export const honoPreset: Preset = {
  name: 'hono',
  description: 'Hono request context (Context): a request object, no store and no capability',
  packages: ['hono'],
  store: null,
  capability: null,
  calls: [],
  references: [],
  handles: [{ match: { module: 'hono', owner: null, name: 'Context' }, kind: 'request' }],
};
