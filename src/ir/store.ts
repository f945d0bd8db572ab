import type { StopName } from './line.js';

export type Consistency = 'strong' | 'eventual' | 'local';
export type StoreKind = 'sql' | 'kv' | 'local' | 'http';

/** A data source the service reads or writes, reached through a preset's calls. */
export interface Store {
  readonly name: string;
  readonly preset: string;
  readonly kind: StoreKind;
  readonly consistency: Consistency;
  /** The stop that holds the authoritative copy. */
  readonly home: StopName;
  /** Stops that hold eventually consistent copies. */
  readonly replicas: readonly StopName[];
  /** `file#export`: only calls through this exported binding reach this store. */
  readonly binding: string | null;
  /** For http stores (preset `fetch`): the URL prefix that identifies the API. */
  readonly urlPrefix: string | null;
  /** Where the store came from: the config, or detected from a preset with defaults. */
  readonly declared: 'config' | 'detected';
}
