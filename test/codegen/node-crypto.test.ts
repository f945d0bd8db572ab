import * as node from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBytes, encodeString, encodingOf, NodeBytes } from '../../codegen/lower/bytes.js';
import * as lowered from '../../codegen/lower/node-crypto.js';

/**
 * The node:crypto lowering (codegen/lower/node-crypto.ts) against the real node:crypto on
 * the same inputs: every digest in every output encoding, string inputs in every input
 * encoding (with the junk Node's lenient decoders skip), byte inputs of several views,
 * update chaining. And the Buffer encodings of codegen/lower/bytes.ts against Buffer.
 */

const ALGORITHMS = ['sha1', 'sha256', 'sha384', 'sha512', 'SHA256', 'sha-512', 'RSA-SHA1', 'Sha384'] as const;
const INPUT_ENCODINGS = [undefined, 'utf8', 'utf-8', 'UTF8', 'hex', 'base64', 'base64url', 'latin1', 'binary', 'ascii'] as const;
const OUTPUT_ENCODINGS = [undefined, 'hex', 'base64', 'base64url', 'binary', 'latin1', 'ascii', 'utf8', 'buffer', 'HEX'] as const;

/** Strings that exercise each decoder: any UTF-16 (lone surrogates too), and alphabets with junk mixed in. */
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEFxz '), maxLength: 60 }),
  fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_= \n.%é'), maxLength: 60 }),
  fc.string({ unit: fc.constantFrom(...'AQgw'), maxLength: 9 }),
);

const bytes = fc.uint8Array({ maxLength: 300 });

type Chunk = { kind: 'string'; text: string; encoding: (typeof INPUT_ENCODINGS)[number] } | { kind: 'bytes'; bytes: Uint8Array; view: 'u8' | 'buffer' | 'u16' | 'dataview' | 'offset' };

const chunk: fc.Arbitrary<Chunk> = fc.oneof(
  fc.record({ kind: fc.constant('string' as const), text, encoding: fc.constantFrom(...INPUT_ENCODINGS) }),
  fc.record({ kind: fc.constant('bytes' as const), bytes, view: fc.constantFrom('u8' as const, 'buffer' as const, 'u16' as const, 'dataview' as const, 'offset' as const) }),
);

/** The chunk as the program would pass it (the same object to both implementations). */
function argument(c: Chunk): [string | ArrayBufferView, string | undefined] {
  if (c.kind === 'string') return [c.text, c.encoding];
  const b = c.bytes;
  switch (c.view) {
    case 'u8':
      return [b, undefined];
    case 'buffer':
      return [Buffer.from(b), undefined];
    case 'u16': {
      const even = b.slice(0, b.length - (b.length % 2));
      return [new Uint16Array(even.buffer, even.byteOffset, even.length / 2), undefined];
    }
    case 'dataview':
      return [new DataView(b.buffer, b.byteOffset, b.byteLength), undefined];
    case 'offset': {
      const padded = new Uint8Array(b.length + 7);
      padded.set(b, 3);
      return [padded.subarray(3, 3 + b.length), undefined];
    }
  }
}

type Key = { kind: 'string'; text: string } | { kind: 'bytes'; bytes: Uint8Array };
const key: fc.Arbitrary<Key> = fc.oneof(
  fc.record({ kind: fc.constant('string' as const), text: fc.string({ unit: 'binary', maxLength: 200 }) }),
  fc.record({ kind: fc.constant('bytes' as const), bytes: fc.uint8Array({ maxLength: 200 }) }),
);
const keyArg = (k: Key): string | Uint8Array => (k.kind === 'string' ? k.text : k.bytes);

