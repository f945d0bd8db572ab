import type { Baseline, Baselines } from '../src/ir/index.js';
import { lessThan } from './placement.js';
import { roundTripsOf, round, traffic } from './measure.js';
import type { EntryModel } from './problem-build.js';
import { isFeasible, placementCost, total } from './problem.js';

/**
 * The entry priced whole at one stop by the same model: what you get without a split.
 * `arrival` and `origin` are priced even when a constraint forbids them (then
 * `feasible: false`); `bestSingleStop` is the cheapest feasible stop, what runtime
 * placement (Cloudflare Smart Placement) can reach, or the cheapest of all when none is.
 */
export function baselinesOf(model: EntryModel): Baselines {
  const p = model.problem;
  const priced = Array.from({ length: p.k }, (_, t) => {
    const placement = new Int16Array(p.n).fill(t);
    const cost = total(placementCost(p, placement));
    const load = traffic(model, placement);
    const baseline: Baseline = {
      stop: model.metrics.names[t]!,
      latencyMs: round(cost),
      roundTrips: roundTripsOf(model, load.links),
      strongRemote: round(load.strongRemote),
      feasible: isFeasible(p, placement),
    };
    return { t, cost, baseline };
  });
  const pick = (candidates: typeof priced): (typeof priced)[number] =>
    candidates.reduce((a, b) => (lessThan(b.cost, Math.abs(b.t - p.arrival), a.cost, Math.abs(a.t - p.arrival)) ? b : a));
  const feasible = priced.filter((x) => x.baseline.feasible);
  return {
    arrival: priced[p.arrival]!.baseline,
    origin: priced[p.k - 1]!.baseline,
    bestSingleStop: pick(feasible.length > 0 ? feasible : priced).baseline,
  };
}
