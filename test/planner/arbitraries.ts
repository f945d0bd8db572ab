import fc from 'fast-check';
import type { EntryProblem } from '../../planner/problem.js';

/**
 * fast-check arbitraries for EntryProblems: random region trees (pre-order, children in
 * index order) with random counts, own costs, hard constraints and a random line. Every
 * value is drawn from fixed-length arrays and then cut to size, so shrinking works on
 * plain integers: a failing case shrinks towards a star tree, count 1, cost 0, every stop
 * allowed, no no-cut, zero bytes.
 *
 * Values are mostly small integers or a few round numbers, so that many placements tie
 * exactly: the tie-break (least movement away from the arrival stop) is where a planner
 * that is almost right goes wrong.
 */

export const MAX_SEGMENTS = 10;
export const MAX_STOPS = 5;

/** The most segments a problem with `k` stops gets, so that k^n stays within `limit` placements. */
export function maxSegments(k: number, limit: number): number {
  let n = 1;
  while (n < MAX_SEGMENTS && k ** (n + 1) <= limit) n++;
  return n;
}

/** The line as matrices: rtt(i, j) = 2 · Σ one-way hop latencies between; ms per byte over the bottleneck hop (null = unlimited). */
export function lineMatrices(hopLatency: readonly number[], hopMbps: readonly (number | null)[], k: number): { rtt: Float64Array; msPerByte: Float64Array } {
  const rtt = new Float64Array(k * k);
  const msPerByte = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      if (i === j) continue;
      let oneWay = 0;
      let slowest = 0;
      for (let h = Math.min(i, j) + 1; h <= Math.max(i, j); h++) {
        oneWay += hopLatency[h - 1] ?? 0;
        const mbps = hopMbps[h - 1] ?? null;
        // Mbit/s is 1000 bits per ms: a byte takes 8 / (1000 · Mbit/s) ms; the bottleneck is the slowest hop.
        if (mbps !== null) slowest = Math.max(slowest, 8 / (1000 * mbps));
      }
      rtt[i * k + j] = 2 * oneWay;
      msPerByte[i * k + j] = slowest;
    }
  }
  return { rtt, msPerByte };
}

/** Children of every node, in index order (pre-order numbering makes that execution order). */
export function childrenOf(parent: ArrayLike<number>): number[][] {
  const children: number[][] = Array.from({ length: parent.length }, () => []);
  for (let s = 1; s < parent.length; s++) children[parent[s]!]!.push(s);
  return children;
}

export interface ProblemSpec {
  k: number;
  arrival: number;
  /** Parent of each segment, −1 for the root; must be a pre-order numbering. */
  parent: readonly number[];
  count?: readonly number[];
  /** own[s][t]; default 0. */
  own?: readonly (readonly number[])[];
  /** compute[s][t]; default = own. */
  compute?: readonly (readonly number[])[];
  /** allowed[s][t] as 0/1; default all allowed. */
  allowed?: readonly (readonly number[])[];
  noCut?: readonly number[];
  alternatives?: readonly number[];
  bytes?: readonly number[];
  /** One-way latency of each hop (k − 1 of them, hop h joins stops h and h + 1). */
  hopLatency?: readonly number[];
  hopMbps?: readonly (number | null)[];
}

/** An EntryProblem from readable arrays, for hand-written examples. */
export function makeProblem(spec: ProblemSpec): EntryProblem {
  const { k, arrival } = spec;
  const n = spec.parent.length;
  const grid = (rows: readonly (readonly number[])[] | undefined, fallback: number): Float64Array => {
    const out = new Float64Array(n * k).fill(fallback);
    if (rows) for (let s = 0; s < n; s++) for (let t = 0; t < k; t++) out[s * k + t] = rows[s]?.[t] ?? fallback;
    return out;
  };
  const own = grid(spec.own, 0);
  const compute = spec.compute ? grid(spec.compute, 0) : own.slice();
  const allowed = Uint8Array.from(grid(spec.allowed, 1));
  const { rtt, msPerByte } = lineMatrices(spec.hopLatency ?? Array<number>(k - 1).fill(10), spec.hopMbps ?? Array<null>(k - 1).fill(null), k);
  const parent = Int32Array.from(spec.parent);
  return {
    k,
    arrival,
    n,
    parent,
    children: childrenOf(parent),
    alternatives: Uint8Array.from(spec.alternatives ?? Array<number>(n).fill(0)),
    count: Float64Array.from(spec.count ?? Array<number>(n).fill(1)),
    own,
    compute,
    allowed,
    noCut: Uint8Array.from(spec.noCut ?? Array<number>(n).fill(0)),
    bytes: Float64Array.from(spec.bytes ?? Array<number>(n).fill(0)),
    rtt,
    msPerByte,
  };
}

