import fc from 'fast-check';
import real from 'jsonwebtoken';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as lowered from '../../codegen/lower/jsonwebtoken.js';

/**
 * The jsonwebtoken lowering (codegen/lower/jsonwebtoken.ts) against the real jsonwebtoken
 * 9 on the same inputs, at the same `Date.now()`: `sign` gives the same token or throws
 * the same error; `verify` gives the same payload (or complete token) or an error of the
 * same class, name, message and own properties (expiredAt, date); `decode` the same value.
 * Inputs are random: payloads, secrets, options with valid and invalid values, tokens
 * signed by the real library then tampered with, and junk.
 */

const NOW_MS = Date.UTC(2026, 0, 1, 12, 0, 0);
const NOW = NOW_MS / 1000;

afterEach(() => {
  vi.restoreAllMocks();
});

function at(ms: number): void {
  vi.spyOn(Date, 'now').mockReturnValue(ms);
}

/** What a call did, as comparable data. */
function outcome(fn: () => unknown): unknown {
  try {
    return { value: fn() };
  } catch (error) {
    const e = error as Error;
    return { threw: e.constructor.name, name: e.name, message: e.message, props: JSON.parse(JSON.stringify({ ...e })) as unknown };
  }
}

// --- inputs ---------------------------------------------------------------------------------

/** `arb` in one run out of `1 + absent` (otherwise undefined: the key is left out). */
const sometimes = <T>(arb: fc.Arbitrary<T>, absent = 3): fc.Arbitrary<T | undefined> => fc.oneof({ weight: absent, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
/** Usually a valid value, sometimes one of the invalid ones. */
const mostly = <T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> => fc.oneof({ weight: 6, arbitrary: valid }, { weight: 1, arbitrary: invalid });
/** A record of optional keys; absent keys are not own properties. */
function optional(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(fields).map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));
}

