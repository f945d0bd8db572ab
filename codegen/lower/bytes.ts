/**
 * Strings ↔ bytes with Node's `Buffer` encodings, for the guest lowerings of node:crypto
 * and jsonwebtoken (a component has no `Buffer`). Each function gives exactly what
 * `Buffer.from(string, encoding)` / `buffer.toString(encoding)` give on Node 20 — the
 * property tests in test/codegen/node-crypto.test.ts compare them on random input —
 * including Node's leniency where programs meet it (base64 decoding skips characters
 * outside both alphabets, stops at `=`, ignores a lone trailing character; hex decoding
 * stops at the first pair that is not hex).
 *
 * Encodings: utf8 (utf-8), hex, base64, base64url, latin1 (binary), ascii. Names are
 * case-insensitive, as Node's. Any other name throws an Error naming it: a wrong encoding
 * would mean a wrong digest.
 *
 * Plain JavaScript: runs inside a component.
 */

export type Encoding = 'utf8' | 'hex' | 'base64' | 'base64url' | 'latin1' | 'ascii';

const ENCODINGS: Readonly<Record<string, Encoding>> = {
  utf8: 'utf8',
  'utf-8': 'utf8',
  hex: 'hex',
  base64: 'base64',
  base64url: 'base64url',
  latin1: 'latin1',
  binary: 'latin1',
  ascii: 'ascii',
};

export const SUPPORTED_ENCODINGS = 'utf8, hex, base64, base64url, latin1 (binary), ascii';

/** The encoding a Node API would use for `name`, or null when it is not one of ours. */
export function encodingOf(name: unknown): Encoding | null {
  if (typeof name !== 'string') return null;
  return ENCODINGS[name.toLowerCase()] ?? null;
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8');

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** char code → 6-bit value, both alphabets; 255 for anything else. */
const UNBASE64 = new Uint8Array(256).fill(255);
for (let i = 0; i < 64; i++) {
  UNBASE64[BASE64.charCodeAt(i)] = i;
  UNBASE64[BASE64URL.charCodeAt(i)] = i;
}
const EQUALS = 61;

function unhex(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

/** `Buffer.from(text, 'hex')`: pairs up to the first one that is not hex (UTF-16 units by their low byte, as Node); an odd last nibble is dropped. */
function fromHex(text: string): Uint8Array {
  const out = new Uint8Array(text.length >>> 1);
  let i = 0;
  for (; i < out.length; i++) {
    const a = unhex(text.charCodeAt(2 * i) & 0xff);
    const b = unhex(text.charCodeAt(2 * i + 1) & 0xff);
    if (a < 0 || b < 0) break;
    out[i] = (a << 4) | b;
  }
  return i === out.length ? out : out.slice(0, i);
}

/**
 * `Buffer.from(text, 'base64' | 'base64url')`: both alphabets, other characters skipped, `=`
 * ends it; each UTF-16 unit counts by its low byte (Node's uint8_t cast).
 */
function fromBase64(text: string): Uint8Array {
  const out = new Uint8Array(Math.floor((text.length * 3) / 4) + 3);
  let n = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < text.length; i++) {
    // Node reads each UTF-16 unit through a uint8_t cast: only its low byte counts.
    const code = text.charCodeAt(i) & 0xff;
    if (code === EQUALS) break;
    const v = UNBASE64[code]!;
    if (v === 255) continue;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >>> bits) & 0xff;
    }
  }
  return out.slice(0, n);
}

function toBase64(bytes: Uint8Array, alphabet: string, pad: boolean): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += alphabet[v >>> 18]! + alphabet[(v >>> 12) & 63]! + alphabet[(v >>> 6) & 63]! + alphabet[v & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const v = bytes[i]! << 16;
    out += alphabet[v >>> 18]! + alphabet[(v >>> 12) & 63]! + (pad ? '==' : '');
  } else if (rest === 2) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += alphabet[v >>> 18]! + alphabet[(v >>> 12) & 63]! + alphabet[(v >>> 6) & 63]! + (pad ? '=' : '');
  }
  return out;
}

function fromCharCodes(bytes: Uint8Array, mask: number): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 4096) {
    const chunk = bytes.subarray(i, i + 4096);
    out += String.fromCharCode(...(mask === 0xff ? chunk : chunk.map((b) => b & mask)));
  }
  return out;
}

/** `Buffer.from(text, encoding)`. */
export function encodeString(text: string, encoding: Encoding): Uint8Array {
  switch (encoding) {
    case 'utf8':
      return utf8Encoder.encode(text);
    case 'hex':
      return fromHex(text);
    case 'base64':
    case 'base64url':
      return fromBase64(text);
    case 'latin1':
    case 'ascii': {
      const out = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
      return out;
    }
  }
}

/** `buffer.toString(encoding)`. */
export function decodeBytes(bytes: Uint8Array, encoding: Encoding): string {
  switch (encoding) {
    case 'utf8':
      return utf8Decoder.decode(bytes);
    case 'hex': {
      let out = '';
      for (const b of bytes) out += (b < 16 ? '0' : '') + b.toString(16);
      return out;
    }
    case 'base64':
      return toBase64(bytes, BASE64, true);
    case 'base64url':
      return toBase64(bytes, BASE64URL, false);
    case 'latin1':
      return fromCharCodes(bytes, 0xff);
    case 'ascii':
      return fromCharCodes(bytes, 0x7f);
  }
}

/** The bytes of any ArrayBufferView or ArrayBuffer (a view on the same memory, not a copy). */
export function viewBytes(value: unknown): Uint8Array | null {
  if (value instanceof Uint8Array) return value;
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return null;
}

/**
 * What a Node API would return as a `Buffer` (a digest without encoding, random bytes):
 * a Uint8Array whose `toString(encoding)` and `equals` behave as Buffer's for the
 * encodings above. Other Buffer methods are absent (calling one is a TypeError, never a
 * wrong value); `toString` with another encoding throws.
 */
export class NodeBytes extends Uint8Array {
  override toString(encoding?: string, start?: number, end?: number): string {
    const e = encoding === undefined ? 'utf8' : encodingOf(encoding);
    if (e === null) throw new Error(`Buffer.toString('${String(encoding)}') is not supported inside a stopline component (supported: ${SUPPORTED_ENCODINGS})`);
    return decodeBytes(start === undefined && end === undefined ? this : this.subarray(start ?? 0, end ?? this.length), e);
  }

  equals(other: Uint8Array): boolean {
    if (!(other instanceof Uint8Array)) throw new TypeError('The "otherBuffer" argument must be an instance of Buffer or Uint8Array.');
    if (other.length !== this.length) return false;
    for (let i = 0; i < this.length; i++) if (this[i] !== other[i]) return false;
    return true;
  }

  toJSON(): { type: 'Buffer'; data: number[] } {
    return { type: 'Buffer', data: Array.from(this) };
  }

  static copyOf(bytes: Uint8Array): NodeBytes {
    const out = new NodeBytes(bytes.length);
    out.set(bytes);
    return out;
  }
}
