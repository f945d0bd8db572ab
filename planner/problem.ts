/**
 * One entry's placement problem, as numbers: what the cost model says about every
 * segment at every stop, with the source and the analyzer's vocabulary stripped away.
 * `buildProblem` (problem-build.ts) makes it from a SegmentGraph; `solve`
 * (placement.ts) finds its exact optimum; `placementCost` below is the model itself,
 * written as directly as possible, so tests can enumerate placements against it.
 *
 * Segments are numbered in pre-order (0 is the root); stops by their index on the line
 * (0 is the client end). Matrices are flat, row-major: `own[s * k + t]`.
 */
export interface EntryProblem {
  /** Number of stops on the line. */
  readonly k: number;
  /** Index of the stop the request arrives at: the root's virtual parent. */
  readonly arrival: number;
  /** Number of segments. */
  readonly n: number;
  /** Parent index, -1 for the root. Parents come before children. */
  readonly parent: Int32Array;
  /** Children in execution order. */
  readonly children: readonly (readonly number[])[];
  /** 1 when the segment's children are alternatives (the sides of a branch): never batched. */
  readonly alternatives: Uint8Array;
  /** Expected executions per request. */
  readonly count: Float64Array;
  /** Compute and access cost of the segment's own code at each stop (n × k), ms per request. */
  readonly own: Float64Array;
  /** Compute part of `own` (n × k); `own − compute` is the access part. */
  readonly compute: Float64Array;
  /** 1 when the segment may run at the stop (n × k): its hard constraints allow it. */
  readonly allowed: Uint8Array;
  /** 1 when the segment must run at its parent's stop (a no-cut fact; the root: at the arrival stop). */
  readonly noCut: Uint8Array;
  /** Bytes crossing a cut above this segment, per RPC. */
  readonly bytes: Float64Array;
  /** Round-trip time between two stops (k × k), ms. */
  readonly rtt: Float64Array;
  /** Transfer time per byte between two stops (k × k), ms (0 on the diagonal and on unlimited hops). */
  readonly msPerByte: Float64Array;
}

/** A placement: the stop index of every segment. */
export type Placement = ArrayLike<number>;

/** The parts of a placement's cost, in ms per request. */
export interface CostParts {
  compute: number;
  access: number;
  cut: number;
  transfer: number;
}

/** Whether every hard constraint holds. */
export function isFeasible(p: EntryProblem, placement: Placement): boolean {
  for (let s = 0; s < p.n; s++) {
    const t = placement[s]!;
    if (p.allowed[s * p.k + t] !== 1) return false;
    const above = p.parent[s]! < 0 ? p.arrival : placement[p.parent[s]!]!;
    if (p.noCut[s] === 1 && t !== above) return false;
  }
  return true;
}

/**
 * How many times per request the RPC into segment `s` is made, given the placement,
 * when `s` runs away from its parent. A new run (first child, after a sibling at another
 * stop, or a side of a branch) is entered `count(s)` times; a segment continuing a run
 * rides in the RPC already made, and pays only for the executions that reach it without
 * its predecessor (a `finally` after a `catch`): `max(0, count(s) − count(prev))`.
 */
export function rpcCount(p: EntryProblem, placement: Placement, s: number, index: number, siblings: readonly number[], parentIndex: number): number {
  if (parentIndex < 0 || index === 0 || p.alternatives[parentIndex] === 1) return p.count[s]!;
  const prev = siblings[index - 1]!;
  return rpcsInto(p, s, prev, placement[prev] === placement[s]);
}

/** RPCs per request into `s`: a new run pays `count(s)`; continuing the run of `prev` pays only what reaches `s` without it. */
export function rpcsInto(p: EntryProblem, s: number, prev: number, continuesRun: boolean): number {
  return continuesRun ? Math.max(0, p.count[s]! - p.count[prev]!) : p.count[s]!;
}

/** The cost model, summed term by term: the expected latency of one request. */
export function placementCost(p: EntryProblem, placement: Placement): CostParts {
  const parts: CostParts = { compute: 0, access: 0, cut: 0, transfer: 0 };
  const k = p.k;
  for (let s = 0; s < p.n; s++) {
    const t = placement[s]!;
    parts.compute += p.compute[s * k + t]!;
    parts.access += p.own[s * k + t]! - p.compute[s * k + t]!;
  }
  const edge = (s: number, from: number, index: number, siblings: readonly number[], parentIndex: number): void => {
    const to = placement[s]!;
    if (to === from) return;
    parts.cut += p.rtt[from * k + to]! * rpcCount(p, placement, s, index, siblings, parentIndex);
    parts.transfer += p.count[s]! * p.bytes[s]! * p.msPerByte[from * k + to]!;
  };
  edge(0, p.arrival, 0, [0], -1);
  for (let s = 0; s < p.n; s++) {
    const kids = p.children[s]!;
    for (let i = 0; i < kids.length; i++) edge(kids[i]!, placement[s]!, i, kids, s);
  }
  return parts;
}

export function total(parts: CostParts): number {
  return parts.compute + parts.access + parts.cut + parts.transfer;
}
