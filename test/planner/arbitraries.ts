import fc from 'fast-check';
import type { EntryProblem } from '../../planner/problem.js';
import type {
  Access, Consistency, Entry, Fact, FactKind, Line, LiveVariable, Segment, SegmentGraph, SegmentKind, SourceRange, Store,
} from '../../src/ir/index.js';

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

// ---------------------------------------------------------------------------------------
// Random SegmentGraphs: what the analyzer could hand the planner, small enough that every
// entry's problem can be enumerated.

const KINDS = ['statement', 'block', 'branch', 'loop', 'try', 'call', 'opaque'] as const satisfies readonly SegmentKind[];
const GRAPH_FACTORS = [1, 0.5, 0.05, 0.95, 4, 1, 0.25] as const;
const FACT_KINDS = ['secret', 'client-only', 'server-only', 'pin', 'no-cut', 'module-state'] as const satisfies readonly FactKind[];
const FACT_CODES: Record<FactKind, string> = {
  secret: 'SL3005', 'client-only': 'SL3006', 'server-only': 'SL3007', pin: 'SL3010', 'no-cut': 'SL3001', 'module-state': 'SL3004', integrity: 'SL3015',
};
const CONSISTENCIES = ['strong', 'eventual', 'local'] as const satisfies readonly Consistency[];
const VARIABLE_BYTES = [16, 0, 200, 5000, 100_000] as const;
const VARIABLES = 5;

const rangeAt = (line: number): SourceRange => ({ file: 'src/service.ts', start: { line, column: 1 }, end: { line, column: 20 } });

const entryDraws = fc.record({
  n: fc.integer({ min: 1, max: MAX_SEGMENTS }),
  arrives: fc.nat(MAX_STOPS - 1),
  shape: fc.array(fc.nat(MAX_SEGMENTS - 1), { minLength: MAX_SEGMENTS - 1, maxLength: MAX_SEGMENTS - 1 }),
  kind: fc.array(fc.nat(KINDS.length - 1), { minLength: MAX_SEGMENTS, maxLength: MAX_SEGMENTS }),
  factor: fc.array(fc.nat(GRAPH_FACTORS.length - 1), { minLength: MAX_SEGMENTS, maxLength: MAX_SEGMENTS }),
  weight: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5000 })), { minLength: MAX_SEGMENTS, maxLength: MAX_SEGMENTS }),
  /** Per segment up to two accesses: [store draw, op draw, repetitions]; store draw ≥ number of stores means none. */
  accesses: fc.array(fc.array(fc.tuple(fc.nat(5), fc.boolean(), fc.integer({ min: 1, max: 3 })), { maxLength: 2 }), { minLength: MAX_SEGMENTS, maxLength: MAX_SEGMENTS }),
  liveIn: fc.array(fc.nat((1 << VARIABLES) - 1), { minLength: MAX_SEGMENTS, maxLength: MAX_SEGMENTS }),
  liveOut: fc.array(fc.nat((1 << VARIABLES) - 1), { minLength: MAX_SEGMENTS, maxLength: MAX_SEGMENTS }),
  /** Per segment: a fact when the first number is under the graph's fact threshold; the second picks its kind, the third a pinned stop. */
  fact: fc.array(fc.tuple(fc.nat(99), fc.nat(FACT_KINDS.length - 1), fc.nat(MAX_STOPS - 1)), { minLength: MAX_SEGMENTS, maxLength: MAX_SEGMENTS }),
});

const graphDraws = fc.record({
  k: fc.integer({ min: 2, max: MAX_STOPS }),
  clientUntrusted: fc.boolean(),
  untrusted: fc.array(fc.nat(9), { minLength: MAX_STOPS, maxLength: MAX_STOPS }),
  slowdown: fc.array(fc.nat(3), { minLength: MAX_STOPS, maxLength: MAX_STOPS }),
  latency: fc.array(fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 4, arbitrary: smallOrReal(40) }), { minLength: MAX_STOPS, maxLength: MAX_STOPS }),
  mbps: fc.array(fc.option(fc.nat(MBPS.length - 1), { nil: null, freq: 2 }), { minLength: MAX_STOPS, maxLength: MAX_STOPS }),
  stores: fc.array(fc.tuple(fc.nat(2), fc.nat(MAX_STOPS - 1), fc.nat((1 << MAX_STOPS) - 1)), { minLength: 1, maxLength: 3 }),
  variableBytes: fc.array(fc.nat(VARIABLE_BYTES.length - 1), { minLength: VARIABLES, maxLength: VARIABLES }),
  factThreshold: fc.constantFrom(0, 10, 25),
  entries: fc.array(entryDraws, { minLength: 1, maxLength: 3 }),
});

type GraphDraws = typeof graphDraws extends fc.Arbitrary<infer T> ? T : never;