/** A digest as comparable data: strings as they are, bytes as hex plus their toString in the same encodings. */
function comparable(value: unknown): unknown {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  if (value instanceof Uint8Array) {
    const asText = value as unknown as { toString(encoding?: string): string };
    return { hex: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex'), base64: asText.toString('base64'), latin1: asText.toString('latin1'), utf8: asText.toString() };
  }
  return { other: String(value) };
}

const runs = { numRuns: 400 };

/** What both implementations share: update(data, encoding) and digest(encoding). */
interface Updatable {
  update(data: string | ArrayBufferView, encoding?: string): Updatable;
  digest(encoding?: string): unknown;
}

/** A call's result as comparable data, or what it threw: class, code and message. */
function outcome(fn: () => unknown): unknown {
  try {
    return { value: comparable(fn()) };
  } catch (error) {
    const e = error as Error & { code?: string };
    return { threw: e.constructor.name, code: e.code, message: e.message };
  }
}

describe('Buffer encodings in the guest (codegen/lower/bytes.ts)', () => {
  it('encodeString(text, e) is Buffer.from(text, e) for every supported encoding', () => {
    fc.assert(
      fc.property(text, fc.constantFrom('utf8', 'hex', 'base64', 'base64url', 'latin1', 'binary', 'ascii'), (t, name) => {
        const e = encodingOf(name)!;
        expect(Buffer.from(encodeString(t, e)).toString('hex')).toBe(Buffer.from(t, name as BufferEncoding).toString('hex'));
      }),
      { numRuns: 2000 },
    );
  });

  it('decodeBytes(bytes, e) is buffer.toString(e) for every supported encoding', () => {
    fc.assert(
      fc.property(bytes, fc.constantFrom('utf8', 'hex', 'base64', 'base64url', 'latin1', 'binary', 'ascii'), (b, name) => {
        expect(decodeBytes(b, encodingOf(name)!)).toBe(Buffer.from(b).toString(name as BufferEncoding));
      }),
      { numRuns: 2000 },
    );
  });

  it('NodeBytes.toString and equals behave as Buffer; another encoding throws', () => {
    fc.assert(
      fc.property(bytes, fc.constantFrom(undefined, 'hex', 'base64', 'utf8', 'latin1'), (b, e) => {
        const ours = NodeBytes.copyOf(b);
        expect(ours.toString(e)).toBe(Buffer.from(b).toString(e as BufferEncoding | undefined));
        expect(ours.equals(b)).toBe(true);
        expect(JSON.stringify(ours)).toBe(JSON.stringify(Buffer.from(b)));
      }),
    );
    expect(() => NodeBytes.copyOf(new Uint8Array([1])).toString('ucs2')).toThrow(/ucs2.*not supported/);
  });
});

describe('node:crypto in the guest against node:crypto', () => {
  it('createHash(alg).update(…)….digest(enc) equals Node for every algorithm, input and output encoding', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ALGORITHMS), fc.array(chunk, { maxLength: 5 }), fc.constantFrom(...OUTPUT_ENCODINGS), (alg, chunks, enc) => {
        const run = (create: (alg: string) => Updatable): unknown =>
          outcome(() => {
            const h = create(alg);
            for (const c of chunks) {
              const [data, e] = argument(c);
              expect(h.update(data, e)).toBe(h);
            }
            return h.digest(enc);
          });
        expect(run((a) => lowered.createHash(a) as Updatable)).toEqual(run((a) => node.createHash(a) as unknown as Updatable));
      }),
      runs,
    );
  });

  it('createHmac(alg, key).update(…)….digest(enc) equals Node for string and byte keys', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ALGORITHMS), key, fc.array(chunk, { maxLength: 4 }), fc.constantFrom(...OUTPUT_ENCODINGS), (alg, k, chunks, enc) => {
        const run = (create: (alg: string, key: string | Uint8Array) => Updatable): unknown =>
          outcome(() => {
            const h = create(alg, keyArg(k));
            for (const c of chunks) {
              const [data, e] = argument(c);
              h.update(data, e);
            }
            // Node 20 answers a second Hmac digest with an empty result.
            return [comparable(h.digest(enc)), comparable(h.digest(enc))];
          });
        expect(run((a, key) => lowered.createHmac(a, key) as Updatable)).toEqual(run((a, key) => node.createHmac(a, key) as unknown as Updatable));
      }),
      runs,
    );
  });

  it('hash.copy() continues independently, as Node', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ALGORITHMS), text, text, (alg, a, b) => {
        const ours = lowered.createHash(alg).update(a);
        const theirs = node.createHash(alg).update(a);
        const oursCopy = ours.copy().update(b);
        const theirsCopy = theirs.copy().update(b);
        expect([ours.digest('hex'), oursCopy.digest('base64')]).toEqual([theirs.digest('hex'), theirsCopy.digest('base64')]);
      }),
      { numRuns: 100 },
    );
  });

  it('fails where Node fails, with the same class, code and message', () => {
    const pairs: [() => unknown, () => unknown][] = [
      [() => { const h = lowered.createHash('sha256'); h.digest(); return h.digest(); }, () => { const h = node.createHash('sha256'); h.digest(); return h.digest(); }],
      [() => { const h = lowered.createHash('sha256'); h.digest(); return h.update('x'); }, () => { const h = node.createHash('sha256'); h.digest(); return h.update('x'); }],
      [() => { const h = lowered.createHmac('sha256', 'k'); h.digest(); return h.update('x'); }, () => { const h = node.createHmac('sha256', 'k'); h.digest(); return h.update('x'); }],
      [() => lowered.createHmac('sha256', undefined as never), () => node.createHmac('sha256', undefined as never)],
      [() => lowered.createHash('sha256').update(123 as never), () => node.createHash('sha256').update(123 as never)],
      [() => lowered.timingSafeEqual(new Uint8Array(1), new Uint8Array(2)), () => node.timingSafeEqual(new Uint8Array(1), new Uint8Array(2))],
    ];
    for (const [ours, theirs] of pairs) expect(outcome(ours)).toEqual(outcome(theirs));
  });

  it('timingSafeEqual answers as Node on equal-length views', () => {
    fc.assert(
      fc.property(bytes, fc.boolean(), fc.nat(), (b, flip, at) => {
        const other = Uint8Array.from(b);
        if (flip && other.length > 0) other[at % other.length]! ^= 1 << (at % 8);
        expect(lowered.timingSafeEqual(b, other)).toBe(node.timingSafeEqual(b, other));
        expect(lowered.timingSafeEqual(new DataView(b.buffer, b.byteOffset, b.byteLength), Buffer.from(other))).toBe(node.timingSafeEqual(b, other));
      }),
    );
  });

  it('throws an Error naming what is not supported, never a wrong digest', () => {
    expect(() => lowered.createHash('md5')).toThrow(/hash algorithm 'md5' is not supported/);
    expect(() => lowered.createHash('sha512-256')).toThrow(/hash algorithm 'sha512-256' is not supported/);
    expect(() => lowered.createHmac('sha3-256', 'k')).toThrow(/sha3-256/);
    expect(() => lowered.createHash('sha256').update('x', 'ucs2')).toThrow(/input encoding 'ucs2' is not supported/);
    expect(() => lowered.createHash('sha256').digest('utf16le')).toThrow(/digest encoding 'utf16le' is not supported/);
    expect(() => lowered.createSign()).toThrow(/createSign is not supported/);
    expect(() => lowered.pbkdf2Sync()).toThrow(/pbkdf2Sync is not supported/);
    expect(() => lowered.createHmac('sha256', { type: 'secret' } as never)).toThrow(/KeyObject/);
  });

  it('randomness comes from the engine’s crypto.getRandomValues, in Node’s shapes', async () => {
    const uuid = lowered.randomUUID();
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const r = lowered.randomBytes(70000);
    expect(r).toBeInstanceOf(Uint8Array);
    expect(r.length).toBe(70000);
    expect(r.toString('hex')).toHaveLength(140000);
    expect(new Set(r.subarray(65536)).size).toBeGreaterThan(1);
    const viaCallback = await new Promise<Uint8Array>((resolve, reject) => lowered.randomBytes(8, (e, b) => (e ? reject(e) : resolve(b))));
    expect(viaCallback.length).toBe(8);
    expect(() => lowered.randomBytes(-1)).toThrow(RangeError);
    const view = new Uint32Array(4);
    expect(lowered.getRandomValues(view)).toBe(view);
  });
});