/** Whether a problem keeps the invariants problem.ts states (for a sanity property over the arbitrary itself). */
export function problemInvariants(p: EntryProblem): string[] {
  const errors: string[] = [];
  const { n, k } = p;
  if (p.arrival < 0 || p.arrival >= k) errors.push('arrival out of range');
  if (p.parent[0] !== -1) errors.push('segment 0 is not the root');
  // pre-order: walking the children lists from the root visits 0, 1, …, n − 1
  const order: number[] = [];
  const walk = (s: number): void => {
    order.push(s);
    for (const c of p.children[s]!) walk(c);
  };
  walk(0);
  if (order.join() !== Array.from({ length: n }, (_, i) => i).join()) errors.push(`not pre-order: ${order.join()}`);
  for (let s = 1; s < n; s++) {
    if (!(p.parent[s]! < s)) errors.push(`parent of ${s} after it`);
    if (!p.children[p.parent[s]!]!.includes(s)) errors.push(`${s} missing from its parent's children`);
  }
  for (let i = 0; i < n * k; i++) {
    if (!(p.compute[i]! >= 0 && p.compute[i]! <= p.own[i]!)) errors.push(`compute ${p.compute[i]} outside [0, own ${p.own[i]}] at ${i}`);
  }
  for (let i = 0; i < k; i++) {
    if (p.rtt[i * k + i] !== 0 || p.msPerByte[i * k + i] !== 0) errors.push(`nonzero diagonal at ${i}`);
    for (let j = 0; j < k; j++) if (p.rtt[i * k + j] !== p.rtt[j * k + i]) errors.push(`asymmetric rtt ${i},${j}`);
  }
  return errors;
}

const COUNTS = [1, 0.5, 0.05, 2, 0, 3, 0.95, 10] as const;
const FACTORS = [1, 0.5, 0.05, 2, 0, 3, 0.95, 0.25] as const;
const BYTES = [0, 100, 1000, 8, 65536, 250_000] as const;
const SLOWDOWNS = [1, 2, 4, 0.5] as const;
const MBPS = [1000, 100, 10, 1, 0.5] as const;

const pick = <T>(values: readonly T[], i: number): T => values[i % values.length]!;

const realCost = fc.double({ min: 0, max: 100, noNaN: true, noDefaultInfinity: true });
const smallOrReal = (max: number): fc.Arbitrary<number> =>
  fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max }) }, { weight: 1, arbitrary: fc.double({ min: 0, max, noNaN: true, noDefaultInfinity: true }) });

/** The raw draws a problem is built from; all fixed-length, cut to size by `buildFromDraws`. */
const draws = fc.record({
  k: fc.integer({ min: 2, max: MAX_STOPS }),
  n: fc.integer({ min: 1, max: MAX_SEGMENTS }),
  arrival: fc.nat(MAX_STOPS - 1),
  /** For segment s ≥ 1, which node on the path from the root to s − 1 is its parent (0 = the root). */
  shape: fc.array(fc.nat(MAX_SEGMENTS - 1), { minLength: MAX_SEGMENTS - 1, maxLength: MAX_SEGMENTS - 1 }),
  countMode: fc.constantFrom('tree', 'fallthrough', 'arbitrary'),
  rootCount: fc.constantFrom(1, 0.5, 2, 0),
  countPick: fc.array(fc.nat(7), { minLength: MAX_SEGMENTS, maxLength: MAX_SEGMENTS }),
  ownMode: fc.constantFrom('small', 'structured', 'real'),
  ownSmall: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: MAX_SEGMENTS * MAX_STOPS, maxLength: MAX_SEGMENTS * MAX_STOPS }),
  ownReal: fc.array(realCost, { minLength: MAX_SEGMENTS * MAX_STOPS, maxLength: MAX_SEGMENTS * MAX_STOPS }),
  computeShare: fc.array(fc.constantFrom(1, 0, 0.5, 0.25), { minLength: MAX_SEGMENTS * MAX_STOPS, maxLength: MAX_SEGMENTS * MAX_STOPS }),
  weight: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: MAX_SEGMENTS, maxLength: MAX_SEGMENTS }),
  accessCount: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: MAX_SEGMENTS, maxLength: MAX_SEGMENTS }),
  home: fc.nat(MAX_STOPS - 1),
  slowdown: fc.array(fc.nat(3), { minLength: MAX_STOPS, maxLength: MAX_STOPS }),
  allowThreshold: fc.constantFrom(0, 12, 35),
  allowDraw: fc.array(fc.nat(99), { minLength: MAX_SEGMENTS * MAX_STOPS, maxLength: MAX_SEGMENTS * MAX_STOPS }),
  noCutThreshold: fc.constantFrom(0, 15, 40),
  noCutDraw: fc.array(fc.nat(99), { minLength: MAX_SEGMENTS, maxLength: MAX_SEGMENTS }),
  alternativesDraw: fc.array(fc.nat(9), { minLength: MAX_SEGMENTS, maxLength: MAX_SEGMENTS }),
  bytesPick: fc.array(fc.nat(5), { minLength: MAX_SEGMENTS, maxLength: MAX_SEGMENTS }),
  hopLatency: fc.array(fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 4, arbitrary: smallOrReal(40) }), { minLength: MAX_STOPS - 1, maxLength: MAX_STOPS - 1 }),
  hopMbps: fc.array(fc.option(fc.nat(4), { nil: null, freq: 2 }), { minLength: MAX_STOPS - 1, maxLength: MAX_STOPS - 1 }),
});