function buildGraph(d: GraphDraws, limit: number): SegmentGraph {
  const k = d.k;
  const stopName = (t: number): string => `stop${t}`;
  const line: Line = {
    stops: Array.from({ length: k }, (_, t) => ({
      name: stopName(t),
      trusted: t === 0 ? !d.clientUntrusted : d.untrusted[t]! >= 2,
      slowdown: pick(SLOWDOWNS, d.slowdown[t]!),
      latencyMs: t === 0 ? 0 : d.latency[t]!,
      bandwidthMbps: t === 0 ? null : (d.mbps[t] === null || d.mbps[t] === undefined ? null : pick(MBPS, d.mbps[t])),
    })),
  };
  const stores: Store[] = d.stores.map(([consistency, home, replicas], i) => ({
    name: `store${i}`,
    preset: 'pg',
    kind: 'sql',
    consistency: pick(CONSISTENCIES, consistency),
    home: stopName(home % k),
    replicas: Array.from({ length: k }, (_, t) => t).filter((t) => t !== home % k && (replicas >> t) & 1).map(stopName),
    binding: null,
    urlPrefix: null,
    declared: 'config',
  }));
  const variables: LiveVariable[] = Array.from({ length: VARIABLES }, (_, v) => {
    // variable 0 is a return value: a body's completion carries it once
    const name = v === 0 ? '(return)' : `v${v}`;
    return {
      id: `${name}@src/service.ts:${v + 1}:1`,
      name,
      type: 'unknown',
      kind: 'value',
      bytes: pick(VARIABLE_BYTES, d.variableBytes[v]!),
      reason: null,
      declared: rangeAt(v + 1),
    };
  });
  const variablesOf = (mask: number): string[] => variables.filter((_, v) => (mask >> v) & 1).map((v) => v.id);

  const entries: Entry[] = [];
  const segments: Segment[] = [];
  const accesses: Access[] = [];
  let line0 = 10;
  d.entries.forEach((e, ei) => {
    const name = `entry${ei}`;
    const n = Math.min(e.n, maxSegments(k, limit));
    const ids = Array.from({ length: n }, (_, s) => `${name}#${s}`);
    const parent = new Int32Array(n).fill(-1);
    const path: number[] = [0];
    for (let s = 1; s < n; s++) {
      const j = e.shape[s - 1]! % path.length;
      parent[s] = path[j]!;
      path.length = j + 1;
      path.push(s);
    }
    const children = childrenOf(parent);
    const kind = (s: number): SegmentKind => (s === 0 ? 'body' : pick(KINDS, e.kind[s]!));
    const count = new Float64Array(n);
    count[0] = 1;
    for (let s = 1; s < n; s++) {
      const above = count[parent[s]!]!;
      const k0 = kind(parent[s]!);
      count[s] = k0 === 'branch' ? above / Math.max(1, children[parent[s]!]!.length) : above * pick(GRAPH_FACTORS, e.factor[s]!);
    }
    for (let s = 0; s < n; s++) {
      const own: string[] = [];
      e.accesses[s]!.forEach(([store, write, times], a) => {
        if (store >= stores.length) return;
        const id = `${ids[s]}@${a}`;
        own.push(id);
        accesses.push({
          id, entry: name, segment: ids[s]!, store: stores[store]!.name, op: write ? 'write' : 'read', api: 'pg Pool.query',
          range: rangeAt(line0 + s), count: count[s]! * times, resolvedBy: 'symbol',
        });
      });
      const [roll, factKind, stop] = e.fact[s]!;
      const facts: Fact[] = [];
      if (roll < d.factThreshold) {
        const kindOfFact = pick(FACT_KINDS, factKind);
        facts.push({
          kind: kindOfFact, code: FACT_CODES[kindOfFact], message: `${kindOfFact} fact`, range: rangeAt(line0 + s),
          stop: kindOfFact === 'pin' ? stopName(stop % k) : null, variable: null, related: [],
        });
      }
      segments.push({
        id: ids[s]!,
        entry: name,
        parent: s === 0 ? null : ids[parent[s]!]!,
        children: children[s]!.map((c) => ids[c]!),
        kind: kind(s),
        label: `${kind(s)} ${s}`,
        range: rangeAt(line0 + s),
        callee: null,
        count: count[s]!,
        weight: e.weight[s]!,
        accesses: own,
        liveIn: variablesOf(e.liveIn[s]!),
        liveOut: variablesOf(e.liveOut[s]!),
        mutates: [],
        control: { returns: false, throws: false, breaks: [], continues: [], awaits: false, yields: false },
        facts,
      });
    }
    entries.push({
      name, arrives: stopName(e.arrives % k), source: 'jsdoc', handler: { name, range: rangeAt(line0) }, route: null, root: ids[0]!,
    });
    line0 += 20;
  });
  return {
    schema: 'stopline.graph/v1',
    line,
    stores,
    settings: { loopFactor: 10, branchProbability: 0.5, inlineDepth: 3, inlineBudget: 200 },
    entries,
    segments,
    variables,
    accesses,
    diagnostics: [],
    stats: { files: 1, lines: line0, segments: segments.length, accesses: accesses.length },
  };
}

/** Random SegmentGraphs with 1–3 entries of 1–10 segments each (k^n ≤ `limit` per entry), 2–5 stops, 1–3 stores. */
export function segmentGraph(limit = 100_000): fc.Arbitrary<SegmentGraph> {
  return graphDraws.map((d) => buildGraph(d, limit));
}
