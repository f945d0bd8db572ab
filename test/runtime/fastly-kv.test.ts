import { describe, expect, it } from 'vitest';
import { createFastlyKvLoweredModule, type KeyvalueStoreImport } from '../../codegen/lower/index.js';
import { createStopHost } from '../../src/runtime/line/host.js';
import { createFastlyKvShimModule, type FastlyKvModule, type FastlyKVStore } from '../../src/runtime/shims/index.js';
import { openKvStore, VirtualClock, type KvStore } from '../../src/runtime/stores/index.js';

/**
 * fastly:kv-store as programs use it: the Node shim of the original program
 * (src/runtime/shims/fastly-kv.ts, on a store's copy at the running stop) and the guest
 * lowering (codegen/lower/fastly-kv.ts) over the REAL line host's wasi:keyvalue — the same
 * src/presets/calls/fastly-kv.ts module on two backends; the last block runs one script
 * on both and requires the same outcomes and the same store.
 */

function fragments(lagMs = 0): { kv: KvStore; clock: VirtualClock } {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  return { kv: openKvStore({ name: 'fragments', home: 'origin', replicas: ['edge'], lagMs, clock }), clock };
}

const shimAt = (kv: KvStore, stop: string): FastlyKvModule => createFastlyKvShimModule(new Map([['fragments', kv.at(stop)]]));

function loweredAt(kv: KvStore, stop: string): FastlyKvModule {
  const host = createStopHost({ stop, line: ['client', 'edge', 'origin'], stores: { kv: new Map([['fragments', kv]]) }, link: () => ({ ok: false, error: { code: 'unavailable', message: 'no link' } }) });
  return createFastlyKvLoweredModule({ keyvalue: host.imports['wasi:keyvalue/store@0.2.0-draft'] as unknown as KeyvalueStoreImport, stores: ['fragments'] });
}

const rejection = async (p: Promise<unknown>): Promise<Error> => {
  const e = await p.then(() => null, (error: unknown) => error as Error);
  if (e === null) throw new Error('expected a rejection');
  return e;
};

describe('fastly:kv-store shim: what programs rely on', () => {
  it('opens stores by their stopline.yaml name and refuses names that are not one, as the runtime does', () => {
    const { kv } = fragments();
    const { KVStore } = shimAt(kv, 'edge');
    expect(new KVStore('fragments')).toBeInstanceOf(KVStore);
    expect(() => new KVStore('pages')).toThrow("KVStore constructor: No KVStore named 'pages' exists");
    expect(() => new KVStore('')).toThrow(TypeError);
    expect(() => new KVStore('a\nb')).toThrow(TypeError);
  });

  it('gets null for a missing key, an entry whose body reads once, and stores exactly the body when there is no metadata', async () => {
    const { kv } = fragments();
    const store = new (shimAt(kv, 'edge').KVStore)('fragments');
    expect(await store.get('page:/')).toBeNull();
    expect(await store.put('page:/', '<h1>héllo</h1>', { ttl: 300 })).toBeUndefined();
    const entry = (await store.get('page:/'))!;
    expect([entry.bodyUsed, entry.metadata(), entry.metadataText()]).toEqual([false, null, null]);
    expect(await entry.text()).toBe('<h1>héllo</h1>');
    expect(entry.bodyUsed).toBe(true);
    expect(await rejection(entry.text())).toBeInstanceOf(TypeError);
    expect(kv.dump('edge')).toEqual([['page:/', '<h1>héllo</h1>']]);
    await store.put('json', new TextEncoder().encode('{"a":[1]}'));
    expect(await (await store.get('json'))!.json()).toEqual({ a: [1] });
    const bytes = new Uint8Array(await (await store.get('json'))!.arrayBuffer());
    expect(new TextDecoder().decode(bytes)).toBe('{"a":[1]}');
    const streamed = await new Response((await store.get('json'))!.body).text();
    expect(streamed).toBe('{"a":[1]}');
  });

  it('keeps metadata (string or bytes) with the entry, in an envelope only when there is some', async () => {
    const { kv } = fragments();
    const store = new (shimAt(kv, 'edge').KVStore)('fragments');
    await store.put('k', 'body', { metadata: 'v3' });
    const entry = (await store.get('k'))!;
    expect([await entry.text(), entry.metadataText(), [...entry.metadata()!]]).toEqual(['body', 'v3', [118, 51]]);
    await store.put('b', 'x', { metadata: new Uint8Array([0xff]) });
    const invalid = (await store.get('b'))!;
    expect([...invalid.metadata()!]).toEqual([255]);
    expect(() => invalid.metadataText()).toThrow(TypeError);
    expect(kv.dump('edge').find(([k]) => k === 'k')?.[1]).toBe('\0stopline-kv-entry\0{"metadata":"djM="}\0body');
  });

  it("follows the insert modes: add refuses an existing key, append and prepend join the bodies and keep the old metadata", async () => {
    const { kv } = fragments();
    const store = new (shimAt(kv, 'edge').KVStore)('fragments');
    await store.put('log', 'b', { mode: 'add', metadata: 'm' });
    expect((await rejection(store.put('log', 'x', { mode: 'add' }))).message).toContain("already exists (mode 'add')");
    await store.put('log', 'c', { mode: 'append' });
    await store.put('log', 'a', { mode: 'prepend' });
    const entry = (await store.get('log'))!;
    expect([await entry.text(), entry.metadataText()]).toEqual(['abc', 'm']);
    await store.put('log', 'new');
    expect((await store.get('log'))!.metadataText()).toBeNull();
  });

  it('checks keys and the TTL as the runtime does: put throws, get and delete reject; a TTL is validated and nothing expires', async () => {
    const { kv, clock } = fragments();
    const store = new (shimAt(kv, 'edge').KVStore)('fragments');
    for (const key of ['', '.', '..', 'a#b', 'a?b', 'semi;colon', 'line\nbreak', '.well-known/acme-challenge/x', 'x'.repeat(1025)]) {
      expect(() => store.put(key, 'v'), JSON.stringify(key)).toThrow(TypeError);
      expect(await rejection(store.get(key))).toBeInstanceOf(TypeError);
      expect(await rejection(store.delete(key))).toBeInstanceOf(TypeError);
    }
    expect(() => store.put('k', 'v', { ttl: -1 })).toThrow(TypeError);
    await store.put('k', 'v', { ttl: 1 });
    clock.advance(10_000);
    expect(await (await store.get('k'))!.text()).toBe('v');
  });

  it('lists keys by prefix in pages of `limit` with an opaque cursor, and deletes', async () => {
    const { kv } = fragments();
    const store = new (shimAt(kv, 'edge').KVStore)('fragments');
    for (const k of ['page:/b', 'page:/a', 'page:/c', 'other']) await store.put(k, k);
    const first = await store.list({ prefix: 'page:', limit: 2 });
    expect(first.list).toEqual(['page:/a', 'page:/b']);
    const second = await store.list({ prefix: 'page:', limit: 2, cursor: first.cursor! });
    expect(second).toEqual({ list: ['page:/c'], cursor: undefined });
    await store.delete('page:/a');
    expect((await store.list({})).list).toEqual(['other', 'page:/b', 'page:/c']);
    expect(() => store.list(undefined as never)).toThrow(TypeError);
    expect(() => store.list({ limit: 1.5 })).toThrow(TypeError);
  });

  it("reads the copy at the program's stop: an edge write is seen at the edge at once, at the origin after the lag", async () => {
    const { kv, clock } = fragments(50);
    const atEdge = new (shimAt(kv, 'edge').KVStore)('fragments');
    const atOrigin = new (shimAt(kv, 'origin').KVStore)('fragments');
    await atEdge.put('page:/', 'fresh');
    expect(await atOrigin.get('page:/')).toBeNull();
    clock.advance(50);
    expect(await (await atOrigin.get('page:/'))!.text()).toBe('fresh');
  });
});

