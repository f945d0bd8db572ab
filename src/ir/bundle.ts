import type { Diagnostic } from './diagnostic.js';
import type { StopName } from './line.js';
import type { PayloadSchema } from './payload-schema.js';

/**
 * What codegen makes for one stop: the project's source files as that stop runs them
 * (cut regions it does not run replaced by stubs, regions it runs for other stops
 * outlined into exported functions), and the names a runtime needs to serve requests
 * and RPCs there.
 */
export interface StopSources {
  readonly stop: StopName;
  /** Every project file, relative path → TypeScript text (unchanged files included: shared helpers, constants). */
  readonly files: readonly { readonly path: string; readonly text: string }[];
  /** Segment id → the exported function (in `file`) that runs the cut region headed by it here. */
  readonly dispatch: readonly DispatchEntry[];
  /**
   * Entries whose requests arrive at this stop: the exported handler to call, and for a
   * method (`export default { fetch }`) the property path from the export to it
   * (`['fetch']`; called with its object as `this`).
   */
  readonly entries: readonly ServedEntry[];
}

export interface DispatchEntry {
  readonly segment: string;
  readonly file: string;
  readonly exportName: string;
  /** The stops whose code calls this segment (the plan's cuts into it): the only ones dispatch accepts it from. */
  readonly callers: readonly StopName[];
  /** The call payload it accepts: its live-ins, from their types (payload-schema.ts). */
  readonly schema: PayloadSchema;
}

export interface ServedEntry {
  readonly name: string;
  readonly file: string;
  readonly exportName: string;
  readonly member?: readonly string[];
  /**
   * How the export serves the request: absent, it is the handler, called with the request
   * (and `env`); `express`, it is the project's Express application, run on the request by
   * the Express lowering (a route entry: the application's router finds the route).
   */
  readonly serve?: 'express';
}

export interface SplitProgram {
  readonly stops: readonly StopSources[];
  readonly diagnostics: readonly Diagnostic[];
}
