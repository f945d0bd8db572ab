import { placementCost, rpcsInto, total, type CostParts, type EntryProblem } from './problem.js';

/**
 * Exact placement of one entry's region tree on the line.
 *
 * THE MODEL (problem.ts, `placementCost`, is its executable statement)
 * Every segment s runs at one stop P(s). The expected latency of a request is
 *   Σ_s own(s, P(s))                       compute (weight × count × slowdown × msPerOp)
 *                                          + accesses at a stop that cannot serve them
 *                                            (count × RTT to the nearest stop that can)
 * + Σ_s [P(s) ≠ P(parent s)] · ( count(s) · bytes(s) · msPerByte(P(parent), P(s))
 *                              + RTT(P(parent), P(s)) · rpcs(s) )
 * where the root's parent is the stop the request arrives at, and rpcs(s) is count(s)
 * when s starts a run (first child, a side of a branch, or its previous sibling is at
 * another stop) and max(0, count(s) − count(previous sibling)) when s continues a run of
 * consecutive siblings at the same remote stop: the run shares one RPC (batching), and
 * pays again only for executions that reach s without its predecessor.
 * Hard constraints: `allowed(s, t)` (pins, capabilities, secrets, strong writes) and
 * no-cut segments at their parent's stop.
 * Ties: among placements of equal latency the one with the least Σ_s |P(s) − arrival|
 * wins — code moves only when moving saves something.
 *
 * THE ALGORITHM
 * The cost is a sum of terms that each involve a segment, its parent, and its previous
 * sibling. So a bottom-up dynamic programme is exact:
 *   best(s, t) = own(s, t) + min over placements of s's children given s at t
 * and the children of one parent, in order, form a chain whose only coupling is the
 * previous sibling's stop. For a parent at t, a left-to-right pass keeps
 *   f_i(v) = cheapest cost of children 1..i with child i at v
 *   f_i(v) = best(c_i, v) + [v ≠ t] · count · bytes · msPerByte(t, v)
 *            + min( min_u f_{i−1}(u) + [v ≠ t] · RTT(t, v) · count(c_i)      start a run
 *                 , f_{i−1}(v) + RTT(t, v) · max(0, count(c_i) − count(c_{i−1})) )  continue it (v ≠ t)
 * The "start" term needs only the minimum of the previous column, so each child costs
 * O(k) per parent stop, O(k²) in all. Costs compare lexicographically with the tie
 * secondary Σ|P − arrival|, which is additive too, so ties are broken exactly.
 * Floating-point sums of the same terms in different orders differ in the last bits, so
 * two costs within 1e-9 (relative) of each other count as a tie at each comparison; the
 * optimum found is exact to within n · 1e-9 relative (nanoseconds), and the property
 * tests hold it to that.
 * Back-pointers (which stop the previous sibling took, for each child, parent stop and
 * child stop) rebuild the optimal placement top-down from the root's best stop.
 *
 * COMPLEXITY
 * Time O(n · k²) for n segments and k stops; memory O(n · k²) bytes of back-pointers plus
 * O(n · k) numbers. Iterative in both directions, so deep trees do not grow the stack.
 */

export interface Solution {
  /** Stop index of every segment (pre-order). */
  readonly placement: Int16Array;
  /** Expected latency of one request, ms. */
  readonly cost: number;
  readonly parts: CostParts;
}

/** The programme's tables: enough to price any segment at any stop with its subtree re-planned. */
export interface SolvedTables {
  /** `best[s * k + t]`: cheapest cost of s's subtree with s at t (Infinity when impossible). */
  readonly best: Float64Array;
  /** The tie secondary that goes with `best`. */
  readonly moves: Float64Array;
  /** `lastStop[s * k + t]`: the stop of s's last child in that optimum (−1 without children). */
  readonly lastStop: Int16Array;
  /** `prevStop[(c * k + t) * k + v]`: with c's parent at t and c at v, the stop of c's previous sibling (−1 for the first). */
  readonly prevStop: Int16Array;
}

const EPSILON = 1e-9;

/** Lexicographic (cost, moves) comparison with a relative tolerance on the cost. */
export function lessThan(cost: number, moves: number, otherCost: number, otherMoves: number): boolean {
  const tolerance = EPSILON * Math.max(1, Math.abs(cost), Math.abs(otherCost));
  if (cost < otherCost - tolerance) return true;
  if (cost > otherCost + tolerance) return false;
  return moves < otherMoves;
}

