import path from 'node:path';
import { diagnostic } from '../diagnostics/index.js';
import type { Cut, Diagnostic, PlacedAccess, PlacedSegment, Plan, PlannedEntry, SourceRange, StopName } from '../ir/index.js';
import { exitCode, type CliIO } from './io.js';
import { planExitCode, planProject, printDiagnostics } from './plan-command.js';
import { progress as startProgress } from './progress.js';

export interface ExplainOptions {
  readonly config?: string;
  readonly profile?: string;
  readonly json?: boolean;
}

/**
 * `stopline explain <file:line | segment id> [dir] [-c config] [--json]`: where the
 * segments at that place run and why — reasons, accesses and where each is served, the
 * price of every other stop, and the cut it belongs to. Exit 2 when nothing matches the
 * target (SL4209/SL4210) or the config is broken; 1 when the plan has errors; else 0.
 */
export function explainCommand(target: string, dir: string | undefined, options: ExplainOptions, io: CliIO): number {
  const progress = startProgress(io);
  try {
    const rootDir = path.resolve(io.cwd, dir ?? '.');
    const result = planProject(rootDir, { configFile: options.config, profile: options.profile }, io, progress);
    progress.done();
    if (result.plan === null) {
      printDiagnostics(result.diagnostics, rootDir, io);
      return exitCode.usage;
    }
    const plan = result.plan;
    const found = findSegments(plan, target, rootDir);
    if (found.diagnostic !== null) {
      printDiagnostics([found.diagnostic], rootDir, io);
      return exitCode.usage;
    }
    const accessRanges = new Map((result.graph?.accesses ?? []).map((a) => [a.id, a.range]));
    const explanations = found.segments.map((s) => explainSegment(plan, s, accessRanges));
    if (options.json) {
      io.stdout.write(`${JSON.stringify({ target, segments: explanations }, null, 2)}\n`);
    } else {
      io.stdout.write(explanationText(explanations, plan));
    }
    const errors = plan.diagnostics.filter((d) => d.category === 'error');
    if (errors.length > 0) printDiagnostics(errors, rootDir, io);
    return planExitCode(plan.diagnostics);
  } finally {
    progress.done();
  }
}

// --- finding the segments ----------------------------------------------------

export type FoundSegments = { readonly segments: readonly PlacedSegment[]; readonly diagnostic: null } | { readonly segments: readonly []; readonly diagnostic: Diagnostic };

/**
 * A segment id, or `file:line` (file relative to the project root). For a line, in every
 * entry: the outermost segments that start on that line (the `for` rather than its body
 * block, the statement rather than the call inside it), or when none starts there, the
 * innermost segments covering it. Inlined code appears once per entry (and call site).
 */
export function findSegments(plan: Plan, target: string, rootDir: string): FoundSegments {
  const byId = plan.segments.find((s) => s.id === target);
  if (byId !== undefined) return { segments: [byId], diagnostic: null };
  const m = /^(.+):(\d+)$/.exec(target);
  if (m === null) return { segments: [], diagnostic: diagnostic('SL4210', null, { id: target }) };
  const file = normaliseFile(m[1]!, rootDir);
  const line = Number(m[2]);
  const covering = plan.segments.filter((s) => s.file === file && covers(s, line));
  const ids = new Set(covering.map((s) => s.id));
  const parents = new Map(plan.segments.map((s) => [s.id, s.parent]));
  const ancestors = (s: PlacedSegment): string[] => {
    const out: string[] = [];
    for (let p = s.parent; p !== null; p = parents.get(p) ?? null) out.push(p);
    return out;
  };
  const starting = covering.filter((s) => s.start.line === line);
  let chosen: PlacedSegment[];
  if (starting.length > 0) {
    const startIds = new Set(starting.map((s) => s.id));
    chosen = starting.filter((s) => !ancestors(s).some((a) => startIds.has(a)));
  } else {
    const hasInner = new Set(covering.flatMap((s) => ancestors(s).filter((a) => ids.has(a))));
    chosen = covering.filter((s) => !hasInner.has(s.id));
  }
  if (chosen.length === 0) {
    const at = { line, column: 1 };
    return { segments: [], diagnostic: diagnostic('SL4209', { file, start: at, end: at }, { target: `${file}:${line}` }) };
  }
  const order = new Map(plan.segments.map((s, i) => [s.id, i]));
  chosen.sort((a, b) => (a.entry < b.entry ? -1 : a.entry > b.entry ? 1 : order.get(a.id)! - order.get(b.id)!));
  return { segments: chosen, diagnostic: null };
}

