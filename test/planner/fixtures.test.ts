import { describe, expect, it } from 'vitest';
import { planMarkdown } from '../../src/report/plan-markdown.js';
import { parsePlan } from '../../src/report/plan-schema.js';
import { compareBaseline, cutsOf, entryOf, planJson, planOf, planOnce, segmentAt, segmentsOf, subtree, where } from './plan-helpers.js';

/**
 * The fixtures' plans, checked by hand against the cost model (EXPECTED.md of each
 * fixture describes the service), then accepted as byte baselines.
 */
describe('shop', () => {
  const plan = planOf('fixtures/shop');

  it('viewCart keeps its KV read at the edge and runs the per-line product queries at the origin as one batch', () => {
    const entry = entryOf(plan, 'viewCart');
    const kvRead = segmentAt(plan, 'viewCart', 'src/cart.ts:10');
    expect(kvRead.stop).toBe('edge');
    expect(kvRead.accesses.map((a) => [a.store, a.op, a.servedAt])).toEqual([['carts', 'read', 'edge']]);

    const loop = segmentAt(plan, 'viewCart', 'src/handlers.ts:16', 'loop');
    expect(loop.stop).toBe('origin');
    for (const s of subtree(plan, loop)) expect([where(s), s.stop]).toEqual([where(s), 'origin']);
    const query = segmentAt(plan, 'viewCart', 'src/handlers.ts:17');
    expect(query.accesses.map((a) => [a.store, a.count, a.servedAt])).toEqual([['orders', 5, 'origin']]);

    // One cut: the loop, entered once per request that reaches it (half of them: an empty cart returns early).
    const cuts = cutsOf(plan, 'viewCart');
    expect(cuts.map((c) => [c.parent, c.run, c.from, c.to, c.count])).toEqual([[segmentAt(plan, 'viewCart', 'src/handlers.ts:8', 'body').id, [loop.id], 'edge', 'origin', 0.5]]);
    expect(cuts[0]!.payload).toEqual(['cart', 'priced']);
    expect(entry.roundTrips).toEqual({ 'client-edge': 0, 'edge-origin': 0.5 });
    expect(entry.strongRemote).toBe(0);
    // Everything else stays where the request arrives.
    const moved = segmentsOf(plan, 'viewCart').filter((s) => s.stop !== 'edge');
    expect(moved.length).toBe(subtree(plan, loop).length);
    // Five queries from the edge cost ten times what one batch costs.
    expect(entry.baselines.arrival.roundTrips['edge-origin']).toBe(5);
    expect(entry.latencyMs!).toBeLessThan(entry.baselines.arrival.latencyMs / 9);
    expect(entry.latencyMs!).toBeLessThan(entry.baselines.bestSingleStop.latencyMs);
  });

  it('addToCart stays at the edge: its KV reads and writes are served by the edge replica', () => {
    const entry = entryOf(plan, 'addToCart');
    expect(segmentsOf(plan, 'addToCart').every((s) => s.stop === 'edge')).toBe(true);
    expect(cutsOf(plan, 'addToCart')).toEqual([]);
    expect(entry.roundTrips).toEqual({ 'client-edge': 0, 'edge-origin': 0 });
    expect(entry.latencyMs).toBe(entry.baselines.arrival.latencyMs);
    expect(entry.baselines.bestSingleStop.stop).toBe('edge');
  });

  it('checkout runs entirely at the origin: one crossing for the whole transaction', () => {
    const entry = entryOf(plan, 'checkout');
    expect(segmentsOf(plan, 'checkout').every((s) => s.stop === 'origin')).toBe(true);
    const cuts = cutsOf(plan, 'checkout');
    expect(cuts.map((c) => [c.parent, c.from, c.to, c.count])).toEqual([[null, 'edge', 'origin', 1]]);
    expect(entry.roundTrips).toEqual({ 'client-edge': 0, 'edge-origin': 1 });
    expect(entry.strongRemote).toBe(0);
    expect(entry.moved).toBe(segmentsOf(plan, 'checkout').length);
    expect(entry.baselines.bestSingleStop.stop).toBe('origin');
    expect(entry.latencyMs).toBe(entry.baselines.origin.latencyMs);
    // The transaction's client is a resource: the try block cannot be cut from its parent.
    const tx = segmentAt(plan, 'checkout', 'src/handlers.ts:59', 'try');
    expect(tx.reasons.filter((r) => r.stop === 'edge').map((r) => r.code)).toEqual(['SL3002']);
  });
});

