import type {
  Access, Entry, Fact, Line, PlanModel, Profile, RelatedNote, Segment, SegmentGraph, SourceRange, StopName, Store,
} from '../src/ir/index.js';
import { formatMessage } from '../src/diagnostics/index.js';
import { lineMetrics, type LineMetrics } from './line-metrics.js';
import { secretConstraints } from './confidentiality.js';
import type { EntryProblem } from './problem.js';

/** Milliseconds per abstract op of segment weight at slowdown 1: 1 µs. */
export const DEFAULT_MS_PER_OP = 0.001;

export interface PlanOptions {
  /** Measured counts that replace the static estimates, and the file they came from. */
  readonly profile?: { readonly data: Profile; readonly file: string };
  readonly msPerOp?: number;
  /**
   * Instead of the optimum, every entry placed whole at one stop: `'arrival'` (each at its
   * own arrival stop) or a stop's name. The baselines as plans that codegen can build and
   * the runtime can measure. An entry whose constraints forbid it is `unsatisfiable`
   * with an SL4005 diagnostic.
   */
  readonly placeAll?: 'arrival' | StopName;
}

/**
 * A hard constraint on where one segment may run, with the fact (or the planner's own
 * rule) that imposes it. `allowed[t]` says whether stop `t` is permitted; a `no-cut`
 * constraint ties the segment to its parent's stop instead.
 */
export interface Constraint {
  readonly code: string;
  readonly message: string;
  readonly range: SourceRange;
  readonly related: readonly RelatedNote[];
  readonly allowed: readonly boolean[] | 'no-cut';
}

/** One access of a segment, priced: who serves it from each stop. */
export interface ModelAccess {
  readonly access: Access;
  readonly count: number;
  readonly store: Store | null;
  /** `server[t]`: the stop that serves the access when it is executed at `t` (t itself when it can). */
  readonly server: Int16Array;
}

/** An entry's problem with everything needed to explain its solution. */
export interface EntryModel {
  readonly entry: Entry;
  /** Kind of each live variable (`value`, `store-handle`…), by id. */
  readonly variableKind: ReadonlyMap<string, string>;
  readonly problem: EntryProblem;
  readonly segments: readonly Segment[];
  readonly indexOf: ReadonlyMap<string, number>;
  readonly metrics: LineMetrics;
  /** Constraints from each segment's own facts and the planner's derived rules. */
  readonly constraints: readonly (readonly Constraint[])[];
  /** `blocker[s * k + t]`: the first constraint that forbids segment s at stop t, or null. */
  readonly blocker: readonly (Constraint | null)[];
  readonly accesses: readonly (readonly ModelAccess[])[];
}

export interface ModelContext {
  readonly graph: SegmentGraph;
  readonly line: Line;
  readonly metrics: LineMetrics;
  readonly model: PlanModel;
  readonly profile: Profile | null;
  readonly segmentsByEntry: ReadonlyMap<string, readonly Segment[]>;
  readonly accessById: ReadonlyMap<string, Access>;
  readonly variableBytes: ReadonlyMap<string, number>;
  readonly variableKind: ReadonlyMap<string, string>;
  /** Ids of the variables that carry a secret. */
  readonly secretVariables: ReadonlySet<string>;
}

export function modelContext(graph: SegmentGraph, line: Line, options: PlanOptions = {}): ModelContext {
  const segmentsByEntry = new Map<string, Segment[]>();
  for (const segment of graph.segments) {
    let list = segmentsByEntry.get(segment.entry);
    if (list === undefined) segmentsByEntry.set(segment.entry, (list = []));
    list.push(segment);
  }
  return {
    graph,
    line,
    metrics: lineMetrics(line),
    model: {
      loopFactor: graph.settings.loopFactor,
      branchProbability: graph.settings.branchProbability,
      msPerOp: options.msPerOp ?? DEFAULT_MS_PER_OP,
      counts: options.profile === undefined ? 'static' : { profile: options.profile.file },
    },
    profile: options.profile?.data ?? null,
    segmentsByEntry,
    accessById: new Map(graph.accesses.map((a) => [a.id, a])),
    variableBytes: new Map(graph.variables.map((v) => [v.id, v.bytes])),
    variableKind: new Map(graph.variables.map((v) => [v.id, v.kind])),
    secretVariables: new Set(graph.variables.filter((v) => v.secret === true).map((v) => v.id)),
  };
}

/** The numeric problem of one entry (see problem.ts). */
export function buildProblem(graph: SegmentGraph, entry: string, line: Line = graph.line, options: PlanOptions = {}): EntryProblem {
  const found = graph.entries.find((e) => e.name === entry);
  if (found === undefined) throw new RangeError(`no entry named '${entry}' in the graph`);
  return buildEntryModel(modelContext(graph, line, options), found).problem;
}

