import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildProblem, isFeasible, placementCost, plan, solve, total, type EntryProblem } from '../../planner/index.js';
import type { SegmentGraph } from '../../src/ir/index.js';
import { entryProblem, makeProblem, problemInvariants, segmentGraph, showProblem } from './arbitraries.js';
import { bestWithSegmentAt, bruteForce, feasibleByModel, modelCost, moves, sameCost } from './brute-force.js';

/**
 * The planner finds the exact optimum of the cost model (DESIGN.md, Cost model): on random
 * region trees with random costs and constraints (1–10 segments, 2–5 stops), `solve`
 * agrees with an enumeration of every placement — the same cost, the same tie-break,
 * infeasible exactly when nothing is feasible. Seeds are random on every run; fast-check
 * prints the seed and the shrunk problem when a property fails.
 */

/** `STOPLINE_FC_SCALE=50 npx vitest run test/planner/exactness.test.ts` multiplies every property's runs, for a long hunt. */
const SCALE = Math.max(1, Number(process.env.STOPLINE_FC_SCALE ?? 1) || 1);
const runs = (n: number): number => Math.round(n * SCALE);
const RUNS = runs(500);
/** vitest's default 60 s, scaled with the runs (a property is one synchronous loop). */
const long = { timeout: 60_000 * SCALE };

/** A random placement of a problem, drawn alongside it. */
const withPlacement = entryProblem().chain((p) =>
  fc.array(fc.nat(p.k - 1), { minLength: p.n, maxLength: p.n }).map((placement) => ({ p, placement: Int8Array.from(placement) })),
);

describe('the oracle', long, () => {
  it('generates problems that keep the invariants of problem.ts (pre-order, compute ≤ own, symmetric line)', () => {
    fc.assert(
      fc.property(entryProblem(), (p) => {
        expect(problemInvariants(p), showProblem(p)).toEqual([]);
      }),
      { numRuns: runs(300) },
    );
  });

  it('prices every placement as placementCost does, and judges feasibility as isFeasible does', () => {
    fc.assert(
      fc.property(withPlacement, ({ p, placement }) => {
        const mine = modelCost(p, placement);
        const theirs = placementCost(p, placement);
        expect(sameCost(mine.total, total(theirs)), `${mine.total} vs ${total(theirs)} for ${showProblem(p)} at ${placement.join()}`).toBe(true);
        expect(sameCost(mine.compute, theirs.compute)).toBe(true);
        expect(sameCost(mine.own - mine.compute, theirs.access)).toBe(true);
        expect(sameCost(mine.cut, theirs.cut)).toBe(true);
        expect(sameCost(mine.transfer, theirs.transfer)).toBe(true);
        expect(feasibleByModel(p, placement)).toBe(isFeasible(p, placement));
      }),
      { numRuns: runs(500) },
    );
  });

  it('catches a wrong optimum: a solver that never moves fails the comparison', () => {
    // The property below must be able to fail: "everything at the arrival stop" is a solver
    // that is right on many problems and wrong on some.
    const stayHome = (p: EntryProblem): number => modelCost(p, new Int8Array(p.n).fill(p.arrival)).total;
    const result = fc.check(
      fc.property(entryProblem(), (p) => {
        const brute = bruteForce(p);
        fc.pre(brute.feasible && feasibleByModel(p, new Int8Array(p.n).fill(p.arrival)));
        return sameCost(stayHome(p), brute.best);
      }),
      { numRuns: 300, endOnFailure: true },
    );
    expect(result.failed).toBe(true);
  });
});

