import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pack } from '../../codegen/lower/link.js';
import { createLinkAuth, LINK_KEY, LINK_KEY_PREVIOUS, type LinkAuth } from '../../codegen/lower/rpc-auth.js';
import { decodeCompletion, encodeCall } from '../../codegen/wire/index.js';
import type { BuiltStop } from '../../src/build/stops.js';
import { ORIGINAL_CLOCK_START } from '../../src/runtime/original/run.js';
import { dumpStores, openConfiguredStores, seedStores } from '../../src/runtime/original/stores.js';
import { openLine, type Line } from '../../src/runtime/line/line.js';
import { storePlacesOf } from '../../src/runtime/line/run-components.js';
import { wasiImports } from '../../src/runtime/line/wasi.js';
import { VirtualClock } from '../../src/runtime/stores/index.js';
import { differentialFixture } from '../helpers/differential.js';
import { repoRoot } from '../helpers/graph.js';

/**
 * Hardened RPC on the shop's REAL components (the differential test's build, cached): the
 * origin's dispatch is called directly, as an attacker on the link would, with sealed
 * envelopes made in Node by the same rpc-auth.ts the guests run. Every refused call gives
 * its typed rpc-error code and leaves the stores exactly as they were: `checkout` for user
 * `dee` (two lines in her cart) would insert an order, reserve stock and delete the cart, so
 * a call that ran any of the program's code would show in the stores. The last test of
 * the first block makes that call legitimately and sees the stores change.
 */

const fixture = differentialFixture('fixtures/shop');
const KEY = 'k1-0123456789abcdef0123456789abcdef';
const KEY_2 = 'k2-fedcba9876543210fedcba9876543210';
const OTHER_KEY = 'kx-00000000000000000000000000000000';
let built: readonly BuiltStop[];
let CHECKOUT: string;
let VIEW_CART: string;

beforeAll(async () => {
  built = await fixture.build();
  const origin = built.find((s) => s.stop === 'origin')!.sources.dispatch;
  CHECKOUT = origin.find((d) => d.segment.startsWith('checkout#'))!.segment;
  VIEW_CART = origin.find((d) => d.segment.startsWith('viewCart#'))!.segment;
}, 600_000);

interface Shop {
  readonly line: Line;
  readonly clock: VirtualClock;
  readonly stores: Awaited<ReturnType<typeof openConfiguredStores>>;
  close(): void;
}

async function openShop(runtimeConfig: Record<string, string>): Promise<Shop> {
  const { config } = fixture;
  const clock = new VirtualClock(ORIGINAL_CLOCK_START);
  const stores = await openConfiguredStores(config, { clock, programClock: clock, lagMs: 0 });
  seedStores(stores, fixture.seedFile!);
  const trusted = new Map(config.line.stops.map((s) => [s.name, s.trusted]));
  const line = await openLine({
    stops: built.flatMap((s) => (s.component ? [{ name: s.stop, wasmPath: s.component.wasmPath, trusted: trusted.get(s.stop) ?? false }] : [])),
    line: config.line.stops.map((s) => s.name),
    runtimeConfig,
    stores: { sql: stores.sql, kv: stores.kv, local: stores.local },
    clock,
    hopLatencyMs: Object.fromEntries(config.line.stops.map((s) => [s.name, s.latencyMs])),
    storePlaces: storePlacesOf(config),
    extraImports: wasiImports(clock),
    cacheDir: path.join(repoRoot, 'test/.tmp/line-transpiled'),
  });
  return {
    line,
    clock,
    stores,
    close() {
      line.close();
      stores.close();
    },
  };
}

/** A sealer as stop `from` with `key`, on the shop's clock (shifted by `skewMs`). */
function sealer(shop: Shop, key: string, from = 'edge', skewMs = 0): LinkAuth {
  return createLinkAuth({ stop: from, keys: () => ({ current: key, previous: undefined }), now: () => shop.clock.now() + skewMs });
}

async function checkoutBody(liveIns?: Record<string, unknown>, segment = CHECKOUT): Promise<string> {
  const request = await pack(new Request('https://shop.example/checkout', { method: 'POST', headers: { 'x-user-id': 'dee' } }), {});
  return encodeCall({ segment, liveIns: liveIns ?? { request } });
}