const RETURN = '(return)@';

/**
 * Bytes crossing a cut above the segment, per RPC: its live-ins and live-outs, one return
 * value. `seen` marks the variables already counted for this segment (`stamp` = its
 * number), so no set is allocated per segment.
 */
function payloadBytes(segment: Segment, childrenOf: (s: Segment) => readonly Segment[], bytes: ReadonlyMap<string, number>, seen: Map<string, number>, stamp: number): number {
  let sum = 0;
  let returned = 0;
  const add = (id: string): void => {
    if (seen.get(id) === stamp) return;
    seen.set(id, stamp);
    const b = bytes.get(id) ?? 0;
    if (id.startsWith(RETURN)) returned = Math.max(returned, b);
    else sum += b;
  };
  for (const id of segment.liveIn) add(id);
  for (const id of segment.liveOut) add(id);
  // A body's completion carries the handler's return value back to the caller.
  if (segment.kind === 'body') for (const child of childrenOf(segment)) for (const id of child.liveOut) if (id.startsWith(RETURN)) add(id);
  return sum + returned;
}

function servingStops(store: Store | null, metrics: LineMetrics): number[] {
  if (store === null) return [];
  const home = metrics.indexOf.get(store.home);
  const stops = home === undefined ? [] : [home];
  if (store.consistency === 'eventual') for (const r of store.replicas) {
    const i = metrics.indexOf.get(r);
    if (i !== undefined && !stops.includes(i)) stops.push(i);
  }
  return stops.sort((a, b) => a - b);
}

/** For each executing stop, the nearest serving stop (itself when it serves; ties towards the client end). */
function serverTable(servers: readonly number[], metrics: LineMetrics): Int16Array {
  const { k, rtt } = metrics;
  const table = new Int16Array(k);
  for (let t = 0; t < k; t++) {
    let best = -1;
    for (const s of servers) if (best < 0 || rtt[t * k + s]! < rtt[t * k + best]!) best = s;
    table[t] = best < 0 ? t : best;
  }
  return table;
}

function onlyStops(k: number, pick: (t: number) => boolean): boolean[] {
  return Array.from({ length: k }, (_, t) => pick(t));
}

function factConstraint(fact: Fact, metrics: LineMetrics, arrival: number): Constraint | null {
  const base = { code: fact.code, message: fact.message, range: fact.range, related: fact.related };
  const k = metrics.k;
  switch (fact.kind) {
    case 'pin': {
      const stop = fact.stop === null ? undefined : metrics.indexOf.get(fact.stop);
      return { ...base, allowed: onlyStops(k, (t) => t === stop) };
    }
    case 'secret':
    case 'integrity':
      return { ...base, allowed: onlyStops(k, (t) => metrics.trusted[t]!) };
    case 'client-only':
      return { ...base, allowed: onlyStops(k, (t) => !metrics.trusted[t]!) };
    case 'server-only':
      return { ...base, allowed: onlyStops(k, (t) => t === k - 1) };
    case 'module-state':
      // Module-level state lives in each stop's own instance; the code that uses it stays
      // where the request arrives, so every request of the entry sees the same copy.
      return { ...base, allowed: onlyStops(k, (t) => t === arrival) };
    case 'no-cut':
      return { ...base, allowed: 'no-cut' };
  }
}

