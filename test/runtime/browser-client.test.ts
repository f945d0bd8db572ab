import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode } from '../../codegen/wire/index.js';
import { emitBrowserClient } from '../../src/build/browser-client.js';
import type { LinkMode } from '../../src/runtime/browser/host.js';
import { errorOf, jsonOf } from '../../src/runtime/original/run.js';
import { loadRuntimeConfig, ORIGINAL_CLOCK_START, type RequestCase } from '../../src/runtime/original/index.js';
import { linkEndpoint } from '../../src/runtime/line/link-endpoint.js';
import { openLine, type Line } from '../../src/runtime/line/line.js';
import { wasiImports } from '../../src/runtime/line/wasi.js';
import { VirtualClock } from '../../src/runtime/stores/index.js';
import type { ComponentsResult } from '../../src/runtime/line/run-components.js';
import { layOutPage, serveFolder, type TestServer } from '../helpers/browser-page.js';
import { differentialFixture } from '../helpers/differential.js';
import { repoRoot } from '../helpers/graph.js';
import { launchChromium } from '../report/chromium.js';

/**
 * The client stop's component in a real browser (Debian's Chromium): emitted for browsers
 * (src/build/browser-client.ts: jco transpile + the browser host of
 * src/runtime/browser/host.ts bundled as stopline-client.js), loaded by a page from a
 * loopback server, run on the page's own DOM and localStorage, and compared with the same
 * component run in Node on the local line (runOnComponents, the simulated page and the
 * embedded web storage): the same value or error, and the same storage afterwards.
 *
 * Both ways of carrying the guest's synchronous `link.call` are built and run: `sync`
 * (a synchronous XMLHttpRequest) and `jspi` (jco's JSPI transpilation: `link.call` a
 * suspending import over `fetch`, `dispatch.invoke` a promising export).
 */
const MODES: readonly LinkMode[] = ['sync', 'jspi'];
const root = path.join(repoRoot, 'test/.tmp/browser-client');

let browser: Browser;
const servers: TestServer[] = [];

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  for (const s of servers) await s.close();
});

interface PageOutcome {
  readonly value?: unknown;
  readonly error?: unknown;
  /** localStorage afterwards, in key order */
  readonly storage: [string, string][];
  readonly problems: string[];
}

/** Runs one call-style case in a fresh page: its simulated page laid out as real elements, localStorage seeded, the entry called. */
async function runInPage(server: TestServer, mode: LinkMode, c: RequestCase, seed: Readonly<Record<string, string>>, now: number): Promise<PageOutcome> {
  const page: Page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${String(e)}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  try {
    await page.goto(`${server.url}/`);
    await layOutPage(page, c.dom ?? []);
    const answer = (await page.evaluate(`(async () => {
      localStorage.clear();
      for (const [k, v] of Object.entries(${JSON.stringify(seed)})) localStorage.setItem(k, v);
      const m = await import('/${mode}/stopline-client.js');
      const client = await m.loadClient({ linkUrl: '/link', now: () => ${now} });
      // The corpus's JSON forms of arguments decoded in the page (a 25 MiB { filled } is not shipped as text).
      const decodeArg = (v) => Array.isArray(v) ? v.map(decodeArg)
        : v !== null && typeof v === 'object' && Object.keys(v).length === 1 && typeof v.base64 === 'string' ? Uint8Array.from(atob(v.base64), (ch) => ch.charCodeAt(0))
        : v !== null && typeof v === 'object' && Object.keys(v).length === 1 && v.filled ? new Uint8Array(v.filled.length).fill(v.filled.byte)
        : v;
      const args = ${JSON.stringify(c.args ?? [])}.map(decodeArg);
      let out;
      try { out = { value: m.encode(await client.call(${JSON.stringify(c.entry)}, args)) }; } catch (e) { out = { error: m.encode(e) }; }
      const keys = []; for (let i = 0; i < localStorage.length; i++) keys.push(localStorage.key(i));
      out.storage = keys.sort().map((k) => [k, localStorage.getItem(k)]);
      return out;
    })()`)) as { value?: string; error?: string; storage: [string, string][] };
    return {
      ...(answer.value !== undefined ? { value: jsonOf(decode(answer.value)) } : {}),
      ...(answer.error !== undefined ? { error: errorOf(decode(answer.error)) } : {}),
      storage: answer.storage,
      problems,
    };
  } finally {
    await page.close();
  }
}

/** The Node run's outcome in the page's terms: value or error, and the client's web storage in key order. */
function nodeOutcome(components: ComponentsResult, store: string, client: string): Omit<PageOutcome, 'problems'> {
  const entries = components.stores.local[store]?.find((c) => c.client === client)?.entries ?? [];
  return {
    ...(components.error ? { error: components.error } : { value: components.value }),
    storage: [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) as [string, string][],
  };
}

