// The two payloads of a crossing: the call (segment id + live-ins) that `link.call` /
// `dispatch.invoke` carry, and the completion (how the segment ended + live-outs) that
// comes back. Each is one devalue graph, so two live-ins (or a live-out and the returned
// value) that point at one object still point at one object on the other side.

import { decode, encode, type ErrorClasses } from './codec.js';
import { WireError } from './wire-error.js';

/** Values bound to names: a segment's live-ins or live-outs. */
export type LiveValues = Record<string, unknown>;

export interface Call {
  segment: string;
  liveIns: LiveValues;
}

/** How an outlined segment ended, mirroring the statement completion it replaces. */
export type Completion =
  | { kind: 'normal'; liveOuts: LiveValues }
  | { kind: 'return'; value: unknown; liveOuts: LiveValues }
  | { kind: 'break' | 'continue'; label: string | null; liveOuts: LiveValues }
  | { kind: 'throw'; error: unknown; liveOuts: LiveValues };

export type CompletionKind = Completion['kind'];

const KINDS: readonly CompletionKind[] = ['normal', 'return', 'break', 'continue', 'throw'];

function isRecord(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const proto: unknown = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

function requireLive(x: unknown, path: string, malformedInput: boolean): LiveValues {
  if (!isRecord(x)) {
    throw malformedInput
      ? new WireError('malformed', path, 'expected an object of named values')
      : new TypeError(`${path} must be a plain object of named values`);
  }
  return x;
}

/** The program's own error classes, when the stop knows them (codec.ts). */
export interface EnvelopeOptions {
  readonly errorClasses?: ErrorClasses;
}

/** Encodes a call. WireError paths read `liveIns.<name>…`. */
export function encodeCall(call: Call, options: EnvelopeOptions = {}): string {
  if (typeof call.segment !== 'string') throw new TypeError('segment must be a string');
  return encode({ segment: call.segment, liveIns: requireLive(call.liveIns, 'liveIns', false) }, { root: '', ...options });
}

export function decodeCall(text: string, options: EnvelopeOptions = {}): Call {
  const raw = decode(text, options);
  if (!isRecord(raw)) throw new WireError('malformed', '', 'a call must be an object');
  if (typeof raw.segment !== 'string') throw new WireError('malformed', 'segment', 'expected a string');
  return { segment: raw.segment, liveIns: requireLive(raw.liveIns, 'liveIns', true) };
}

/** A copy holding only the fields of its kind, in a fixed order (so encoding is canonical). */
function canonical(c: Completion, malformedInput: boolean): Completion {
  const liveOuts = requireLive(c.liveOuts, 'liveOuts', malformedInput);
  switch (c.kind) {
    case 'normal':
      return { kind: 'normal', liveOuts };
    case 'return':
      return { kind: 'return', value: c.value, liveOuts };
    case 'break':
    case 'continue':
      if (c.label !== null && typeof c.label !== 'string') {
        if (malformedInput) throw new WireError('malformed', 'label', 'expected a string or null');
        throw new TypeError('label must be a string or null');
      }
      return { kind: c.kind, label: c.label, liveOuts };
    case 'throw':
      return { kind: 'throw', error: c.error, liveOuts };
    default: {
      const kind: unknown = (c as { kind?: unknown }).kind;
      if (malformedInput) throw new WireError('malformed', 'kind', `unknown completion kind ${String(kind)}`);
      throw new TypeError(`unknown completion kind ${String(kind)}`);
    }
  }
}

/** Encodes a completion. WireError paths read `liveOuts.<name>…`, `value…` or `error…`. */
export function encodeCompletion(completion: Completion, options: EnvelopeOptions = {}): string {
  return encode(canonical(completion, false), { root: '', ...options });
}

export function decodeCompletion(text: string, options: EnvelopeOptions = {}): Completion {
  const raw = decode(text, options);
  if (!isRecord(raw)) throw new WireError('malformed', '', 'a completion must be an object');
  if (!KINDS.includes(raw.kind as CompletionKind)) {
    throw new WireError('malformed', 'kind', `unknown completion kind ${String(raw.kind)}`);
  }
  if ((raw.kind === 'break' || raw.kind === 'continue') && !Object.hasOwn(raw, 'label')) {
    throw new WireError('malformed', 'label', 'missing');
  }
  return canonical(raw as unknown as Completion, true);
}
