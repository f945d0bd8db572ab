import { beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic, Plan } from '../../src/ir/index.js';
import { planDirectory } from '../../src/plan-project.js';
import { comparePlans } from '../../src/report/compare-plans.js';
import { repoRoot } from '../helpers/graph.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };
type MPlan = Mutable<Plan>;

const at = (d: Diagnostic): string => `${d.code} ${d.category} ${d.range === null ? '-' : `${d.range.file}:${d.range.start.line}:${d.range.start.column}`}`;

let shop: Plan;
beforeAll(() => {
  shop = planDirectory(`${repoRoot}/fixtures/shop`).plan!;
});

/** A deep copy of the shop's plan to edit. */
function copy(): MPlan {
  return JSON.parse(JSON.stringify(shop)) as MPlan;
}

function entry(p: MPlan, name: string) {
  return p.entries.find((e) => e.name === name)!;
}

function trips(p: MPlan, name: string): Record<string, number> {
  return entry(p, name).roundTrips as Record<string, number>;
}

function loop(p: MPlan) {
  return p.segments.find((s) => s.entry === 'viewCart' && s.kind === 'loop' && s.start.line === 16)!;
}

describe('comparePlans', () => {
  it('finds nothing between a plan and itself', () => {
    const result = comparePlans(shop, copy());
    expect(result.findings).toEqual([]);
    expect(result.failed).toBe(false);
    expect(result.entries.map((e) => `${e.name} ${e.verdict}`)).toEqual(['addToCart same', 'checkout same', 'viewCart same']);
    expect(Object.keys(result.entries[0]!.roundTrips)).toEqual(['client-edge', 'edge-origin']);
  });

  it('fails on worse latency and worse round trips per link, at the entry, and lists improvements as info', () => {
    const now = copy();
    entry(now, 'viewCart').latencyMs! += 10;
    trips(now, 'viewCart')['edge-origin']! += 1;
    entry(now, 'checkout').latencyMs! -= 5;
    const result = comparePlans(shop, now);
    expect(result.findings.map(at)).toEqual([
      'SL4201 error src/handlers.ts:8:1',
      'SL4201 error src/handlers.ts:8:1',
      'SL4206 info src/handlers.ts:49:1',
    ]);
    expect(result.failures.map(at)).toEqual(['SL4201 error src/handlers.ts:8:1', 'SL4201 error src/handlers.ts:8:1']);
    expect(result.failed).toBe(true);
    expect(result.entries.map((e) => `${e.name} ${e.verdict}`)).toEqual(['addToCart same', 'checkout better', 'viewCart worse']);
    const view = result.entries.find((e) => e.name === 'viewCart')!;
    expect(view.latencyMs.after! - view.latencyMs.before!).toBeCloseTo(10, 6);
    expect(view.roundTrips['edge-origin']).toEqual({ before: 0.5, after: 1.5 });
  });

  it('tolerates rounding noise of 1 µs and 1e-6 round trips, and can be told otherwise', () => {
    const now = copy();
    entry(now, 'viewCart').latencyMs! += 0.001;
    trips(now, 'viewCart')['edge-origin']! += 0.000001;
    expect(comparePlans(shop, now).findings).toEqual([]);
    entry(now, 'viewCart').latencyMs! += 0.001;
    expect(comparePlans(shop, now).findings.map(at)).toEqual(['SL4201 error src/handlers.ts:8:1']);
    expect(comparePlans(shop, now, { toleranceMs: 0.01 }).failed).toBe(false);
  });

  it('fails when a segment moves, in either direction, at the segment', () => {
    const now = copy();
    loop(now).stop = 'edge';
    const result = comparePlans(shop, now);
    expect(result.findings.map(at)).toEqual(['SL4202 error src/handlers.ts:16:3']);
    expect(comparePlans(now, shop).findings.map(at)).toEqual(['SL4202 error src/handlers.ts:16:3']);
  });

  it('pairs an edited segment (new id, same kind and label) with its old self: a move only when its stop changed', () => {
    const now = copy();
    const old = loop(now);
    const renamed = `${old.id}x`;
    for (const s of now.segments) if (s.parent === old.id) s.parent = renamed;
    for (const c of now.cuts) c.run = c.run.map((id) => (id === old.id ? renamed : id));
    old.id = renamed;
    expect(comparePlans(shop, now).findings).toEqual([]);
    old.stop = 'edge';
    expect(comparePlans(shop, now).findings.map(at)).toEqual(['SL4202 error src/handlers.ts:16:3']);
  });

  it('reports new and removed subtrees once, at their top, as info', () => {
    const now = copy();
    const top = loop(now);
    // Make the loop's whole subtree unrecognisable: new ids, labels and positions.
    const subtree = new Set([top.id]);
    for (const s of now.segments) if (s.parent !== null && subtree.has(s.parent)) subtree.add(s.id);
    const rename = (id: string): string => (subtree.has(id) ? `${id}-new` : id);
    for (const s of now.segments) {
      if (!subtree.has(s.id)) continue;
      s.id = rename(s.id);
      s.parent = s.parent === null ? null : rename(s.parent);
      s.label = `${s.label} /* edited */`;
      s.start = { line: s.start.line, column: s.start.column + 1 };
    }
    const result = comparePlans(shop, now);
    expect(result.findings.map(at)).toEqual(['SL4208 info src/handlers.ts:16:3', 'SL4207 info src/handlers.ts:16:4']);
    expect(result.failed).toBe(false);
  });

  it('fails on entries that appear, disappear or become unsatisfiable; a fixed entry is good news', () => {
    const now = copy();
    const view = entry(now, 'addToCart');
    view.name = 'addToBasket';
    for (const s of now.segments) if (s.entry === 'addToCart') s.entry = 'addToBasket';
    const check = entry(now, 'checkout');
    check.status = 'unsatisfiable';
    check.latencyMs = null;
    check.roundTrips = null;
    for (const s of now.segments) if (s.entry === 'checkout') s.stop = null;
    const result = comparePlans(shop, now);
    expect(result.findings.map(at)).toEqual([
      'SL4203 error src/handlers.ts:31:1',
      'SL4204 error src/handlers.ts:31:1',
      'SL4205 error src/handlers.ts:49:1',
    ]);
    expect(result.entries.map((e) => `${e.name} ${e.verdict}`)).toEqual(['addToBasket new', 'addToCart removed', 'checkout unsatisfiable', 'viewCart same']);
    const back = comparePlans(now, shop);
    expect(back.findings.filter((d) => d.code === 'SL4206').map(at)).toEqual(['SL4206 info src/handlers.ts:49:1']);
  });

  it('is deterministic', () => {
    const now = copy();
    entry(now, 'viewCart').latencyMs! += 3;
    loop(now).stop = 'client';
    expect(JSON.stringify(comparePlans(shop, now))).toBe(JSON.stringify(comparePlans(shop, JSON.parse(JSON.stringify(now)) as Plan)));
  });
});
