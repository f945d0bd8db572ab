import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnalysisResult } from '../../src/analyze-project.js';
import type { ControlFlow, Diagnostic, Entry, LiveVariable, Segment, SegmentGraph, SourceRange } from '../../src/ir/index.js';
import { analyzeOnce, childrenOf, liveInOf, liveOutOf } from '../helpers/graph.js';

export { childrenOf, liveInOf, liveOutOf } from '../helpers/graph.js';

/**
 * Helpers for the analyzer's case projects (test/cases/analyzer/<case>): every value is
 * turned into a short exact string, so a test reads as a table of what the analysis must
 * find and a failure shows the whole difference at once.
 */
export const casesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../cases/analyzer');

export function caseDir(name: string): string {
  return path.join(casesDir, name);
}

/** Analyses one case project, optionally with another config file of the case (cached, see analyzeOnce). */
export function analyzeCase(name: string, configFile?: string): AnalysisResult {
  return analyzeOnce(caseDir(name), configFile !== undefined ? path.join(caseDir(name), configFile) : undefined);
}

/** The graph of a case that must have one. */
export function graphOf(name: string, configFile?: string): SegmentGraph {
  const { graph, diagnostics } = analyzeCase(name, configFile);
  if (!graph) throw new Error(`case ${name} has no graph: ${diags(diagnostics).join('; ')}`);
  return graph;
}

/** `line:column-line:column`, 1-based, end exclusive. */
export function span(range: SourceRange): string {
  return `${range.start.line}:${range.start.column}-${range.end.line}:${range.end.column}`;
}

/** `file:line:column-line:column`. */
export function where(range: SourceRange | null): string {
  return range ? `${range.file}:${span(range)}` : '-';
}

/** Diagnostics as `code category file:range` (never their text). */
export function diags(list: readonly Diagnostic[]): string[] {
  return list.map((d) => `${d.code} ${d.category} ${where(d.range)}`);
}

export function entryOf(graph: SegmentGraph, name: string): Entry {
  const entry = graph.entries.find((e) => e.name === name);
  if (!entry) throw new Error(`no entry ${name}; entries: ${graph.entries.map((e) => e.name).join(', ')}`);
  return entry;
}

export function segment(graph: SegmentGraph, id: string): Segment {
  const found = graph.segments.find((s) => s.id === id);
  if (!found) throw new Error(`no segment ${id}`);
  return found;
}

/** One entry's tree in pre-order (the order of graph.segments). */
export function treeOf(graph: SegmentGraph, entryName: string): Segment[] {
  entryOf(graph, entryName);
  return graph.segments.filter((s) => s.entry === entryName);
}


/**
 * The tree below (and including) `root` as indented lines `kind range ×count`; a segment
 * in another file than the entry's handler names its file.
 */
export function outline(graph: SegmentGraph, entryName: string, root?: Segment): string[] {
  const entry = entryOf(graph, entryName);
  const home = entry.handler.range.file;
  const lines: string[] = [];
  const walk = (s: Segment, depth: number): void => {
    const at = s.range.file === home ? span(s.range) : `${s.range.file}:${span(s.range)}`;
    lines.push(`${'  '.repeat(depth)}${s.kind} ${at} ×${s.count}`);
    for (const child of childrenOf(graph, s)) walk(child, depth + 1);
  };
  walk(root ?? segment(graph, entry.root), 0);
  return lines;
}

/**
 * The first segment (pre-order: the outermost) of the entry that starts on `line` of
 * `file`, optionally of one kind and the `nth` of those (0-based).
 */
export function segmentAt(graph: SegmentGraph, entryName: string, file: string, line: number, kind?: Segment['kind'], nth = 0): Segment {
  const matches = treeOf(graph, entryName).filter((s) => s.range.file === file && s.range.start.line === line && (kind === undefined || s.kind === kind));
  const found = matches[nth];
  if (!found) throw new Error(`no ${kind ?? 'segment'} #${nth} at ${file}:${line} in entry ${entryName}`);
  return found;
}

/** Variables as `name:kind`. */
export function vars(list: readonly LiveVariable[]): string[] {
  return list.map((v) => `${v.name}:${v.kind}`);
}

/** Facts as `kind code [variable] [@stop] range`. */
export function factsOf(s: Segment): string[] {
  return s.facts.map((f) => [f.kind, f.code, f.variable, f.stop !== null ? `@${f.stop}` : null, span(f.range)].filter((x) => x !== null).join(' '));
}

/** The segment's accesses as `store op file:range ×count`. */
export function accessesOf(graph: SegmentGraph, s: Segment): string[] {
  return s.accesses.map((id) => {
    const a = graph.accesses.find((x) => x.id === id);
    if (!a) throw new Error(`no access ${id}`);
    return `${a.store} ${a.op} ${where(a.range)} ×${a.count}`;
  });
}

/** Control flow as a list of flags: `returns`, `throws`, `break:<label>`, `continue:<label>`, `awaits`, `yields`. */
export function flow(control: ControlFlow): string[] {
  return [
    ...(control.returns ? ['returns'] : []),
    ...(control.throws ? ['throws'] : []),
    ...control.breaks.map((l) => `break:${l}`),
    ...control.continues.map((l) => `continue:${l}`),
    ...(control.awaits ? ['awaits'] : []),
    ...(control.yields ? ['yields'] : []),
  ];
}

/** Everything about one segment that the boundary tests compare, in one object. */
export function boundary(s: Segment): { in: string[]; out: string[]; mutates: readonly string[]; flow: string[]; facts: string[] } {
  return { in: vars(liveInOf(s)), out: vars(liveOutOf(s)), mutates: s.mutates, flow: flow(s.control), facts: factsOf(s) };
}
