import type { Preset } from './types.js';

/** Express: `req` and `res` (declared in express-serve-static-core) are request-scoped objects. */
export const expressPreset: Preset = {
  name: 'express',
  description: 'Express request and response objects (express-serve-static-core Request/Response): request objects, no store and no capability',
  packages: ['express'],
  store: null,
  capability: null,
  calls: [],
  references: [],
  handles: [
    { match: { module: 'express-serve-static-core', owner: null, name: 'Request' }, kind: 'request' },
    { match: { module: 'express-serve-static-core', owner: null, name: 'Response' }, kind: 'request' },
    { match: { module: 'express', owner: '*', name: 'Request' }, kind: 'request' },
    { match: { module: 'express', owner: '*', name: 'Response' }, kind: 'request' },
  ],
};
