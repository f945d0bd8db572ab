/**
 * Why a value cannot cross a cut (or why a received payload is rejected).
 *
 * - `function`, `symbol`: never serialisable.
 * - `promise`: a Promise or other thenable; the analyzer should have kept it on one side.
 * - `class-instance`: an object whose prototype is not a plain object's, or a subclass of a
 *   built-in (a `class Registry extends Map`, a Node `Buffer`): the methods would not survive.
 * - `unsupported`: an object of a kind the format has no encoding for (WeakMap, WeakRef,
 *   `arguments`, module namespaces…).
 * - `symbol-key`: an enumerable symbol-keyed property.
 * - `extra-props`: own properties that the encoding of that kind would drop (an array with
 *   named properties such as a RegExp match, a Map/Set/Date/RegExp with own properties).
 * - `proto-key`: an own property named `__proto__`.
 * - `malformed`: `decode*` got text that is not a payload this module wrote.
 */
export type WireErrorReason =
  | 'function'
  | 'symbol'
  | 'promise'
  | 'class-instance'
  | 'unsupported'
  | 'symbol-key'
  | 'extra-props'
  | 'proto-key'
  | 'malformed';

/** Thrown by `encode*` for a value that cannot cross a cut, and by `decode*` for bad input. */
export class WireError extends Error {
  override readonly name = 'WireError';
  /** Where the value sits, from the encoded root: `liveIns.user.callback`, `value[2].get("k")`. */
  readonly path: string;
  readonly reason: WireErrorReason;

  constructor(reason: WireErrorReason, path: string, detail: string) {
    super(
      reason === 'malformed'
        ? `malformed wire payload${path ? ` at ${path}` : ''}: ${detail}`
        : `${path || 'the value'} cannot cross a cut: ${detail}`,
    );
    this.reason = reason;
    this.path = path;
  }
}