function refused(shop: Shop, segment: string, payload: string, code: string): void {
  const before = dumpStores(shop.stores);
  const r = shop.line.invoke('origin', segment, payload);
  expect(r.ok ? 'ok' : r.error.code).toBe(code);
  expect(dumpStores(shop.stores)).toEqual(before);
  expect(shop.line.stops.find((s) => s.name === 'origin')!.alive).toBe(true);
}

/** The HTTP status of a successful `checkout` answer. */
function statusOf(value: string): number {
  const c = decodeCompletion(value);
  if (c.kind !== 'return') throw new Error(`completion ${c.kind}`);
  return (c.value as { __stopline_response: { status: number } }).__stopline_response.status;
}

describe('the origin refuses every call that is not the edge calling checkout as generated', () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await openShop({ [LINK_KEY]: KEY });
  }, 600_000);
  afterAll(() => shop.close());

  it('a forged segment id: unknown-segment (own properties only: no constructor, no __proto__)', async () => {
    const auth = sealer(shop, KEY);
    for (const segment of ['checkout#0000000000', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'entry:constructor', 'entry:__proto__', 'entry:checkout']) {
      refused(shop, segment, auth.seal('origin', segment, await checkoutBody(undefined, segment)), 'unknown-segment');
    }
  });

  it('a segment called by a stop not allowed to call it: unauthenticated', async () => {
    // sealed with the right key, but as the origin itself (only the edge calls checkout)
    refused(shop, CHECKOUT, sealer(shop, KEY, 'origin').seal('origin', CHECKOUT, await checkoutBody()), 'unauthenticated');
    // bare, as the client (no key) would send it
    refused(shop, CHECKOUT, await checkoutBody(), 'unauthenticated');
    // through the line from the client
    const before = dumpStores(shop.stores);
    const r = shop.line.cross('client', 'origin', CHECKOUT, await checkoutBody());
    expect(r.ok ? 'ok' : r.error.code).toBe('unauthenticated');
    expect(dumpStores(shop.stores)).toEqual(before);
  });

  it('a tampered body, mac, address or segment: unauthenticated', async () => {
    const sealed = sealer(shop, KEY).seal('origin', CHECKOUT, await checkoutBody());
    const tamperedBody = sealed.replace('dee', 'eve');
    expect(tamperedBody).not.toBe(sealed);
    refused(shop, CHECKOUT, tamperedBody, 'unauthenticated');
    const mac = /"mac":"([0-9a-f]{64})"/.exec(sealed)![1]!;
    refused(shop, CHECKOUT, sealed.replace(mac, `${mac.slice(0, 63)}${mac[63] === '0' ? '1' : '0'}`), 'unauthenticated');
    refused(shop, CHECKOUT, sealed.replace('"to":"origin"', '"to":"edge"'), 'unauthenticated');
    // a valid envelope for one segment replayed on another
    refused(shop, VIEW_CART, sealer(shop, KEY).seal('origin', CHECKOUT, await checkoutBody()), 'unauthenticated');
  });

  it('a call sealed with another key: unauthenticated', async () => {
    refused(shop, CHECKOUT, sealer(shop, OTHER_KEY).seal('origin', CHECKOUT, await checkoutBody()), 'unauthenticated');
  });

  it('an expired or future timestamp: unauthenticated', async () => {
    refused(shop, CHECKOUT, sealer(shop, KEY, 'edge', -31_000).seal('origin', CHECKOUT, await checkoutBody()), 'unauthenticated');
    refused(shop, CHECKOUT, sealer(shop, KEY, 'edge', 31_000).seal('origin', CHECKOUT, await checkoutBody()), 'unauthenticated');
  });

  it('an entry called through a sealed link call: unauthenticated (entries only arrive)', async () => {
    const env = {};
    const args = [await pack(new Request('https://shop.example/checkout', { method: 'POST', headers: { 'x-user-id': 'dee' } }), env), await pack(env, env)];
    const before = dumpStores(shop.stores);
    const r = shop.line.invoke('edge', 'entry:checkout', sealer(shop, KEY, 'origin').seal('edge', 'entry:checkout', encodeCall({ segment: 'entry:checkout', liveIns: { args } })));
    expect(r.ok ? 'ok' : r.error.code).toBe('unauthenticated');
    expect(dumpStores(shop.stores)).toEqual(before);
  });

  it('an oversize payload: bad-payload', async () => {
    const request = await pack(new Request('https://shop.example/checkout', { method: 'POST', headers: { 'x-user-id': 'dee' }, body: 'x'.repeat(1_100_000) }), {});
    refused(shop, CHECKOUT, sealer(shop, KEY).seal('origin', CHECKOUT, encodeCall({ segment: CHECKOUT, liveIns: { request } })), 'bad-payload');
  });

  it('a malformed envelope or encoding: bad-payload', async () => {
    const auth = sealer(shop, KEY);
    refused(shop, CHECKOUT, 'stopline-link/1\n{"from":"edge"\n[]', 'bad-payload');
    refused(shop, CHECKOUT, 'stopline-link/1\n{"from":"edge","to":"origin","segment":"x","ts":"1","nonce":"00","mac":"00"}\n[]', 'bad-payload');
    refused(shop, CHECKOUT, auth.seal('origin', CHECKOUT, 'not the wire format'), 'bad-payload');
    refused(shop, CHECKOUT, auth.seal('origin', CHECKOUT, '[{"v":1},{"segment":2,"liveIns":3},"x",{"__proto__":4},{}]'), 'bad-payload');
    refused(shop, CHECKOUT, auth.seal('origin', CHECKOUT, '[{"v":1},{"segment":2,"liveIns":3},"x",{"request":4},["Function","return 1"]]'), 'bad-payload');
  });

  it('an unknown or missing field: bad-payload', async () => {
    const request = await pack(new Request('https://shop.example/checkout', { method: 'POST', headers: { 'x-user-id': 'dee' } }), {});
    refused(shop, CHECKOUT, sealer(shop, KEY).seal('origin', CHECKOUT, await checkoutBody({ request, extra: 1 })), 'bad-payload');
    refused(shop, CHECKOUT, sealer(shop, KEY).seal('origin', CHECKOUT, await checkoutBody({})), 'bad-payload');
    refused(shop, CHECKOUT, sealer(shop, KEY).seal('origin', CHECKOUT, await checkoutBody({ request, __stopline_handle: 'env' })), 'bad-payload');
  });

  it('a field of the wrong type: bad-payload', async () => {
    const auth = sealer(shop, KEY);
    // checkout's `request: Request` crosses as a packed request
    refused(shop, CHECKOUT, auth.seal('origin', CHECKOUT, await checkoutBody({ request: 42 })), 'bad-payload');
    refused(shop, CHECKOUT, auth.seal('origin', CHECKOUT, await checkoutBody({ request: { __stopline_request: { method: 'POST', url: 7, headers: [], body: null } } })), 'bad-payload');
    // viewCart's `priced: PricedLine[]`
    refused(shop, VIEW_CART, auth.seal('origin', VIEW_CART, encodeCall({ segment: VIEW_CART, liveIns: { cart: { lines: [] }, priced: 'not an array' } })), 'bad-payload');
  });

  it('a value breaking a named interface, at any depth: bad-payload (Cart, CartLine and PricedLine expanded from the checker)', async () => {
    const auth = sealer(shop, KEY);
    const call = (liveIns: Record<string, unknown>): string => auth.seal('origin', VIEW_CART, encodeCall({ segment: VIEW_CART, liveIns }));
    const cart = { userId: 'ada', lines: [{ productId: 1, quantity: 2 }], updatedAt: 0 };
    const line = { productId: 1, name: 'x', quantity: 1, unitCents: 5, subtotalCents: 5 };
    refused(shop, VIEW_CART, call({ cart: { ...cart, lines: [{ productId: 1, quantity: '2' }] }, priced: [] }), 'bad-payload');
    refused(shop, VIEW_CART, call({ cart: { ...cart, lines: [{ productId: 1 }] }, priced: [] }), 'bad-payload');
    refused(shop, VIEW_CART, call({ cart: { userId: 'ada', lines: [] }, priced: [] }), 'bad-payload');
    refused(shop, VIEW_CART, call({ cart: { ...cart, userId: ['ada'] }, priced: [] }), 'bad-payload');
    refused(shop, VIEW_CART, call({ cart, priced: [{ ...line, subtotalCents: 5n }] }), 'bad-payload');
    refused(shop, VIEW_CART, call({ cart: null, priced: [] }), 'bad-payload');
    // conforming values, with a property the interface does not list (types are open): admitted
    const r = shop.line.invoke('origin', VIEW_CART, call({ cart: { ...cart, extra: true }, priced: [line] }));
    expect(r.ok).toBe(true);
  });

  it('the generated call, sealed by the edge with the key, runs: the order is written (the refusals above wrote nothing)', async () => {
    const before = dumpStores(shop.stores);
    const r = shop.line.invoke('origin', CHECKOUT, sealer(shop, KEY).seal('origin', CHECKOUT, await checkoutBody()));
    expect(r.ok ? statusOf(r.value) : r.error).toBe(201);
    expect(dumpStores(shop.stores)).not.toEqual(before);
  });

  it('the same envelope twice (a replay, or a retry after a lost answer): the first answer again, nothing runs again', async () => {
    const sealed = sealer(shop, KEY).seal('origin', CHECKOUT, await checkoutBody({ request: await pack(new Request('https://shop.example/checkout', { method: 'POST', headers: { 'x-user-id': 'fay' } }), {}) }));
    const before = dumpStores(shop.stores);
    const first = shop.line.invoke('origin', CHECKOUT, sealed);
    expect(first.ok ? statusOf(first.value) : first.error).toBe(201);
    const after = dumpStores(shop.stores);
    expect(after).not.toEqual(before);
    // run again, fay's checkout would answer 400 'cart is empty' (her cart is gone)
    const replay = shop.line.invoke('origin', CHECKOUT, sealed);
    expect(replay.ok ? replay.value : replay.error).toBe(first.ok ? first.value : null);
    expect(dumpStores(shop.stores)).toEqual(after);
  });

  it('a replay of an envelope whose first delivery was refused: unauthenticated', async () => {
    const sealed = sealer(shop, KEY).seal('origin', CHECKOUT, await checkoutBody({ request: 42 }));
    refused(shop, CHECKOUT, sealed, 'bad-payload');
    refused(shop, CHECKOUT, sealed, 'unauthenticated');
  });
});

