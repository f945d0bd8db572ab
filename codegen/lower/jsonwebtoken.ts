import ms from 'ms';
import { decodeBytes, encodeString, encodingOf, type Encoding } from './bytes.js';
import { createHmac, timingSafeEqual } from './node-crypto.js';

/**
 * `jsonwebtoken` (9.x) inside a component: `sign`, `verify` and `decode` for the HMAC
 * algorithms (HS256, HS384, HS512, and unsigned `none` tokens), with the options real
 * apps use — expiresIn / notBefore / maxAge as seconds or `ms` strings (the `ms` package
 * itself is bundled), audience (strings or RegExps), issuer, subject, jwtid, nonce,
 * algorithms, clockTolerance, clockTimestamp, ignoreExpiration, ignoreNotBefore,
 * complete, noTimestamp, header, keyid, encoding, mutatePayload — and callbacks.
 *
 * It follows the library's checks in the library's order, so the same inputs give the
 * same token from `sign`, and from `verify` the same payload or an error of the same
 * class with the same name and message: JsonWebTokenError, TokenExpiredError (with
 * `expiredAt`), NotBeforeError (with `date`), and the library's plain Errors for bad sign
 * options. test/codegen/jsonwebtoken.test.ts checks this against the real package with
 * property tests. Time is `Date.now()` (inside a component: the line's clock).
 *
 * Keys are secrets: a string (its UTF-8 bytes) or bytes. A PEM key, a KeyObject, a JWK
 * or a key object (`{ key, passphrase }`) would mean RSA/ECDSA, which this lowering does
 * not do: they throw an Error saying so (as do RS/PS/ES tokens that reach signing or
 * verification with such a key), never a wrong answer.
 *
 * Plain JavaScript: runs inside a component. The bundle replaces `jsonwebtoken` with this
 * module (codegen/bundle/lowerings/libraries.ts).
 */

// --- errors (the library's classes: name and message are own enumerable properties) ---

function ownEnumerable(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

export class JsonWebTokenError extends Error {
  declare inner?: unknown;
  constructor(message: string, error?: unknown) {
    super(message);
    // Own enumerable `name` then `message`, in that order, as the library's constructor makes them.
    Reflect.deleteProperty(this, 'message');
    ownEnumerable(this, 'name', 'JsonWebTokenError');
    ownEnumerable(this, 'message', message);
    if (error) ownEnumerable(this, 'inner', error);
  }
}

export class TokenExpiredError extends JsonWebTokenError {
  declare expiredAt: Date;
  constructor(message: string, expiredAt: Date) {
    super(message);
    ownEnumerable(this, 'name', 'TokenExpiredError');
    ownEnumerable(this, 'expiredAt', expiredAt);
  }
}

export class NotBeforeError extends JsonWebTokenError {
  declare date: Date;
  constructor(message: string, date: Date) {
    super(message);
    ownEnumerable(this, 'name', 'NotBeforeError');
    ownEnumerable(this, 'date', date);
  }
}

const UNSUPPORTED = 'supported: HS256, HS384, HS512 and none, with a string or bytes secret';

function unsupported(what: string): Error {
  return new Error(`jsonwebtoken: ${what} is not supported inside a stopline component (${UNSUPPORTED})`);
}

// --- the checks the library uses (lodash's isPlainObject, isInteger, isNumber, isString) ---

type Dict = Record<string, unknown>;

function isPlainObject(value: unknown): value is Dict {
  if (value === null || typeof value !== 'object' || Object.prototype.toString.call(value) !== '[object Object]') return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto === null) return true;
  const ctor = Object.prototype.hasOwnProperty.call(proto, 'constructor') ? (proto as { constructor?: unknown }).constructor : undefined;
  return typeof ctor === 'function' && ctor instanceof ctor && Function.prototype.toString.call(ctor) === Function.prototype.toString.call(Object);
}
const isString = (v: unknown): boolean => typeof v === 'string' || (typeof v === 'object' && v !== null && Object.prototype.toString.call(v) === '[object String]');
const isNumber = (v: unknown): boolean => typeof v === 'number' || (typeof v === 'object' && v !== null && Object.prototype.toString.call(v) === '[object Number]');
function isInteger(v: unknown): boolean {
  if (typeof v !== 'number' || !Number.isFinite(v)) return false;
  return v === Math.trunc(v);
}