function normaliseFile(file: string, rootDir: string): string {
  const abs = path.resolve(rootDir, file);
  return path.relative(rootDir, abs).split(path.sep).join('/');
}

/** Whether 1-based `line` is inside the segment (its end is exclusive: an end at column 1 stops on the line before). */
function covers(s: PlacedSegment, line: number): boolean {
  if (line < s.start.line || line > s.end.line) return false;
  return line < s.end.line || s.end.column > 1 || s.start.line === line;
}

// --- explaining one segment --------------------------------------------------

export interface Alternative {
  readonly stop: StopName;
  /** Extra ms per request at that stop; null when not allowed. */
  readonly deltaMs: number | null;
  readonly allowed: boolean;
  /** The reason that says so (SL4110/SL4111 for a price, SL4101… for a ban). */
  readonly code: string | null;
  readonly message: string | null;
}

export interface AccessHere {
  readonly segment: string;
  /** The call site (from the graph), or the start of the segment holding it when unknown. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Where the segment holding the call runs. */
  readonly runsAt: StopName | null;
  readonly access: PlacedAccess;
}

export interface SegmentExplanation {
  readonly segment: PlacedSegment;
  readonly entry: Pick<PlannedEntry, 'name' | 'arrives' | 'status'>;
  readonly parentStop: StopName | null;
  readonly alternatives: readonly Alternative[];
  /** Accesses in the segment's own code and in its descendants, in execution order. */
  readonly accesses: readonly AccessHere[];
  /** The cut whose run holds this segment. */
  readonly cut: Cut | null;
  /** Else the cut that holds an ancestor (the segment crossed with it). */
  readonly insideCut: { readonly via: string; readonly cut: Cut } | null;
}

/** `accessRanges`: call sites by access id (the graph's `accesses`); the holding segment's start stands in for a missing one. */
export function explainSegment(plan: Plan, seg: PlacedSegment, accessRanges: ReadonlyMap<string, SourceRange> = new Map()): SegmentExplanation {
  const entry = plan.entries.find((e) => e.name === seg.entry);
  const byId = new Map(plan.segments.filter((s) => s.entry === seg.entry).map((s) => [s.id, s]));
  const parent = seg.parent === null ? null : byId.get(seg.parent) ?? null;

  const alternatives: Alternative[] = plan.line.stops
    .map((stop) => stop.name)
    .filter((name) => name !== seg.stop)
    .map((name) => {
      const reasons = seg.reasons.filter((r) => r.stop === name);
      const priced = reasons.find((r) => r.deltaMs !== null);
      if (priced !== undefined) return { stop: name, deltaMs: priced.deltaMs, allowed: true, code: priced.code, message: priced.message };
      const ban = reasons[0];
      if (ban !== undefined) return { stop: name, deltaMs: null, allowed: false, code: ban.code, message: ban.message };
      return { stop: name, deltaMs: null, allowed: seg.stop !== null, code: null, message: null };
    });

  const children = new Map<string, PlacedSegment[]>();
  for (const s of byId.values()) {
    if (s.parent === null) continue;
    const list = children.get(s.parent);
    if (list) list.push(s);
    else children.set(s.parent, [s]);
  }
  const accesses: AccessHere[] = [];
  const walk = (s: PlacedSegment): void => {
    for (const access of s.accesses) {
      const range = accessRanges.get(access.id) ?? { file: s.file, start: s.start };
      accesses.push({ segment: s.id, file: range.file, line: range.start.line, column: range.start.column, runsAt: s.stop, access });
    }
    for (const c of children.get(s.id) ?? []) walk(c);
  };
  walk(seg);

  const cuts = plan.cuts.filter((c) => c.entry === seg.entry);
  const cut = cuts.find((c) => c.run.includes(seg.id)) ?? null;
  let insideCut: SegmentExplanation['insideCut'] = null;
  if (cut === null) {
    for (let p = seg.parent; p !== null && insideCut === null; p = byId.get(p)?.parent ?? null) {
      const holder = cuts.find((c) => c.run.includes(p!));
      if (holder !== undefined) insideCut = { via: p, cut: holder };
    }
  }
  return {
    segment: seg,
    entry: { name: seg.entry, arrives: entry?.arrives ?? '?', status: entry?.status ?? 'planned' },
    parentStop: parent?.stop ?? null,
    alternatives,
    accesses,
    cut,
    insideCut,
  };
}

