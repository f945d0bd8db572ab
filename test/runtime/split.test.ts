import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../codegen/index.js';
import { loadRequestCorpus, readProjectConfig, runOriginal } from '../../src/runtime/original/index.js';
import { runSplit } from '../../src/runtime/split/run.js';
import { repoRoot } from '../helpers/graph.js';
import { planOnce } from '../planner/plan-helpers.js';
import { projectSources } from '../helpers/sources.js';


/**
 * Semantic preservation, in-process: every request of the shop's corpus gives the same
 * response (or the same error) and leaves the same stores on the original program and on
 * the split one, whose stops call each other through the wire format.
 */
describe('the split shop behaves as the original', () => {
  const dir = path.join(repoRoot, 'fixtures/shop');
  const { plan, graph } = planOnce('fixtures/shop');
  const program = generate(plan!, graph!, projectSources(dir));
  const config = readProjectConfig(dir);
  const corpus = loadRequestCorpus(path.join(dir, 'requests.json'));
  const seedFile = path.join(dir, 'seed.json');

  it.each(corpus.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const original = await runOriginal({ projectDir: dir, config, seedFile, entry: c.entry, request: c.request });
    const split = await runSplit({ projectDir: dir, config, program, seedFile, entry: c.entry, request: c.request! });
    const { trace, ...result } = split;
    expect(result).toEqual(original);
    // The crossings are the plan's cuts that this request's path enters: viewCart's loop
    // when the cart has lines, checkout's whole handler always, nothing for addToCart.
    const cutHeads = new Set(plan!.cuts.map((cut) => cut.child));
    for (const crossing of trace) expect(cutHeads.has(crossing.segment)).toBe(true);
    const expected = c.entry === 'checkout' ? 1 : c.name === 'viewCart/three-lines' || c.name === 'viewCart/dropped-product' ? 1 : 0;
    expect(trace.map((x) => `${x.from}→${x.to}`)).toEqual(Array.from({ length: expected }, () => 'edge→origin'));
  });
});
