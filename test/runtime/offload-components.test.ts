import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRuntimeConfig, ORIGINAL_CLOCK_START, type OriginalResult, type RequestCase } from '../../src/runtime/original/index.js';
import { differentialFixture, expectRoundTrips, expectTraceMatchesPlan } from '../helpers/differential.js';
import { GENERATED_PREFIX } from '../helpers/offload-generated.js';

/**
 * The offload fixture's split program on REAL components: `prepareUpload(file, name)`
 * arrives at the client (a call, not an HTTP request: the corpus gives `args` and the
 * page as `dom`), hashes and previews the file there, reads the caption from the page
 * (stopline:line/client-dom) and the draft from web storage (client-local), and — only
 * when no draft can be resumed — crosses to the edge once to sign the upload URL with the
 * deployment's key (wasi:config/store; createHmac lowered on @noble/hashes). Every corpus
 * case must give the original's value or error and the original's `drafts` store, with
 * the round trips its `roundTrips` derived from the plan.
 *
 * Every place this test does not compare byte for byte, and why:
 *
 * TIME: the plan moves `const expiresAt = Date.now() + URL_LIFETIME_MS` to the edge with
 * the signing, so the split program reads the clock one client → edge hop (25 ms on the
 * virtual clock) after the original does: on the signing path `expiresAt` (returned and
 * in the saved draft) is exactly 25 ms later. The signed URL is equal: its `expires` is in
 * whole seconds and the run starts on a whole second. The test adds the hop to the
 * original's `expiresAt` and then compares everything.
 */

/**
 * ENGINE: error messages V8 and SpiderMonkey word differently: the error's name and props
 * are compared, and each message is checked against its engine's wording.
 */
const ENGINE_MESSAGES: Readonly<Record<string, { readonly why: string; readonly original: RegExp; readonly components: RegExp }>> = {
  'prepareUpload/name-that-cannot-be-signed': {
    why: 'encodeURIComponent of a lone surrogate: V8 "URI malformed", SpiderMonkey "malformed URI sequence"',
    original: /^URI malformed$/,
    components: /^malformed URI sequence$/,
  },
};

/** What each hand-written case does, derived by hand from src/upload.ts and the seed (generated cases all sign). */
type Path = 'refused' | 'resumed' | 'signed' | 'thrown at the edge';
const HAND: Readonly<Record<string, { readonly path: Path; readonly caption?: string }>> = {
  'prepareUpload/empty-file': { path: 'refused' },
  'prepareUpload/over-the-limit': { path: 'refused' },
  'prepareUpload/first-upload': { path: 'signed', caption: 'Sunset over the bay' },
  'prepareUpload/resume-valid-draft': { path: 'resumed', caption: 'Draft caption' },
  'prepareUpload/resume-just-inside-the-margin': { path: 'resumed', caption: 'Almost expired' },
  'prepareUpload/stale-at-the-margin': { path: 'signed', caption: 'Old caption' },
  'prepareUpload/expired-draft': { path: 'signed', caption: 'Today' },
  'prepareUpload/changed-file': { path: 'signed', caption: 'Before the edit' },
  'prepareUpload/corrupt-draft-json': { path: 'signed', caption: 'Fresh start' },
  'prepareUpload/draft-of-the-wrong-shape': { path: 'signed', caption: '' },
  'prepareUpload/page-caption-over-draft': { path: 'resumed', caption: 'Typed just now' },
  'prepareUpload/no-caption-anywhere': { path: 'signed', caption: '' },
  'prepareUpload/caption-field-found-by-id-among-others': { path: 'signed', caption: 'Right field' },
  'prepareUpload/name-that-cannot-be-signed': { path: 'thrown at the edge' },
};

const URL_LIFETIME_MS = 15 * 60 * 1000;
const PREFIX = 'upload-draft:';

const fixture = differentialFixture('fixtures/offload');
const key = loadRuntimeConfig(fixture.dir)['UPLOAD_SIGNING_KEY']!;
const hopMs = fixture.plan.line.stops.find((s) => s.name === 'edge')!.latencyMs;

function pathOf(c: RequestCase): Path {
  if (c.name.startsWith(GENERATED_PREFIX)) return 'signed';
  const hand = HAND[c.name];
  if (hand === undefined) throw new Error(`no hand-derived path for ${c.name}`);
  return hand.path;
}

/** The URL the edge must sign, computed here independently with node:crypto. */
function signedUrl(name: string, sum: string, expiresAt: number): string {
  const p = `/v1/uploads/${encodeURIComponent(name)}`;
  const expires = Math.floor(expiresAt / 1000);
  const signature = createHmac('sha256', key).update(`PUT\n${p}\n${sum}\n${expires}`).digest('hex');
  return `https://uploads.example.com${p}?${new URLSearchParams({ checksum: sum, expires: String(expires), signature }).toString()}`;
}

/** The original's result with the clock read one hop later at the edge (TIME above): `expiresAt` returned and in the draft. */
function readAtTheEdge(original: OriginalResult, client: string, name: string): OriginalResult {
  const value = original.value as Record<string, unknown>;
  const drafts = (original.stores.local['drafts'] ?? []).map((c) =>
    c.client !== client
      ? c
      : {
          ...c,
          entries: c.entries.map(([k, v]): [string, typeof v] => {
            if (k !== PREFIX + name || typeof v !== 'string') return [k, v];
            const draft = JSON.parse(v) as { expiresAt: number };
            return [k, JSON.stringify({ ...draft, expiresAt: draft.expiresAt + hopMs })];
          }),
        },
  );
  const stores = { ...original.stores, local: { ...original.stores.local, drafts } };
  return { ...original, value: { ...value, expiresAt: (value['expiresAt'] as number) + hopMs }, stores };
}

