import type { Capability, Preset, PresetStore } from '../../src/presets/types.js';

function storePreset(name: string, store: PresetStore): Preset {
  return { name, description: `${name} test preset`, packages: [name], store, capability: null, calls: [], references: [], handles: [] };
}

function capabilityPreset(name: string, capability: Capability): Preset {
  return { name, description: `${name} test preset`, packages: [], store: null, capability, calls: [], references: [], handles: [] };
}

/** A fixed preset list, so these tests do not depend on the registry's data. */
export const testPresets: readonly Preset[] = [
  storePreset('pg', { kind: 'sql', consistency: 'strong', home: 'origin', replicas: 'none', lowering: 'stopline:sql/query' }),
  storePreset('ioredis', { kind: 'kv', consistency: 'strong', home: 'origin', replicas: 'none', lowering: 'wasi:keyvalue/store' }),
  storePreset('workers-kv', { kind: 'kv', consistency: 'eventual', home: 'origin', replicas: 'edges', lowering: 'wasi:keyvalue/store' }),
  storePreset('local-storage', { kind: 'local', consistency: 'local', home: 'client', replicas: 'none', lowering: 'wasi:keyvalue/store' }),
  storePreset('fetch', { kind: 'http', consistency: 'strong', home: 'origin', replicas: 'none', lowering: 'wasi:http/outgoing-handler' }),
  capabilityPreset('dom', 'client-only'),
  capabilityPreset('secrets', 'secret'),
  capabilityPreset('node-server', 'server-only'),
];
