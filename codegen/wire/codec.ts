// encode/decode: devalue (cycles, shared references, Date, Map, Set, BigInt, undefined, holes,
// NaN/-0/±Infinity, RegExp, typed arrays, ArrayBuffer, DataView, URL) plus what it lacks:
// Error objects and RegExp `lastIndex`.
//
// Format: devalue's flattened JSON of an envelope `{ v }` or `{ v, e }`. `v` is the value.
// An Error inside it is reduced (tag "E") to its class only, and its data (message, cause,
// name, errors, own enumerable props) goes into the side table `e` as `[error, data]` pairs.
// Keeping the data out of the reducer payload is what lets an Error sit on a cycle
// (`err.details.err === err`, an error that is its own cause): devalue revives a reduced
// value only after its payload, so a payload that refers back to the error cannot revive.
// With the side table the error is created from primitives first and filled in afterwards.
//
// Plain JavaScript only: this module is bundled into every stop's component (StarlingMonkey).

import { DevalueError, parse, stringify } from 'devalue';
import { ERROR_CLASSES, inspect, type ErrorClassName, type ErrorData, type ErrorHead } from './inspect.js';
import { WireError } from './wire-error.js';

export interface EncodeOptions {
  /** Label for the root in WireError paths. Default `value`; '' when the root is an envelope. */
  root?: string;
  /** The program's own error classes: an error of one of them crosses with its class's id. */
  errorClasses?: ErrorClasses;
}

export interface DecodeOptions {
  /** The program's own error classes: an error that crossed with a class id known here is revived as an instance of that class. */
  errorClasses?: ErrorClasses;
}

/**
 * The program's own Error subclasses (`class HttpError extends Error`), known to every stop
 * by the same ids (`src/errors.ts#HttpError`: the bundle registers the classes each module
 * exports). Without it a custom error crosses as its built-in base class with its name,
 * message and own properties — `instanceof HttpError` is false on the other side; with it,
 * the revived error has the class's prototype (it is still the base class's object, so
 * `stack` and the [[ErrorData]] slot are a real error's). An id the receiver does not know
 * falls back to the base class.
 */
export interface ErrorClasses {
  idOf(error: object): string | undefined;
  byId(id: string): { readonly prototype: object } | undefined;
}

/** A registry from `id → class` (anything that is not an Error subclass is left out). */
export function createErrorClasses(classes: Readonly<Record<string, unknown>>): ErrorClasses {
  const byId = new Map<string, { readonly prototype: object }>();
  const ids = new Map<object, string>();
  for (const [id, value] of Object.entries(classes)) {
    if (typeof value !== 'function') continue;
    const prototype: unknown = (value as { prototype?: unknown }).prototype;
    if (typeof prototype !== 'object' || prototype === null || !(prototype instanceof Error)) continue;
    if (ids.has(prototype)) continue;
    byId.set(id, value as { prototype: object });
    ids.set(prototype, id);
  }
  return {
    idOf: (error) => ids.get(Object.getPrototypeOf(error) as object),
    byId: (id) => byId.get(id),
  };
}

const ERROR_TAG = 'E';
const REGEXP_TAG = 'R';

/** Encodes `value` to text. Same input, same text. Throws WireError for what cannot cross. */
export function encode(value: unknown, options: EncodeOptions = {}): string {
  const root = options.root ?? 'value';
  const found = inspect(value, root);

  const heads = new Map<unknown, ErrorHead>();
  for (const { error, head } of found.errors) heads.set(error, head);
  const regexps = new Set<unknown>(found.regexps);

  const envelope: { v: unknown; e?: Array<[object, ErrorData]> } = { v: value };
  const classes = options.errorClasses;
  if (found.errors.length > 0) {
    envelope.e = found.errors.map(({ error, data }) => {
      const id = classes?.idOf(error);
      return [error, id === undefined ? data : { ...data, class: id }];
    });
  }

  const reducers: Record<string, (v: unknown) => unknown> = {};
  if (heads.size > 0) reducers[ERROR_TAG] = (v) => heads.get(v);
  if (regexps.size > 0) {
    reducers[REGEXP_TAG] = (v) => {
      if (!regexps.has(v)) return undefined;
      const re = v as RegExp;
      return [re.source, re.flags, re.lastIndex];
    };
  }

  try {
    return stringify(envelope, reducers);
  } catch (err) {
    // Backstop: the walk should have rejected anything devalue rejects.
    if (err instanceof DevalueError) {
      const path = err.path.startsWith('.v') ? `${root}${err.path.slice(2)}` : `${root} (error details)`;
      throw new WireError('unsupported', path.startsWith('.') ? path.slice(1) : path, err.message);
    }
    throw err;
  }
}

