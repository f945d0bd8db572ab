import type { Preset } from './types.js';

/** The browser's `localStorage` / `sessionStorage` (type `Storage`). */
export const webStoragePreset: Preset = {
  name: 'web-storage',
  description: 'Web Storage (localStorage, sessionStorage): getItem/key read, setItem/removeItem/clear write',
  packages: [],
  store: { kind: 'local', consistency: 'local', home: 'client', replicas: 'none', lowering: 'stopline:local/storage' },
  capability: null,
  calls: [
    { match: { module: null, owner: 'Storage', name: 'getItem' }, op: 'read' },
    { match: { module: null, owner: 'Storage', name: 'key' }, op: 'read' },
    { match: { module: null, owner: 'Storage', name: 'setItem' }, op: 'write' },
    { match: { module: null, owner: 'Storage', name: 'removeItem' }, op: 'write' },
    { match: { module: null, owner: 'Storage', name: 'clear' }, op: 'write' },
  ],
  references: [],
  handles: [{ match: { module: null, owner: null, name: 'Storage' }, kind: 'store-handle' }],
};
