import { compareDiagnostics, diagnostic } from '../diagnostics/index.js';
import type { Diagnostic, PlacedSegment, Plan, PlannedEntry, RoundTrips, SourceRange } from '../ir/index.js';

/**
 * `stopline check` as a pure function: a fresh plan against a baseline plan, as findings
 * (diagnostics with SL42xx codes and the source range of the entry or segment they are
 * about), so the terminal, GitHub annotations and SARIF all say the same thing.
 *
 * What fails (category `error`):
 *   SL4201  an entry's latency, or its round trips over any link, got worse (beyond a tolerance)
 *   SL4202  a segment moved: the same segment at a different stop, in either direction —
 *           a placement change is a reviewable event even when it is cheaper; accept it by
 *           refreshing the baseline
 *   SL4203  an entry is new;  SL4204  an entry is gone;  SL4205  an entry became unsatisfiable
 * What is news, not failure (category `info`):
 *   SL4206  an entry's latency or round trips improved, or it became satisfiable again
 *   SL4207  a segment is new;  SL4208  a segment is gone — whatever they cost already shows
 *           in their entry's latency and round trips, which are checked
 *
 * Segments are matched by id. The id hashes the segment's own text, so an edited segment
 * gets a new id; the unmatched ones of an entry are then paired when exactly one on each
 * side has the same kind and label, or else the same kind and start position, and a pair
 * at different stops is a move. Of a new (or gone) subtree only its top segment is reported.
 * Error diagnostics of the plan itself are not findings: the caller fails on them as it
 * would without a baseline.
 */

export interface CompareOptions {
  /** Latency differences up to this many ms are noise (plan.json rounds to 1 µs). Default 0.001. */
  readonly toleranceMs?: number;
  /** Round-trip differences up to this are noise. Default 1e-6. */
  readonly roundTripTolerance?: number;
}

export interface Change {
  readonly before: number | null;
  readonly after: number | null;
}

export type EntryVerdict = 'same' | 'worse' | 'better' | 'mixed' | 'new' | 'removed' | 'unsatisfiable' | 'satisfiable';

export interface EntryComparison {
  readonly name: string;
  readonly verdict: EntryVerdict;
  readonly latencyMs: Change;
  /** Per link, in line order (links of either plan). */
  readonly roundTrips: Readonly<Record<string, Change>>;
}

export interface PlanComparison {
  /** Every finding, sorted by location then code. */
  readonly findings: readonly Diagnostic[];
  /** The findings that make the check fail (category `error`). */
  readonly failures: readonly Diagnostic[];
  readonly failed: boolean;
  /** One row per entry of either plan, sorted by name. */
  readonly entries: readonly EntryComparison[];
}

const DEFAULT_TOLERANCE_MS = 0.001;
const DEFAULT_ROUND_TRIP_TOLERANCE = 1e-6;
/** Slack for float noise on top of a tolerance that equals the rounding unit. */
const EPSILON = 1e-9;

export function comparePlans(baseline: Plan, current: Plan, options: CompareOptions = {}): PlanComparison {
  const toleranceMs = options.toleranceMs ?? DEFAULT_TOLERANCE_MS;
  const rtTolerance = options.roundTripTolerance ?? DEFAULT_ROUND_TRIP_TOLERANCE;
  const findings: Diagnostic[] = [];
  const rows: EntryComparison[] = [];

  const before = new Map(baseline.entries.map((e) => [e.name, e]));
  const after = new Map(current.entries.map((e) => [e.name, e]));
  const names = [...new Set([...before.keys(), ...after.keys()])].sort(byString);
  const links = linkOrder(baseline, current);

  for (const name of names) {
    const b = before.get(name);
    const a = after.get(name);
    if (b === undefined && a !== undefined) {
      findings.push(diagnostic('SL4203', entryRange(a), { entry: name }));
      rows.push(row(name, 'new', undefined, a, links));
      continue;
    }
    if (a === undefined && b !== undefined) {
      findings.push(diagnostic('SL4204', entryRange(b), { entry: name }));
      rows.push(row(name, 'removed', b, undefined, links));
      continue;
    }
    if (a === undefined || b === undefined) continue;
    if (b.status === 'planned' && a.status === 'unsatisfiable') {
      findings.push(diagnostic('SL4205', entryRange(a), { entry: name }));
      rows.push(row(name, 'unsatisfiable', b, a, links));
      continue;
    }
    if (b.status === 'unsatisfiable' && a.status === 'planned') {
      findings.push(diagnostic('SL4206', entryRange(a), { entry: name, metric: 'status', before: 'unsatisfiable', after: 'planned' }));
      rows.push(row(name, 'satisfiable', b, a, links));
      continue;
    }
    if (a.status === 'unsatisfiable') {
      rows.push(row(name, 'unsatisfiable', b, a, links));
      continue;
    }
    let worse = false;
    let better = false;
    const metric = (label: string, x: number, y: number, tolerance: number, unit: string): void => {
      const args = { entry: name, metric: label, before: `${x}${unit}`, after: `${y}${unit}` };
      if (y - x > tolerance + EPSILON) {
        worse = true;
        findings.push(diagnostic('SL4201', entryRange(a), args));
      } else if (x - y > tolerance + EPSILON) {
        better = true;
        findings.push(diagnostic('SL4206', entryRange(a), args));
      }
    };
    metric('latency', b.latencyMs ?? 0, a.latencyMs ?? 0, toleranceMs, ' ms');
    for (const link of links) metric(`round trips over ${link}`, trips(b.roundTrips, link), trips(a.roundTrips, link), rtTolerance, '');
    rows.push(row(name, worse && better ? 'mixed' : worse ? 'worse' : better ? 'better' : 'same', b, a, links));
  }

  findings.push(...compareSegments(baseline, current, new Set(names.filter((n) => before.has(n) && after.has(n)))));
  findings.sort(compareDiagnostics);
  const failures = findings.filter((d) => d.category === 'error');
  return { findings, failures, failed: failures.length > 0, entries: rows };
}

