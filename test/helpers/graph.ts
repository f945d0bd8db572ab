import path from 'node:path';
import { analyzeDirectory, type AnalysisResult } from '../../src/analyze-project.js';
import type { Access, LiveVariable, Segment, SegmentGraph, SourceRange } from '../../src/ir/index.js';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

const cache = new Map<string, AnalysisResult>();
/** Each segment's graph variable table, so a segment's `liveIn`/`liveOut` ids resolve without passing the graph around. */
const tables = new WeakMap<Segment, ReadonlyMap<string, LiveVariable>>();

/**
 * Analyses a project folder (relative to the repository, or absolute) once per test
 * file and config file: a real program with the real checker takes about a second.
 */
export function analyzeOnce(dir: string, configFile?: string): AnalysisResult {
  const abs = path.resolve(repoRoot, dir);
  const key = `${abs}|${configFile ?? ''}`;
  let result = cache.get(key);
  if (!result) {
    result = analyzeDirectory(abs, configFile !== undefined ? { configFile } : {});
    if (result.graph) {
      const table = new Map(result.graph.variables.map((v) => [v.id, v]));
      for (const s of result.graph.segments) tables.set(s, table);
    }
    cache.set(key, result);
  }
  return result;
}

function resolveVariables(s: Segment, ids: readonly string[]): LiveVariable[] {
  const table = tables.get(s);
  return ids.map((id) => {
    const v = table?.get(id);
    if (!v) throw new Error(`variable ${id} of segment ${s.id} is not in its graph`);
    return v;
  });
}

/** The live-in variables of a segment of a graph made by analyzeOnce. */
export function liveInOf(s: Segment): LiveVariable[] {
  return resolveVariables(s, s.liveIn);
}

/** The live-out variables of a segment of a graph made by analyzeOnce. */
export function liveOutOf(s: Segment): LiveVariable[] {
  return resolveVariables(s, s.liveOut);
}

export function graphOf(dir: string): SegmentGraph {
  const { graph, diagnostics } = analyzeOnce(dir);
  if (!graph) throw new Error(`no graph for ${dir}: ${diagnostics.map((d) => d.code).join(', ')}`);
  return graph;
}

/** `file:line:column` of a range's start. */
export function at(range: SourceRange): string {
  return `${range.file}:${range.start.line}:${range.start.column}`;
}

/** `file:line:column-line:column` of a whole range. */
export function span(range: SourceRange): string {
  return `${at(range)}-${range.end.line}:${range.end.column}`;
}

/** One readable row per access of an entry, in tree order: `file:line:col store op ×count`. */
export function accessRows(graph: SegmentGraph, entry: string): string[] {
  return graph.accesses.filter((a: Access) => a.entry === entry).map((a) => `${at(a.range)} ${a.store} ${a.op} ×${a.count}`);
}

/** The segments of an entry whose range starts at `file:line[:column]`, outermost first. */
export function segmentsAt(graph: SegmentGraph, entry: string, where: string): Segment[] {
  return graph.segments.filter((s) => s.entry === entry && (at(s.range) === where || at(s.range).startsWith(`${where}:`)));
}

export function segmentAt(graph: SegmentGraph, entry: string, where: string, kind?: Segment['kind']): Segment {
  const found = segmentsAt(graph, entry, where).filter((s) => kind === undefined || s.kind === kind);
  const first = found[0];
  if (!first) throw new Error(`no ${kind ?? 'segment'} of ${entry} at ${where}`);
  return first;
}

export function childrenOf(graph: SegmentGraph, segment: Segment): Segment[] {
  return segment.children.map((id) => {
    const child = graph.segments.find((s) => s.id === id);
    if (!child) throw new Error(`dangling child ${id}`);
    return child;
  });
}

export function factCodes(segment: Segment): string[] {
  return segment.facts.map((f) => `${f.kind}:${f.code}`);
}

