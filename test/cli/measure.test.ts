import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { measureDirectory, type MeasuredPlacement } from '../../src/build/measure.js';
import { measureText } from '../../src/cli/measure-command.js';
import { loadRequestCorpus } from '../../src/runtime/original/index.js';
import { componentCacheDir } from '../codegen/component.setup.js';
import { repoRoot } from '../helpers/graph.js';
import { scratchProject } from '../helpers/cli.js';
import { stopline } from '../helpers/cli.js';

/**
 * `stopline measure` on the shop: the plan's split against every entry whole at the edge
 * (its arrival stop) and whole at the origin, each built as components and run on the
 * 22-request corpus from the same seeded stores.
 */
const dir = path.join(repoRoot, 'fixtures/shop');
const corpus = loadRequestCorpus(path.join(dir, 'requests.json'));

describe('measuring the split against the single-stop baselines', () => {
  it('gives every request the same outcome under all three placements, and the latencies the model predicts per path', { timeout: 600_000 }, async () => {
    const result = await measureDirectory(dir, {
      corpus,
      seedFile: path.join(dir, 'seed.json'),
      cacheDir: path.join(repoRoot, 'test/.tmp/measure-shop'),
      componentCacheDir,
    });
    expect(result.mismatches).toEqual([]);
    expect(result.unexplained).toEqual([]);
    expect(result.diagnostics).toEqual([]);
    expect(result.status).toBe('measured');
    const at = (p: MeasuredPlacement['placement'], entry: string): [number, number] => {
      const e = result.placements.find((x) => x.placement === p)!.entries.find((x) => x.entry === entry)!;
      return [e.meanVirtualMs, e.meanRoundTrips['edge-origin']!];
    };
    expect(result.placements.map((p) => [p.placement, p.stop, p.status])).toEqual([['plan', null, 'measured'], ['arrival', 'edge', 'measured'], ['origin', 'origin', 'measured']]);
    // viewCart: 6 requests; two carts with 3 lines each (three-lines, dropped-product). Split:
    // one crossing for each of those two; at the edge: one query per line, 6 in all; at
    // the origin: every request forwarded once.
    expect(at('plan', 'viewCart')).toEqual([46.667, 0.333]);
    expect(at('arrival', 'viewCart')).toEqual([140, 1]);
    expect(at('origin', 'viewCart')).toEqual([140, 1]);
    // addToCart touches only the edge's KV replica: nothing crosses unless it is forwarded.
    expect(at('plan', 'addToCart')).toEqual([0, 0]);
    expect(at('origin', 'addToCart')).toEqual([140, 1]);
    // checkout: the whole transaction forwarded once, against one round trip per statement from the edge.
    expect(at('plan', 'checkout')).toEqual([140, 1]);
    expect(at('arrival', 'checkout')[0]).toBeGreaterThan(140);
    for (const entry of ['addToCart', 'checkout', 'viewCart']) {
      expect(at('plan', entry)[0]).toBeLessThanOrEqual(Math.min(at('arrival', entry)[0], at('origin', entry)[0]));
    }
    const text = measureText(result, corpus.length, 'requests.json', 'seed.json');
    expect(text).toContain('split (plan)');
    expect(text).toContain('all at edge');
    expect(text).toContain('all at origin');
    expect(text).toContain('split ÷ all at edge: checkout');
  });

  it('exits 2 with SL5107 on a corpus that is not one', () => {
    const { dir: scratch, cleanup } = scratchProject({ 'requests.json': '[{"name": 1}]' });
    try {
      const r = stopline(['measure', 'fixtures/shop', '--requests', path.join(scratch, 'requests.json')]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/error SL5107/);
    } finally {
      cleanup();
    }
  });
});