// --- keys ---------------------------------------------------------------------------

/** The only key kind here: a symmetric secret (what Node's createSecretKey makes). */
interface SecretKey {
  readonly type: 'secret';
  readonly bytes: Uint8Array;
}

const PEM = /-----BEGIN /;

/**
 * What jsonwebtoken makes of a key: Node's createPrivateKey / createPublicKey, and when
 * that fails createSecretKey. Here: a secret, 'invalid' (neither would accept it: the
 * library's "not valid key material"), or a throw for what Node would read as an
 * asymmetric key (PEM text, a `{ key }` object), which this lowering does not support.
 */
function keyOf(value: unknown, role: 'secretOrPrivateKey' | 'secretOrPublicKey'): SecretKey | 'invalid' {
  if (typeof value === 'string') {
    if (PEM.test(value)) throw unsupported(`a PEM key in ${role} (RSA/ECDSA)`);
    return { type: 'secret', bytes: encodeString(value, 'utf8') };
  }
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    const view = value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    if (PEM.test(decodeBytes(view, 'latin1'))) throw unsupported(`a PEM key in ${role} (RSA/ECDSA)`);
    return { type: 'secret', bytes: view.slice() };
  }
  // A key object (`{ key: pem, passphrase }`) Node would read as an asymmetric key.
  if (typeof value === 'object' && value !== null && 'key' in value) {
    const inner = (value as { key: unknown }).key;
    const text = typeof inner === 'string' ? inner : ArrayBuffer.isView(inner) ? decodeBytes(new Uint8Array(inner.buffer, inner.byteOffset, inner.byteLength), 'latin1') : '';
    if (PEM.test(text) || (typeof inner === 'object' && inner !== null && !ArrayBuffer.isView(inner))) throw unsupported(`a key object ({ key }, JWK) in ${role}`);
  }
  return 'invalid';
}

// --- jws (header.payload.signature) ---------------------------------------------------

const JWS = /^[a-zA-Z0-9\-_]+?\.[a-zA-Z0-9\-_]+?\.([a-zA-Z0-9\-_]+)?$/;
const JWA = /^(RS|PS|ES|HS)(256|384|512)$|^(none)$/;
const INVALID_ALGORITHM = (alg: unknown): string =>
  `"${String(alg)}" is not a valid algorithm.\n  Supported algorithms are:\n  "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512" and "none".`;

/** jws's toString: strings as they are, numbers as text, anything else as JSON. */
function jwsText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return value.toString();
  return JSON.stringify(value);
}

const NODE_ENCODINGS = new Set(['utf8', 'utf-8', 'ucs2', 'ucs-2', 'utf16le', 'utf-16le', 'latin1', 'binary', 'base64', 'base64url', 'hex', 'ascii']);

/** Buffer.from(text, encoding) → base64url (jws's base64url). */
function base64url(text: string | undefined, encoding: string): string {
  if (typeof text !== 'string') {
    throw new TypeError(`The first argument must be of type string or an instance of Buffer, ArrayBuffer, or Array or an Array-like Object. Received ${String(text)}`);
  }
  const e: Encoding | null = encodingOf(encoding);
  if (e === null) {
    if (NODE_ENCODINGS.has(encoding.toLowerCase())) throw unsupported(`the payload encoding '${encoding}'`);
    throw Object.assign(new TypeError(`Unknown encoding: ${encoding}`), { code: 'ERR_UNKNOWN_ENCODING' });
  }
  return decodeBytes(encodeString(text, e), 'base64url');
}

