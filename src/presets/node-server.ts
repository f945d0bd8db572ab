import type { Preset, ReferenceRule } from './types.js';

/**
 * Server-only Node.js modules: anything they export (`readFileSync`, `fs.promises.readFile`,
 * `net.createServer`, `spawn`…), imported under any name, with or without `node:`.
 * Placed only at the origin.
 */
const modules = ['fs', 'net', 'child_process', 'dgram', 'cluster', 'worker_threads'];

export const nodeServerPreset: Preset = {
  name: 'node-server',
  description: "Server-only Node.js APIs (fs, fs/promises, net, child_process, dgram, cluster, worker_threads): origin only",
  packages: [...modules, 'fs/promises', ...modules.map((m) => `node:${m}`), 'node:fs/promises'],
  store: null,
  capability: 'server-only',
  calls: [],
  // 'fs' also matches 'fs/promises' (a module pattern matches its subpaths).
  references: modules.map((module): ReferenceRule => ({ match: { module, owner: null, name: '*' } })),
  handles: [],
};
