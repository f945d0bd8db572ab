import type { StoreConfig } from '../config/index.js';

/** What serve.ts tells a stop's host module (stop-host.ts): a JSON file named by this environment variable. */
export const SETTINGS_ENV = 'STOPLINE_SERVE_STOP';

export interface StopHostSettings {
  readonly stop: string;
  readonly line: readonly string[];
  readonly trusted: boolean;
  readonly stateDir: string;
  readonly stores: readonly StoreConfig[];
  /** the stop's configuration (`wasi:config/store`): runtime.env, the link key, the stops' addresses */
  readonly config: Readonly<Record<string, string>>;
  /** the wall clock frozen at this time (ms since the epoch); null: the real clock */
  readonly clockMs: number | null;
}