/** jwa: the algorithm's signer and verifier (HMAC and none only). */
function jwa(algorithm: unknown): { sign(input: string, key: SecretKey | null): string; verify(input: string, signature: string, key: SecretKey | null): boolean } {
  const match = (algorithm as string).match(JWA);
  if (!match) throw new TypeError(INVALID_ALGORITHM(algorithm));
  if (match[3] === 'none') return { sign: () => '', verify: (_input, signature) => signature === '' };
  if (match[1] !== 'HS') {
    const refuse = (): never => {
      throw unsupported(`the algorithm ${String(algorithm)}`);
    };
    return { sign: refuse, verify: refuse };
  }
  const sign = (input: string, key: SecretKey | null): string => {
    if (key === null) throw new TypeError('secret must be a string or bufferor a KeyObject');
    return createHmac(`sha${match[2]!}`, key.bytes).update(input).digest('base64url');
  };
  return {
    sign,
    verify(input, signature, key) {
      const a = encodeString(signature, 'utf8');
      const b = encodeString(sign(input, key), 'utf8');
      return a.byteLength === b.byteLength && timingSafeEqual(a, b);
    },
  };
}

function jwsHeader(token: string): unknown {
  const encoded = token.split('.', 1)[0]!;
  try {
    return JSON.parse(decodeBytes(encodeString(encoded, 'base64'), 'latin1'));
  } catch {
    return undefined;
  }
}

interface Decoded {
  header: unknown;
  payload: unknown;
  signature: string;
}

function jwsDecode(token: unknown, options: Dict): Decoded | null {
  const text = jwsText(token);
  if (!JWS.test(text as string) || !jwsHeader(text as string)) return null;
  const header = jwsHeader(text as string) as Dict;
  let payload: unknown = decodeBytes(encodeString((text as string).split('.')[1]!, 'base64'), 'utf8');
  // jws passes `options.encoding` as JSON.parse's second argument: a reviver when it is a function.
  if (header.typ === 'JWT' || options.json) payload = JSON.parse(payload as string, typeof options.encoding === 'function' ? (options.encoding as (k: string, v: unknown) => unknown) : undefined);
  return { header, payload, signature: (text as string).split('.')[2]! };
}

// --- decode ---------------------------------------------------------------------------

export interface DecodeOptions {
  complete?: boolean;
  json?: boolean;
}

export function decode(token: string, options?: DecodeOptions | null): unknown {
  const opts = (options || {}) as Dict;
  const decoded = jwsDecode(token, opts);
  if (!decoded) return null;
  let payload = decoded.payload;
  if (typeof payload === 'string') {
    try {
      const parsed: unknown = JSON.parse(payload);
      if (parsed !== null && typeof parsed === 'object') payload = parsed;
    } catch {
      // not JSON: the payload stays a string
    }
  }
  if (opts.complete === true) return { header: decoded.header, payload, signature: decoded.signature };
  return payload;
}

// --- timespans ------------------------------------------------------------------------

/** `expiresIn`/`notBefore`/`maxAge` from `iat`: seconds, or an `ms` string; undefined when it is neither. */
function timespan(time: unknown, iat: unknown): number | undefined {
  const timestamp = (iat as number) || Math.floor(Date.now() / 1000);
  if (typeof time === 'string') {
    const milliseconds = (ms as unknown as (value: string) => number | undefined)(time);
    if (typeof milliseconds === 'undefined') return undefined;
    return Math.floor(timestamp + milliseconds / 1000);
  }
  if (typeof time === 'number') return timestamp + time;
  return undefined;
}

// --- sign -----------------------------------------------------------------------------

const SUPPORTED_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'HS256', 'HS384', 'HS512', 'none'];