describe('key rotation: sign with the current key, accept the current or the previous', () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await openShop({ [LINK_KEY]: KEY_2, [LINK_KEY_PREVIOUS]: KEY });
  }, 600_000);
  afterAll(() => shop.close());

  it('a call sealed with the previous key is accepted during the rotation, an unknown key is not', async () => {
    refused(shop, CHECKOUT, sealer(shop, OTHER_KEY).seal('origin', CHECKOUT, await checkoutBody()), 'unauthenticated');
    const r = shop.line.invoke('origin', CHECKOUT, sealer(shop, KEY).seal('origin', CHECKOUT, await checkoutBody()));
    expect(r.ok ? statusOf(r.value) : r.error).toBe(201);
  });

  it('the edge seals with the current key: a whole request crosses', async () => {
    const env = {};
    const args = [await pack(new Request('https://shop.example/checkout', { method: 'POST', headers: { 'x-user-id': 'fay' } }), env), await pack(env, env)];
    const r = shop.line.invoke('edge', 'entry:checkout', encodeCall({ segment: 'entry:checkout', liveIns: { args } }));
    expect(r.ok ? statusOf(r.value) : r.error).toBe(201);
    expect(r.trace.filter((t) => t.kind === 'link').map((t) => [t.from, t.to, t.outcome])).toEqual([['edge', 'origin', 'ok']]);
  });
});

describe('a trusted stop without a key', () => {
  let shop: Shop;
  beforeAll(async () => {
    shop = await openShop({ [LINK_KEY]: 'too-short' });
  }, 600_000);
  afterAll(() => shop.close());

  it('refuses every sealed call, and its own calls fail as unauthenticated without reaching the origin', async () => {
    refused(shop, CHECKOUT, sealer(shop, KEY).seal('origin', CHECKOUT, await checkoutBody()), 'unauthenticated');
    const env = {};
    const args = [await pack(new Request('https://shop.example/checkout', { method: 'POST', headers: { 'x-user-id': 'dee' } }), env), await pack(env, env)];
    const before = dumpStores(shop.stores);
    const r = shop.line.invoke('edge', 'entry:checkout', encodeCall({ segment: 'entry:checkout', liveIns: { args } }));
    expect(r.ok).toBe(true);
    const c = decodeCompletion(r.ok ? r.value : '');
    expect(c.kind === 'throw' ? [(c.error as Error).name, (c.error as { code?: string }).code] : c.kind).toEqual(['StoplineRpcError', 'unauthenticated']);
    expect(r.trace.filter((t) => t.kind === 'link')).toEqual([]);
    expect(dumpStores(shop.stores)).toEqual(before);
  });
});
