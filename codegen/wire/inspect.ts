// The walk that runs before devalue: it rejects every value devalue would reject *or silently
// change* (with a readable path), and collects what needs stopline's own encoding: Error
// objects (devalue has no Error support) and RegExps whose `lastIndex` is not 0.
//
// Plain JavaScript only: this module is bundled into every stop's component (StarlingMonkey).

import { WireError, type WireErrorReason } from './wire-error.js';

/** Built-in error classes rebuilt by name on the other side. Order: most derived first. */
export const ERROR_CLASSES = [
  'TypeError',
  'RangeError',
  'SyntaxError',
  'ReferenceError',
  'EvalError',
  'URIError',
  'AggregateError',
  'DOMException',
  'Error',
] as const;
export type ErrorClassName = (typeof ERROR_CLASSES)[number];

/** What is sent for an Error beside its class: its own data, encoded as ordinary values. */
export interface ErrorData {
  /** Own non-enumerable `message`, as the Error constructor makes it. */
  message?: unknown;
  /** Own non-enumerable `cause`. */
  cause?: unknown;
  /** `name` when it is not the class's own (an own non-enumerable one, or a custom class's). */
  name?: unknown;
  /** AggregateError's own non-enumerable `errors`. */
  errors?: unknown;
  /** Own enumerable properties (a custom error's `status`, pg's `code`…; `name` if assigned). */
  props: Record<string, unknown>;
  /** The program's own error class, by the id both stops know it by (codec.ts ErrorClasses). */
  class?: string;
}

/** The reducer payload for an Error: `[class]`, or `[class, name, message]` for DOMException. */
export type ErrorHead = [ErrorClassName] | ['DOMException', string, string];

export interface Inspection {
  /** Every Error reachable from the root, in walk order, with its head and data. */
  errors: Array<{ error: object; head: ErrorHead; data: ErrorData }>;
  /** RegExps with a non-zero `lastIndex` (devalue would reset it). */
  regexps: RegExp[];
}

const objectProtoNames = Object.getOwnPropertyNames(Object.prototype).sort().join('\0');

/** Same test as devalue's `is_plain_object`, so the walk and the encoder agree. */
function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return (
    proto === Object.prototype ||
    proto === null ||
    Object.getPrototypeOf(proto) === null ||
    Object.getOwnPropertyNames(proto).sort().join('\0') === objectProtoNames
  );
}

function tagOf(value: object): string {
  return Object.prototype.toString.call(value).slice(8, -1);
}

/** Kinds devalue encodes as leaves (no children to walk). */
const LEAF_TAGS = new Set([
  'Date',
  'RegExp',
  'ArrayBuffer',
  'DataView',
  'URL',
  'URLSearchParams',
  'Number',
  'String',
  'Boolean',
  'BigInt',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Float16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
]);

/** Kinds whose own enumerable properties devalue would drop, and that rarely have many keys. */
const NO_PROPS_TAGS = new Set(['Date', 'RegExp', 'ArrayBuffer', 'DataView', 'URL', 'URLSearchParams', 'Map', 'Set']);

const globals = globalThis as unknown as Record<string, unknown>;

function builtinPrototype(name: string): object | undefined {
  const ctor = globals[name];
  if (typeof ctor !== 'function') return undefined;
  const proto: unknown = (ctor as { prototype?: unknown }).prototype;
  return typeof proto === 'object' && proto !== null ? proto : undefined;
}

export function isErrorLike(value: object): boolean {
  return value instanceof Error || tagOf(value) === 'Error' || tagOf(value) === 'DOMException';
}

/** The nearest built-in error class on the prototype chain (a custom class maps to its base). */
export function errorClassOf(error: object): ErrorClassName {
  for (let p: unknown = Object.getPrototypeOf(error); p !== null && p !== undefined; p = Object.getPrototypeOf(p)) {
    for (const name of ERROR_CLASSES) {
      if (builtinPrototype(name) === p) return name;
    }
  }
  return tagOf(error) === 'DOMException' ? 'DOMException' : 'Error';
}

function ownNonEnumerable(obj: object, key: string): { value: unknown } | undefined {
  const d = Object.getOwnPropertyDescriptor(obj, key);
  if (d === undefined || d.enumerable) return undefined;
  return { value: 'value' in d ? d.value : (obj as Record<string, unknown>)[key] };
}