// --- text --------------------------------------------------------------------

export function explanationText(explanations: readonly SegmentExplanation[], plan: Plan): string {
  const byId = new Map(plan.segments.map((s) => [s.id, s]));
  const blocks = explanations.map((x) => {
    const s = x.segment;
    const out = [
      `${s.id}  ${s.kind} at ${s.file}:${s.start.line}:${s.start.column}–${s.end.line}:${s.end.column}`,
      `  entry         ${x.entry.name} (arrives at ${x.entry.arrives})`,
      `  code          ${s.label}`,
    ];
    if (s.stop === null) {
      out.push(`  runs at       nowhere: entry '${x.entry.name}' cannot be placed (SL4001)`);
    } else {
      const context = x.parentStop === null ? `the entry arrives at ${x.entry.arrives}` : `its parent runs at ${x.parentStop}`;
      out.push(`  runs at       ${s.stop}  (${context}; ×${s.count} per request)`);
    }
    if (s.reasons.length > 0) {
      out.push('  why');
      for (const r of s.reasons) out.push(`    ${r.code}  ${r.message}`);
    }
    if (x.alternatives.length > 0) {
      out.push('  alternatives');
      const width = Math.max(...x.alternatives.map((a) => a.stop.length));
      for (const a of x.alternatives) {
        const text = a.deltaMs !== null
          ? `+${a.deltaMs} ms${a.code === 'SL4111' ? ' (a tie)' : ''}`
          : a.code !== null ? `not allowed: ${a.code} ${a.message}` : 'not priced';
        out.push(`    ${a.stop.padEnd(width)}  ${text}`);
      }
    }
    if (x.accesses.length === 0) {
      out.push('  accesses      none');
    } else {
      out.push('  accesses');
      for (const a of x.accesses) {
        const served = a.access.servedAt === null ? 'not served' : a.access.servedAt === a.runsAt ? `served there` : `served at ${a.access.servedAt} (one round trip each)`;
        out.push(`    ${a.access.store} ${a.access.op}  ${a.access.api}  ×${a.access.count}  ${a.file}:${a.line}:${a.column}  runs at ${a.runsAt ?? 'nowhere'}, ${served}`);
      }
    }
    out.push(`  cut           ${cutText(x, byId)}`);
    return out.join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}

function cutText(x: SegmentExplanation, byId: ReadonlyMap<string, PlacedSegment>): string {
  const describe = (cut: Cut): string => {
    const batched = cut.run.length > 1 ? `, batched with ${cut.run.length - 1} more sibling${cut.run.length === 2 ? '' : 's'}` : '';
    const payload = cut.payload.length > 0 ? cut.payload.join(', ') : 'nothing';
    const handles = cut.handles.length > 0 ? `, store handles ${cut.handles.join(', ')} bound at ${cut.to}` : '';
    return `${cut.from} → ${cut.to}${batched}: ×${cut.count} RPC per request, payload ${payload} (${cut.bytes} B)${handles}, ${cut.costMs} ms`;
  };
  if (x.cut !== null) return describe(x.cut);
  if (x.insideCut !== null) {
    const via = byId.get(x.insideCut.via);
    const where = via ? `${via.kind} at ${via.file}:${via.start.line}:${via.start.column}` : x.insideCut.via;
    return `crosses with the ${where} (${x.insideCut.via}): ${describe(x.insideCut.cut)}`;
  }
  if (x.segment.stop === null) return 'none';
  return x.parentStop === null ? `none: runs where the request arrives (${x.entry.arrives})` : `none: runs with its parent at ${x.parentStop}`;
}
