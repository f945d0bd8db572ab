import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decode,
  decodeCall,
  decodeCompletion,
  encode,
  encodeCall,
  encodeCompletion,
  WireError,
  type Completion,
} from '../../codegen/wire/index.js';

// ---------------------------------------------------------------------------------------------
// A strict structural comparison that also checks aliasing: the two graphs must be isomorphic,
// i.e. every object of `a` pairs with exactly one object of `b` and back. So shared references
// and cycles are checked, not only shapes. Prototypes, own keys (in order, holes included),
// enumerability and Object.is on primitives (NaN, -0) are compared.
// ---------------------------------------------------------------------------------------------

type Mismatch = string | null;

function sameGraph(a: unknown, b: unknown): Mismatch {
  const ab = new Map<object, object>();
  const ba = new Map<object, object>();

  function cmp(x: unknown, y: unknown, path: string): Mismatch {
    if (typeof x !== typeof y) return `${path}: ${typeof x} vs ${typeof y}`;
    if (typeof x !== 'object' || x === null || y === null) {
      return Object.is(x, y) ? null : `${path}: ${String(x)} vs ${String(y)}`;
    }
    const yo = y as object;
    const paired = ab.get(x);
    if (paired !== undefined) return paired === yo ? null : `${path}: aliasing differs`;
    if (ba.has(yo)) return `${path}: aliasing differs (two objects became one)`;
    ab.set(x, yo);
    ba.set(yo, x);

    const tag = Object.prototype.toString.call(x);
    if (tag !== Object.prototype.toString.call(yo)) return `${path}: ${tag} vs ${Object.prototype.toString.call(yo)}`;
    const isError = x instanceof Error;
    if (!isError && Object.getPrototypeOf(x) !== Object.getPrototypeOf(yo)) return `${path}: prototypes differ`;

    if (x instanceof Date) return Object.is(x.getTime(), (yo as Date).getTime()) ? null : `${path}: dates differ`;
    if (x instanceof RegExp) {
      const r = yo as RegExp;
      return x.source === r.source && x.flags === r.flags && x.lastIndex === r.lastIndex ? null : `${path}: regexps differ`;
    }
    if (x instanceof ArrayBuffer) {
      const u = new Uint8Array(x);
      const v = new Uint8Array(yo as ArrayBuffer);
      return u.length === v.length && u.every((n, i) => n === v[i]) ? null : `${path}: buffers differ`;
    }
    if (ArrayBuffer.isView(x)) {
      const v = yo as ArrayBufferView;
      if (x.byteOffset !== v.byteOffset || x.byteLength !== v.byteLength) return `${path}: views differ`;
      return cmp(x.buffer, v.buffer, `${path}.buffer`);
    }
    if (x instanceof Number || x instanceof String || x instanceof Boolean || tag === '[object BigInt]') {
      return Object.is(x.valueOf(), (yo as { valueOf(): unknown }).valueOf()) ? null : `${path}: boxed values differ`;
    }
    if (x instanceof Map) {
      const m = yo as Map<unknown, unknown>;
      if (x.size !== m.size) return `${path}: map sizes differ`;
      const ex = [...x];
      const ey = [...m];
      for (let i = 0; i < ex.length; i++) {
        const [kx, vx] = ex[i]!;
        const [ky, vy] = ey[i]!;
        const r = cmp(kx, ky, `${path}.keys()[${i}]`) ?? cmp(vx, vy, `${path}.get(${i})`);
        if (r) return r;
      }
      return null;
    }
    if (x instanceof Set) {
      const s = yo as Set<unknown>;
      if (x.size !== s.size) return `${path}: set sizes differ`;
      const ex = [...x];
      const ey = [...s];
      for (let i = 0; i < ex.length; i++) {
        const r = cmp(ex[i], ey[i], `${path}.values()[${i}]`);
        if (r) return r;
      }
      return null;
    }
    if (isError) {
      const e = yo as Error;
      const r = cmp(x.name, e.name, `${path}.name`) ?? cmp(x.message, e.message, `${path}.message`);
      if (r) return r;
      if (('cause' in x) !== ('cause' in e)) return `${path}.cause: presence differs`;
      if ('cause' in x) {
        const r = cmp(x.cause, e.cause, `${path}.cause`);
        if (r) return r;
      }
    }
    const kx = Reflect.ownKeys(x).filter((k) => !(isError && (k === 'stack' || k === 'message' || k === 'cause' || k === 'name')));
    const ky = Reflect.ownKeys(yo).filter((k) => !(isError && (k === 'stack' || k === 'message' || k === 'cause' || k === 'name')));
    if (kx.length !== ky.length || kx.some((k, i) => k !== ky[i])) {
      return `${path}: keys ${kx.map(String).join(',')} vs ${ky.map(String).join(',')}`;
    }
    for (const k of kx) {
      const dx = Object.getOwnPropertyDescriptor(x, k)!;
      const dy = Object.getOwnPropertyDescriptor(yo, k)!;
      if (dx.enumerable !== dy.enumerable) return `${path}.${String(k)}: enumerability differs`;
      const r = cmp((x as Record<PropertyKey, unknown>)[k], (yo as Record<PropertyKey, unknown>)[k], `${path}.${String(k)}`);
      if (r) return r;
    }
    return null;
  }

  return cmp(a, b, '$');
}

