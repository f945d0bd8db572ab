import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { decodeBytes, encodeString, encodingOf, NodeBytes, SUPPORTED_ENCODINGS, viewBytes } from './bytes.js';

/**
 * `node:crypto` (and `crypto`) inside a component: the part services use for signing, on
 * @noble/hashes (pure JavaScript). Outputs equal Node's for the same inputs — property
 * tests against the real node:crypto in test/codegen/node-crypto.test.ts.
 *
 *   createHash(alg)                 sha1, sha256, sha384, sha512 (any case, `sha-256`,
 *                                   `RSA-SHA256` spellings, as Node accepts them)
 *     .update(data[, inputEncoding]) string (utf8 by default, or hex, base64, base64url,
 *                                   latin1/binary, ascii) or any ArrayBufferView; chains
 *     .digest([encoding])           hex, base64, base64url, latin1/binary, ascii, utf8, or
 *                                   bytes (a Uint8Array whose toString(encoding) is
 *                                   Buffer's: bytes.ts `NodeBytes`)
 *     .copy()
 *   createHmac(alg, key)            same algorithms; key a string (utf8) or bytes. After
 *                                   `digest`, `update` throws and `digest` returns an
 *                                   empty result, as Node 20 does
 *   timingSafeEqual(a, b)           RangeError when the lengths differ, as Node
 *   randomBytes(n[, callback]), randomUUID(), getRandomValues(view)
 *                                   from the guest's `crypto.getRandomValues`: WASI
 *                                   randomness, since stops are built with the `random`
 *                                   feature (src/build/stops.ts). A component built
 *                                   without it has a fixed, repeating random source, so
 *                                   these must never be used there
 *
 * Everything else of node:crypto (createSign, ciphers, pbkdf2, KeyObject, webcrypto…) is
 * exported as a function that throws an Error naming what is not supported, as does an
 * unsupported algorithm or encoding: never a wrong digest. Digests are computed when
 * `digest` is called (updates are absorbed as they come).
 *
 * Plain JavaScript: runs inside a component. The bundle replaces `node:crypto` and
 * `crypto` with this module (codegen/bundle/lowerings/libraries.ts).
 */

type Hasher = typeof sha256;

const ALGORITHMS: Readonly<Record<string, Hasher>> = {
  sha1: sha1 as unknown as Hasher,
  'sha-1': sha1 as unknown as Hasher,
  'rsa-sha1': sha1 as unknown as Hasher,
  sha256,
  'sha-256': sha256,
  'rsa-sha256': sha256,
  sha384: sha384 as unknown as Hasher,
  'sha-384': sha384 as unknown as Hasher,
  'rsa-sha384': sha384 as unknown as Hasher,
  sha512: sha512 as unknown as Hasher,
  'sha-512': sha512 as unknown as Hasher,
  'rsa-sha512': sha512 as unknown as Hasher,
};

const SUPPORTED = 'createHash, createHmac (sha1, sha256, sha384, sha512), timingSafeEqual, randomBytes, randomUUID, getRandomValues';

function unsupported(what: string, supported: string = SUPPORTED): Error {
  return new Error(`node:crypto ${what} is not supported inside a stopline component (supported: ${supported})`);
}

function nodeError<E extends Error>(error: E, code: string): E {
  Object.defineProperty(error, 'code', { value: code, writable: true, enumerable: false, configurable: true });
  return error;
}

function hasherOf(algorithm: unknown): Hasher {
  if (typeof algorithm !== 'string') throw nodeError(new TypeError(`The "algorithm" argument must be of type string. Received ${describe(algorithm)}`), 'ERR_INVALID_ARG_TYPE');
  const hasher = ALGORITHMS[algorithm.toLowerCase()];
  if (hasher === undefined) throw unsupported(`hash algorithm '${algorithm}'`);
  return hasher;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'function') return `function ${value.name}`;
  if (typeof value === 'object') return `an instance of ${(value as object).constructor?.name ?? 'Object'}`;
  const shown = typeof value === 'string' ? `'${value.length > 25 ? `${value.slice(0, 25)}...` : value}'` : String(value);
  return `type ${typeof value} (${shown})`;
}