function snapshotError(error: object): { head: ErrorHead; data: ErrorData } {
  const cls = errorClassOf(error);
  const rec = error as Record<string, unknown>;
  const props: Record<string, unknown> = {};
  for (const key of Object.keys(error)) props[key] = rec[key];
  const data: ErrorData = { props };
  if (cls === 'DOMException') {
    return { head: ['DOMException', String(rec.name), String(rec.message)], data };
  }
  const message = ownNonEnumerable(error, 'message');
  if (message) data.message = message.value;
  const cause = ownNonEnumerable(error, 'cause');
  if (cause) data.cause = cause.value;
  const errors = ownNonEnumerable(error, 'errors');
  if (errors) data.errors = errors.value;
  const ownName = ownNonEnumerable(error, 'name');
  if (ownName) {
    data.name = ownName.value;
  } else if (!Object.prototype.propertyIsEnumerable.call(error, 'name')) {
    const inherited = rec.name;
    const base = builtinPrototype(cls) as Record<string, unknown> | undefined;
    if (base === undefined || inherited !== base.name) data.name = inherited;
  }
  return { head: [cls], data };
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** One step of a path; formatted only when an error is thrown. */
type Step = string | number | { map: unknown } | { key: number } | { item: number };

function formatKeyForPath(key: unknown): string {
  switch (typeof key) {
    case 'string':
      return JSON.stringify(key);
    case 'bigint':
      return `${key}n`;
    case 'number':
    case 'boolean':
    case 'undefined':
      return String(key);
    default:
      return key === null ? 'null' : '…';
  }
}

/** `root` + steps, devalue-style: `.a`, `["a-b"]`, `[0]`, `.get("k")`, `.keys()[0]`, `.values()[0]`. */
export function formatPath(root: string, steps: readonly Step[]): string {
  let out = root;
  for (const step of steps) {
    if (typeof step === 'number') out += `[${step}]`;
    else if (typeof step === 'string') out += IDENT.test(step) ? `.${step}` : `[${JSON.stringify(step)}]`;
    else if ('map' in step) out += `.get(${formatKeyForPath(step.map)})`;
    else if ('key' in step) out += `.keys()[${step.key}]`;
    else out += `.values()[${step.item}]`;
  }
  return out.startsWith('.') ? out.slice(1) : out;
}

function describe(value: object): string {
  const ctor = (value as { constructor?: unknown }).constructor;
  const name = typeof ctor === 'function' && ctor.name ? ctor.name : tagOf(value);
  return `an instance of ${name}`;
}

function isArrayIndex(key: string): boolean {
  if (key.length === 0 || key.length > 10) return false;
  const n = Number(key);
  return Number.isInteger(n) && n >= 0 && n < 2 ** 32 - 1 && String(n) === key;
}

/**
 * Walks `root` and throws a WireError for the first value that cannot cross.
 * `rootLabel` prefixes paths (`value`, or '' when the root is an envelope object).
 */
export function inspect(root: unknown, rootLabel: string): Inspection {
  const seen = new Set<object>();
  const steps: Step[] = [];
  const result: Inspection = { errors: [], regexps: [] };

  const fail = (reason: WireErrorReason, detail: string): never => {
    throw new WireError(reason, formatPath(rootLabel, steps), detail);
  };

  const child = (step: Step, value: unknown): void => {
    steps.push(step);
    visit(value);
    steps.pop();
  };

  const checkSymbolKeys = (obj: object): void => {
    for (const sym of Object.getOwnPropertySymbols(obj)) {
      if (Object.prototype.propertyIsEnumerable.call(obj, sym)) {
        fail('symbol-key', `it has an enumerable symbol-keyed property ${String(sym)}`);
      }
    }
  };

  const visitProps = (obj: object): void => {
    const rec = obj as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      if (key === '__proto__') {
        steps.push(key);
        fail('proto-key', 'an own property named __proto__ cannot be revived safely');
      }
      child(key, rec[key]);
    }
  };

  function visit(value: unknown): void {
    if (typeof value === 'function') fail('function', 'it is a function');
    if (typeof value === 'symbol') fail('symbol', 'it is a symbol');
    if (typeof value !== 'object' || value === null) return;
    if (seen.has(value)) return;
    seen.add(value);

    if (isErrorLike(value)) {
      checkSymbolKeys(value);
      const { head, data } = snapshotError(value);
      result.errors.push({ error: value, head, data });
      if ('message' in data) child('message', data.message);
      if ('name' in data) child('name', data.name);
      if ('cause' in data) child('cause', data.cause);
      if ('errors' in data) child('errors', data.errors);
      visitProps(value);
      return;
    }

    if (typeof (value as { then?: unknown }).then === 'function') {
      fail('promise', 'it is a Promise or thenable');
    }

    const tag = tagOf(value);
    const proto: unknown = Object.getPrototypeOf(value);

    if (Array.isArray(value)) {
      if (proto !== Array.prototype) fail('class-instance', `it is ${describe(value)} (an Array subclass)`);
      checkSymbolKeys(value);
      const rec = value as unknown as Record<string, unknown>;
      for (const key of Object.keys(value)) {
        if (!isArrayIndex(key)) {
          steps.push(key);
          fail('extra-props', 'an array with named properties (a RegExp match?) would lose them; copy it first');
        }
        child(Number(key), rec[key]);
      }
      return;
    }

    if (LEAF_TAGS.has(tag) || tag === 'Map' || tag === 'Set' || tag.startsWith('Temporal.')) {
      const base = builtinPrototype(tag);
      if (base !== undefined && proto !== base) {
        fail('class-instance', `it is ${describe(value)} (a ${tag} subclass); copy it into a plain ${tag}`);
      }
      if (NO_PROPS_TAGS.has(tag)) {
        checkSymbolKeys(value);
        const extra = Object.keys(value);
        if (extra.length > 0) {
          steps.push(extra[0] as string);
          fail('extra-props', `a ${tag} with own properties would lose them`);
        }
      }
      if (tag === 'Map') {
        let i = 0;
        for (const [k, v] of value as Map<unknown, unknown>) {
          child({ key: i++ }, k);
          child({ map: k }, v);
        }
      } else if (tag === 'Set') {
        let i = 0;
        for (const v of value as Set<unknown>) child({ item: i++ }, v);
      } else if (tag === 'RegExp' && (value as RegExp).lastIndex !== 0) {
        result.regexps.push(value as RegExp);
      }
      return;
    }

    if (tag !== 'Object') fail('unsupported', `it is ${describe(value)}, which has no wire encoding`);
    if (!isPlainObject(value)) fail('class-instance', `it is ${describe(value)}; only plain objects cross`);
    checkSymbolKeys(value);
    visitProps(value);
  }

  visit(root);
  return result;
}
