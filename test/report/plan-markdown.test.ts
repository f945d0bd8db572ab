import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Cut, Diagnostic, PlacedSegment, Plan, PlannedEntry } from '../../src/ir/index.js';
import { planDirectory } from '../../src/plan-project.js';
import { formatCount, formatMs, formatRatio } from '../../src/report/html/format.js';
import { MARKDOWN_MAX_CHARS, planMarkdown } from '../../src/report/plan-markdown.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');

let shop: Plan;
let unsat: Plan;

beforeAll(() => {
  const a = planDirectory(path.join(repoRoot, 'fixtures/shop')).plan;
  const b = planDirectory(path.join(repoRoot, 'test/cases/planner/unsatisfiable')).plan;
  if (a === null || b === null) throw new Error('fixture did not plan');
  shop = a;
  unsat = b;
});

/** Splits a markdown table row into its cells, honouring `\|` escapes. */
function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

function tableOf(md: string): { header: string[]; rows: Map<string, string[]> } {
  const lines = md.split('\n').filter((l) => l.startsWith('|'));
  const header = cells(lines[0]!);
  const rows = new Map<string, string[]>();
  for (const l of lines.slice(2)) {
    const c = cells(l);
    rows.set(c[0]!.replace(/`/g, ''), c);
  }
  return { header, rows };
}

function entry(plan: Plan, name: string): PlannedEntry {
  const e = plan.entries.find((x) => x.name === name);
  if (!e) throw new Error(`no entry ${name}`);
  return e;
}

/** The lines of the moved-segments block of one entry (from its bold name to the next blank line). */
function movedBlock(md: string, name: string): string[] {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`**\`${name}\`**`));
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start + 1 && l === '');
  return lines.slice(start, end < 0 ? undefined : end);
}