function inputBytes(data: unknown, encoding: unknown): Uint8Array {
  if (typeof data === 'string') {
    if (encoding === undefined || encoding === null || encoding === 'buffer') return encodeString(data, 'utf8');
    const e = encodingOf(encoding);
    if (e === null) throw unsupported(`input encoding '${String(encoding)}'`, SUPPORTED_ENCODINGS);
    // Node's update() refuses odd-length hex (Buffer.from would drop the last nibble).
    if (e === 'hex' && data.length % 2 !== 0) {
      throw nodeError(new TypeError(`The argument 'encoding' is invalid for data of length ${data.length}. Received '${String(encoding)}'`), 'ERR_INVALID_ARG_VALUE');
    }
    return encodeString(data, e);
  }
  const bytes = ArrayBuffer.isView(data) ? viewBytes(data) : null;
  if (bytes === null) throw nodeError(new TypeError(`The "data" argument must be of type string or an instance of Buffer, TypedArray, or DataView. Received ${describe(data)}`), 'ERR_INVALID_ARG_TYPE');
  // Copied: noble may keep a reference while hashing, and the caller may reuse its buffer.
  return bytes.slice();
}

function output(bytes: Uint8Array, encoding: unknown): string | NodeBytes {
  if (encoding === undefined || encoding === 'buffer') return NodeBytes.copyOf(bytes);
  const e = encodingOf(encoding);
  if (e === null) throw unsupported(`digest encoding '${String(encoding)}'`, `${SUPPORTED_ENCODINGS}, or none for bytes`);
  return decodeBytes(bytes, e);
}

function finalized(): Error {
  return nodeError(new Error('Digest already called'), 'ERR_CRYPTO_HASH_FINALIZED');
}

interface NobleState {
  update(buf: Uint8Array): unknown;
  digest(): Uint8Array;
  clone(): NobleState;
}

export class Hash {
  #state: NobleState;
  #done = false;

  /** @internal use createHash */
  constructor(state: NobleState) {
    this.#state = state;
  }

