import type { AnalysisSettings, Consistency, Line, SourceRange, StopName } from '../ir/index.js';

/**
 * stopline.yaml after parsing, validation and defaults. Every element that a later
 * stage may need to blame keeps `at`: the YAML range it came from (file relative to the
 * project root), so "entry does not exist" points at the line in stopline.yaml.
 */
export interface StoplineConfig {
  /** Path of the config file relative to the project root, or null when defaults were used. */
  readonly file: string | null;
  /** tsconfig path relative to the project root, or null: use the project's tsconfig.json if present. */
  readonly tsconfig: string | null;
  readonly line: Line;
  readonly stores: readonly StoreConfig[];
  readonly entries: readonly EntryConfig[];
  readonly pins: readonly PinConfig[];
  readonly analysis: AnalysisSettings;
}

export interface StoreConfig {
  readonly name: string;
  readonly preset: string;
  /** As written, or the preset's default (`preset.store.consistency`). */
  readonly consistency: Consistency;
  /** As written, or the preset's default resolved on the line (`origin` → last stop, `client` → first stop). */
  readonly home: StopName;
  /** As written, or the preset's default resolved on the line (`edges` → every stop strictly between the first and the last, `none` → []). */
  readonly replicas: readonly StopName[];
  /** `file#export` or `file#Interface.property` (a leading `./` removed, forward slashes). */
  readonly binding: string | null;
  /** Only for http stores (preset `fetch`), where it is required. */
  readonly urlPrefix: string | null;
  /** The store's name (its key under `stores:`). */
  readonly at: SourceRange | null;
}

/**
 * `function: src/handlers.ts#viewCart` or `route: GET /cart/:id`, or both: a function
 * entry served at that route over HTTP (`stopline serve`, a WASI host).
 * File paths are relative to the project root (a leading `./` removed, forward slashes);
 * the route method is upper case.
 */
export interface EntryConfig {
  readonly function: { readonly file: string; readonly name: string } | null;
  readonly route: { readonly method: string; readonly path: string } | null;
  readonly name: string | null;
  readonly arrives: StopName;
  /** The `function:` value, else the `route:` value. */
  readonly at: SourceRange | null;
}

/** `function: src/audit.ts#record` or `at: src/x.ts:42` (exactly one of them). */
export interface PinConfig {
  readonly function: { readonly file: string; readonly name: string } | null;
  readonly location: { readonly file: string; readonly line: number } | null;
  readonly stop: StopName;
  /** The `function:` or `at:` value. */
  readonly at: SourceRange | null;
}
