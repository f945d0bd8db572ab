import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cut, PlacedSegment, Plan } from '../../src/ir/index.js';
import { planDirectory } from '../../src/plan-project.js';
import { MAX_DRAWN_SEGMENTS } from '../../src/report/html/lanes.js';
import { planHtml } from '../../src/report/plan-html.js';
import { launchChromium } from './chromium.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const tmp = path.join(repoRoot, 'test/.tmp');

/** The plan of a project and the text of every file its entries and segments name. */
function planWithSources(dir: string): { plan: Plan; sources: Map<string, string> } {
  const root = path.join(repoRoot, dir);
  const { plan } = planDirectory(root);
  if (plan === null) throw new Error(`${dir} did not plan`);
  const sources = new Map<string, string>();
  for (const x of [...plan.entries, ...plan.segments]) if (!sources.has(x.file)) sources.set(x.file, fs.readFileSync(path.join(root, x.file), 'utf8'));
  return { plan, sources };
}

let shop: Plan;
let html: string;
let unsatHtml: string;
let browser: Browser;
let page: Page;
let pageUrl: string;
const consoleErrors: string[] = [];
const pageErrors: string[] = [];
const requests: string[] = [];

beforeAll(async () => {
  const s = planWithSources('fixtures/shop');
  shop = s.plan;
  html = planHtml(shop, s.sources, { title: 'shop <plan> & "co"' });
  const u = planWithSources('test/cases/planner/unsatisfiable');
  unsatHtml = planHtml(u.plan, u.sources);
  fs.mkdirSync(tmp, { recursive: true });
  const file = path.join(tmp, 'report-shop.html');
  fs.writeFileSync(file, html);
  pageUrl = pathToFileURL(file).href;

  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pageUrl, { waitUntil: 'load' });
});

afterAll(async () => {
  await browser?.close();
});

const entryNames = (): string[] => shop.entries.map((e) => e.name);
const section = (name: string): string => `section.entry[data-entry="${name}"]`;

function loopOfViewCart(): { id: string; line: number } {
  const loop = shop.segments.find((s) => s.entry === 'viewCart' && s.kind === 'loop' && s.file === 'src/handlers.ts' && s.start.line === 16);
  if (!loop) throw new Error('the viewCart loop at src/handlers.ts:16 is not in the plan');
  return { id: loop.id, line: loop.start.line };
}