type Check = { valid(value: unknown): boolean; message: string };
const SIGN_OPTIONS: Readonly<Record<string, Check>> = {
  expiresIn: { valid: (v) => isInteger(v) || (isString(v) && !!v), message: '"expiresIn" should be a number of seconds or string representing a timespan' },
  notBefore: { valid: (v) => isInteger(v) || (isString(v) && !!v), message: '"notBefore" should be a number of seconds or string representing a timespan' },
  audience: { valid: (v) => isString(v) || Array.isArray(v), message: '"audience" must be a string or array' },
  algorithm: { valid: (v) => SUPPORTED_ALGS.includes(v as string), message: '"algorithm" must be a valid string enum value' },
  header: { valid: isPlainObject, message: '"header" must be an object' },
  encoding: { valid: isString, message: '"encoding" must be a string' },
  issuer: { valid: isString, message: '"issuer" must be a string' },
  subject: { valid: isString, message: '"subject" must be a string' },
  jwtid: { valid: isString, message: '"jwtid" must be a string' },
  noTimestamp: { valid: (v) => typeof v === 'boolean', message: '"noTimestamp" must be a boolean' },
  keyid: { valid: isString, message: '"keyid" must be a string' },
  mutatePayload: { valid: (v) => typeof v === 'boolean', message: '"mutatePayload" must be a boolean' },
  allowInsecureKeySizes: { valid: (v) => typeof v === 'boolean', message: '"allowInsecureKeySizes" must be a boolean' },
  allowInvalidAsymmetricKeyTypes: { valid: (v) => typeof v === 'boolean', message: '"allowInvalidAsymmetricKeyTypes" must be a boolean' },
};
const CLAIMS: Readonly<Record<string, Check>> = {
  iat: { valid: isNumber, message: '"iat" should be a number of seconds' },
  exp: { valid: isNumber, message: '"exp" should be a number of seconds' },
  nbf: { valid: isNumber, message: '"nbf" should be a number of seconds' },
};

function validate(schema: Readonly<Record<string, Check>>, allowUnknown: boolean, object: unknown, name: string): void {
  if (!isPlainObject(object)) throw new Error(`Expected "${name}" to be a plain object.`);
  for (const key of Object.keys(object)) {
    const check = Object.prototype.hasOwnProperty.call(schema, key) ? schema[key] : undefined;
    if (!check) {
      if (!allowUnknown) throw new Error(`"${key}" is not allowed in "${name}"`);
      continue;
    }
    if (!check.valid(object[key])) throw new Error(check.message);
  }
}

const OPTION_CLAIMS: readonly (readonly [string, string])[] = [
  ['audience', 'aud'],
  ['issuer', 'iss'],
  ['subject', 'sub'],
  ['jwtid', 'jti'],
];
const OBJECT_ONLY_OPTIONS = ['expiresIn', 'notBefore', 'noTimestamp', 'audience', 'issuer', 'subject', 'jwtid'];

export type Secret = string | Uint8Array | ArrayBuffer | ArrayBufferView;
export type SignCallback = (error: Error | null, token?: string) => void;

export interface SignOptions {
  algorithm?: string;
  keyid?: string;
  expiresIn?: string | number;
  notBefore?: string | number;
  audience?: string | string[];
  subject?: string;
  issuer?: string;
  jwtid?: string;
  mutatePayload?: boolean;
  noTimestamp?: boolean;
  header?: Dict;
  encoding?: string;
  allowInsecureKeySizes?: boolean;
  allowInvalidAsymmetricKeyTypes?: boolean;
}

function once(callback: SignCallback): SignCallback {
  let called = false;
  return (error, token) => {
    if (called) return;
    called = true;
    callback(error, token);
  };
}