type Draws = typeof draws extends fc.Arbitrary<infer T> ? T : never;

function buildFromDraws(d: Draws, limit: number): EntryProblem {
  const k = d.k;
  const n = Math.min(d.n, maxSegments(k, limit));
  const arrival = d.arrival % k;

  // Tree: segment s hangs under a node on the path from the root to s − 1, so numbering is pre-order.
  const parent = new Int32Array(n).fill(-1);
  const path: number[] = [0];
  for (let s = 1; s < n; s++) {
    const j = d.shape[s - 1]! % path.length;
    parent[s] = path[j]!;
    path.length = j + 1;
    path.push(s);
  }
  const children = childrenOf(parent);

  const count = new Float64Array(n);
  count[0] = d.rootCount;
  for (let s = 1; s < n; s++) {
    const draw = d.countPick[s]!;
    const above = count[parent[s]!]!;
    if (d.countMode === 'arbitrary') count[s] = pick(COUNTS, draw);
    else count[s] = above * pick(FACTORS, draw);
  }
  if (d.countMode === 'fallthrough') {
    // code after an early exit runs no more often than the code before it
    for (const kids of children) for (let i = 1; i < kids.length; i++) count[kids[i]!] = Math.min(count[kids[i]!]!, count[kids[i - 1]!]!);
  }

  const hopLatency = d.hopLatency.slice(0, k - 1);
  const hopMbps = d.hopMbps.slice(0, k - 1).map((m) => (m === null ? null : pick(MBPS, m)));
  const { rtt, msPerByte } = lineMatrices(hopLatency, hopMbps, k);

  const own = new Float64Array(n * k);
  const compute = new Float64Array(n * k);
  const home = d.home % k;
  for (let s = 0; s < n; s++) {
    for (let t = 0; t < k; t++) {
      const i = s * k + t;
      const draw = s * MAX_STOPS + t;
      if (d.ownMode === 'structured') {
        // what buildProblem derives: weight × count × slowdown, plus one round trip home per remote access
        const c = count[s]! * d.weight[s]! * pick(SLOWDOWNS, d.slowdown[t]!);
        compute[i] = c;
        own[i] = c + count[s]! * d.accessCount[s]! * rtt[t * k + home]!;
      } else {
        own[i] = d.ownMode === 'small' ? d.ownSmall[draw]! : d.ownReal[draw]!;
        compute[i] = own[i]! * d.computeShare[draw]!;
      }
    }
  }

  const allowed = new Uint8Array(n * k);
  for (let s = 0; s < n; s++) for (let t = 0; t < k; t++) allowed[s * k + t] = d.allowDraw[s * MAX_STOPS + t]! < d.allowThreshold ? 0 : 1;
  const noCut = Uint8Array.from({ length: n }, (_, s) => (d.noCutDraw[s]! < d.noCutThreshold ? 1 : 0));
  const alternatives = Uint8Array.from({ length: n }, (_, s) => (d.alternativesDraw[s]! >= 7 ? 1 : 0));
  const bytes = Float64Array.from({ length: n }, (_, s) => pick(BYTES, d.bytesPick[s]!));

  return { k, arrival, n, parent, children, alternatives, count, own, compute, allowed, noCut, bytes, rtt, msPerByte };
}

/**
 * Random EntryProblems with 1–10 segments and 2–5 stops, cut so that k^n ≤ `limit`
 * (10 segments on 2–3 stops, 8 on 4, 7 on 5 with the default).
 */
export function entryProblem(limit = 100_000): fc.Arbitrary<EntryProblem> {
  return draws.map((d) => buildFromDraws(d, limit));
}

/** A compact, copy-pasteable rendering of a problem for failure messages and reports. */
export function showProblem(p: EntryProblem): string {
  const rows = (a: ArrayLike<number>, width: number): number[][] =>
    Array.from({ length: a.length / width }, (_, r) => Array.from({ length: width }, (_, c) => a[r * width + c]!));
  return JSON.stringify({
    k: p.k,
    arrival: p.arrival,
    parent: Array.from(p.parent),
    count: Array.from(p.count),
    own: rows(p.own, p.k),
    compute: rows(p.compute, p.k),
    allowed: rows(p.allowed, p.k),
    noCut: Array.from(p.noCut),
    alternatives: Array.from(p.alternatives),
    bytes: Array.from(p.bytes),
    rtt: rows(p.rtt, p.k),
    msPerByte: rows(p.msPerByte, p.k),
  });
}
