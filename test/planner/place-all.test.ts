import { describe, expect, it } from 'vitest';
import { plan } from '../../planner/index.js';
import { parsePlan } from '../../src/report/plan-schema.js';
import { planJson } from '../../src/report/plan-json.js';
import { analyzeOnce } from '../helpers/graph.js';
import { cutsOf, entryOf, planOf, segmentsOf } from './plan-helpers.js';

/**
 * `placeAll`: the baselines as plans codegen can build (every entry whole at one stop),
 * priced by the same model as the optimum's baselines.
 */
describe('plans with every entry placed whole at one stop', () => {
  const graph = analyzeOnce('fixtures/shop').graph!;
  const optimum = planOf('fixtures/shop');

  it('places everything at the origin: one root cut per entry arriving elsewhere, priced as the origin baseline', () => {
    const atOrigin = plan(graph, graph.line, { placeAll: 'origin' });
    expect(atOrigin.model.placeAll).toBe('origin');
    expect(atOrigin.segments.every((s) => s.stop === 'origin')).toBe(true);
    for (const entry of atOrigin.entries) {
      const expected = entryOf(optimum, entry.name).baselines.origin;
      expect([entry.name, entry.status, entry.latencyMs, entry.roundTrips]).toEqual([entry.name, 'planned', expected.latencyMs, expected.roundTrips]);
      const cuts = cutsOf(atOrigin, entry.name);
      expect(cuts.map((c) => [c.parent, c.from, c.to])).toEqual(entry.arrives === 'origin' ? [] : [[null, entry.arrives, 'origin']]);
      // A forced placement is no decision: no reasons.
      expect(segmentsOf(atOrigin, entry.name).every((s) => s.reasons.length === 0)).toBe(true);
    }
    expect(atOrigin.diagnostics.filter((d) => d.code === 'SL4005')).toEqual([]);
    // It is a valid plan.json.
    expect(parsePlan(planJson(atOrigin)).error).toBeNull();
  });

  it('places each entry at its arrival stop: no cut at all, priced as the arrival baseline', () => {
    const atArrival = plan(graph, graph.line, { placeAll: 'arrival' });
    expect(atArrival.cuts).toEqual([]);
    for (const entry of atArrival.entries) {
      expect(entry.latencyMs).toBe(entryOf(optimum, entry.name).baselines.arrival.latencyMs);
      expect(segmentsOf(atArrival, entry.name).every((s) => s.stop === entry.arrives)).toBe(true);
    }
  });

  it('refuses a stop a hard constraint forbids, with SL4005 at the entry, and an unknown stop', () => {
    const offload = analyzeOnce('fixtures/offload').graph!;
    const atClient = plan(offload, offload.line, { placeAll: 'arrival' });
    const entry = entryOf(atClient, 'prepareUpload');
    expect(entry.status).toBe('unsatisfiable');
    const sl4005 = atClient.diagnostics.filter((d) => d.code === 'SL4005');
    expect(sl4005.map((d) => [d.category, d.range?.file, d.range?.start.line])).toEqual([['error', 'src/upload.ts', 28]]);
    expect(atClient.diagnostics.some((d) => d.code === 'SL4001')).toBe(false);

    const nowhere = plan(graph, graph.line, { placeAll: 'moon' });
    expect(nowhere.entries.every((e) => e.status === 'unsatisfiable')).toBe(true);
    expect(new Set(nowhere.diagnostics.filter((d) => d.code === 'SL4005').map((d) => d.code)).size).toBe(1);
  });
});
