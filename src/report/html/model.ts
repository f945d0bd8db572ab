import type { Cut, PlacedSegment, Plan, PlannedEntry, StopName } from '../../ir/index.js';

/** One entry of a plan with its tree indexed the way the reports walk it. */
export interface EntryView {
  readonly entry: PlannedEntry;
  /** The entry's segments in pre-order (execution order). */
  readonly segments: readonly PlacedSegment[];
  readonly byId: ReadonlyMap<string, PlacedSegment>;
  /** Depth in the tree (the root is 0). */
  readonly depth: ReadonlyMap<string, number>;
  readonly children: ReadonlyMap<string, readonly PlacedSegment[]>;
  readonly cuts: readonly Cut[];
  /** The cut each run member belongs to. */
  readonly cutOf: ReadonlyMap<string, Cut>;
  /** Segments placed at another stop than their parent (the root: than the arrival stop), in pre-order. */
  readonly moved: readonly PlacedSegment[];
}

/** Views of every entry, in the plan's entry order. */
export function entryViews(plan: Plan): EntryView[] {
  const segmentsOf = new Map<string, PlacedSegment[]>();
  for (const s of plan.segments) {
    const list = segmentsOf.get(s.entry);
    if (list) list.push(s);
    else segmentsOf.set(s.entry, [s]);
  }
  return plan.entries.map((entry) => entryView(entry, segmentsOf.get(entry.name) ?? [], plan.cuts.filter((c) => c.entry === entry.name)));
}

function entryView(entry: PlannedEntry, listed: readonly PlacedSegment[], cuts: readonly Cut[]): EntryView {
  const byId = new Map(listed.map((s) => [s.id, s]));
  const children = new Map<string, PlacedSegment[]>();
  const roots: PlacedSegment[] = [];
  for (const s of listed) {
    const parent = s.parent === null ? undefined : byId.get(s.parent);
    if (parent === undefined) roots.push(s);
    else {
      const list = children.get(parent.id);
      if (list) list.push(s);
      else children.set(parent.id, [s]);
    }
  }
  // Walk the tree so the order is pre-order even if the plan listed it otherwise.
  const segments: PlacedSegment[] = [];
  const depth = new Map<string, number>();
  const visit = (s: PlacedSegment, d: number): void => {
    if (depth.has(s.id)) return;
    depth.set(s.id, d);
    segments.push(s);
    for (const c of children.get(s.id) ?? []) visit(c, d + 1);
  };
  for (const r of roots) visit(r, 0);
  const cutOf = new Map<string, Cut>();
  for (const c of cuts) for (const id of c.run) cutOf.set(id, c);
  const moved = segments.filter((s) => {
    if (s.stop === null) return false;
    const parent = s.parent === null ? undefined : byId.get(s.parent);
    const home: StopName | null = parent === undefined ? entry.arrives : parent.stop;
    return s.stop !== home;
  });
  return { entry, segments, byId, depth, children, cuts, cutOf, moved };
}

/** Stop name → index on the line. */
export function stopIndexes(plan: Plan): Map<StopName, number> {
  return new Map(plan.line.stops.map((s, i) => [s.name, i]));
}

/** `file:line` of a segment or an entry. */
export function where(x: { readonly file: string; readonly start: { readonly line: number } }): string {
  return `${x.file}:${x.start.line}`;
}
