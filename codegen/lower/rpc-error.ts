/**
 * `StoplineRpcError`: what a split program's code sees when a crossing itself failed — the
 * `err` of `link.call` (an rpc-error: unknown-segment, bad-payload, unauthenticated,
 * unavailable, timeout, internal), after the host carrying the link spent its deadline
 * and retries (src/runtime/line/rpc-policy.ts). Never a default value: the stub that
 * replaced the cut rethrows it where the cut's first statement would have run.
 *
 * The rule (which error surfaces at the caller):
 * - The segment's own throw is not an rpc-error: it crosses inside a successful answer as a
 *   `throw` completion and is rethrown with its class (a store client's error raised at the
 *   callee — pg's DatabaseError, a connection error — included: the callee ran the access,
 *   so the caller sees exactly the original program's error).
 * - An rpc-error means the region's answer never came back. In the original program the
 *   cut is a plain sequence of statements that cannot fail by itself, so there is no error
 *   of the original at that point to reproduce: the caller gets this typed error, named
 *   `StoplineRpcError`, with the crossing's `code`, target `stop` and `segment`. A program's
 *   `catch` sees it like any Error (an Express app's error handler answers 500).
 *
 * Plain JavaScript: runs inside a component.
 */
export class StoplineRpcError extends Error {
  override readonly name = 'StoplineRpcError';
  constructor(
    readonly code: string,
    readonly stop: string,
    readonly segment: string,
    detail: string,
  ) {
    super(`stopline: the call of ${segment} at ${stop} failed (${code}): ${detail}`);
  }
}
