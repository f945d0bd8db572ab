import type { Access, Diagnostic, SegmentGraph, SourceRange } from '../ir/index.js';

/** A location spelled out flat, as CI scripts and `jq` like it: 1-based line and column. */
export interface FlatLocation {
  readonly file: string | null;
  readonly line: number | null;
  readonly column: number | null;
  readonly endLine: number | null;
  readonly endColumn: number | null;
}

export type FlatAccess = Access & FlatLocation;
export type FlatDiagnostic = Diagnostic & FlatLocation;

/**
 * The JSON of `stopline analyze --json` / `--out`: the SegmentGraph itself, with every
 * access and diagnostic also carrying flat `file`, `line`, `column` (the public
 * contract of issue #2). When the configuration is broken there is no graph, and the
 * JSON holds only the diagnostics.
 */
export interface AnalysisJson extends Omit<SegmentGraph, 'accesses' | 'diagnostics' | 'line' | 'stores' | 'settings' | 'entries' | 'segments' | 'variables' | 'stats'> {
  readonly line: SegmentGraph['line'] | null;
  readonly stores: SegmentGraph['stores'];
  readonly settings: SegmentGraph['settings'] | null;
  readonly entries: SegmentGraph['entries'];
  readonly segments: SegmentGraph['segments'];
  readonly variables: SegmentGraph['variables'];
  readonly accesses: readonly FlatAccess[];
  readonly diagnostics: readonly FlatDiagnostic[];
  readonly stats: SegmentGraph['stats'] | null;
}

export function flat(range: SourceRange | null): FlatLocation {
  return {
    file: range?.file ?? null,
    line: range?.start.line ?? null,
    column: range?.start.column ?? null,
    endLine: range?.end.line ?? null,
    endColumn: range?.end.column ?? null,
  };
}

export function analysisJson(graph: SegmentGraph | null, diagnostics: readonly Diagnostic[]): AnalysisJson {
  return {
    schema: 'stopline.graph/v1',
    line: graph?.line ?? null,
    stores: graph?.stores ?? [],
    settings: graph?.settings ?? null,
    entries: graph?.entries ?? [],
    segments: graph?.segments ?? [],
    variables: graph?.variables ?? [],
    accesses: (graph?.accesses ?? []).map((a) => ({ ...a, ...flat(a.range) })),
    flows: graph?.flows ?? [],
    diagnostics: diagnostics.map((d) => ({ ...d, ...flat(d.range) })),
    stats: graph?.stats ?? null,
  };
}