describe('offload', () => {
  const plan = planOf('fixtures/offload');

  it('never signs on the client: the secret read and the signing run at the edge', () => {
    const secret = segmentAt(plan, 'prepareUpload', 'src/sign.ts:7');
    expect(secret.stop).toBe('edge');
    expect(secret.reasons.find((r) => r.stop === 'client')?.code).toBe('SL3005');
    const signing = segmentAt(plan, 'prepareUpload', 'src/upload.ts:44', 'call');
    for (const s of subtree(plan, signing)) expect([where(s), s.stop]).toEqual([where(s), 'edge']);
    expect(plan.segments.filter((s) => s.entry === 'prepareUpload' && s.stop === 'client' && s.file === 'src/sign.ts')).toEqual([]);
  });

  it('keeps the DOM and local storage on the client, where the request arrives', () => {
    for (const at of ['src/upload.ts:19', 'src/drafts.ts:26', 'src/drafts.ts:44']) {
      const s = segmentAt(plan, 'prepareUpload', at);
      expect([at, s.stop]).toEqual([at, 'client']);
      expect(s.reasons.filter((r) => r.stop !== null).every((r) => r.code === 'SL3006' || r.code === 'SL3001')).toBe(true);
    }
    const entry = entryOf(plan, 'prepareUpload');
    // Neither whole-entry baseline is possible: the secret forbids the client, the DOM everything else.
    expect([entry.baselines.arrival.feasible, entry.baselines.origin.feasible, entry.baselines.bestSingleStop.feasible]).toEqual([false, false, false]);
    expect(cutsOf(plan, 'prepareUpload').map((c) => [c.from, c.to, c.run.length])).toEqual([['client', 'edge', 2]]);
    expect(entry.roundTrips).toEqual({ 'client-edge': 0.475, 'edge-origin': 0 });
  });
});

describe('conduit', () => {
  const plan = planOf('fixtures/conduit');

  it.each(['GET /api/articles/:slug', 'POST /api/articles', 'PUT /api/articles/:slug'])('%s: the query chain costs one edge–origin round trip instead of one per query', (name) => {
    const entry = entryOf(plan, name);
    expect(entry.roundTrips!['edge-origin']).toBe(1);
    expect(entry.baselines.arrival.roundTrips['edge-origin']!).toBeGreaterThan(1.9);
    expect(entry.strongRemote).toBe(0);
    for (const s of segmentsOf(plan, name)) for (const a of s.accesses) if (a.store === 'conduit') expect([a.id, a.servedAt]).toEqual([a.id, 'origin']);
  });

  it('GET /api/tags stays at the edge: its Redis cache hit answers without the origin', () => {
    const entry = entryOf(plan, 'GET /api/tags');
    expect(entry.moved).toBe(0);
    expect(entry.roundTrips).toEqual({ 'client-edge': 0, 'edge-origin': 0.5 });
    expect(entry.latencyMs).toBe(entry.baselines.arrival.latencyMs);
  });
});

describe('pages', () => {
  const plan = planOf('fixtures/pages');

  it('answers cache hits at the edge and runs the three content queries of a miss at the origin in one batch', () => {
    const entry = entryOf(plan, 'fetch');
    expect(segmentAt(plan, 'fetch', 'src/cache.ts:13').stop).toBe('edge');
    const cuts = cutsOf(plan, 'fetch');
    expect(cuts).toHaveLength(1);
    expect(cuts[0]!.run.map((id) => where(plan.segments.find((s) => s.id === id)!))).toEqual([
      'src/index.ts:25', 'src/index.ts:26', 'src/index.ts:29', 'src/index.ts:30',
    ]);
    expect(entry.roundTrips).toEqual({ 'client-edge': 0, 'edge-origin': 0.25 });
    // The cache write and the render stay at the edge with the fragment store.
    expect(segmentAt(plan, 'fetch', 'src/cache.ts:21').stop).toBe('edge');
  });
});

describe.each(['shop', 'offload', 'conduit', 'pages'])('%s plan.json', (fixture) => {
  it('is valid against the schema, never worse than a feasible baseline, and matches the accepted baselines (plan.json, report.md) byte for byte', () => {
    const { plan } = planOnce(`fixtures/${fixture}`);
    const text = planJson(plan!);
    expect(parsePlan(text).error).toBeNull();
    for (const e of plan!.entries) {
      for (const b of Object.values(e.baselines)) if (b.feasible) expect(e.latencyMs!).toBeLessThanOrEqual(b.latencyMs + 1e-3);
    }
    // Both baselines are compared before failing, so one accept run refreshes both.
    const outputs: [string, string][] = [['plan.json', text], ['report.md', planMarkdown(plan!)]];
    const differing = outputs.map(([file, actual]) => ({ file, actual, ...compareBaseline(fixture, file, actual) })).filter((x) => x.reference !== x.actual);
    if (differing.length > 0) {
      throw new Error(`${differing.map((x) => x.file).join(' and ')} of ${fixture} differ from fixtures/${fixture}/baselines/; the new files are in ${differing.map((x) => x.localPath).join(', ')}. Diff them, and run \`npm run baseline-accept\` if the change is intended.`);
    }
  });
});