describe('a client entry reading the page, in Chromium', () => {
  const fixture = differentialFixture('test/cases/runtime/client-page', { seed: null });
  let server: TestServer;

  beforeAll(async () => {
    const client = (await fixture.build()).find((s) => s.stop === 'client')!.component!;
    const out = path.join(root, 'client-page');
    fs.rmSync(out, { recursive: true, force: true });
    for (const mode of MODES) await emitBrowserClient({ wasmPath: client.wasmPath, outDir: path.join(out, mode), mode });
    server = await serveFolder(out);
    servers.push(server);
  }, 600_000);

  /**
   * The page is a real DOM here, not the simulated one: a selector the simulated page
   * refuses (only tag, #id, tag#id) is answered by the browser. That case is compared with
   * what the browser's DOM gives (nothing matches: no <div> holds #name).
   */
  const REAL_DOM_ANSWERS: Readonly<Record<string, unknown>> = {
    'readPage/selector-beyond-the-simulated-page': { found: false, value: null, text: null, byId: 'Upload', visits: 1 },
  };

  for (const mode of MODES) {
    it.each(fixture.cases())(`${mode}: %s`, async (name, c) => {
      const { components } = await fixture.run(c);
      const inPage = await runInPage(server, mode, c, {}, Date.UTC(2026, 0, 1));
      expect(inPage.problems).toEqual([]);
      const node = nodeOutcome(components, 'prefs', c.client ?? 'client');
      const real = REAL_DOM_ANSWERS[name];
      if (real !== undefined) {
        expect((node.error as { name?: string } | undefined)?.name).toBe('TypeError');
        expect({ value: inPage.value, storage: inPage.storage }).toEqual({ value: real, storage: [['visits', '1']] });
        return;
      }
      const { problems: _problems, ...outcome } = inPage;
      expect(outcome).toEqual(node);
    });
  }
});

describe('the offload client in Chromium, signing at the edge on a Node line', () => {
  const fixture = differentialFixture('fixtures/offload');
  const seed = JSON.parse(fs.readFileSync(path.join(fixture.dir, 'seed.json'), 'utf8')) as { local: { drafts: Record<string, Record<string, string>> } };
  let server: TestServer;
  let edgeWasm: string;
  /** The edge of the case running now: a fresh line (instance, virtual clock at the original's start) per case. */
  let current: Line | null = null;

  beforeAll(async () => {
    const stops = await fixture.build();
    const client = stops.find((s) => s.stop === 'client')!.component!;
    edgeWasm = stops.find((s) => s.stop === 'edge')!.component!.wasmPath;
    const out = path.join(root, 'offload');
    fs.rmSync(out, { recursive: true, force: true });
    for (const mode of MODES) await emitBrowserClient({ wasmPath: client.wasmPath, outDir: path.join(out, mode), mode });
    server = await serveFolder(out, (req, res) => {
      if (current === null) {
        res.writeHead(503);
        res.end('{"code":"unavailable","message":"no line"}');
        return;
      }
      linkEndpoint(current)(req, res);
    });
    servers.push(server);
  }, 900_000);

  async function edgeLine(): Promise<Line> {
    const clock = new VirtualClock(ORIGINAL_CLOCK_START);
    return openLine({
      stops: [{ name: 'edge', wasmPath: edgeWasm, trusted: true }],
      line: fixture.config.line.stops.map((s) => s.name),
      stores: {},
      clock,
      hopLatencyMs: Object.fromEntries(fixture.config.line.stops.map((s) => [s.name, s.latencyMs])),
      runtimeConfig: loadRuntimeConfig(fixture.dir),
      extraImports: wasiImports(clock),
      cacheDir: path.join(repoRoot, 'test/.tmp/line-transpiled'),
    });
  }

  for (const mode of MODES) {
    it.each(fixture.cases())(`${mode}: %s`, async (_name, c) => {
      const { components } = await fixture.run(c);
      const client = c.client ?? 'client';
      current = await edgeLine();
      let inPage: PageOutcome;
      try {
        inPage = await runInPage(server, mode, c, seed.local.drafts[client] ?? {}, ORIGINAL_CLOCK_START);
        // The edge saw exactly the crossings of the Node run: the signing, or nothing.
        expect(current.trace.map((x) => [x.kind, x.from, x.to, x.segment])).toEqual(components.trace.map((x) => [x.kind, x.from, x.to, x.segment]));
      } finally {
        current.close();
        current = null;
      }
      expect(inPage.problems.filter((p) => !/Synchronous XMLHttpRequest on the main thread is deprecated/.test(p))).toEqual([]);
      const { problems: _problems, ...outcome } = inPage;
      expect(outcome).toEqual(nodeOutcome(components, 'drafts', client));
    });
  }
});
