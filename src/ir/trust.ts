import type { SourceRange } from './location.js';

/**
 * Where an untrusted value comes from (DESIGN.md, Trust and reliability):
 * request       a field of the HTTP request (a `Request`'s url/headers/body, Express
 *               `req.body/params/query/headers/cookies`, Hono `c.req…`): sent by the client
 * argument      an argument of a call-style entry that arrives at an untrusted stop
 * client-state  client state read at the client (web storage, the page's DOM)
 */
export type TrustSourceKind = 'request' | 'argument' | 'client-state';

/** One place on a data-flow path, and the segment (of the flow's entry) that runs it. */
export interface TrustStep {
  readonly message: string;
  readonly range: SourceRange;
  readonly segment: string;
}

/**
 * A data flow from an untrusted source into a write to a strong store (the analyzer's
 * `analyzer/integrity.ts`). Whether it is checked depends on placement: the planner
 * reports it (SL4301) unless one of its `checks` runs at a trusted stop.
 */
export interface TrustFlow {
  readonly entry: string;
  /** Id of the strong write (an `Access` of the graph). */
  readonly access: string;
  readonly store: string;
  readonly source: TrustSourceKind;
  /** Source first, the write's argument last. */
  readonly path: readonly TrustStep[];
  /** Conditions that test a value of the path and guard the write (if/ternary/early exit, a validating call). */
  readonly checks: readonly TrustStep[];
}