describe('planHtml in headless Chromium (shop)', () => {
  it('loads without console errors, page errors or requests leaving the page', () => {
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(requests.filter((u) => u !== pageUrl)).toEqual([]);
  });

  it('is one self-contained file: inline style and script, no external URLs', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<link\b|<script[^>]+src=|<img\b|@import|url\((?!#)/);
    expect(html.match(/https?:\/\/[^"'\s<)]+/g) ?? []).toEqual(['http://www.w3.org/2000/svg', 'http://www.w3.org/2000/svg', 'http://www.w3.org/2000/svg']);
    expect(html).toContain('<title>shop &lt;plan&gt; &amp; &quot;co&quot;</title>');
    expect(planHtml(shop, new Map(), {})).not.toMatch(/\d{4}-\d\d-\d\dT/);
  });

  it('draws one lane per stop, in line order, in every entry picture', async () => {
    const stops = shop.line.stops.map((s) => s.name);
    for (const name of entryNames()) {
      const lanes = await page.locator(`${section(name)} svg.line-picture g.lane`).evaluateAll((els) => els.map((e) => e.getAttribute('data-stop')));
      expect(lanes, name).toEqual(stops);
      const labels = await page.locator(`${section(name)} svg.line-picture g.lane > text.lane-label`).allTextContents();
      expect(labels, name).toEqual(stops);
    }
  });

  it('draws one arrow per cut, from the cut’s stop to its stop', async () => {
    for (const name of entryNames()) {
      const cuts = shop.cuts.filter((c) => c.entry === name);
      const drawn = await page.locator(`${section(name)} svg g.cut`).evaluateAll((els) =>
        els.map((e) => ({ from: e.getAttribute('data-from'), to: e.getAttribute('data-to'), child: e.getAttribute('data-child'), hasArrow: e.querySelector('path[marker-end]') !== null })),
      );
      expect(drawn, name).toEqual(cuts.map((c) => ({ from: c.from, to: c.to, child: c.child, hasArrow: true })));
    }
    expect(await page.locator('svg g.cut').count()).toBe(shop.cuts.length);
  });

  it('draws every segment as a box in its stop’s lane, in pre-order along x', async () => {
    for (const name of entryNames()) {
      const segs = shop.segments.filter((s) => s.entry === name);
      const boxes = await page.locator(`${section(name)} rect.segment`).evaluateAll((els) =>
        els.map((e) => ({ id: e.getAttribute('data-segment'), lane: e.closest('g.lane')?.getAttribute('data-stop'), x: Number(e.getAttribute('x')) })),
      );
      expect(boxes.length, name).toBe(segs.length);
      const byId = new Map(boxes.map((b) => [b.id, b]));
      for (const s of segs) expect(byId.get(s.id)?.lane, s.id).toBe(s.stop);
      const xs = segs.map((s) => byId.get(s.id)!.x);
      expect(xs, name).toEqual([...xs].sort((a, b) => a - b));
    }
    const loop = loopOfViewCart();
    expect(await page.locator(`${section('viewCart')} g.lane[data-stop="origin"] rect.segment[data-segment="${loop.id}"]`).count()).toBe(1);
  });

  it('colours each source line by the stop of the innermost segment covering it', async () => {
    const origin = shop.line.stops.findIndex((s) => s.name === 'origin');
    const edge = shop.line.stops.findIndex((s) => s.name === 'edge');
    const line = (n: number) => page.locator(`${section('viewCart')} .file`).filter({ hasText: 'src/handlers.ts' }).locator('.ln').filter({ has: page.locator('.no', { hasText: new RegExp(`^${n}$`) }) });
    const loop = line(loopOfViewCart().line);
    await expect.poll(() => loop.getAttribute('class')).toContain(`stop-${origin}`);
    expect(await loop.getAttribute('data-stop')).toBe('origin');
    expect(await line(18).getAttribute('class')).toContain(`stop-${origin}`); // inside the loop
    const head = line(9);
    expect(await head.getAttribute('class')).toContain(`stop-${edge}`);
    const bg = (l: ReturnType<typeof line>) => l.evaluate((e) => (globalThis as unknown as { getComputedStyle(x: unknown): { backgroundColor: string } }).getComputedStyle(e).backgroundColor);
    expect(await bg(loop)).not.toBe(await bg(head));
    // The legend names the colour class of every stop.
    const legend = await page.locator('ul.legend li[data-stop]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-stop'), e.className]));
    expect(legend).toEqual(shop.line.stops.map((s, i) => [s.name, `stop-${i}`]));
    // checkout: the whole handler runs at the origin.
    const checkoutLines = await page.locator(`${section('checkout')} .ln[data-stop]`).evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-stop')))]);
    expect(checkoutLines).toEqual(['origin']);
  });

  it('shows a segment’s reasons when hovering its box or its source line', async () => {
    const loop = loopOfViewCart();
    const reasons = shop.segments.find((s) => s.id === loop.id)!.reasons;
    expect(reasons.length).toBeGreaterThan(0);
    const tip = page.locator('#sl-tip');
    await page.locator(`rect.segment[data-segment="${loop.id}"]`).hover();
    await expect.poll(() => tip.isVisible()).toBe(true);
    const text = await tip.innerText();
    expect(text).toContain('for (const line of cart.lines)');
    expect(text).toMatch(/SL41\d\d/);
    for (const r of reasons) expect(text).toContain(r.message);
    // The source lines of the same segment light up with it.
    const lit = await page.locator(`${section('viewCart')} .ln.hl`).evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-line'))));
    expect(lit).toEqual(Array.from({ length: 11 }, (_, i) => 16 + i)); // the loop, 16–26
    expect(await page.locator(`rect.segment.hl`).evaluateAll((els) => els.map((e) => e.getAttribute('data-segment')))).toEqual([loop.id]);

    await page.mouse.move(0, 0);
    // Line 16 (`for (…) {`) belongs to the loop itself, not to the body block opening at its `{`.
    await page.locator(`${section('viewCart')} .ln[data-line="16"][data-segment="${loop.id}"] .tx`).hover();
    await expect.poll(() => tip.innerText()).toContain(reasons[0]!.message);
  });

  it('shows the summary numbers', async () => {
    const vc = shop.entries.find((e) => e.name === 'viewCart')!;
    const table = await page.locator(`${section('viewCart')} table.numbers`).innerText();
    expect(table).toContain('RT client-edge');
    expect(table).toContain('RT edge-origin');
    expect(table).toMatch(/everything at the arrival stop\s+edge/);
    expect(table).toMatch(/best single stop\s+origin/);
    expect(vc.latencyMs).not.toBeNull();
  });

  it('takes a screenshot', async () => {
    const shot = path.join(tmp, 'report-shop.png');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: shot, fullPage: true });
    const png = fs.readFileSync(shot);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBeGreaterThan(500); // width
    expect(png.readUInt32BE(20)).toBeGreaterThan(500); // height
    expect(png.length).toBeGreaterThan(20_000);
  });
});

