import { describe, expect, it } from 'vitest';
import { createDispatch, createErrorClasses, type OutlinedFunction } from '../../codegen/lower/link.js';
import { AuthFailure, createLinkAuth } from '../../codegen/lower/rpc-auth.js';
import { checkLiveIns } from '../../codegen/lower/rpc-guard.js';
import { parseType } from '../../codegen/outline/payload-schema.js';
import { decode, encode, encodeCall, WireError } from '../../codegen/wire/index.js';

/**
 * The pieces of hardened RPC in Node (the same modules run inside the components; the
 * component-level refusals are in test/runtime/rpc-hardening.test.ts): what the wire
 * format's decode can construct, the schemas read from printed types, the guard's checks,
 * and the envelope's window and replay memory.
 */

describe('decode constructs nothing but data', () => {
  const malformed = (text: string): void => {
    expect(() => decode(text)).toThrow(WireError);
  };

  it('refuses a __proto__ key, at any depth, in objects and null-prototype objects', () => {
    malformed('[{"v":1},{"__proto__":2},{"polluted":3},true]');
    malformed('[{"v":1},{"a":2},{"__proto__":3},{"polluted":4},true]');
    malformed('[{"v":1},["null","__proto__",2],{"polluted":3},true]');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('refuses a type tag it does not know (no global constructor is looked up by name)', () => {
    for (const tag of ['Function', 'eval', 'Promise', 'Proxy', 'WeakMap', 'Object.prototype', 'constructor']) malformed(`[{"v":1},["${tag}","return 1"]]`);
  });

  it('revives an error head only as a built-in error class: never another global', () => {
    for (const cls of ['Function', 'Object', 'Promise', 'Proxy', 'Array']) malformed(`[{"v":1,"e":2},["E",3],[4],[1,5],"${cls}",{"props":6},{}]`);
  });

  it('error data defines plain data properties: no setter or getter of the revived class runs', () => {
    let ran = false;
    class Tricky extends Error {
      override set message(_v: string) {
        ran = true;
      }
      get props(): string {
        ran = true;
        return '';
      }
    }
    class Plain extends Error {}
    const id = 'src/e.ts#Tricky';
    const text = encode(Object.assign(new Plain('m'), { props: 'p' }), { errorClasses: createErrorClasses({ [id]: Plain }) });
    const error = decode(text, { errorClasses: createErrorClasses({ [id]: Tricky }) }) as Error & { props: string };
    expect(error).toBeInstanceOf(Tricky);
    expect(Object.getOwnPropertyDescriptor(error, 'message')).toMatchObject({ value: 'm', enumerable: false });
    expect(Object.getOwnPropertyDescriptor(error, 'props')).toMatchObject({ value: 'p', enumerable: true });
    expect(ran).toBe(false);
  });

  it('a class id the receiver does not register falls back to the built-in class, whatever the id names', () => {
    class Sub extends TypeError {}
    for (const id of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const text = encode(new Sub('t'), { errorClasses: createErrorClasses({ [id]: Sub }) });
      expect(text).toContain(JSON.stringify(id));
      const e = decode(text, { errorClasses: createErrorClasses({ 'a#B': class B extends Error {} }) });
      expect(Object.getPrototypeOf(e)).toBe(TypeError.prototype);
    }
  });
});

describe('payload schemas from printed types', () => {
  it('reads primitives, literals, unions, arrays and object literal types', () => {
    expect(parseType('string')).toEqual({ t: 'string' });
    expect(parseType('number | undefined')).toEqual({ t: 'union', of: [{ t: 'number' }, { t: 'undefined' }] });
    expect(parseType('"a" | "b"')).toEqual({ t: 'union', of: [{ t: 'literal', v: 'a' }, { t: 'literal', v: 'b' }] });
    expect(parseType('readonly string[]')).toEqual({ t: 'array', of: { t: 'string' } });
    expect(parseType('Array<number>')).toEqual({ t: 'array', of: { t: 'number' } });
    expect(parseType('{ id: string; qty?: number; }')).toEqual({
      t: 'object',
      fields: { id: { s: { t: 'string' }, optional: false }, qty: { s: { t: 'union', of: [{ t: 'number' }, { t: 'undefined' }] }, optional: true } },
    });
    expect(parseType('Date | null')).toEqual({ t: 'union', of: [{ t: 'date' }, { t: 'null' }] });
  });

  it('states nothing (any) where the printed type does not say what the value is', () => {
    for (const t of ['Cart', 'PricedLine[] | User', 'Map<string, number>', '{ [k: string]: number; }', 'A & B', '[string, number]', 'string | Foo<Bar>', '{ id: string; ...', '() => void']) {
      expect(parseType(t), t).toEqual({ t: 'any' });
    }
    expect(parseType('PricedLine[]')).toEqual({ t: 'array', of: { t: 'any' } });
  });

  it('the guard takes exactly the fields, each of its type; nested objects may have more properties', () => {
    const schema = { fields: { n: parseType('number'), item: parseType('{ sku: string; qty: number }') } };
    expect(checkLiveIns(schema, { n: 1, item: { sku: 'a', qty: 2, note: 'extra is fine inside' } })).toBeNull();
    expect(checkLiveIns(schema, { n: 1, item: { sku: 'a', qty: 2 }, x: 0 })).toMatch(/unknown field 'x'/);
    expect(checkLiveIns(schema, { item: { sku: 'a', qty: 2 } })).toMatch(/missing field 'n'/);
    expect(checkLiveIns(schema, { n: '1', item: { sku: 'a', qty: 2 } })).toMatch(/'n'/);
    expect(checkLiveIns(schema, { n: 1, item: { sku: 'a', qty: '2' } })).toMatch(/'item\.qty'/);
    // a decoded object of another kind is read by its own properties (types are open): a Map has none of the listed ones
    expect(checkLiveIns(schema, { n: 1, item: new Map([['sku', 'a']]) })).toMatch(/'item\.sku'/);
    expect(checkLiveIns(schema, { n: 1, item: [{ sku: 'a', qty: 2 }] })).toMatch(/'item'/);
    expect(checkLiveIns(schema, { n: 1, item: null })).toMatch(/'item'/);
  });
});

describe('the dispatch guard, on fakes', () => {
  const KEY = 'k'.repeat(32);
  let now = 1_000_000;
  const auth = (stop: string, current = KEY, previous?: string) => createLinkAuth({ stop, keys: () => ({ current, previous }), now: () => now });
  let ran = 0;
  const segment: OutlinedFunction = async (liveIns) => {
    ran++;
    return { kind: 'return', value: liveIns['n'], liveOuts: {} };
  };
  const dispatch = createDispatch({
    segments: { s1: segment, s2: segment },
    entries: {},
    env: {},
    guard: { callers: { s1: ['edge'], s2: ['client'] }, schemas: { s1: { fields: { n: { t: 'number' } } }, s2: { fields: { n: { t: 'number' } } } }, untrusted: ['client'], auth: auth('origin'), maxBytes: 10_000 },
  });
  const code = async (p: Promise<string>): Promise<string> => p.then(() => 'ok', (e: { payload?: { code: string } }) => e.payload?.code ?? String(e));

  it('admits the edge sealed and the client bare where each may call, nothing else', async () => {
    const body = (s: string, n: unknown = 1): string => encodeCall({ segment: s, liveIns: { n } });
    expect(await code(dispatch.invoke('s1', auth('edge').seal('origin', 's1', body('s1'))))).toBe('ok');
    expect(await code(dispatch.invoke('s2', body('s2')))).toBe('ok');
    const before = ran;
    expect(await code(dispatch.invoke('s1', body('s1')))).toBe('unauthenticated');
    expect(await code(dispatch.invoke('s2', auth('edge').seal('origin', 's2', body('s2'))))).toBe('unauthenticated');
    expect(await code(dispatch.invoke('s3', body('s3')))).toBe('unknown-segment');
    expect(await code(dispatch.invoke('s2', body('s2', 'one')))).toBe('bad-payload');
    expect(await code(dispatch.invoke('s2', body('s2', 'x'.repeat(20_000))))).toBe('bad-payload');
    expect(ran).toBe(before);
  });

  it('the envelope: window and replay memory', () => {
    const origin = createLinkAuth({ stop: 'origin', keys: () => ({ current: KEY, previous: undefined }), now: () => now, windowMs: 1000, maxNonces: 2 });
    const sealed = (): string => auth('edge').seal('origin', 's1', '[]');
    const a = sealed();
    expect(origin.open('s1', a)).toMatchObject({ from: 'edge', replay: null });
    // a second delivery: refused while no answer is kept, the kept answer once there is one
    expect(() => origin.open('s1', a)).toThrow(AuthFailure);
    origin.remember((JSON.parse(a.split('\n')[1]!) as { nonce: string }).nonce, 'the answer');
    expect(origin.open('s1', a).replay).toEqual({ answer: 'the answer' });
    origin.open('s1', sealed());
    // full within the window: refused rather than forgetting a nonce early
    expect(() => origin.open('s1', sealed())).toThrow(/too many calls/);
    now += 2001;
    // the old nonces left the window: room again, and the old envelope is now expired anyway
    origin.open('s1', sealed());
    expect(() => origin.open('s1', a)).toThrow(/outside/);
  });

  it('never seals without a usable key', () => {
    expect(() => auth('edge', 'short').seal('origin', 's1', '[]')).toThrow(AuthFailure);
  });
});
