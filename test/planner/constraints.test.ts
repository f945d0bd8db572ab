import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planDirectory } from '../../src/plan-project.js';
import type { Profile } from '../../src/ir/index.js';
import { repoRoot } from '../helpers/graph.js';
import { cutsOf, entryOf, planOf, segmentAt, segmentsOf, subtree, where } from './plan-helpers.js';

/** Hard constraints from real facts found by the real checker: test/cases/planner/<case>. */
describe('constraints', () => {
  const plan = planOf('test/cases/planner/constraints');

  it('a decision that guards a strong write never stays on the untrusted client', () => {
    const entry = entryOf(plan, 'submitOrder');
    const body = segmentAt(plan, 'submitOrder', 'src/service.ts:5', 'body');
    expect(body.stop).not.toBe('client');
    expect(body.reasons.find((r) => r.stop === 'client')?.code).toBe('SL4102');
    const branch = segmentAt(plan, 'submitOrder', 'src/service.ts:7', 'branch');
    expect(branch.stop).not.toBe('client');
    // The whole entry leaves the client at once: one crossing, then the cheapest place for the write.
    expect(cutsOf(plan, 'submitOrder')[0]).toMatchObject({ parent: null, from: 'client' });
    expect(entry.baselines.arrival.feasible).toBe(false);
    expect(entry.roundTrips!['client-edge']).toBe(1);
  });

  it('server-only code runs at the origin', () => {
    const read = segmentAt(plan, 'exportReport', 'src/service.ts:15');
    expect(read.stop).toBe('origin');
    expect(read.reasons.filter((r) => r.stop !== null).map((r) => [r.stop, r.code])).toEqual([['client', 'SL3007'], ['edge', 'SL3007']]);
    expect(entryOf(plan, 'exportReport').baselines.arrival.feasible).toBe(false);
  });

  it('module-level state stays where the request arrives, even when its neighbour queries the origin', () => {
    const bump = segmentAt(plan, 'countVisit', 'src/service.ts:23');
    expect(bump.stop).toBe('edge');
    expect(bump.reasons.find((r) => r.stop === 'origin')?.code).toBe('SL3004');
    expect(entryOf(plan, 'countVisit').strongRemote).toBe(1);
  });

  it('a function pin places the whole pinned function, statements included', () => {
    const call = segmentAt(plan, 'audited', 'src/service.ts:34', 'call');
    for (const s of subtree(plan, call)) {
      expect([where(s), s.stop]).toEqual([where(s), 'origin']);
      expect(s.reasons.find((r) => r.stop === 'edge')?.code).toBe('SL3010');
    }
    // Outside the pin, code stays at the arrival stop.
    expect(segmentAt(plan, 'audited', 'src/service.ts:35').stop).toBe('edge');
  });

  it('every alternative stop of every segment has a reason: a constraint code or a non-negative cost', () => {
    for (const s of plan.segments) {
      const others = plan.line.stops.map((t) => t.name).filter((t) => t !== s.stop);
      expect(s.reasons.filter((r) => r.stop !== null).map((r) => r.stop)).toEqual(others);
      for (const r of s.reasons) expect(r.code).toMatch(/^SL[34]\d{3}$/);
    }
  });
});

describe('unsatisfiable entries', () => {
  const { plan } = planDirectory(path.join(repoRoot, 'test/cases/planner/unsatisfiable'));

  it('are an SL4001 error naming the conflicting facts, while the other entries are planned', () => {
    const errors = plan!.diagnostics.filter((d) => d.category === 'error');
    // The first segment with no stop: the pinned call, which holds the key (a secret, SL4302) and is pinned to the client (SL3010).
    expect(errors.map((d) => [d.code, d.range?.file, d.range?.start.line, d.range?.start.column])).toEqual([['SL4001', 'src/widget.ts', 8, 15]]);
    expect(errors[0]!.related.map((r) => r.message.slice(0, 6)).sort()).toEqual(['SL3010', 'SL4302']);
    const render = entryOf(plan!, 'render');
    expect([render.status, render.latencyMs, render.roundTrips]).toEqual(['unsatisfiable', null, null]);
    expect(segmentsOf(plan!, 'render').every((s) => s.stop === null)).toBe(true);
    expect(cutsOf(plan!, 'render')).toEqual([]);
    expect(entryOf(plan!, 'fine').status).toBe('planned');
  });
});

describe('profiles', () => {
  const dir = path.join(repoRoot, 'test/cases/planner/profile');

  it('static counts move the whole query loop to the origin as one batch', () => {
    const plan = planOf('test/cases/planner/profile');
    const loop = segmentAt(plan, 'lines', 'src/report.ts:6', 'loop');
    expect(loop.stop).toBe('origin');
    expect(entryOf(plan, 'lines').roundTrips!['edge-origin']).toBe(1);
  });

  it('measured counts replace them: a loop that almost never iterates stays at the edge and pays for its rare queries one by one', () => {
    const staticPlan = planOf('test/cases/planner/profile');
    const body = segmentAt(staticPlan, 'lines', 'src/report.ts:6', 'block');
    const loop = segmentAt(staticPlan, 'lines', 'src/report.ts:6', 'loop');
    const query = segmentAt(staticPlan, 'lines', 'src/report.ts:7');
    const push = segmentAt(staticPlan, 'lines', 'src/report.ts:8');
    const profile: Profile = {
      schema: 'stopline.profile/v1',
      requests: { lines: 1000 },
      executions: { [loop.id]: 1000, [body.id]: 50, [query.id]: 50, [push.id]: 50 },
    };
    fs.mkdirSync(path.join(repoRoot, 'test/.tmp'), { recursive: true });
    const { plan } = planDirectory(dir, { profile: { data: profile, file: 'profile.json' } });
    expect(plan!.model.counts).toEqual({ profile: 'profile.json' });
    expect(segmentAt(plan!, 'lines', 'src/report.ts:6', 'loop').stop).toBe('edge');
    // Moving the body to the origin would cost exactly what its one query costs from the edge: a tie stays.
    expect(segmentAt(plan!, 'lines', 'src/report.ts:6', 'block').reasons.find((r) => r.stop === 'origin')).toMatchObject({ code: 'SL4111', deltaMs: 0 });
    expect(segmentAt(plan!, 'lines', 'src/report.ts:7').accesses.map((a) => [a.count, a.servedAt])).toEqual([[0.05, 'origin']]);
    expect(entryOf(plan!, 'lines')).toMatchObject({ latencyMs: 7.012, roundTrips: { 'client-edge': 0, 'edge-origin': 0.05 }, strongRemote: 0.05, moved: 0 });
  });

  it('names unknown segments and entries in the profile with SL4002 warnings', () => {
    const profile: Profile = { schema: 'stopline.profile/v1', requests: { nosuch: 1 }, executions: { 'lines#0000000000': 3 } };
    const { plan } = planDirectory(dir, { profile: { data: profile, file: 'profile.json' } });
    expect(plan!.diagnostics.filter((d) => d.code === 'SL4002').map((d) => [d.category, d.range?.file])).toEqual([
      ['warning', 'profile.json'], ['warning', 'profile.json'],
    ]);
  });
});