describe('planMarkdown on the shop fixture', () => {
  it('has a header and one row per entry with latency, round trips per link in line order and baseline ratios', () => {
    const md = planMarkdown(shop);
    expect(md.startsWith('## stopline plan\n')).toBe(true);
    const { header, rows } = tableOf(md);
    expect(header.slice(0, 3)).toEqual(['entry', 'arrives', 'latency']);
    expect(header.indexOf('RT client-edge')).toBeGreaterThan(0);
    expect(header.indexOf('RT edge-origin')).toBe(header.indexOf('RT client-edge') + 1);
    expect([...rows.keys()]).toEqual(['addToCart', 'checkout', 'viewCart']);

    const vc = entry(shop, 'viewCart');
    const row = rows.get('viewCart')!;
    expect(row).toHaveLength(header.length);
    expect(row[header.indexOf('arrives')]).toBe('edge');
    expect(row[header.indexOf('latency')]).toBe(formatMs(vc.latencyMs!));
    expect(row[header.indexOf('RT client-edge')]).toBe(formatCount(vc.roundTrips!['client-edge']!));
    expect(row[header.indexOf('RT edge-origin')]).toBe(formatCount(vc.roundTrips!['edge-origin']!));
    expect(row[header.indexOf('strong away')]).toBe('0');
    // The loop's L product reads cost one edge–origin trip instead of L: far below the all-at-edge baseline.
    const arrival = row[header.indexOf('vs all at arrival')]!;
    const ratio = formatRatio(vc.latencyMs!, vc.baselines.arrival.latencyMs);
    expect(arrival).toBe(`**${ratio}** of ${formatMs(vc.baselines.arrival.latencyMs)}`);
    expect(Number.parseFloat(ratio)).toBeLessThan(0.5);
    expect(row[header.indexOf('vs best single stop')]).toMatch(/^\*\*[\d.]+×\*\* of .* ms at origin$/);
    expect(md).not.toContain('infeasible_ (');
  });

  it('lists the segments that moved with their cut, reasons and file:line links', () => {
    const md = planMarkdown(shop);
    expect(md).toContain('### Segments that moved');
    const vc = movedBlock(md, 'viewCart');
    expect(vc.some((l) => l.startsWith('- **edge → origin**') && l.includes('payload `cart`, `priced`'))).toBe(true);
    const loop = vc.findIndex((l) => l.startsWith('  - [src/handlers.ts:16](src/handlers.ts#L16) loop `for (const line of cart.lines)`'));
    expect(loop).toBeGreaterThan(0);
    const reasons = vc.slice(loop + 1).filter((l) => l.startsWith('    - '));
    expect(reasons.length).toBeGreaterThan(0);
    expect(reasons.some((l) => /^ {4}- `SL41\d\d` /.test(l))).toBe(true);

    // checkout: the whole handler goes to the origin (it holds the transaction's client).
    const co = movedBlock(md, 'checkout');
    expect(co.some((l) => l.startsWith('- **edge → origin**, the request itself crosses'))).toBe(true);
    expect(co.some((l) => l.startsWith('  - [src/handlers.ts:49](src/handlers.ts#L49) body'))).toBe(true);
    // addToCart runs where it arrives: nothing moved.
    expect(movedBlock(md, 'addToCart')).toEqual([]);
  });

  it('formats links with linkBase', () => {
    const md = planMarkdown(shop, { linkBase: 'https://github.com/acme/shop/blob/0123abc' });
    expect(md).toContain('[src/handlers.ts:16](https://github.com/acme/shop/blob/0123abc/src/handlers.ts#L16)');
    expect(planMarkdown(shop, { linkBase: 'https://example.test/tree/' })).toContain('[src/handlers.ts:49](https://example.test/tree/src/handlers.ts#L49)');
    expect(md).not.toMatch(/\]\(src\//);
  });

  it('is deterministic and lists errors and warnings but not infos', () => {
    expect(planMarkdown(shop)).toBe(planMarkdown(structuredClone(shop)));
    const at = { file: 'src/handlers.ts', start: { line: 17, column: 5 }, end: { line: 20, column: 7 } };
    const extra: Diagnostic[] = [
      { code: 'SL2001', category: 'warning', message: 'a <warning> | with markup', range: at, related: [] },
      { code: 'SL4110', category: 'info', message: 'an info', range: at, related: [] },
      { code: 'SL1001', category: 'error', message: 'a project error', range: null, related: [] },
    ];
    const md = planMarkdown({ ...shop, diagnostics: [...shop.diagnostics, ...extra] });
    const section = md.slice(md.indexOf('### Diagnostics'));
    expect(section).toContain('- **warning** `SL2001` [src/handlers.ts:17](src/handlers.ts#L17) a &lt;warning&gt; \\| with markup');
    expect(section).toContain('- **error** `SL1001` a project error');
    expect(section).toContain('(1 info not listed)');
    expect(section).not.toContain('an info');
  });
});

describe('planMarkdown special cases', () => {
  it('shows an unsatisfiable entry as such, with infeasible baselines and its SL4001 error', () => {
    const md = planMarkdown(unsat);
    const { header, rows } = tableOf(md);
    const row = rows.get('render')!;
    expect(row[header.indexOf('latency')]).toBe('**unsatisfiable**');
    expect(row[header.indexOf('RT client-edge')]).toBe('—');
    expect(row[header.indexOf('vs all at arrival')]).toMatch(/^⛔ _infeasible_ \(/);
    expect(rows.get('fine')![header.indexOf('latency')]).toBe(formatMs(entry(unsat, 'fine').latencyMs!));
    expect(md).toContain('**1 unsatisfiable**');
    // The pinned call holds the key, which carries a secret (SL4302), and may not leave the client (SL3010).
    expect(md).toMatch(/- \*\*error\*\* `SL4001` \[src\/widget\.ts:8\]\(src\/widget\.ts#L8\) /);
  });

  it('marks an infeasible baseline instead of giving a ratio', () => {
    const plan: Plan = {
      ...shop,
      entries: shop.entries.map((e) => (e.name === 'viewCart' ? { ...e, baselines: { ...e.baselines, arrival: { ...e.baselines.arrival, feasible: false } } } : e)),
    };
    const { header, rows } = tableOf(planMarkdown(plan));
    const vc = entry(shop, 'viewCart');
    expect(rows.get('viewCart')![header.indexOf('vs all at arrival')]).toBe(`⛔ _infeasible_ (${formatMs(vc.baselines.arrival.latencyMs)})`);
    expect(rows.get('checkout')![header.indexOf('vs all at arrival')]).toMatch(/^\*\*/);
  });

  it('adds a "compared with the baseline" column when given a baseline plan', () => {
    const vc = entry(shop, 'viewCart');
    const before: Plan = {
      ...shop,
      entries: shop.entries.filter((e) => e.name !== 'addToCart').map((e) => (e.name === 'viewCart' ? { ...e, latencyMs: vc.latencyMs! * 2 } : e)).concat([{ ...vc, name: 'removedEntry' }]),
    };
    const md = planMarkdown(shop, { baseline: before });
    const { header, rows } = tableOf(md);
    const col = header.indexOf('compared with the baseline');
    expect(col).toBe(header.length - 1);
    expect(rows.get('viewCart')![col]).toBe(`${formatMs(vc.latencyMs! * 2)} → ${formatMs(vc.latencyMs!)} (−50%)`);
    expect(rows.get('checkout')![col]).toBe(`${formatMs(entry(shop, 'checkout').latencyMs!)} (unchanged)`);
    expect(rows.get('addToCart')![col]).toBe('new entry');
    expect(md).toContain('Not in this plan any more (were in the baseline): `removedEntry`');
    expect(tableOf(planMarkdown(shop, { baseline: null })).header).not.toContain('compared with the baseline');
  });

  it('keeps table cells intact when names and labels hold pipes, backticks and markup', () => {
    const rename = (s: string): string => (s.startsWith('viewCart') ? s.replace('viewCart', 'GET /a|b `<x>`') : s);
    const plan: Plan = {
      ...shop,
      entries: shop.entries.map((e) => ({ ...e, name: rename(e.name) })),
      segments: shop.segments.map((s) => ({ ...s, entry: rename(s.entry), id: rename(s.id), parent: s.parent === null ? null : rename(s.parent), label: s.label.startsWith('for (') ? 'for (x of `a|b`) <T> & *y*' : s.label })),
      cuts: shop.cuts.map((c) => ({ ...c, entry: rename(c.entry), child: rename(c.child), parent: c.parent === null ? null : rename(c.parent), run: c.run.map(rename) })),
    };
    const md = planMarkdown(plan);
    const { header, rows } = tableOf(md);
    for (const r of rows.values()) expect(r).toHaveLength(header.length);
    expect(md).toContain('| `` GET /a\\|b `<x>` `` | edge |');
    expect(md).toContain('**`` GET /a|b `<x>` ``** —');
    expect(md).toContain('loop ``for (x of `a|b`) <T> & *y*``');
  });

  it('stays under the comment size limit on a large plan, capping lists with "… and N more"', () => {
    const vcSegments = shop.segments.filter((s) => s.entry === 'viewCart');
    const vc = entry(shop, 'viewCart');
    // Every level of the tree alternates between edge and origin: every segment but the
    // root moves, and every parent has one cut carrying all its children.
    const depth = new Map<string, number>();
    for (const s of vcSegments) depth.set(s.id, s.parent === null ? 0 : depth.get(s.parent)! + 1);
    const stopOf = (id: string): string => (depth.get(id)! % 2 === 0 ? 'edge' : 'origin');
    const entries: PlannedEntry[] = [];
    const segments: PlacedSegment[] = [];
    const cuts: Cut[] = [];
    const n = 400;
    for (let i = 0; i < n; i++) {
      const name = `GET /api/v1/resource-number-${String(i).padStart(4, '0')}/items/:id`;
      const re = (s: string): string => s.replace('viewCart', name);
      entries.push({ ...vc, name });
      segments.push(...vcSegments.map((s) => ({ ...s, entry: name, id: re(s.id), parent: s.parent === null ? null : re(s.parent), stop: stopOf(s.id) })));
      for (const p of vcSegments) {
        const kids = vcSegments.filter((s) => s.parent === p.id).map((s) => re(s.id));
        if (kids.length === 0) continue;
        const from = stopOf(p.id);
        cuts.push({ entry: name, parent: re(p.id), child: kids[0]!, run: kids, from, to: from === 'edge' ? 'origin' : 'edge', count: 1, payload: ['cart', 'priced', 'userId'], handles: [], bytes: 1200, costMs: 140.1 });
      }
    }
    const diagnostics: Diagnostic[] = Array.from({ length: 300 }, (_, i) => ({
      code: 'SL2001',
      category: 'warning' as const,
      message: `warning number ${i} `.repeat(10),
      range: { file: 'src/handlers.ts', start: { line: i + 1, column: 1 }, end: { line: i + 1, column: 2 } },
      related: [],
    }));
    const big: Plan = { ...shop, entries, segments, cuts, diagnostics };
    const md = planMarkdown(big, { linkBase: 'https://github.com/acme/a-rather-long-repository-name/blob/0123456789abcdef0123456789abcdef01234567/' });
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_MAX_CHARS);
    expect(md.length).toBeLessThan(65_536);
    expect(md).toMatch(/… and \d+ more entries/);
    expect(md).toMatch(/… and \d+ more moved segments in \d+ more entries/);
    expect(md).toMatch(/- … and \d+ more\n/);
    expect(md).toMatch(/ {2}- … and \d+ more segments? in this run/);
    expect(planMarkdown(big)).toBe(planMarkdown(big));
  });
});