export function solveTables(p: EntryProblem): SolvedTables {
  const { n, k, arrival, children, count, own, allowed, noCut, bytes, rtt, msPerByte, alternatives } = p;
  const best = new Float64Array(n * k).fill(Infinity);
  const moves = new Float64Array(n * k).fill(Infinity);
  const lastStop = new Int16Array(n * k).fill(-1);
  const prevStop = new Int16Array(n * k * k).fill(-1);
  let f = new Float64Array(k);
  let fm = new Float64Array(k);
  let g = new Float64Array(k);
  let gm = new Float64Array(k);

  for (let s = n - 1; s >= 0; s--) {
    const kids = children[s]!;
    for (let t = 0; t < k; t++) {
      if (allowed[s * k + t] !== 1) continue;
      const ownCost = own[s * k + t]!;
      const ownMoves = Math.abs(t - arrival);
      // Minimum of the previous column: before the first child, nothing (0, no stop).
      let minC = 0;
      let minM = 0;
      let minStop = -1;
      let feasible = true;
      for (let i = 0; i < kids.length; i++) {
        const c = kids[i]!;
        const continues = i > 0 && alternatives[s] !== 1;
        const drop = continues ? rpcsInto(p, c, kids[i - 1]!, true) : 0;
        g.fill(Infinity);
        gm.fill(Infinity);
        for (let v = 0; v < k; v++) {
          const sub = best[c * k + v]!;
          if (sub === Infinity) continue;
          if (noCut[c] === 1 && v !== t) continue;
          let runC = minC;
          let runM = minM;
          let from = minStop;
          let edge = 0;
          if (v !== t) {
            edge = count[c]! * bytes[c]! * msPerByte[t * k + v]!;
            runC += rtt[t * k + v]! * count[c]!;
            if (continues && f[v]! !== Infinity) {
              const contC = f[v]! + rtt[t * k + v]! * drop;
              if (lessThan(contC, fm[v]!, runC, runM)) {
                runC = contC;
                runM = fm[v]!;
                from = v;
              }
            }
          }
          g[v] = runC + sub + edge;
          gm[v] = runM + moves[c * k + v]!;
          prevStop[(c * k + t) * k + v] = from;
        }
        [f, g] = [g, f];
        [fm, gm] = [gm, fm];
        minC = Infinity;
        minM = Infinity;
        minStop = -1;
        for (let v = 0; v < k; v++) {
          if (f[v]! === Infinity) continue;
          if (minStop < 0 || lessThan(f[v]!, fm[v]!, minC, minM)) {
            minC = f[v]!;
            minM = fm[v]!;
            minStop = v;
          }
        }
        if (minStop < 0) {
          feasible = false;
          break;
        }
      }
      if (!feasible) continue;
      best[s * k + t] = ownCost + minC;
      moves[s * k + t] = ownMoves + minM;
      lastStop[s * k + t] = minStop;
    }
  }
  return { best, moves, lastStop, prevStop };
}

/** Cost of the root at `t` including the crossing from the arrival stop. */
export function rootCost(p: EntryProblem, tables: SolvedTables, t: number): number {
  const { k, arrival } = p;
  const sub = tables.best[t]!;
  if (sub === Infinity || (p.noCut[0] === 1 && t !== arrival)) return Infinity;
  if (t === arrival) return sub;
  return sub + p.count[0]! * (p.bytes[0]! * p.msPerByte[arrival * k + t]! + p.rtt[arrival * k + t]!);
}

/** Rebuild the optimal placement below a root placed at `rootStop`. */
export function rebuild(p: EntryProblem, tables: SolvedTables, rootStop: number): Int16Array {
  const { n, k, children } = p;
  const placement = new Int16Array(n).fill(-1);
  placement[0] = rootStop;
  for (let s = 0; s < n; s++) {
    const t = placement[s]!;
    const kids = children[s]!;
    let v = tables.lastStop[s * k + t]!;
    for (let i = kids.length - 1; i >= 0; i--) {
      const c = kids[i]!;
      placement[c] = v;
      v = tables.prevStop[(c * k + t) * k + v]!;
    }
  }
  return placement;
}

/** The exact optimum of the entry's problem, or null when its hard constraints conflict. */
export function solve(p: EntryProblem): Solution | null {
  if (p.n === 0) return null;
  const tables = solveTables(p);
  return solveWith(p, tables);
}

export function solveWith(p: EntryProblem, tables: SolvedTables): Solution | null {
  let bestStop = -1;
  let bestC = Infinity;
  let bestM = Infinity;
  for (let t = 0; t < p.k; t++) {
    const c = rootCost(p, tables, t);
    if (c === Infinity) continue;
    const m = tables.moves[t]!;
    if (bestStop < 0 || lessThan(c, m, bestC, bestM)) {
      bestStop = t;
      bestC = c;
      bestM = m;
    }
  }
  if (bestStop < 0) return null;
  const placement = rebuild(p, tables, bestStop);
  const parts = placementCost(p, placement);
  return { placement, cost: total(parts), parts };
}
