import type { AnalysisSettings, Consistency, Line, StopName } from '../ir/index.js';
import type { PresetStore } from '../presets/types.js';
import type { StoplineConfig } from './types.js';

export const DEFAULT_ANALYSIS: AnalysisSettings = {
  loopFactor: 10,
  branchProbability: 0.5,
  inlineDepth: 8,
  inlineBudget: 4000,
};

/** client (untrusted, 4× slower) → edge (20 ms) → origin (70 ms), bandwidth not limited. */
export function defaultLine(): Line {
  return {
    stops: [
      { name: 'client', trusted: false, slowdown: 4, latencyMs: 0, bandwidthMbps: null },
      { name: 'edge', trusted: true, slowdown: 1, latencyMs: 20, bandwidthMbps: null },
      { name: 'origin', trusted: true, slowdown: 1, latencyMs: 70, bandwidthMbps: null },
    ],
  };
}

/** The configuration used when the project has no stopline.yaml. */
export function defaultConfig(): StoplineConfig {
  return {
    file: null,
    tsconfig: null,
    line: defaultLine(),
    stores: [],
    entries: [],
    pins: [],
    analysis: { ...DEFAULT_ANALYSIS },
  };
}

export interface StoreDefaults {
  readonly consistency: Consistency;
  readonly home: StopName;
  readonly replicas: readonly StopName[];
}

/**
 * A preset's store defaults resolved on a line: home `origin` is the last stop, `client`
 * the first; replicas `edges` are every stop strictly between the first and the last.
 */
export function storeDefaults(store: PresetStore, stops: readonly StopName[]): StoreDefaults {
  const first = stops[0] ?? 'client';
  const last = stops[stops.length - 1] ?? 'origin';
  return {
    consistency: store.consistency,
    home: store.home === 'client' ? first : last,
    replicas: store.replicas === 'edges' ? stops.slice(1, -1) : [],
  };
}