  update(data: string | ArrayBufferView, inputEncoding?: string): this {
    if (this.#done) throw finalized();
    this.#state.update(inputBytes(data, inputEncoding));
    return this;
  }

  digest(): NodeBytes;
  digest(encoding: string): string;
  digest(encoding?: string): string | NodeBytes {
    if (this.#done) throw finalized();
    this.#done = true;
    return output(this.#state.digest(), encoding);
  }

  copy(): Hash {
    if (this.#done) throw finalized();
    return new Hash(this.#state.clone());
  }
}

export class Hmac {
  #state: NobleState;
  #done = false;

  /** @internal use createHmac */
  constructor(state: NobleState) {
    this.#state = state;
  }

  update(data: string | ArrayBufferView, inputEncoding?: string): this {
    if (this.#done) throw finalized();
    this.#state.update(inputBytes(data, inputEncoding));
    return this;
  }

  digest(): NodeBytes;
  digest(encoding: string): string;
  digest(encoding?: string): string | NodeBytes {
    // Node 20: a second digest of an Hmac answers an empty result instead of throwing.
    if (this.#done) return output(new Uint8Array(0), encoding);
    this.#done = true;
    return output(this.#state.digest(), encoding);
  }
}

export function createHash(algorithm: string, options?: unknown): Hash {
  if (options !== undefined && options !== null && typeof options === 'object' && 'outputLength' in options) throw unsupported('createHash option outputLength');
  return new Hash(hasherOf(algorithm).create() as unknown as NobleState);
}

function keyBytes(key: unknown): Uint8Array {
  if (typeof key === 'string') return encodeString(key, 'utf8');
  const bytes = viewBytes(key);
  if (bytes !== null) return bytes.slice();
  if (key !== null && typeof key === 'object' && ('type' in key || 'symmetricKeySize' in key)) throw unsupported('KeyObject and CryptoKey keys');
  throw nodeError(new TypeError(`The "key" argument must be of type string or an instance of ArrayBuffer, Buffer, TypedArray, DataView, KeyObject, or CryptoKey. Received ${describe(key)}`), 'ERR_INVALID_ARG_TYPE');
}

export function createHmac(algorithm: string, key: string | ArrayBufferView | ArrayBuffer, options?: unknown): Hmac {
  const hasher = hasherOf(algorithm);
  if (options !== undefined && options !== null && typeof options === 'object' && 'encoding' in options && (options as { encoding?: unknown }).encoding !== undefined) {
    throw unsupported('createHmac option encoding');
  }
  return new Hmac(hmac.create(hasher, keyBytes(key)) as unknown as NobleState);
}

export function timingSafeEqual(a: ArrayBufferView | ArrayBuffer, b: ArrayBufferView | ArrayBuffer): boolean {
  const x = viewBytes(a);
  const y = viewBytes(b);
  if (x === null) throw nodeError(new TypeError(`The "buf1" argument must be an instance of ArrayBuffer, Buffer, TypedArray, or DataView. Received ${describe(a)}`), 'ERR_INVALID_ARG_TYPE');
  if (y === null) throw nodeError(new TypeError(`The "buf2" argument must be an instance of ArrayBuffer, Buffer, TypedArray, or DataView. Received ${describe(b)}`), 'ERR_INVALID_ARG_TYPE');
  if (x.byteLength !== y.byteLength) throw nodeError(new RangeError('Input buffers must have the same byte length'), 'ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH');
  let diff = 0;
  for (let i = 0; i < x.byteLength; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0;
}

interface GuestCrypto {
  getRandomValues<T extends ArrayBufferView>(view: T): T;
  randomUUID?(): string;
}

function guestCrypto(what: string): GuestCrypto {
  const c = (globalThis as { crypto?: GuestCrypto }).crypto;
  if (c === undefined || typeof c.getRandomValues !== 'function') throw unsupported(`${what} (this engine has no crypto.getRandomValues)`);
  return c;
}

/** Web Crypto fills at most 65,536 bytes a call. */
function fillRandom(bytes: Uint8Array, what: string): void {
  const c = guestCrypto(what);
  for (let i = 0; i < bytes.length; i += 65536) c.getRandomValues(bytes.subarray(i, Math.min(bytes.length, i + 65536)));
}

export function getRandomValues<T extends ArrayBufferView>(view: T): T {
  return guestCrypto('getRandomValues').getRandomValues(view);
}

export function randomBytes(size: number): NodeBytes;
export function randomBytes(size: number, callback: (error: Error | null, bytes: NodeBytes) => void): void;
export function randomBytes(size: number, callback?: (error: Error | null, bytes: NodeBytes) => void): NodeBytes | void {
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 0 || size > 2 ** 31 - 1) {
    throw nodeError(new RangeError(`The value of "size" is out of range. It must be >= 0 && <= 2147483647. Received ${String(size)}`), 'ERR_OUT_OF_RANGE');
  }
  const bytes = new NodeBytes(size);
  fillRandom(bytes, 'randomBytes');
  if (callback === undefined) return bytes;
  queueMicrotask(() => callback(null, bytes));
}

export function randomUUID(): string {
  const c = guestCrypto('randomUUID');
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  const b = new Uint8Array(16);
  c.getRandomValues(b);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = decodeBytes(b, 'hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const refuse = (name: string) =>
  function (): never {
    throw unsupported(name);
  };

export const createSign = refuse('createSign');
export const createVerify = refuse('createVerify');
export const sign = refuse('sign');
export const verify = refuse('verify');
export const createCipheriv = refuse('createCipheriv');
export const createDecipheriv = refuse('createDecipheriv');
export const createSecretKey = refuse('createSecretKey');
export const createPublicKey = refuse('createPublicKey');
export const createPrivateKey = refuse('createPrivateKey');
export const generateKeyPair = refuse('generateKeyPair');
export const generateKeyPairSync = refuse('generateKeyPairSync');
export const publicEncrypt = refuse('publicEncrypt');
export const privateDecrypt = refuse('privateDecrypt');
export const pbkdf2 = refuse('pbkdf2');
export const pbkdf2Sync = refuse('pbkdf2Sync');
export const scrypt = refuse('scrypt');
export const scryptSync = refuse('scryptSync');
export const hkdf = refuse('hkdf');
export const hkdfSync = refuse('hkdfSync');
export const createDiffieHellman = refuse('createDiffieHellman');
export const createECDH = refuse('createECDH');
export const getHashes = refuse('getHashes');
export const randomInt = refuse('randomInt');
export const randomFillSync = refuse('randomFillSync');
export const hash = refuse('hash');

/** `import crypto from 'node:crypto'`: the same functions on one object. */
const nodeCrypto = {
  createHash,
  createHmac,
  timingSafeEqual,
  randomBytes,
  randomUUID,
  getRandomValues,
  Hash,
  Hmac,
  createSign,
  createVerify,
  sign,
  verify,
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  createPublicKey,
  createPrivateKey,
  generateKeyPair,
  generateKeyPairSync,
  publicEncrypt,
  privateDecrypt,
  pbkdf2,
  pbkdf2Sync,
  scrypt,
  scryptSync,
  hkdf,
  hkdfSync,
  createDiffieHellman,
  createECDH,
  getHashes,
  randomInt,
  randomFillSync,
  hash,
};

export default nodeCrypto;