describe('planHtml text', () => {
  it('escapes labels and source code', () => {
    // widget.ts returns `<b>${tag}</b>`: it must appear as text, never as markup.
    expect(unsatHtml).toContain('return `&lt;b&gt;${tag}&lt;/b&gt;`;');
    expect(unsatHtml).not.toContain('<b>${tag}</b>');
    const tricky: Plan = { ...shop, segments: shop.segments.map((s) => (s.kind === 'loop' ? { ...s, label: '</script><img src=x onerror=alert(1)> & "q"' } : s)) };
    const out = planHtml(tricky, new Map());
    expect(out).not.toContain('<img');
    expect(out).not.toMatch(/<\/script><img/);
    expect(out).toContain('&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot;');
  });

  it('shows an unsatisfiable entry and its unplaced segments', () => {
    expect(unsatHtml).toMatch(/<section class="entry" id="entry-\d" data-entry="render">[\s\S]*?<span class="tag bad">unsatisfiable<\/span>/);
    expect(unsatHtml).toContain('rect class="segment unplaced"');
    expect(unsatHtml).toContain('<code>SL4001</code>');
  });

  it('folds deep segments of a large entry into their ancestors, keeping every cut drawn', () => {
    const base = shop.segments.find((s) => s.entry === 'viewCart' && s.parent === null)!;
    const seg = (id: string, parent: string | null, stop: string, line: number): PlacedSegment => ({
      ...base, id: `big#${id}`, entry: 'big', parent: parent === null ? null : `big#${parent}`, stop, label: `statement ${id}`, start: { line, column: 3 }, end: { line, column: 20 },
    });
    const segments: PlacedSegment[] = [seg('root', null, 'edge', 1)];
    for (let i = 0; i < 30; i++) {
      segments.push(seg(`s${i}`, 'root', 'edge', 2 + i));
      for (let j = 0; j < 12; j++) segments.push(seg(`s${i}.${j}`, `s${i}`, i === 29 && j === 11 ? 'origin' : 'edge', 2 + i));
    }
    const cut: Cut = { entry: 'big', parent: 'big#s29', child: 'big#s29.11', run: ['big#s29.11'], from: 'edge', to: 'origin', count: 1, payload: ['x'], handles: [], bytes: 10, costMs: 140 };
    const vc = shop.entries.find((e) => e.name === 'viewCart')!;
    const big: Plan = { ...shop, entries: [{ ...vc, name: 'big' }], segments, cuts: [cut] };
    const out = planHtml(big, new Map());
    const rects = out.match(/<rect class="segment[^"]*" data-segment="big#[^"]+"/g) ?? [];
    expect(segments.length).toBeGreaterThan(MAX_DRAWN_SEGMENTS);
    expect(rects.length).toBeLessThanOrEqual(MAX_DRAWN_SEGMENTS);
    expect(out).toContain('data-segment="big#s29.11"');
    expect(out.match(/<g class="cut"/g)).toHaveLength(1);
    expect(out).toMatch(/\d+ deeper segments not drawn/);
  });

  it('is deterministic', () => {
    const s = planWithSourcesCached();
    expect(planHtml(shop, s)).toBe(planHtml(structuredClone(shop), new Map(s)));
  });
});

function planWithSourcesCached(): Map<string, string> {
  const sources = new Map<string, string>();
  for (const x of shop.segments) if (!sources.has(x.file)) sources.set(x.file, fs.readFileSync(path.join(repoRoot, 'fixtures/shop', x.file), 'utf8'));
  return sources;
}