function expectRoundTrip(v: unknown): unknown {
  const text = encode(v);
  const back = decode(text);
  expect(sameGraph(v, back)).toBeNull();
  return back;
}

// ---------------------------------------------------------------------------------------------
// Arbitraries: fc.anything with every kind the format claims, plus aliasing and cycles.
// ---------------------------------------------------------------------------------------------

const key = fc.string().filter((k) => k !== '__proto__');

const base = fc.anything({
  key,
  maxDepth: 4,
  withBoxedValues: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withBigInt: true,
  withDate: true,
  withTypedArray: true,
  withSparseArray: true,
  withUnicodeString: true,
  values: [
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.string(),
    fc.constantFrom(null, undefined, NaN, -0, Infinity, -Infinity),
    fc.bigInt(),
    fc.date(),
    fc.constantFrom(/a+b?/gi, /^\d{2}$/u, /x/y),
    fc.uint8Array().map((u) => u.buffer),
    fc.float64Array(),
    fc.bigInt64Array(),
    fc.uint8Array({ minLength: 4 }).map((u) => u.subarray(1, 3)),
    fc.uint8Array({ minLength: 2 }).map((u) => new DataView(u.buffer, 1)),
  ],
});

/** Every object container (plain object, array, Map, Set) of a graph. */
function containers(root: unknown): object[] {
  const out: object[] = [];
  const seen = new Set<object>();
  const visit = (v: unknown): void => {
    if (typeof v !== 'object' || v === null || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) {
      out.push(v);
      v.forEach(visit);
    } else if (v instanceof Map) {
      out.push(v);
      for (const [k, x] of v) {
        visit(k);
        visit(x);
      }
    } else if (v instanceof Set) {
      out.push(v);
      v.forEach(visit);
    } else if (Object.prototype.toString.call(v) === '[object Object]') {
      out.push(v);
      Object.values(v).forEach(visit);
    }
  };
  visit(root);
  return out;
}

function hasInvalidDate(root: unknown): boolean {
  const seen = new Set<unknown>();
  const visit = (v: unknown): boolean => {
    if (typeof v !== 'object' || v === null || seen.has(v)) return false;
    seen.add(v);
    if (v instanceof Date) return Number.isNaN(v.getTime());
    if (v instanceof Map) return [...v].some(([k, x]) => visit(k) || visit(x));
    if (v instanceof Set) return [...v].some(visit);
    return Object.values(v).some(visit);
  };
  return visit(root);
}

/** A value whose containers get extra edges to one another: shared references and cycles. */
const aliased = fc
  .tuple(base, fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { maxLength: 6 }))
  .map(([value, edges]) => {
    const root: Record<string, unknown> = { value };
    const all = [root, ...containers(value)];
    edges.forEach(([from, to, how], i) => {
      const source = all[from % all.length]!;
      const target = all[to % all.length]!;
      if (source instanceof Map) source.set(`edge${i}`, target);
      else if (source instanceof Set) source.add(target);
      else if (Array.isArray(source)) source[source.length] = target;
      else if (how % 2 === 0) (source as Record<string, unknown>)[`edge${i}`] = target;
      else (source as Record<string, unknown>)[`edge${i}`] = new Map([[target, target]]);
    });
    return root;
  });