export function buildEntryModel(ctx: ModelContext, entry: Entry): EntryModel {
  const { metrics } = ctx;
  const k = metrics.k;
  const segments = ctx.segmentsByEntry.get(entry.name) ?? [];
  const n = segments.length;
  const indexOf = new Map(segments.map((s, i) => [s.id, i]));
  const arrival = metrics.indexOf.get(entry.arrives) ?? 0;
  const storeByName = new Map(ctx.graph.stores.map((s) => [s.name, s]));

  const parent = new Int32Array(n);
  const children: number[][] = [];
  const alternatives = new Uint8Array(n);
  const count = new Float64Array(n);
  const staticCount = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    const seg = segments[s]!;
    parent[s] = seg.parent === null ? -1 : (indexOf.get(seg.parent) ?? -1);
    const kids: number[] = [];
    for (const c of seg.children) {
      const i = indexOf.get(c);
      if (i !== undefined) kids.push(i);
    }
    children.push(kids);
    alternatives[s] = seg.kind === 'branch' ? 1 : 0;
    staticCount[s] = seg.count;
    const measured = ctx.profile === null ? undefined : ctx.profile.executions[seg.id];
    const requests = ctx.profile === null ? undefined : ctx.profile.requests[entry.name];
    count[s] = measured !== undefined && requests !== undefined && requests > 0 ? measured / requests : seg.count;
  }

  const own = new Float64Array(n * k);
  const compute = new Float64Array(n * k);
  const accesses: ModelAccess[][] = [];
  const writesStrong = new Uint8Array(n);
  for (let s = 0; s < n; s++) {
    const seg = segments[s]!;
    const scale = staticCount[s]! > 0 ? count[s]! / staticCount[s]! : 0;
    const list: ModelAccess[] = [];
    for (const id of seg.accesses) {
      const access = ctx.accessById.get(id);
      if (access === undefined) continue;
      const store = storeByName.get(access.store) ?? null;
      const c = staticCount[s]! > 0 ? access.count * scale : count[s]!;
      list.push({ access, count: c, store, server: serverTable(servingStops(store, metrics), metrics) });
      if (store?.consistency === 'strong' && access.op === 'write') writesStrong[s] = 1;
    }
    accesses.push(list);
    for (let t = 0; t < k; t++) {
      const c = seg.weight * count[s]! * metrics.slowdown[t]! * ctx.model.msPerOp;
      let a = 0;
      for (const m of list) a += m.count * metrics.rtt[t * k + m.server[t]!]!;
      compute[s * k + t] = c;
      own[s * k + t] = c + a;
    }
  }
  // A segment that contains a strong write decides it: never on an untrusted stop.
  const decidesStrongWrite = new Uint8Array(n);
  for (let s = n - 1; s >= 0; s--) {
    if (writesStrong[s] === 1) decidesStrongWrite[s] = 1;
    if (decidesStrongWrite[s] === 1 && parent[s]! >= 0) decidesStrongWrite[parent[s]!] = 1;
  }

  const secrets = secretConstraints(segments, parent, ctx.secretVariables, metrics);
  const constraints: Constraint[][] = [];
  const blocker: (Constraint | null)[] = new Array<Constraint | null>(n * k).fill(null);
  const allowed = new Uint8Array(n * k).fill(1);
  const noCut = new Uint8Array(n);
  // A pin places the pinned code whole: it holds for the segment's subtree, unless a
  // segment inside carries a pin of its own.
  const pinOf: (Constraint | null)[] = new Array<Constraint | null>(n).fill(null);
  for (let s = 0; s < n; s++) {
    const seg = segments[s]!;
    const list: Constraint[] = [];
    let ownPin = false;
    for (const fact of seg.facts) {
      const c = factConstraint(fact, metrics, arrival);
      if (c === null) continue;
      list.push(c);
      if (fact.kind === 'pin') {
        ownPin = true;
        pinOf[s] = c;
      }
    }
    const inherited = parent[s]! >= 0 ? pinOf[parent[s]!]! : null;
    if (!ownPin && inherited !== null) {
      pinOf[s] = inherited;
      list.push(inherited);
    }
    if (decidesStrongWrite[s] === 1 && metrics.trusted.some((t) => !t)) {
      const write = firstStrongWrite(s, children, accesses);
      list.push({
        code: 'SL4102',
        message: formatMessage('SL4102', { store: write?.access.store ?? '?' }),
        range: seg.range,
        related: write === null ? [] : [{ message: `the write (${write.access.api})`, range: write.access.range }],
        allowed: onlyStops(k, (t) => metrics.trusted[t]!),
      });
    }
    list.push(...secrets[s]!);
    for (const c of list) {
      if (c.allowed === 'no-cut') {
        noCut[s] = 1;
        continue;
      }
      for (let t = 0; t < k; t++) {
        if (c.allowed[t]) continue;
        allowed[s * k + t] = 0;
        blocker[s * k + t] ??= c;
      }
    }
    constraints.push(list);
  }

  const bytes = new Float64Array(n);
  const childrenOf = (seg: Segment): Segment[] => (children[indexOf.get(seg.id)!] ?? []).map((c) => segments[c]!);
  const seen = new Map<string, number>();
  for (let s = 0; s < n; s++) bytes[s] = payloadBytes(segments[s]!, childrenOf, ctx.variableBytes, seen, s);

  const problem: EntryProblem = {
    k, arrival, n, parent, children, alternatives, count, own, compute, allowed, noCut, bytes,
    rtt: metrics.rtt, msPerByte: metrics.msPerByte,
  };
  return { entry, variableKind: ctx.variableKind, problem, segments, indexOf, metrics, constraints, blocker, accesses };
}

function firstStrongWrite(s: number, children: readonly (readonly number[])[], accesses: readonly (readonly ModelAccess[])[]): ModelAccess | null {
  const stack = [s];
  while (stack.length > 0) {
    const at = stack.pop()!;
    const hit = accesses[at]!.find((m) => m.store?.consistency === 'strong' && m.access.op === 'write');
    if (hit !== undefined) return hit;
    const kids = children[at]!;
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  return null;
}
