import type { EntryProblem } from '../../planner/problem.js';

/**
 * The cost model of an EntryProblem, written a second time from its prose statement
 * (DESIGN.md, Cost model; planner/problem.ts) without calling anything in planner/, and
 * an enumeration of every placement against it. This is the oracle the exactness tests
 * compare `solve` with: it is slow on purpose and simple enough to check by reading.
 */

/** Two costs are equal when they differ by at most this much (relative to the larger of 1 and the optimum). */
export function tolerance(cost: number): number {
  return 1e-9 * Math.max(1, Math.abs(cost));
}

export function sameCost(a: number, b: number): boolean {
  return Math.abs(a - b) <= tolerance(Math.max(Math.abs(a), Math.abs(b)));
}

/** Every hard constraint: the stop is allowed, and a no-cut segment sits at its parent's stop (the root: at the arrival stop). */
export function feasibleByModel(p: EntryProblem, placement: ArrayLike<number>): boolean {
  for (let s = 0; s < p.n; s++) {
    const t = placement[s]!;
    if (t < 0 || t >= p.k || p.allowed[s * p.k + t] !== 1) return false;
    const parent = p.parent[s]!;
    const above = parent < 0 ? p.arrival : placement[parent]!;
    if (p.noCut[s] === 1 && t !== above) return false;
  }
  return true;
}

export interface ModelCost {
  /** Σ own (compute + access). */
  own: number;
  /** Σ compute alone. */
  compute: number;
  /** Round trips of the cuts. */
  cut: number;
  /** Bytes over the bottleneck. */
  transfer: number;
  total: number;
}

/** The previous sibling of each segment in its parent's execution order, −1 for a first child or the root. */
export function previousSiblings(p: EntryProblem): Int32Array {
  const prev = new Int32Array(p.n).fill(-1);
  for (let s = 0; s < p.n; s++) {
    const kids = p.children[s]!;
    for (let i = 1; i < kids.length; i++) prev[kids[i]!] = kids[i - 1]!;
  }
  return prev;
}

/**
 * The cost of one placement, term by term: every segment's own cost at its stop, and for
 * every segment away from its parent (the root: away from the arrival stop) the transfer
 * of its bytes on every execution plus one round trip per entry into its run.
 */
export function modelCost(p: EntryProblem, placement: ArrayLike<number>, prev: Int32Array = previousSiblings(p)): ModelCost {
  const k = p.k;
  let own = 0;
  let compute = 0;
  let cut = 0;
  let transfer = 0;
  for (let s = 0; s < p.n; s++) {
    const t = placement[s]!;
    own += p.own[s * k + t]!;
    compute += p.compute[s * k + t]!;
    const parent = p.parent[s]!;
    const u = parent < 0 ? p.arrival : placement[parent]!;
    if (t === u) continue;
    const count = p.count[s]!;
    transfer += count * p.bytes[s]! * p.msPerByte[u * k + t]!;
    const before = prev[s]!;
    let entries: number;
    if (parent < 0 || before < 0 || p.alternatives[parent] === 1 || placement[before] !== t) entries = count;
    else entries = Math.max(0, count - p.count[before]!);
    cut += p.rtt[u * k + t]! * entries;
  }
  return { own, compute, cut, transfer, total: own + cut + transfer };
}

/** Σ_s |P(s) − arrival|: how far the code moved; the tie-breaker among optimal placements. */
export function moves(p: EntryProblem, placement: ArrayLike<number>): number {
  let sum = 0;
  for (let s = 0; s < p.n; s++) sum += Math.abs(placement[s]! - p.arrival);
  return sum;
}

export interface BruteForce {
  /** Whether any placement meets every hard constraint. */
  readonly feasible: boolean;
  /** The least cost over feasible placements (Infinity when none). */
  readonly best: number;
  /** The least Σ|P − arrival| among placements whose cost equals `best` (within `tolerance`). */
  readonly bestMoves: number;
  /** How many feasible placements are optimal (within `tolerance`). */
  readonly optimal: number;
  /** An optimal placement with the least moves, or null. */
  readonly witness: Int8Array | null;
  /**
   * Whether some feasible placement costs more than the optimum by an amount that is
   * neither rounding noise (≤ 1e-12 relative) nor clearly more (> 1e-7 relative): near
   * the 1e-9 tie tolerance, where comparisons made with that tolerance on partial sums (as
   * a dynamic programme does) may legitimately disagree with comparisons on totals. Only
   * very small random costs (around 1e-9 ms) produce it.
   */
  readonly ambiguous: boolean;
  /** Placements enumerated (k^n) and how many of them were feasible. */
  readonly enumerated: number;
  readonly feasibleCount: number;
}

