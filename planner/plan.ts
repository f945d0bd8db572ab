import type { Cut, Diagnostic, Line, PlacedSegment, PlacementReason, Plan, PlannedEntry, SegmentGraph } from '../src/ir/index.js';
import { compareDiagnostics, diagnostic } from '../src/diagnostics/index.js';
import { baselinesOf } from './baselines.js';
import { cutsOf } from './cuts.js';
import { round, roundTripsOf, traffic } from './measure.js';
import { solveTables, solveWith } from './placement.js';
import { buildEntryModel, modelContext, type EntryModel, type ModelContext, type PlanOptions } from './problem-build.js';
import { isFeasible, placementCost, total, type CostParts } from './problem.js';
import { integrityDiagnostics } from './integrity.js';
import { reasonsFor } from './reasons.js';
import { explainUnsatisfiable } from './unsatisfiable.js';

/**
 * plan(graph, line) → Plan: every entry placed at its exact optimum under the cost
 * model (placement.ts), priced against its baselines (baselines.ts), with its cuts
 * (cuts.ts) and the reasons for every segment's stop (reasons.ts). Pure: no I/O, no
 * clock, no randomness; the same graph gives the same plan, byte for byte.
 */
export function plan(graph: SegmentGraph, line: Line = graph.line, options: PlanOptions = {}): Plan {
  const ctx = modelContext(graph, line, options);
  const diagnostics: Diagnostic[] = [...graph.diagnostics, ...profileDiagnostics(ctx, options)];
  const entries: PlannedEntry[] = [];
  const placed = new Map<string, PlacedSegment>();
  const cuts: Cut[] = [];

  for (const entry of [...graph.entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const model = buildEntryModel(ctx, entry);
    const p = model.problem;
    const tables = options.placeAll === undefined ? solveTables(p) : null;
    const solution = p.n === 0 ? null : tables === null ? wholeAt(model, options.placeAll!, entry.name, diagnostics) : solveWith(p, tables);
    const baselines = baselinesOf(model);
    const location = { file: entry.handler.range.file, start: entry.handler.range.start, end: entry.handler.range.end };
    if (solution === null) {
      if (tables !== null || p.n === 0) diagnostics.push(explainUnsatisfiable(model));
      entries.push({
        name: entry.name, arrives: entry.arrives, source: entry.source, ...location, status: 'unsatisfiable',
        latencyMs: null, roundTrips: null, strongRemote: null, breakdown: null, baselines, moved: 0,
      });
      model.segments.forEach((seg, s) => placed.set(seg.id, placedSegment(model, s, null, [])));
      continue;
    }
    const load = traffic(model, solution.placement);
    // A forced placement is not a decision: it has no reasons to give.
    const reasons = tables === null ? Array.from({ length: p.n }, (): PlacementReason[] => []) : reasonsFor(model, tables, solution.placement);
    let moved = 0;
    for (let s = 0; s < p.n; s++) if (solution.placement[s] !== p.arrival) moved++;
    entries.push({
      name: entry.name, arrives: entry.arrives, source: entry.source, ...location, status: 'planned',
      latencyMs: round(solution.cost),
      roundTrips: roundTripsOf(model, load.links),
      strongRemote: round(load.strongRemote),
      breakdown: {
        computeMs: round(solution.parts.compute),
        accessMs: round(solution.parts.access),
        cutMs: round(solution.parts.cut),
        transferMs: round(solution.parts.transfer),
      },
      baselines,
      moved,
    });
    model.segments.forEach((seg, s) => placed.set(seg.id, placedSegment(model, s, solution.placement, reasons[s]!)));
    cuts.push(...cutsOf(model, solution.placement));
  }

  const segments = graph.segments.map((seg) => placed.get(seg.id)).filter((s): s is PlacedSegment => s !== undefined);
  diagnostics.push(...integrityDiagnostics(graph, new Map(segments.map((s) => [s.id, s.stop])), line));
  return {
    schema: 'stopline.plan/v1',
    line,
    stores: graph.stores,
    model: options.placeAll === undefined ? ctx.model : { ...ctx.model, placeAll: options.placeAll },
    entries,
    segments,
    cuts,
    diagnostics: diagnostics.sort(compareDiagnostics),
  };
}

/**
 * The entry whole at one stop (`placeAll`), priced by the same model; null, with an SL4005
 * diagnostic, when a hard constraint forbids it.
 */
function wholeAt(model: EntryModel, at: 'arrival' | string, entry: string, diagnostics: Diagnostic[]): { placement: Int16Array; cost: number; parts: CostParts } | null {
  const p = model.problem;
  const t = at === 'arrival' ? p.arrival : model.metrics.indexOf.get(at);
  const range = model.segments[0]!.range;
  if (t === undefined) {
    diagnostics.push(diagnostic('SL4005', range, { entry, stop: at, detail: `there is no stop '${at}' on the line` }));
    return null;
  }
  const placement = new Int16Array(p.n).fill(t);
  if (!isFeasible(p, placement)) {
    diagnostics.push(diagnostic('SL4005', range, { entry, stop: model.metrics.names[t]!, detail: 'a hard constraint forbids it (see the plan\'s reasons for the optimum)' }));
    return null;
  }
  const parts = placementCost(p, placement);
  return { placement, cost: total(parts), parts };
}

const NO_ACCESSES: PlacedSegment['accesses'] = Object.freeze([]);

function placedSegment(model: ReturnType<typeof buildEntryModel>, s: number, placement: Int16Array | null, reasons: PlacedSegment['reasons']): PlacedSegment {
  const seg = model.segments[s]!;
  const names = model.metrics.names;
  const t = placement === null ? -1 : placement[s]!;
  return {
    id: seg.id,
    entry: seg.entry,
    parent: seg.parent,
    kind: seg.kind,
    label: seg.label,
    file: seg.range.file,
    start: seg.range.start,
    end: seg.range.end,
    stop: t < 0 ? null : names[t]!,
    count: round(model.problem.count[s]!),
    accesses: model.accesses[s]!.length === 0 ? NO_ACCESSES : model.accesses[s]!.map((m) => ({
      id: m.access.id,
      store: m.access.store,
      op: m.access.op,
      api: m.access.api,
      count: round(m.count),
      servedAt: t < 0 ? null : names[m.server[t]!]!,
    })),
    reasons,
  };
}

function profileDiagnostics(ctx: ModelContext, options: PlanOptions): Diagnostic[] {
  if (options.profile === undefined) return [];
  const at = { file: options.profile.file, start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
  const known = new Set(ctx.graph.segments.map((s) => s.id));
  const entries = new Set(ctx.graph.entries.map((e) => e.name));
  const out: Diagnostic[] = [];
  for (const id of Object.keys(options.profile.data.executions).sort()) if (!known.has(id)) out.push(diagnostic('SL4002', at, { what: 'segment', id }));
  for (const id of Object.keys(options.profile.data.requests).sort()) if (!entries.has(id)) out.push(diagnostic('SL4002', at, { what: 'entry', id }));
  return out;
}