describe('solve against brute force on random problems', long, () => {
  it('returns null exactly when no placement is feasible', () => {
    fc.assert(
      fc.property(entryProblem(), (p) => {
        const brute = bruteForce(p);
        const solution = solve(p);
        expect(solution === null, `solve ${solution === null ? 'null' : 'found a placement'}, brute force ${brute.feasible ? 'feasible' : 'infeasible'}: ${showProblem(p)}`).toBe(!brute.feasible);
      }),
      { numRuns: RUNS },
    );
  });

  it('finds the optimal cost', () => {
    fc.assert(
      fc.property(entryProblem(), (p) => {
        const brute = bruteForce(p);
        const solution = solve(p);
        if (solution === null) return;
        // Near the tie tolerance a programme that compares partial sums with it may settle
        // each of up to n choices for a fraction of it: allow n of them there (see brute-force.ts).
        const slack = brute.ambiguous ? p.n * 1e-9 * Math.max(1, brute.best) : 0;
        expect(
          sameCost(solution.cost, brute.best) || Math.abs(solution.cost - brute.best) <= slack,
          `solve ${solution.cost} at [${solution.placement.join()}], optimum ${brute.best} at [${brute.witness?.join()}]: ${showProblem(p)}`,
        ).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('returns a feasible placement whose cost, summed independently and by placementCost, is the cost it reports', () => {
    fc.assert(
      fc.property(entryProblem(), (p) => {
        const solution = solve(p);
        if (solution === null) return;
        const where = `[${solution.placement.join()}] of ${showProblem(p)}`;
        expect(solution.placement.length, where).toBe(p.n);
        expect(feasibleByModel(p, solution.placement), `infeasible ${where}`).toBe(true);
        const mine = modelCost(p, solution.placement);
        expect(sameCost(mine.total, solution.cost), `cost ${solution.cost}, summed ${mine.total}: ${where}`).toBe(true);
        expect(sameCost(total(placementCost(p, solution.placement)), mine.total), where).toBe(true);
        // the parts add up to the cost and are the model's parts
        expect(sameCost(total(solution.parts), solution.cost), where).toBe(true);
        expect(sameCost(solution.parts.compute, mine.compute), where).toBe(true);
        expect(sameCost(solution.parts.access, mine.own - mine.compute), where).toBe(true);
        expect(sameCost(solution.parts.cut, mine.cut), where).toBe(true);
        expect(sameCost(solution.parts.transfer, mine.transfer), where).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('breaks ties towards the arrival stop: the least movement among optimal placements', () => {
    fc.assert(
      fc.property(entryProblem(), (p) => {
        const brute = bruteForce(p);
        // which placements tie is only well defined away from the tolerance's edge
        fc.pre(!brute.ambiguous);
        const solution = solve(p);
        if (solution === null) return;
        expect(
          moves(p, solution.placement),
          `solve [${solution.placement.join()}] cost ${solution.cost}; least-moving optimum [${brute.witness?.join()}] cost ${brute.best} (${brute.optimal} optimal placements): ${showProblem(p)}`,
        ).toBe(brute.bestMoves);
      }),
      { numRuns: RUNS },
    );
  });

  it('is deterministic: the same problem gives the same placement', () => {
    fc.assert(
      fc.property(entryProblem(), (p) => {
        const a = solve(p);
        const b = solve(p);
        expect(a === null ? null : Array.from(a.placement)).toEqual(b === null ? null : Array.from(b.placement));
      }),
      { numRuns: runs(100) },
    );
  });
});

describe('solve on hand-written problems', () => {
  // Two stops 10 ms apart (one-way 5 ms): a crossing costs one 10 ms round trip.
  const remoteIsCheap = [100, 0];

  it('batches a run of three siblings at a remote stop into one round trip', () => {
    const p = makeProblem({ k: 2, arrival: 0, parent: [-1, 0, 0, 0], own: [[0, 0], remoteIsCheap, remoteIsCheap, remoteIsCheap], hopLatency: [5] });
    const solution = solve(p);
    expect(solution && Array.from(solution.placement)).toEqual([0, 1, 1, 1]);
    expect(solution?.cost).toBe(10);
    expect(solution?.parts.cut).toBe(10);
    expect(bruteForce(p).best).toBe(10);
  });

  it('a sibling that must stay breaks the run in two: two round trips', () => {
    const p = makeProblem({
      k: 2, arrival: 0, parent: [-1, 0, 0, 0], own: [[0, 0], remoteIsCheap, remoteIsCheap, remoteIsCheap], hopLatency: [5],
      allowed: [[1, 1], [1, 1], [1, 0], [1, 1]],
    });
    const solution = solve(p);
    expect(solution && Array.from(solution.placement)).toEqual([0, 1, 0, 1]);
    expect(solution?.cost).toBe(120);
  });

  it('the two sides of a branch each pay their own round trip', () => {
    const spec = { k: 2, arrival: 0, parent: [-1, 0, 0], count: [1, 0.5, 0.5], own: [[0, 0], [50, 0], [50, 0]], hopLatency: [5] };
    const branch = solve(makeProblem({ ...spec, alternatives: [1, 0, 0] }));
    expect(branch && Array.from(branch.placement)).toEqual([0, 1, 1]);
    expect(branch?.parts.cut).toBe(10);
    // the same two children in sequence would share one
    const sequence = solve(makeProblem(spec));
    expect(sequence?.parts.cut).toBe(5);
  });

  it('a catch (count 0.05) followed by its finally (count 1) in one run pays count 1 in all', () => {
    const p = makeProblem({ k: 2, arrival: 0, parent: [-1, 0, 0], count: [1, 0.05, 1], own: [[0, 0], [5, 0], [100, 0]], hopLatency: [5] });
    const solution = solve(p);
    expect(solution && Array.from(solution.placement)).toEqual([0, 1, 1]);
    expect(solution?.parts.cut).toBeCloseTo(10, 12);
    expect(solution?.cost).toBeCloseTo(10, 12);
  });

  it('pays transfer over the bottleneck hop on every execution', () => {
    // 1000 bytes at 1 Mbit/s is 8 ms; two executions, no latency: 16 ms to save 100.
    const p = makeProblem({ k: 3, arrival: 0, parent: [-1, 0], count: [1, 2], own: [[0, 0, 0], [100, 100, 0]], bytes: [0, 1000], hopLatency: [0, 0], hopMbps: [1, 100],
      allowed: [[1, 0, 0], [1, 1, 1]],
    });
    const solution = solve(p);
    expect(solution && Array.from(solution.placement)).toEqual([0, 2]);
    expect(solution?.parts.transfer).toBeCloseTo(16, 12);
    expect(solution?.cost).toBeCloseTo(16, 12);
  });

  it('returns null when a no-cut child cannot sit where its parent must', () => {
    const p = makeProblem({ k: 2, arrival: 0, parent: [-1, 0], own: [[0, 0], [0, 0]], allowed: [[0, 1], [1, 0]], noCut: [0, 1] });
    expect(solve(p)).toBeNull();
    expect(bruteForce(p).feasible).toBe(false);
  });

  it('returns null when a no-cut root is forbidden at the arrival stop', () => {
    const p = makeProblem({ k: 3, arrival: 1, parent: [-1], own: [[0, 0, 0]], allowed: [[1, 0, 1]], noCut: [1] });
    expect(solve(p)).toBeNull();
  });

  it('leaves code at the arrival stop when moving saves nothing', () => {
    // zero latency and equal costs everywhere: every placement costs the same
    const p = makeProblem({ k: 3, arrival: 1, parent: [-1, 0, 1, 0], own: [[1, 1, 1], [2, 2, 2], [3, 3, 3], [0, 0, 0]], hopLatency: [0, 0] });
    const solution = solve(p);
    expect(solution && Array.from(solution.placement)).toEqual([1, 1, 1, 1]);
    expect(solution?.cost).toBe(6);
  });

  it('moves the root when the whole request is cheaper elsewhere, paying the crossing once', () => {
    const p = makeProblem({ k: 2, arrival: 0, parent: [-1, 0, 0], own: [[30, 0], [30, 0], [30, 0]], hopLatency: [5] });
    const solution = solve(p);
    expect(solution && Array.from(solution.placement)).toEqual([1, 1, 1]);
    expect(solution?.cost).toBe(10);
  });
});

/** Half a microsecond: plan.json rounds milliseconds to 1 µs. */
const ROUNDING = 0.0005 + 1e-9;

/** The stop index of every segment of an entry, read back from a plan (graph order is the problem's pre-order). */
function plannedPlacement(graph: SegmentGraph, planned: ReturnType<typeof plan>, entry: string): Int8Array {
  const names = graph.line.stops.map((s) => s.name);
  return Int8Array.from(planned.segments.filter((s) => s.entry === entry), (s) => (s.stop === null ? -1 : names.indexOf(s.stop)));
}

describe('plan against brute force on random segment graphs', long, () => {
  const graphs = segmentGraph(20_000);
  const show = (graph: SegmentGraph): string => JSON.stringify(graph);

  it('plans every entry at the brute-force optimum of its problem, or reports it unsatisfiable exactly when nothing is feasible', () => {
    fc.assert(
      fc.property(graphs, (graph) => {
        const planned = plan(graph);
        expect(planned.entries.map((e) => e.name)).toEqual(graph.entries.map((e) => e.name).sort());
        for (const e of planned.entries) {
          const p = buildProblem(graph, e.name, graph.line);
          expect(problemInvariants(p), e.name).toEqual([]);
          const brute = bruteForce(p);
          const where = `${e.name} of ${show(graph)}`;
          if (!brute.feasible) {
            expect(e.status, where).toBe('unsatisfiable');
            expect(e.latencyMs).toBeNull();
            continue;
          }
          expect(e.status, where).toBe('planned');
          expect(Math.abs(e.latencyMs! - brute.best), `latency ${e.latencyMs}, optimum ${brute.best}: ${where}`).toBeLessThanOrEqual(ROUNDING * Math.max(1, brute.best));
          // the stops the plan prints are a feasible optimal placement, with the least movement
          const placement = plannedPlacement(graph, planned, e.name);
          expect(feasibleByModel(p, placement), where).toBe(true);
          if (!brute.ambiguous) {
            expect(sameCost(modelCost(p, placement).total, brute.best), where).toBe(true);
            expect(moves(p, placement), where).toBe(brute.bestMoves);
          }
          expect(e.moved).toBe(Array.from(placement).filter((t) => t !== p.arrival).length);
          // the breakdown adds up (each part rounded), and no feasible baseline beats the plan
          const b = e.breakdown!;
          expect(Math.abs(b.computeMs + b.accessMs + b.cutMs + b.transferMs - e.latencyMs!)).toBeLessThanOrEqual(0.0025);
          for (const baseline of [e.baselines.arrival, e.baselines.origin, e.baselines.bestSingleStop]) {
            if (baseline.feasible) expect(baseline.latencyMs, `${baseline.stop} baseline: ${where}`).toBeGreaterThanOrEqual(e.latencyMs! - 0.001);
          }
        }
      }),
      { numRuns: runs(150) },
    );
  });

  it('prices every other stop of every segment honestly: the subtree re-planned there, or a constraint when nothing fits', () => {
    fc.assert(
      fc.property(graphs, (graph) => {
        const planned = plan(graph);
        const names = graph.line.stops.map((s) => s.name);
        for (const e of planned.entries) {
          if (e.status !== 'planned') continue;
          const p = buildProblem(graph, e.name, graph.line);
          const placement = plannedPlacement(graph, planned, e.name);
          const optimum = modelCost(p, placement).total;
          const segments = planned.segments.filter((s) => s.entry === e.name);
          segments.forEach((seg, s) => {
            for (let v = 0; v < p.k; v++) {
              if (v === placement[s]) continue;
              const about = seg.reasons.filter((r) => r.stop === names[v]);
              const where = `${seg.id} at ${names[v]} (${JSON.stringify(seg.reasons)}): ${show(graph)}`;
              expect(about.length, where).toBe(1);
              const there = bestWithSegmentAt(p, placement, s, v);
              const reason = about[0]!;
              if (there === Infinity) expect(reason.deltaMs, where).toBeNull();
              else {
                expect(reason.deltaMs, where).not.toBeNull();
                expect(Math.abs(reason.deltaMs! - (there - optimum)), `delta ${reason.deltaMs}, re-planned ${there - optimum}: ${where}`).toBeLessThanOrEqual(ROUNDING * Math.max(1, there));
              }
            }
          });
        }
      }),
      { numRuns: runs(100) },
    );
  });
});