/** k^n, the number of placements the enumeration visits. */
export function placementsOf(k: number, n: number): number {
  return k ** n;
}

/**
 * Enumerates all k^n placements (an odometer over the stops of every segment), prices the
 * feasible ones with `modelCost`, and keeps the optimum and the least movement among
 * optimal placements. Throws above `limit` placements so a test never hangs silently.
 */
export function bruteForce(p: EntryProblem, limit = 300_000): BruteForce {
  const { k, n } = p;
  const total = placementsOf(k, n);
  if (total > limit) throw new Error(`brute force over ${k}^${n} = ${total} placements exceeds ${limit}`);
  const prev = previousSiblings(p);
  const costs = new Float64Array(total).fill(Infinity);
  const placement = new Int8Array(n);
  let best = Infinity;
  let feasibleCount = 0;
  for (let index = 0; index < total; index++) {
    if (feasibleByModel(p, placement)) {
      const cost = modelCost(p, placement, prev).total;
      costs[index] = cost;
      feasibleCount++;
      if (cost < best) best = cost;
    }
    // next placement: segment 0 is the fastest digit
    for (let s = 0; s < n; s++) {
      placement[s] = placement[s]! + 1;
      if (placement[s]! < k) break;
      placement[s] = 0;
    }
  }
  if (feasibleCount === 0) {
    return { feasible: false, best: Infinity, bestMoves: Infinity, optimal: 0, witness: null, ambiguous: false, enumerated: total, feasibleCount };
  }
  const slack = tolerance(best);
  let bestMoves = Infinity;
  let optimal = 0;
  let witness: Int8Array | null = null;
  let ambiguous = false;
  const scale = Math.max(1, Math.abs(best));
  placement.fill(0);
  for (let index = 0; index < total; index++) {
    const excess = costs[index]! - best;
    if (excess > 1e-12 * scale && excess <= 1e-7 * scale) ambiguous = true;
    if (costs[index]! <= best + slack) {
      optimal++;
      const m = moves(p, placement);
      if (m < bestMoves) {
        bestMoves = m;
        witness = placement.slice();
      }
    }
    for (let s = 0; s < n; s++) {
      placement[s] = placement[s]! + 1;
      if (placement[s]! < k) break;
      placement[s] = 0;
    }
  }
  return { feasible: true, best, bestMoves, optimal, witness, ambiguous, enumerated: total, feasibleCount };
}

/** The segments of s's subtree: in pre-order they are s and the next `size − 1` indices. */
export function subtreeOf(p: EntryProblem, s: number): number[] {
  const out = [s];
  for (let i = 0; i < out.length; i++) out.push(...p.children[out[i]!]!);
  return out.sort((a, b) => a - b);
}

/**
 * The least cost of a feasible placement that keeps `placement` outside s's subtree, puts
 * s at `stop`, and places the rest of the subtree freely (every one of its k^(size−1)
 * placements is tried); Infinity when none is feasible.
 */
export function bestWithSegmentAt(p: EntryProblem, placement: ArrayLike<number>, s: number, stop: number): number {
  const free = subtreeOf(p, s).filter((x) => x !== s);
  const trial = Int8Array.from(placement as ArrayLike<number>);
  trial[s] = stop;
  for (const x of free) trial[x] = 0;
  const prev = previousSiblings(p);
  let best = Infinity;
  const total = p.k ** free.length;
  for (let index = 0; index < total; index++) {
    if (feasibleByModel(p, trial)) best = Math.min(best, modelCost(p, trial, prev).total);
    for (const x of free) {
      trial[x] = trial[x]! + 1;
      if (trial[x]! < p.k) break;
      trial[x] = 0;
    }
  }
  return best;
}