export function sign(payload: unknown, secretOrPrivateKey: Secret | null | undefined, options?: SignOptions | SignCallback | null, callback?: SignCallback): string | undefined {
  let opts: Dict;
  if (typeof options === 'function') {
    callback = options;
    opts = {};
  } else {
    opts = (options || {}) as Dict;
  }
  const isObjectPayload = typeof payload === 'object';
  const header = Object.assign({ alg: opts.algorithm || 'HS256', typ: isObjectPayload ? 'JWT' : undefined, kid: opts.keyid }, opts.header as Dict | undefined) as Dict;

  const failure = (error: Error): undefined => {
    if (callback) {
      callback(error);
      return undefined;
    }
    throw error;
  };

  if (!secretOrPrivateKey && opts.algorithm !== 'none') return failure(new Error('secretOrPrivateKey must have a value'));

  // null / undefined stay as given: the library then reads `.type` of it (a TypeError), as here.
  let key = secretOrPrivateKey as SecretKey | null | undefined;
  if (secretOrPrivateKey != null) {
    const k = keyOf(secretOrPrivateKey, 'secretOrPrivateKey');
    if (k === 'invalid') return failure(new Error('secretOrPrivateKey is not valid key material'));
    key = k;
  }

  // `header.alg.startsWith` spelled as the library does: a non-string alg fails with the same TypeError.
  if ((header.alg as string).startsWith('HS') && (key as SecretKey).type !== 'secret') {
    return failure(new Error(`secretOrPrivateKey must be a symmetric key when using ${header.alg as string}`));
  } else if (/^(?:RS|PS|ES)/.test(header.alg as string)) {
    // Every key here is a secret (asymmetric ones were refused above), as Node's KeyObject of type 'secret'.
    if ((key as SecretKey).type !== ('private' as string)) return failure(new Error(`secretOrPrivateKey must be an asymmetric key when using ${header.alg as string}`));
  }

  let claims = payload as Dict;
  if (typeof payload === 'undefined') {
    return failure(new Error('payload is required'));
  } else if (isObjectPayload) {
    try {
      validate(CLAIMS, true, payload, 'payload');
    } catch (error) {
      return failure(error as Error);
    }
    if (!opts.mutatePayload) claims = Object.assign({}, payload) as Dict;
  } else {
    const invalid = OBJECT_ONLY_OPTIONS.filter((o) => typeof opts[o] !== 'undefined');
    if (invalid.length > 0) return failure(new Error(`invalid ${invalid.join(',')} option for ${typeof payload} payload`));
  }

  if (typeof claims.exp !== 'undefined' && typeof opts.expiresIn !== 'undefined') {
    return failure(new Error('Bad "options.expiresIn" option the payload already has an "exp" property.'));
  }
  if (typeof claims.nbf !== 'undefined' && typeof opts.notBefore !== 'undefined') {
    return failure(new Error('Bad "options.notBefore" option the payload already has an "nbf" property.'));
  }

  try {
    validate(SIGN_OPTIONS, false, opts, 'options');
  } catch (error) {
    return failure(error as Error);
  }

  const timestamp = (claims.iat as number) || Math.floor(Date.now() / 1000);
  if (opts.noTimestamp) delete claims.iat;
  else if (isObjectPayload) claims.iat = timestamp;

  if (typeof opts.notBefore !== 'undefined') {
    claims.nbf = timespan(opts.notBefore, timestamp);
    if (typeof claims.nbf === 'undefined') return failure(new Error('"notBefore" should be a number of seconds or string representing a timespan eg: "1d", "20h", 60'));
  }
  if (typeof opts.expiresIn !== 'undefined' && typeof claims === 'object') {
    claims.exp = timespan(opts.expiresIn, timestamp);
    if (typeof claims.exp === 'undefined') return failure(new Error('"expiresIn" should be a number of seconds or string representing a timespan eg: "1d", "20h", 60'));
  }

  for (const [option, claim] of OPTION_CLAIMS) {
    if (typeof opts[option] !== 'undefined') {
      if (typeof claims[claim] !== 'undefined') {
        // As the library: with a callback the error is reported and signing goes on.
        failure(new Error(`Bad "options.${option}" option. The payload already has an "${claim}" property.`));
        continue;
      }
      claims[claim] = opts[option];
    }
  }

  const encoding = (opts.encoding as string | undefined) || 'utf8';
  const signNow = (): string => {
    const algo = jwa(header.alg);
    const input = `${base64url(jwsText(header), 'binary')}.${base64url(jwsText(claims), encoding)}`;
    return `${input}.${algo.sign(input, key ?? null)}`;
  };

  if (typeof callback === 'function') {
    const done = once(callback);
    // jws's data streams, as the library uses them: a falsy payload (0, '') never arrives,
    // so the callback is never called; a payload that is neither text nor an object is a
    // TypeError thrown at once.
    if (!claims) return undefined;
    if (!((claims as { length?: number }).length || typeof claims === 'object')) throw new TypeError(`Unexpected data type (${typeof claims})`);
    // Nor does a missing secret (only `none` gets here without one): jws's secret stream,
    // made from undefined or null, stays open and the library never signs.
    if (key == null) return undefined;
    // The library signs on a later tick (jws streams): so does this.
    queueMicrotask(() => {
      let token: string;
      try {
        token = signNow();
      } catch (error) {
        done(error as Error);
        return;
      }
      done(null, token);
    });
    return undefined;
  }
  return signNow();
}