const errorValue = fc
  .record({
    cls: fc.constantFrom(Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError),
    message: fc.string(),
    props: fc.dictionary(fc.string().filter((k) => k !== '__proto__' && k !== 'stack'), base, { maxKeys: 3 }),
    cause: fc.option(base, { nil: undefined }),
    hasCause: fc.boolean(),
  })
  .map(({ cls, message, props, cause, hasCause }) => {
    const e = hasCause ? new cls(message, { cause }) : new cls(message);
    Object.assign(e, props);
    return e;
  });

// ---------------------------------------------------------------------------------------------

describe('wire format: round trips', () => {
  it('decode(encode(v)) is structurally identical to v for arbitrary values', () => {
    fc.assert(
      fc.property(base, (v) => {
        const back = decode(encode(v));
        const mismatch = sameGraph(v, back);
        if (mismatch) throw new Error(mismatch);
        // A second opinion from node's own strict comparison (which calls two invalid Dates
        // unequal, so those are left to sameGraph).
        if (!hasInvalidDate(v) && !isDeepStrictEqual(back, v)) throw new Error('isDeepStrictEqual disagrees');
      }),
      { numRuns: 400 },
    );
  });

  it('keeps shared references and cycles (the graphs are isomorphic)', () => {
    fc.assert(
      fc.property(aliased, (v) => {
        const mismatch = sameGraph(v, decode(encode(v)));
        if (mismatch) throw new Error(mismatch);
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic and canonical: same input, same text; re-encoding the decoded value gives it again', () => {
    fc.assert(
      fc.property(fc.oneof(aliased, errorValue), (v) => {
        const text = encode(v);
        expect(encode(v)).toBe(text);
        expect(encode(decode(text))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips errors with their class, message, cause and own props', () => {
    fc.assert(
      fc.property(errorValue, (e) => {
        const back = decode(encode(e)) as Error;
        expect(back).toBeInstanceOf(e.constructor as ErrorConstructor);
        expect(Object.getPrototypeOf(back)).toBe(Object.getPrototypeOf(e));
        const mismatch = sameGraph(e, back);
        if (mismatch) throw new Error(mismatch);
      }),
      { numRuns: 200 },
    );
  });

  it('covers the named edge cases', () => {
    const hole = [1, , 3];
    const back = expectRoundTrip({
      undef: undefined,
      hole,
      nums: [NaN, -0, Infinity, -Infinity],
      big: -(2n ** 70n),
      date: new Date(Date.UTC(2026, 0, 2)),
      invalidDate: new Date(NaN),
      re: /a(b)?/gimsuy,
      map: new Map<unknown, unknown>([[{ k: 1 }, new Set([1n])]]),
      u8: new Uint8Array([1, 2, 3]),
      i32: new Int32Array([-1, 2 ** 31 - 1]),
      f32: new Float32Array([0.5, NaN]),
      bu64: new BigUint64Array([2n ** 64n - 1n]),
      view: new DataView(new ArrayBuffer(8), 2, 4),
      ab: new Uint8Array([9, 8, 7]).buffer,
      nullProto: Object.assign(Object.create(null) as object, { a: 1 }),
      url: new URL('https://example.com/a?b=1'),
    }) as { undef: unknown; hole: unknown[] };
    expect(Object.hasOwn(back, 'undef')).toBe(true);
    expect(1 in back.hole).toBe(false);
    expect(back.hole.length).toBe(3);
    expect(decode(encode(undefined))).toBeUndefined();
    expect(Object.is(decode(encode(-0)), -0)).toBe(true);
  });

  it('a subarray keeps its window and two views of one buffer still share it', () => {
    const buffer = new ArrayBuffer(8);
    const a = new Uint8Array(buffer, 0, 4);
    const b = new Uint16Array(buffer, 4, 2);
    const back = expectRoundTrip({ a, b }) as { a: Uint8Array; b: Uint16Array };
    expect(back.a.buffer).toBe(back.b.buffer);
    back.a[0] = 7;
    expect(new Uint8Array(back.b.buffer)[0]).toBe(7);
  });

  it('a RegExp keeps its lastIndex (a global regex mid-iteration)', () => {
    const re = /a/g;
    re.exec('xaa');
    const back = expectRoundTrip(re) as RegExp;
    expect(back.lastIndex).toBe(2);
    expect(back.exec('xaa')?.index).toBe(2);
  });
});

describe('wire format: identity', () => {
  it('two live-ins pointing at one object still point at one object', () => {
    const user = { id: 1, tags: ['a'] };
    const call = decodeCall(encodeCall({ segment: 'seg1', liveIns: { a: user, b: user, list: [user] } }));
    expect(call.segment).toBe('seg1');
    expect(call.liveIns.a).toBe(call.liveIns.b);
    expect((call.liveIns.list as unknown[])[0]).toBe(call.liveIns.a);
    expect(call.liveIns.a).not.toBe(user);
  });

  it('a returned value that is also a live-out is one object after the crossing', () => {
    const cart = { items: [] as unknown[] };
    cart.items.push(cart);
    const c = decodeCompletion(encodeCompletion({ kind: 'return', value: cart, liveOuts: { cart, n: 1 } }));
    expect(c.kind).toBe('return');
    if (c.kind !== 'return') return;
    expect(c.value).toBe(c.liveOuts.cart);
    const back = c.value as { items: unknown[] };
    expect(back.items[0]).toBe(back);
  });

  it('cycles through Maps, Sets and Errors', () => {
    const m = new Map<string, unknown>();
    const s = new Set<unknown>([m]);
    m.set('self', m).set('set', s);
    const e = new Error('loop') as Error & { details?: unknown };
    e.details = { e, m };
    const selfCause = new TypeError('own cause');
    (selfCause as { cause?: unknown }).cause = selfCause;
    const back = expectRoundTrip({ m, e, selfCause }) as { m: Map<string, unknown>; e: Error & { details: { e: unknown; m: unknown } }; selfCause: TypeError };
    expect(back.m.get('self')).toBe(back.m);
    expect([...(back.m.get('set') as Set<unknown>)][0]).toBe(back.m);
    expect(back.e.details.e).toBe(back.e);
    expect(back.e.details.m).toBe(back.m);
    expect(back.selfCause.cause).toBe(back.selfCause);
  });
});

describe('wire format: errors', () => {
  it('built-in classes come back as themselves', () => {
    for (const Cls of [Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError]) {
      const back = decode(encode(new Cls('boom'))) as Error;
      expect(back).toBeInstanceOf(Cls);
      expect(back.constructor).toBe(Cls);
      expect(back.name).toBe(Cls.name);
      expect(back.message).toBe('boom');
      expect(Object.keys(back)).toEqual([]);
    }
  });

  it('keeps cause chains, including a cause that is not an Error', () => {
    const e = new Error('outer', { cause: new RangeError('inner', { cause: { code: 42 } }) });
    const back = decode(encode(e)) as Error & { cause: RangeError & { cause: { code: number } } };
    expect(back.cause).toBeInstanceOf(RangeError);
    expect(back.cause.message).toBe('inner');
    expect(back.cause.cause).toEqual({ code: 42 });
    expect(Object.getOwnPropertyDescriptor(back, 'cause')?.enumerable).toBe(false);
    expect('cause' in (decode(encode(new Error('no cause'))) as Error)).toBe(false);
  });

  it('AggregateError keeps its errors; DOMException its name and code', () => {
    const agg = decode(encode(new AggregateError([new TypeError('a'), 'b'], 'many'))) as AggregateError;
    expect(agg).toBeInstanceOf(AggregateError);
    expect(agg.message).toBe('many');
    expect(agg.errors[0]).toBeInstanceOf(TypeError);
    expect(agg.errors[1]).toBe('b');
    const abort = decode(encode(new DOMException('stopped', 'AbortError'))) as DOMException;
    expect(abort).toBeInstanceOf(DOMException);
    expect([abort.name, abort.message, abort.code]).toEqual(['AbortError', 'stopped', 20]);
  });

  it('a custom error class becomes its built-in base with the same name, message and own props', () => {
    class NotFound extends Error {
      status = 404;
      constructor(what: string) {
        super(`${what} not found`);
        this.name = 'NotFound';
      }
    }
    class Conflict extends TypeError {
      override get name(): string {
        return 'Conflict';
      }
      detail = { id: 7 };
    }
    const nf = decode(encode(new NotFound('user'))) as Error & { status: number };
    expect(nf.constructor).toBe(Error);
    expect([nf.name, nf.message, nf.status]).toEqual(['NotFound', 'user not found', 404]);
    expect(Object.keys(nf)).toEqual(['status', 'name']);
    const c = decode(encode(new Conflict('taken'))) as TypeError & { detail: unknown };
    expect(c).toBeInstanceOf(TypeError);
    expect([c.name, c.message]).toEqual(['Conflict', 'taken']);
    expect(c.detail).toEqual({ id: 7 });
    expect(Object.keys(c)).toEqual(['detail']);
  });

  it('a thrown error crosses as a throw completion with its live-outs', () => {
    const err = Object.assign(new RangeError('too big'), { limit: 10n });
    const c = decodeCompletion(encodeCompletion({ kind: 'throw', error: err, liveOuts: { tries: 3 } }));
    expect(c.kind).toBe('throw');
    if (c.kind !== 'throw') return;
    expect(c.error).toBeInstanceOf(RangeError);
    expect((c.error as RangeError & { limit: bigint }).limit).toBe(10n);
    expect(c.liveOuts).toEqual({ tries: 3 });
  });
});

describe('wire format: completions', () => {
  const cases: Completion[] = [
    { kind: 'normal', liveOuts: { a: 1, b: undefined } },
    { kind: 'return', value: undefined, liveOuts: {} },
    { kind: 'return', value: new Map([[1, 2]]), liveOuts: { x: [1, , 2] } },
    { kind: 'break', label: null, liveOuts: {} },
    { kind: 'break', label: 'outer', liveOuts: { i: 3 } },
    { kind: 'continue', label: 'rows', liveOuts: { sum: 10n } },
    { kind: 'throw', error: 'a string', liveOuts: {} },
  ];
  it.each(cases)('round-trips %o', (c) => {
    const back = decodeCompletion(encodeCompletion(c));
    expect(sameGraph(c, back)).toBeNull();
  });

  it('keeps only the fields of the kind, in a canonical order', () => {
    const noisy = { liveOuts: { a: 1 }, extra: () => 1, kind: 'normal' } as unknown as Completion;
    expect(encodeCompletion(noisy)).toBe(encodeCompletion({ kind: 'normal', liveOuts: { a: 1 } }));
  });

  it('rejects payloads it did not write', () => {
    for (const text of ['', 'null', '{}', '[1]', encode({ kind: 'jump', liveOuts: {} }), encode({ kind: 'normal' }), encode({ kind: 'break', liveOuts: {} }), '[["E",1],["Nope"]]']) {
      expect(() => decodeCompletion(text)).toThrow(WireError);
    }
    expect(() => decodeCall(encode({ segment: 1, liveIns: {} }))).toThrow(WireError);
    expect(() => decodeCall(encode({ segment: 's', liveIns: [] }))).toThrow(WireError);
    try {
      decode('{not json');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(WireError);
      expect((err as WireError).reason).toBe('malformed');
    }
  });
});

describe('wire format: values that cannot cross', () => {
  class Account {
    constructor(public id: number) {}
    balance(): number {
      return 0;
    }
  }
  class Registry extends Map<string, number> {}

  const bad: Array<[string, unknown, WireError['reason']]> = [
    ['a function', () => 1, 'function'],
    ['a symbol', Symbol('s'), 'symbol'],
    ['a class instance with methods', new Account(1), 'class-instance'],
    ['a WeakMap', new WeakMap(), 'unsupported'],
    ['a WeakSet', new WeakSet(), 'unsupported'],
    ['a Promise', Promise.resolve(1), 'promise'],
    ['a thenable', { then: () => undefined }, 'promise'],
    ['a Map subclass', new Registry(), 'class-instance'],
    ['a Node Buffer', Buffer.from('hi'), 'class-instance'],
  ];

  it.each(bad)('%s makes encodeCall throw WireError naming its path', (_what, value, reason) => {
    try {
      encodeCall({ segment: 's', liveIns: { user: { name: 'a', callback: value } } });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(WireError);
      expect((err as WireError).path).toBe('liveIns.user.callback');
      expect((err as WireError).reason).toBe(reason);
      expect((err as WireError).message).toContain('liveIns.user.callback');
    }
  });

  it('names paths through arrays, Maps, Sets, odd keys, completions and errors', () => {
    const pathOf = (f: () => unknown): string => {
      try {
        f();
      } catch (err) {
        if (err instanceof WireError) return err.path;
        throw err;
      }
      throw new Error('did not throw');
    };
    const fn = (): void => undefined;
    expect(pathOf(() => encodeCall({ segment: 's', liveIns: { xs: [1, { f: fn }] } }))).toBe('liveIns.xs[1].f');
    expect(pathOf(() => encodeCall({ segment: 's', liveIns: { m: new Map([['k', fn]]) } }))).toBe('liveIns.m.get("k")');
    expect(pathOf(() => encodeCall({ segment: 's', liveIns: { m: new Map([[fn, 1]]) } }))).toBe('liveIns.m.keys()[0]');
    expect(pathOf(() => encodeCall({ segment: 's', liveIns: { s: new Set([1, fn]) } }))).toBe('liveIns.s.values()[1]');
    expect(pathOf(() => encodeCall({ segment: 's', liveIns: { 'a-b': { 'c d': fn } } }))).toBe('liveIns["a-b"]["c d"]');
    expect(pathOf(() => encodeCompletion({ kind: 'return', value: { f: fn }, liveOuts: {} }))).toBe('value.f');
    expect(pathOf(() => encodeCompletion({ kind: 'normal', liveOuts: { x: fn } }))).toBe('liveOuts.x');
    expect(pathOf(() => encodeCompletion({ kind: 'throw', error: new Error('e', { cause: fn }), liveOuts: {} }))).toBe('error.cause');
    expect(pathOf(() => encode([fn]))).toBe('value[0]');
    expect(pathOf(() => encode(fn))).toBe('value');
  });

  it('never silently drops what devalue would drop', () => {
    const match = /(b)/.exec('abc')!; // an array with index/input/groups
    const reasons = [
      match,
      Object.assign([1, 2], { extra: true }),
      Object.assign(new Map(), { note: 'x' }),
      Object.assign(new Date(0), { tz: 'UTC' }),
      { [Symbol('k')]: 1 },
      JSON.parse('{"__proto__": 1}') as unknown,
      (function (this: unknown) {
        // eslint-disable-next-line prefer-rest-params
        return arguments;
      })(),
    ].map((v) => {
      try {
        encode(v);
        return 'encoded';
      } catch (err) {
        return err instanceof WireError ? err.reason : 'other';
      }
    });
    expect(reasons).toEqual(['extra-props', 'extra-props', 'extra-props', 'extra-props', 'symbol-key', 'proto-key', 'unsupported']);
  });

  it('fast-check: a bad value anywhere in a tree is reported at its exact path', () => {
    const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
    const step = fc.oneof(
      fc.record({ kind: fc.constant('prop' as const), key, pad: fc.nat(3) }),
      fc.record({ kind: fc.constant('index' as const), i: fc.nat(4) }),
      fc.record({ kind: fc.constant('map' as const), key: fc.string() }),
    );
    const badValue = fc.constantFrom<unknown>(() => 1, Symbol('x'), new WeakMap(), Promise.resolve(), new (class Thing {})());
    fc.assert(
      fc.property(fc.array(step, { maxLength: 5 }), badValue, fc.string().filter((k) => IDENT.test(k) && k !== '__proto__'), (steps, bad, name) => {
        let value = bad;
        let path = '';
        for (const s of [...steps].reverse()) {
          if (s.kind === 'prop') {
            const obj: Record<string, unknown> = {};
            for (let i = 0; i < s.pad; i++) obj[`pad${i}`] = i;
            Object.defineProperty(obj, s.key, { value, enumerable: true, writable: true, configurable: true });
            value = obj;
            path = (IDENT.test(s.key) ? `.${s.key}` : `[${JSON.stringify(s.key)}]`) + path;
          } else if (s.kind === 'index') {
            const arr: unknown[] = Array.from({ length: s.i }, (_, i) => i);
            arr.push(value);
            value = arr;
            path = `[${s.i}]${path}`;
          } else {
            value = new Map([[s.key, value]]);
            path = `.get(${JSON.stringify(s.key)})${path}`;
          }
        }
        try {
          encodeCall({ segment: 's', liveIns: { [name]: value } });
        } catch (err) {
          if (!(err instanceof WireError)) throw err;
          expect(err.path).toBe(`liveIns.${name}${path}`);
          return;
        }
        throw new Error('encode did not throw');
      }),
      { numRuns: 200 },
    );
  });
});