const secret = fc.oneof(
  { weight: 6, arbitrary: fc.string({ minLength: 1, maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 3, arbitrary: fc.uint8Array({ minLength: 0, maxLength: 64 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>('', null, undefined, 0, 42, true, {}, []) },
);

const timespanValue = mostly(
  fc.oneof(fc.integer({ min: -100000, max: 10_000_000 }), fc.constantFrom('1h', '2 days', '10', '-1m', '1.5h', '0', '7d', '1y', '1 hour', '30s', '100ms', '5 weeks', '3 Hours', '.5d')),
  fc.constantFrom<unknown>('abc', '', '  1h', 1.5, -0.25, null, true, {}),
);

const claimValue = mostly(fc.oneof(fc.integer({ min: Math.floor(NOW) - 10000, max: Math.floor(NOW) + 10000 }), fc.double({ noNaN: true, min: NOW - 10000, max: NOW + 10000 })), fc.constantFrom<unknown>('soon', null, true));

const objectPayload = optional({
  sub: sometimes(fc.string({ maxLength: 10 }), 1),
  id: sometimes(fc.integer(), 1),
  username: sometimes(fc.string({ unit: 'binary', maxLength: 12 }), 1),
  roles: sometimes(fc.array(fc.constantFrom('admin', 'user', 'ü'), { maxLength: 3 }), 1),
  iat: sometimes(claimValue, 5),
  exp: sometimes(claimValue, 5),
  nbf: sometimes(claimValue, 5),
  aud: sometimes(fc.oneof(fc.constantFrom('api', 'web'), fc.array(fc.constantFrom('api', 'web', 'x'), { maxLength: 2 })), 2),
  iss: sometimes(fc.constantFrom('auth', 'other'), 2),
  jti: sometimes(fc.constantFrom('j1', 'j2'), 5),
  nonce: sometimes(fc.constantFrom('n1', 'n2'), 5),
  extra: sometimes(fc.jsonValue({ maxDepth: 2 }), 2),
});

const payload = fc.oneof(
  { weight: 8, arbitrary: objectPayload },
  { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.constantFrom<unknown>(undefined, null, [1, 2], true)) },
);

const signOptions = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom<unknown>(undefined, null, 'HS256') },
  {
    weight: 12,
    arbitrary: optional({
      algorithm: sometimes(mostly(fc.constantFrom('HS256', 'HS384', 'HS512', 'none'), fc.constantFrom<unknown>('RS256', 'ES256', 'bogus', 7)), 1),
      expiresIn: sometimes(timespanValue, 1),
      notBefore: sometimes(timespanValue, 3),
      audience: sometimes(mostly(fc.oneof(fc.constantFrom('api', 'web'), fc.array(fc.constantFrom('api', 'web'), { maxLength: 2 })), fc.constant(5)), 3),
      issuer: sometimes(mostly(fc.constantFrom('auth', 'other'), fc.constant(1)), 3),
      subject: sometimes(mostly(fc.constantFrom('s1', 's2'), fc.constant(false)), 3),
      jwtid: sometimes(fc.constantFrom('j1', 'j2'), 3),
      keyid: sometimes(mostly(fc.constantFrom('k1', 'ü'), fc.constant(2)), 3),
      noTimestamp: sometimes(mostly(fc.boolean(), fc.constant('yes')), 3),
      mutatePayload: sometimes(fc.boolean(), 3),
      header: sometimes(mostly(optional({ kid: sometimes(fc.constantFrom('h1', 'ü'), 1), x5t: sometimes(fc.constant('t'), 1), alg: sometimes(fc.constantFrom('HS256', 'HS512', 'HS999', 'RS256', 'none'), 3) }), fc.constant('hdr')), 3),
      encoding: sometimes(mostly(fc.constantFrom('utf8', 'latin1', 'binary', 'ascii', 'hex', 'base64', 'UTF-8'), fc.constantFrom<unknown>('nope', 3)), 4),
      unknownOption: sometimes(fc.constant(1), 15),
    }),
  },
);

const tokenSecret = fc.oneof(fc.constantFrom('s3cret', 'another-secret', 'ü-key'), fc.uint8Array({ minLength: 1, maxLength: 40 }));

const verifyOptions = optional({
  algorithms: sometimes(mostly(fc.subarray(['HS256', 'HS384', 'HS512', 'none', 'RS256'], { minLength: 1 }), fc.constantFrom<unknown>('HS256', [])), 1),
  audience: sometimes(fc.constantFrom<unknown>('api', 'web', /^a/, ['web', 'api'], [/^w/, 'x'], ''), 4),
  issuer: sometimes(fc.constantFrom<unknown>('auth', 'other', ['auth', 'x'], ''), 4),
  subject: sometimes(fc.constantFrom('s1', 'sub'), 6),
  jwtid: sometimes(fc.constantFrom('j1', 'j2'), 6),
  nonce: sometimes(mostly(fc.constantFrom('n1', 'n2'), fc.constantFrom<unknown>('', '  ', 3)), 8),
  clockTolerance: sometimes(fc.integer({ min: 0, max: 20000 }), 3),
  clockTimestamp: sometimes(mostly(fc.integer({ min: Math.floor(NOW) - 20000, max: Math.floor(NOW) + 20000 }), fc.constant('now')), 4),
  ignoreExpiration: sometimes(fc.boolean(), 3),
  ignoreNotBefore: sometimes(fc.boolean(), 3),
  complete: sometimes(fc.boolean(), 1),
  maxAge: sometimes(mostly(fc.oneof(fc.constantFrom('1h', '2d', 0), fc.integer({ min: -100, max: 100000 })), fc.constant('abc')), 5),
  allowInvalidAsymmetricKeyTypes: sometimes(mostly(fc.boolean(), fc.constant('no')), 8),
});

/** A token as a program receives it, with the secret it was signed with: signed by the real library, then maybe tampered with, or junk. */
const token: fc.Arbitrary<{ token: unknown; secret: unknown }> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(
        objectPayload,
        tokenSecret,
        optional({
          algorithm: fc.constantFrom('HS256', 'HS384', 'HS512'),
          expiresIn: sometimes(fc.constantFrom(60, '2h', -30, 5000), 1),
          notBefore: sometimes(fc.constantFrom(0, 120, '-1h', 3000), 2),
          issuer: sometimes(fc.constant('auth'), 2),
        }),
        fc.oneof({ weight: 6, arbitrary: fc.constant('none') }, { weight: 1, arbitrary: fc.constantFrom('flip-signature', 'flip-payload', 'alg-none', 'alg-HS512', 'drop-signature', 'extra-part', 'typ-text', 'not-json-payload') }),
        fc.nat(),
      )
      .map(([p, s, o, tamper, n]) => ({ token: tampered(p, s, o, tamper, n), secret: s })),
  },
  {
    weight: 1,
    arbitrary: fc.record({ token: fc.oneof(fc.string({ unit: fc.constantFrom(...'eyJhbGciOi.JIUzI1NiJ9_-xA='), maxLength: 40 }), fc.constantFrom<unknown>('', undefined, null, 12, 'a.b', 'a.b.c.d', 'e30.e30.', 'bnVsbA.e30.', 'MQ.e30.x', 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.bnVsbA.x')), secret: tokenSecret }),
  },
);

function tampered(p: Record<string, unknown>, s: string | Uint8Array, o: Record<string, unknown>, tamper: string, n: number): string {
  let t: string;
  try {
    vi.spyOn(Date, 'now').mockReturnValue(NOW_MS);
    t = real.sign(p, Buffer.from(s), o as real.SignOptions);
  } catch {
    return 'not.a.token';
  } finally {
    vi.restoreAllMocks();
  }
  const [h, b, sig] = t.split('.') as [string, string, string];
  const b64 = (x: string): string => Buffer.from(x).toString('base64url');
  const flip = (x: string): string => (x.length === 0 ? 'A' : x.slice(0, n % x.length) + (x[n % x.length] === 'A' ? 'B' : 'A') + x.slice((n % x.length) + 1));
  switch (tamper) {
    case 'flip-signature':
      return `${h}.${b}.${flip(sig)}`;
    case 'flip-payload':
      return `${h}.${flip(b)}.${sig}`;
    case 'alg-none':
      return `${b64('{"alg":"none","typ":"JWT"}')}.${b}.`;
    case 'alg-HS512':
      return `${b64('{"alg":"HS512","typ":"JWT"}')}.${b}.${sig}`;
    case 'drop-signature':
      return `${h}.${b}.`;
    case 'extra-part':
      return `${t}.x`;
    case 'typ-text':
      return `${b64('{"alg":"HS256"}')}.${b64('plain text')}.${sig}`;
    case 'not-json-payload':
      return `${h}.${b64('{not json')}.${sig}`;
    default:
      return t;
  }
}

/** The secret a verifier holds: usually the signer's, sometimes another or none. */
const verifySecretFor = (signer: unknown): fc.Arbitrary<unknown> => fc.oneof({ weight: 6, arbitrary: fc.constant(signer) }, { weight: 1, arbitrary: tokenSecret }, { weight: 1, arbitrary: fc.constantFrom<unknown>(undefined, '', 5, 'wrong') });
const signedToken = token.chain((t) => verifySecretFor(t.secret).map((s) => ({ token: t.token, secret: s })));

// --- the comparisons ------------------------------------------------------------------

/** How many runs returned a value, and which error messages were seen. */
interface Tally {
  values: number;
  messages: Set<string>;
}
const signed: Tally = { values: 0, messages: new Set() };
const verified: Tally = { values: 0, messages: new Set() };
function tally(t: Tally, o: unknown): void {
  const r = o as { value?: unknown; name?: string; message?: string };
  if ('value' in r) t.values += 1;
  else t.messages.add(`${r.name}: ${r.message}`);
}

describe('jsonwebtoken in the guest against jsonwebtoken', () => {
  it('sign: the same token, or the same error, for the same payload, secret, options and time', () => {
    fc.assert(
      fc.property(payload, secret, signOptions, fc.integer({ min: NOW_MS - 1e9, max: NOW_MS + 1e9 }), (p, s, o, now) => {
        at(now);
        const key = s instanceof Uint8Array ? s : s;
        // The library takes a Buffer where the guest takes any bytes: the same bytes to both.
        const theirs = outcome(() => real.sign(structuredClone(p) as object, (key instanceof Uint8Array ? Buffer.from(key) : key) as string, structuredClone(o) as real.SignOptions));
        const ours = outcome(() => lowered.sign(structuredClone(p), key as string, structuredClone(o) as lowered.SignOptions));
        expect(ours).toEqual(theirs);
        tally(signed, ours);
      }),
      { numRuns: 1500 },
    );
    // Not vacuous: many runs make tokens, many fail, with many different messages.
    expect(signed.values).toBeGreaterThan(300);
    expect(signed.messages.size).toBeGreaterThan(40);
  });

  it('sign with mutatePayload changes the payload object as the library does', () => {
    fc.assert(
      fc.property(objectPayload, fc.constantFrom(60, '1d'), (p, expiresIn) => {
        at(NOW_MS);
        const a = structuredClone(p) as object;
        const b = structuredClone(p) as object;
        const theirs = outcome(() => real.sign(a, 'k', { mutatePayload: true, expiresIn: expiresIn as real.SignOptions['expiresIn'], issuer: 'auth' }));
        const ours = outcome(() => lowered.sign(b, 'k', { mutatePayload: true, expiresIn, issuer: 'auth' }));
        expect(ours).toEqual(theirs);
        expect(b).toEqual(a);
      }),
      { numRuns: 200 },
    );
  });

  it('sign with a callback: the same token or error, delivered the same way', async () => {
    await fc.assert(
      fc.asyncProperty(payload, secret, signOptions, async (p, s, o) => {
        at(NOW_MS);
        const viaCallback = (fn: (cb: (e: Error | null, t?: string) => void) => unknown): Promise<unknown[]> =>
          new Promise((resolve) => {
            const calls: unknown[] = [];
            try {
              fn((e, t) => calls.push(e ? { error: e.message } : { token: t }));
            } catch (error) {
              calls.push({ threw: (error as Error).message });
            }
            setTimeout(() => resolve(calls), 0);
          });
        const keyFor = (x: unknown): unknown => (x instanceof Uint8Array ? Buffer.from(x) : x);
        const theirs = await viaCallback((cb) => real.sign(structuredClone(p) as object, keyFor(s) as string, (structuredClone(o) ?? {}) as real.SignOptions, cb as never));
        const ours = await viaCallback((cb) => lowered.sign(structuredClone(p), s as string, (structuredClone(o) ?? {}) as lowered.SignOptions, cb));
        expect(ours).toEqual(theirs);
      }),
      { numRuns: 200 },
    );
  });

  it('verify: the same payload or complete token, or an error of the same class, name, message and properties', () => {
    fc.assert(
      fc.property(signedToken, verifyOptions, fc.integer({ min: NOW_MS - 1e7, max: NOW_MS + 1e7 }), ({ token: t, secret: s }, o, now) => {
        at(now);
        const keyFor = (x: unknown): unknown => (x instanceof Uint8Array ? Buffer.from(x) : x);
        const theirs = outcome(() => real.verify(t as string, keyFor(s) as string, structuredClone(o) as real.VerifyOptions));
        const ours = outcome(() => lowered.verify(t, s as string, structuredClone(o) as lowered.VerifyOptions));
        expect(ours).toEqual(theirs);
        tally(verified, ours);
      }),
      { numRuns: 2000 },
    );
    expect(verified.values).toBeGreaterThan(100);
    expect(verified.messages.size).toBeGreaterThan(25);
  });

  it('verify with the right secret accepts what the library accepts (most generated tokens verify)', () => {
    let accepted = 0;
    fc.assert(
      fc.property(objectPayload.map(({ exp: _e, nbf: _n, iat: _i, ...p }) => p), tokenSecret, fc.constantFrom('HS256', 'HS384', 'HS512'), (p, s, alg) => {
        at(NOW_MS);
        const signed = real.sign(JSON.parse(JSON.stringify(p)) as object, Buffer.from(s as string | Uint8Array), { algorithm: alg as real.Algorithm, expiresIn: '1h' });
        expect(lowered.sign(JSON.parse(JSON.stringify(p)), s, { algorithm: alg, expiresIn: '1h' })).toBe(signed);
        const ours = outcome(() => lowered.verify(signed, s, { algorithms: [alg] }));
        expect(ours).toEqual(outcome(() => real.verify(signed, Buffer.from(s as string | Uint8Array), { algorithms: [alg as real.Algorithm] })));
        if ((ours as { value?: unknown }).value !== undefined) accepted += 1;
      }),
      { numRuns: 200 },
    );
    expect(accepted).toBe(200);
  });

  it('verify with callbacks and a secret callback answers as the library', () => {
    fc.assert(
      fc.property(signedToken, verifyOptions, fc.boolean(), ({ token: t, secret: s }, o, failSecret) => {
        at(NOW_MS);
        const keyFor = (x: unknown): unknown => (x instanceof Uint8Array ? Buffer.from(x) : x);
        const run = (verify: (...args: unknown[]) => unknown, key: unknown): unknown => {
          const calls: unknown[] = [];
          const r = outcome(() =>
            verify(t, (_header: unknown, cb: (e: Error | null, k?: unknown) => unknown) => (failSecret ? cb(new Error('no key for you')) : cb(null, key)), structuredClone(o), (e: Error | null, d: unknown) => {
              calls.push(e ? { name: e.name, message: e.message } : { decoded: d });
              return 'callback-result';
            }),
          );
          return { r, calls };
        };
        expect(run(lowered.verify as never, s)).toEqual(run(real.verify as never, keyFor(s)));
      }),
      { numRuns: 500 },
    );
  });

  it('decode: the same value for every token and option', () => {
    fc.assert(
      fc.property(token.map((t) => t.token), fc.constantFrom<unknown>(undefined, null, { complete: true }, { json: true }, { complete: true, json: true }), (t, o) => {
        expect(outcome(() => lowered.decode(t as string, o as lowered.DecodeOptions))).toEqual(outcome(() => real.decode(t as string, o as real.DecodeOptions)));
      }),
      { numRuns: 1500 },
    );
  });

  it('its errors are the library’s classes: instanceof, name, message and the time they carry', () => {
    at(NOW_MS);
    const expired = lowered.sign({ id: 1 }, 'k', { expiresIn: -10 })!;
    let error: unknown;
    try {
      lowered.verify(expired, 'k');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(lowered.TokenExpiredError);
    expect(error).toBeInstanceOf(lowered.JsonWebTokenError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'TokenExpiredError', message: 'jwt expired', expiredAt: new Date((Math.floor(NOW) - 10) * 1000) });
    expect(Object.keys(error as object)).toEqual(Object.keys(new real.TokenExpiredError('jwt expired', new Date())));
    const early = lowered.sign({ id: 1 }, 'k', { notBefore: '1h' })!;
    expect(() => lowered.verify(early, 'k')).toThrow(lowered.NotBeforeError);
    expect(Object.keys(new lowered.NotBeforeError('m', new Date()))).toEqual(Object.keys(new real.NotBeforeError('m', new Date())));
    expect(Object.keys(new lowered.JsonWebTokenError('m', new Error('inner')))).toEqual(Object.keys(new real.JsonWebTokenError('m', new Error('inner'))));
  });

  it('refuses asymmetric keys with an Error saying so, never a wrong answer', () => {
    const pem = '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n';
    expect(() => lowered.sign({ a: 1 }, pem.replace(/PUBLIC/g, 'PRIVATE'), { algorithm: 'RS256' })).toThrow(/PEM key.*not supported/);
    expect(() => lowered.verify('e30.e30.x', pem)).toThrow(/PEM key.*not supported/);
    expect(() => lowered.verify('e30.e30.x', { key: pem } as never)).toThrow(/key object.*not supported/);
    expect(() => lowered.sign({ a: 1 }, new TextEncoder().encode(pem))).toThrow(/PEM key.*not supported/);
  });
});