const byKey = (entries: [string, unknown][]): [string, unknown][] => [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
const draftsOf = (r: OriginalResult, client: string): [string, unknown][] => byKey((r.stores.local['drafts']?.find((c) => c.client === client)?.entries ?? []) as [string, unknown][]);
const seed = JSON.parse(fs.readFileSync(path.join(fixture.dir, 'seed.json'), 'utf8')) as { local: { drafts: Record<string, Record<string, string>> } };
const seededDrafts = (client: string): [string, unknown][] => byKey(Object.entries(seed.local.drafts[client] ?? {}));

beforeAll(() => fixture.build(), 900_000);

describe('the split offload on real components behaves as the original', () => {
  it('lists every hand-written case and no engine difference for a case the corpus lacks', () => {
    const names = new Set(fixture.corpus.map((c) => c.name));
    for (const name of [...Object.keys(HAND), ...Object.keys(ENGINE_MESSAGES)]) expect(names.has(name), name).toBe(true);
    for (const c of fixture.corpus) expect(() => pathOf(c), c.name).not.toThrow();
  });

  it('builds the client (the entry, hashing, the page and the drafts) and the edge (the signing); the origin serves nothing', async () => {
    const stops = await fixture.build();
    expect(stops.map((s) => [s.stop, s.component !== null])).toEqual([['client', true], ['edge', true], ['origin', false]]);
    const [client, edge] = stops;
    expect(client!.bundle!.world).toBe('client');
    expect(edge!.bundle!.world).toBe('server');
    expect(client!.bundle!.imports).toEqual(['stopline:line/client-dom@0.1.0', 'stopline:line/client-local@0.1.0', 'stopline:line/link@0.1.0']);
    expect(edge!.bundle!.imports).toContain('wasi:config/store@0.2.0-draft');
  });

  it('the signing key is in no bundle and no component; the client cannot even name it', async () => {
    const stops = await fixture.build();
    expect(key.length).toBeGreaterThan(16);
    for (const s of stops) {
      if (!s.component) continue;
      expect(s.bundle!.js.includes(key), `${s.stop} bundle`).toBe(false);
      expect(fs.readFileSync(s.component.wasmPath).includes(Buffer.from(key)), `${s.stop} component`).toBe(false);
    }
    const client = stops.find((s) => s.stop === 'client')!;
    // The signing code is not in the client's bundle, and the client world has no configuration to read.
    expect(client.bundle!.js).not.toContain('UPLOAD_SIGNING_KEY');
    expect(client.bundle!.js).not.toContain('createHmac');
    expect(client.bundle!.imports).not.toContain('wasi:config/store@0.2.0-draft');
    expect(fs.readFileSync(path.join(fixture.dir, 'src/sign.ts'), 'utf8')).toContain('process.env.UPLOAD_SIGNING_KEY');
  });

  it.each(fixture.cases())('%s', async (name, c) => {
    const { original, components, result: raw } = await fixture.run(c);
    const client = c.client ?? 'client';
    const fileName = (c.args?.[1] ?? '') as string;
    const path_ = pathOf(c);
    let result = raw;

    const engine = ENGINE_MESSAGES[name];
    if (engine) {
      expect(original.error?.message).toMatch(engine.original);
      expect(result.error?.message).toMatch(engine.components);
      result = { ...result, error: { ...result.error!, message: original.error!.message } };
    }
    expect(result).toEqual(path_ === 'signed' ? readAtTheEdge(original, client, fileName) : original);

    // The path the case takes, checked on the original's result against the hand derivation.
    const value = original.value as { uploadUrl: string; checksum: string; caption: string; expiresAt: number } | undefined;
    const before = seededDrafts(client);
    switch (path_) {
      case 'refused':
        expect(original.error).toEqual({ name: 'RangeError', message: 'file must be between 1 byte and 26214400 bytes', props: {} });
        break;
      case 'thrown at the edge':
        expect(original.error?.name).toBe('URIError');
        expect(draftsOf(original, client)).toEqual(before);
        break;
      case 'resumed': {
        const draft = JSON.parse(draftsOf(original, client).find(([k]) => k === PREFIX + fileName)![1] as string) as { uploadUrl: string; expiresAt: number };
        expect(value).toMatchObject({ uploadUrl: draft.uploadUrl, expiresAt: draft.expiresAt, caption: HAND[name]!.caption });
        expect(draftsOf(original, client)).toEqual(before);
        break;
      }
      case 'signed': {
        const expiresAt = ORIGINAL_CLOCK_START + URL_LIFETIME_MS;
        expect(value!.expiresAt).toBe(expiresAt);
        expect(value!.uploadUrl).toBe(signedUrl(fileName, value!.checksum, expiresAt));
        if (HAND[name]?.caption !== undefined) expect(value!.caption).toBe(HAND[name]!.caption);
        const saved = JSON.parse(draftsOf(original, client).find(([k]) => k === PREFIX + fileName)![1] as string) as unknown;
        expect(saved).toEqual({ name: fileName, checksum: value!.checksum, caption: value!.caption, uploadUrl: value!.uploadUrl, expiresAt });
        break;
      }
    }

    // Every crossing is the plan's one cut (the signing), and the round trips are the case's.
    expectTraceMatchesPlan(fixture.plan, c.entry, components);
    expect(c.roundTrips).toBeDefined();
    expectRoundTrips(fixture.plan, components, c.roundTrips!);
    expect(components.trace.every((x) => x.kind === 'link' && x.from === 'client' && x.to === 'edge')).toBe(true);
    expect(components.virtualMs).toBe((c.roundTrips!['client-edge'] ?? 0) * 2 * hopMs);
  });
});