// --- verify ---------------------------------------------------------------------------

const HS_ALGS = ['HS256', 'HS384', 'HS512'];

export type VerifyCallback = (error: Error | null, decoded?: unknown) => unknown;
export type GetSecret = (header: unknown, callback: (error: Error | null, secret?: Secret) => unknown) => unknown;

export interface VerifyOptions {
  algorithms?: string[];
  audience?: string | RegExp | (string | RegExp)[];
  clockTimestamp?: number;
  clockTolerance?: number;
  complete?: boolean;
  issuer?: string | string[];
  ignoreExpiration?: boolean;
  ignoreNotBefore?: boolean;
  jwtid?: string;
  nonce?: string;
  subject?: string;
  maxAge?: string | number;
  allowInvalidAsymmetricKeyTypes?: boolean;
}

export function verify(token: unknown, secretOrPublicKey: Secret | GetSecret | null | undefined, options?: VerifyOptions | VerifyCallback | null, callback?: VerifyCallback): unknown {
  if (typeof options === 'function' && !callback) {
    callback = options;
    options = {};
  }
  const opts = Object.assign({}, options || {}) as Dict;
  const done: VerifyCallback = callback
    ? callback
    : (error, data) => {
        if (error) throw error;
        return data;
      };

  if (opts.clockTimestamp && typeof opts.clockTimestamp !== 'number') return done(new JsonWebTokenError('clockTimestamp must be a number'));
  if (opts.nonce !== undefined && (typeof opts.nonce !== 'string' || opts.nonce.trim() === '')) return done(new JsonWebTokenError('nonce must be a non-empty string'));
  if (opts.allowInvalidAsymmetricKeyTypes !== undefined && typeof opts.allowInvalidAsymmetricKeyTypes !== 'boolean') {
    return done(new JsonWebTokenError('allowInvalidAsymmetricKeyTypes must be a boolean'));
  }

  const clockTimestamp = (opts.clockTimestamp as number) || Math.floor(Date.now() / 1000);

  if (!token) return done(new JsonWebTokenError('jwt must be provided'));
  if (typeof token !== 'string') return done(new JsonWebTokenError('jwt must be a string'));

  const parts = token.split('.');
  if (parts.length !== 3) return done(new JsonWebTokenError('jwt malformed'));

  let decoded: { header: Dict; payload: Dict; signature: string } | null;
  try {
    decoded = decode(token, { complete: true }) as typeof decoded;
  } catch (error) {
    return done(error as Error);
  }
  if (!decoded) return done(new JsonWebTokenError('invalid token'));

  const header = decoded.header;
  let getSecret: GetSecret;
  if (typeof secretOrPublicKey === 'function') {
    if (!callback) return done(new JsonWebTokenError('verify must be called asynchronous if secret or public key is provided as a callback'));
    getSecret = secretOrPublicKey;
  } else {
    getSecret = (_header, secretCallback) => secretCallback(null, secretOrPublicKey as Secret);
  }

  return getSecret(header, (error, secret) => {
    if (error) return done(new JsonWebTokenError(`error in secret or public key callback: ${error.message}`));

    const hasSignature = parts[2]!.trim() !== '';
    if (!hasSignature && secret) return done(new JsonWebTokenError('jwt signature is required'));
    if (hasSignature && !secret) return done(new JsonWebTokenError('secret or public key must be provided'));
    if (!hasSignature && !opts.algorithms) return done(new JsonWebTokenError('please specify "none" in "algorithms" to verify unsigned tokens'));

    let key = secret as SecretKey | null | undefined;
    if (secret != null) {
      const k = keyOf(secret, 'secretOrPublicKey');
      if (k === 'invalid') return done(new JsonWebTokenError('secretOrPublicKey is not valid key material'));
      key = k;
    }

    if (!opts.algorithms) opts.algorithms = HS_ALGS; // every key here is a secret
    if ((opts.algorithms as string[]).indexOf(decoded!.header.alg as string) === -1) return done(new JsonWebTokenError('invalid algorithm'));

    if ((header.alg as string).startsWith('HS') && (key as SecretKey).type !== 'secret') {
      return done(new JsonWebTokenError(`secretOrPublicKey must be a symmetric key when using ${header.alg as string}`));
    } else if (/^(?:RS|PS|ES)/.test(header.alg as string) && (key as SecretKey).type !== ('public' as string)) {
      return done(new JsonWebTokenError(`secretOrPublicKey must be an asymmetric key when using ${header.alg as string}`));
    }
    const alg = header.alg as string;

    let valid: boolean;
    try {
      if (!alg) throw Object.assign(new Error('Missing algorithm parameter for jws.verify'), { code: 'MISSING_ALGORITHM' });
      const text = jwsText(token)!;
      valid = jwa(alg).verify(text.split('.', 2).join('.'), text.split('.')[2]!, key ?? null);
    } catch (e) {
      return done(e as Error);
    }
    if (!valid) return done(new JsonWebTokenError('invalid signature'));

    const payload = decoded!.payload;
    const tolerance = (opts.clockTolerance as number) || 0;

    if (typeof payload.nbf !== 'undefined' && !opts.ignoreNotBefore) {
      if (typeof payload.nbf !== 'number') return done(new JsonWebTokenError('invalid nbf value'));
      if (payload.nbf > clockTimestamp + tolerance) return done(new NotBeforeError('jwt not active', new Date(payload.nbf * 1000)));
    }

    if (typeof payload.exp !== 'undefined' && !opts.ignoreExpiration) {
      if (typeof payload.exp !== 'number') return done(new JsonWebTokenError('invalid exp value'));
      if (clockTimestamp >= payload.exp + tolerance) return done(new TokenExpiredError('jwt expired', new Date(payload.exp * 1000)));
    }

    if (opts.audience) {
      const audiences = (Array.isArray(opts.audience) ? opts.audience : [opts.audience]) as unknown[];
      const target = (Array.isArray(payload.aud) ? payload.aud : [payload.aud]) as unknown[];
      const match = target.some((t) => audiences.some((a) => (a instanceof RegExp ? a.test(t as string) : a === t)));
      if (!match) return done(new JsonWebTokenError(`jwt audience invalid. expected: ${audiences.join(' or ')}`));
    }

    if (opts.issuer) {
      const invalidIssuer = (typeof opts.issuer === 'string' && payload.iss !== opts.issuer) || (Array.isArray(opts.issuer) && opts.issuer.indexOf(payload.iss) === -1);
      if (invalidIssuer) return done(new JsonWebTokenError('jwt issuer invalid. expected: ' + (opts.issuer as string)));
    }

    if (opts.subject && payload.sub !== opts.subject) return done(new JsonWebTokenError('jwt subject invalid. expected: ' + (opts.subject as string)));
    if (opts.jwtid && payload.jti !== opts.jwtid) return done(new JsonWebTokenError('jwt jwtid invalid. expected: ' + (opts.jwtid as string)));
    if (opts.nonce && payload.nonce !== opts.nonce) return done(new JsonWebTokenError('jwt nonce invalid. expected: ' + (opts.nonce as string)));

    if (opts.maxAge) {
      if (typeof payload.iat !== 'number') return done(new JsonWebTokenError('iat required when maxAge is specified'));
      const maxAgeTimestamp = timespan(opts.maxAge, payload.iat);
      if (typeof maxAgeTimestamp === 'undefined') return done(new JsonWebTokenError('"maxAge" should be a number of seconds or string representing a timespan eg: "1d", "20h", 60'));
      if (clockTimestamp >= maxAgeTimestamp + tolerance) return done(new TokenExpiredError('maxAge exceeded', new Date(maxAgeTimestamp * 1000)));
    }

    if (opts.complete === true) return done(null, { header, payload, signature: decoded!.signature });
    return done(null, payload);
  });
}

/** `import jwt from 'jsonwebtoken'`: the library's module object. */
const jsonwebtoken = { decode, verify, sign, JsonWebTokenError, NotBeforeError, TokenExpiredError };
export default jsonwebtoken;