function compareSegments(baseline: Plan, current: Plan, common: ReadonlySet<string>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const inCommon = (s: PlacedSegment): boolean => common.has(s.entry);
  const before = new Map(baseline.segments.filter(inCommon).map((s) => [s.id, s]));
  const after = new Map(current.segments.filter(inCommon).map((s) => [s.id, s]));

  const moved = (b: PlacedSegment, a: PlacedSegment): void => {
    if (b.stop !== null && a.stop !== null && b.stop !== a.stop) {
      out.push(diagnostic('SL4202', segmentRange(a), { before: b.stop, after: a.stop, label: a.label }));
    }
  };
  for (const [id, a] of after) {
    const b = before.get(id);
    if (b !== undefined) moved(b, a);
  }

  // Edited segments have new ids: pair the leftovers of each entry when the pairing is unambiguous.
  const goneIds = new Set([...before.keys()].filter((id) => !after.has(id)));
  const newIds = new Set([...after.keys()].filter((id) => !before.has(id)));
  const pairedGone = new Set<string>();
  const pairedNew = new Set<string>();
  const keys: ((s: PlacedSegment) => string)[] = [
    (s) => `${s.entry}\u0000${s.kind}\u0000${s.label}`,
    (s) => `${s.entry}\u0000${s.kind}\u0000${s.file}:${s.start.line}:${s.start.column}`,
  ];
  for (const key of keys) {
    const gone = groupBy([...goneIds].filter((id) => !pairedGone.has(id)).map((id) => before.get(id)!), key);
    const added = groupBy([...newIds].filter((id) => !pairedNew.has(id)).map((id) => after.get(id)!), key);
    for (const [k, bs] of gone) {
      const as = added.get(k);
      if (bs.length !== 1 || as === undefined || as.length !== 1) continue;
      const b = bs[0]!;
      const a = as[0]!;
      pairedGone.add(b.id);
      pairedNew.add(a.id);
      moved(b, a);
    }
  }

  for (const id of newIds) {
    const a = after.get(id)!;
    if (pairedNew.has(id) || (a.parent !== null && newIds.has(a.parent) && !pairedNew.has(a.parent))) continue;
    out.push(diagnostic('SL4207', segmentRange(a), { stop: a.stop ?? 'no stop', label: a.label }));
  }
  for (const id of goneIds) {
    const b = before.get(id)!;
    if (pairedGone.has(id) || (b.parent !== null && goneIds.has(b.parent) && !pairedGone.has(b.parent))) continue;
    out.push(diagnostic('SL4208', segmentRange(b), { stop: b.stop ?? 'no stop', label: b.label }));
  }
  return out;
}

function row(name: string, verdict: EntryVerdict, b: PlannedEntry | undefined, a: PlannedEntry | undefined, links: readonly string[]): EntryComparison {
  const roundTrips: Record<string, Change> = {};
  for (const link of links) {
    roundTrips[link] = {
      before: b?.roundTrips ? trips(b.roundTrips, link) : null,
      after: a?.roundTrips ? trips(a.roundTrips, link) : null,
    };
  }
  return { name, verdict, latencyMs: { before: b?.latencyMs ?? null, after: a?.latencyMs ?? null }, roundTrips };
}

/** The links of both plans: the current line's order first, then any the baseline alone has. */
function linkOrder(baseline: Plan, current: Plan): string[] {
  const out: string[] = [];
  const add = (plan: Plan): void => {
    const stops = plan.line.stops;
    for (let i = 0; i + 1 < stops.length; i++) {
      const link = `${stops[i]!.name}-${stops[i + 1]!.name}`;
      if (!out.includes(link)) out.push(link);
    }
    for (const e of plan.entries) for (const link of Object.keys(e.roundTrips ?? {}).sort(byString)) if (!out.includes(link)) out.push(link);
  };
  add(current);
  add(baseline);
  return out;
}

function trips(rt: RoundTrips | null, link: string): number {
  return rt?.[link] ?? 0;
}

function entryRange(e: PlannedEntry): SourceRange {
  return { file: e.file, start: e.start, end: e.end };
}

function segmentRange(s: PlacedSegment): SourceRange {
  return { file: s.file, start: s.start, end: s.end };
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