const globals = globalThis as unknown as Record<string, unknown>;

function malformed(detail: string, path = ''): never {
  throw new WireError('malformed', path, detail);
}

function isErrorClassName(x: unknown): x is ErrorClassName {
  return typeof x === 'string' && (ERROR_CLASSES as readonly string[]).includes(x);
}

type ErrorCtor = new (...args: unknown[]) => Error;

function reviveErrorHead(head: unknown): Error {
  if (!Array.isArray(head) || !isErrorClassName(head[0])) malformed('bad Error head');
  const cls = head[0];
  if (cls === 'DOMException') {
    const [, name, message] = head as unknown[];
    if (typeof name !== 'string' || typeof message !== 'string') malformed('bad DOMException head');
    const DOMExceptionCtor = globals.DOMException as ErrorCtor | undefined;
    if (typeof DOMExceptionCtor === 'function') return new DOMExceptionCtor(message, name);
    const fallback = new Error(message);
    Object.defineProperty(fallback, 'name', { value: name, writable: true, enumerable: false, configurable: true });
    return fallback;
  }
  const Ctor = (typeof globals[cls] === 'function' ? globals[cls] : Error) as ErrorCtor;
  const error = cls === 'AggregateError' ? new Ctor([]) : new Ctor();
  // Constructors without a message leave no own `message`; the side table adds it if the
  // original had one.
  return error;
}

function reviveRegExp(payload: unknown): RegExp {
  if (!Array.isArray(payload)) malformed('bad RegExp');
  const [source, flags, lastIndex] = payload as unknown[];
  if (typeof source !== 'string' || typeof flags !== 'string' || typeof lastIndex !== 'number') malformed('bad RegExp');
  let re: RegExp;
  try {
    re = new RegExp(source, flags);
  } catch {
    return malformed('bad RegExp source');
  }
  re.lastIndex = lastIndex;
  return re;
}

function defineHidden(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: false, configurable: true });
}

function applyErrorData(error: unknown, data: unknown, classes: ErrorClasses | undefined): void {
  if (typeof error !== 'object' || error === null || !(error instanceof Error || Object.prototype.toString.call(error) === '[object Error]')) {
    malformed('error table entry does not point at an Error');
  }
  if (typeof data !== 'object' || data === null) malformed('bad error data');
  const d = data as Record<string, unknown>;
  if (typeof d.class === 'string') {
    const cls = classes?.byId(d.class);
    if (cls !== undefined) Object.setPrototypeOf(error, cls.prototype);
  }
  for (const key of ['message', 'cause', 'errors', 'name'] as const) {
    if (Object.hasOwn(d, key)) defineHidden(error, key, d[key]);
  }
  const props = d.props;
  if (typeof props !== 'object' || props === null) malformed('bad error props');
  for (const key of Object.keys(props)) {
    Object.defineProperty(error, key, {
      value: (props as Record<string, unknown>)[key],
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
}

/** Decodes text written by `encode`. Throws WireError (`malformed`) for anything else. */
export function decode(text: string, options: DecodeOptions = {}): unknown {
  if (typeof text !== 'string') malformed('payload is not a string');
  let envelope: unknown;
  try {
    envelope = parse(text, { [ERROR_TAG]: reviveErrorHead, [REGEXP_TAG]: reviveRegExp });
  } catch (err) {
    if (err instanceof WireError) throw err;
    return malformed(err instanceof Error ? err.message : String(err));
  }
  if (typeof envelope !== 'object' || envelope === null || !Object.hasOwn(envelope, 'v')) {
    malformed('no envelope');
  }
  const { v, e } = envelope as { v: unknown; e?: unknown };
  if (e !== undefined) {
    if (!Array.isArray(e)) malformed('bad error table');
    for (const entry of e as unknown[]) {
      if (!Array.isArray(entry) || entry.length !== 2) malformed('bad error table entry');
      applyErrorData(entry[0], entry[1], options.errorClasses);
    }
  }
  return v;
}