describe('fastly:kv-store lowering', () => {
  it('turns a bucket error of wasi:keyvalue into a rejection naming it', async () => {
    const failing: KeyvalueStoreImport = {
      open: () => {
        throw Object.assign(new Error('err'), { payload: { tag: 'access-denied' } });
      },
    };
    const store = new (createFastlyKvLoweredModule({ keyvalue: failing, stores: ['fragments'] }).KVStore)('fragments');
    expect((await rejection(store.get('k'))).message).toBe('KVStore.get: access-denied');
  });

  it('agrees with the shim on one script: outcomes and the store it leaves', async () => {
    async function script(store: FastlyKVStore): Promise<unknown[]> {
      const out: unknown[] = [];
      const step = async (p: () => Promise<unknown>): Promise<void> => {
        try {
          const v = await p();
          out.push({ ok: v === null || v === undefined ? null : typeof v === 'object' && 'text' in v ? { text: await (v as { text(): Promise<string> }).text(), metadata: (v as unknown as { metadataText(): string | null }).metadataText() } : v });
        } catch (error) {
          out.push({ error: [(error as Error).name, (error as Error).message] });
        }
      };
      await step(() => store.get('page:v3:/about'));
      await step(() => store.put('page:v3:/', '<p>é</p>', { ttl: 300 }));
      await step(() => store.get('page:v3:/'));
      await step(() => store.put('m', new Uint8Array([0xc3, 0x28]), { metadata: 'bin' }));
      await step(() => store.get('m').then((e) => e?.arrayBuffer()).then((b) => [...new Uint8Array(b!)]));
      await step(() => store.put('page:v3:/', 'x', { mode: 'add' }));
      await step(() => store.put('page:v3:/', '!', { mode: 'append' }));
      await step(() => store.get('page:v3:/'));
      await step(() => store.get('bad#key'));
      await step(() => store.delete('page:v3:/about'));
      await step(() => store.list({ prefix: 'page:' }));
      return out;
    }
    const seed = (kv: KvStore) => kv.seed({ 'page:v3:/about': 'cached' });
    const a = fragments(40);
    const b = fragments(40);
    seed(a.kv);
    seed(b.kv);
    const viaShim = await script(new (shimAt(a.kv, 'edge').KVStore)('fragments'));
    const viaLowering = await script(new (loweredAt(b.kv, 'edge').KVStore)('fragments'));
    expect(viaLowering).toEqual(viaShim);
    expect(viaShim.slice(0, 3)).toEqual([{ ok: { text: 'cached', metadata: null } }, { ok: null }, { ok: { text: '<p>é</p>', metadata: null } }]);
    a.kv.settle();
    b.kv.settle();
    expect(b.kv.dump()).toEqual(a.kv.dump());
    expect(a.kv.dump().map(([k]) => k)).toEqual(['m', 'page:v3:/']);
  });
});
