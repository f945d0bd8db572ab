import type { Diagnostic, Line, SegmentGraph, StopName, TrustFlow } from '../src/ir/index.js';
import { diagnostic } from '../src/diagnostics/index.js';

/**
 * The integrity report (DESIGN.md, Trust and reliability): the analyzer's flows
 * (analyzer/integrity.ts: an untrusted value reaching a write to a strong store, with the
 * checks on its path) judged against the placement. A flow is checked when one of its
 * checks runs at a trusted stop; a check at the client does not count, since the client
 * can skip it. Each flow left unchecked is one SL4301 warning at the write, with the
 * data-flow path (source → assignments, calls, returns → the written value) as related
 * locations, and the checks that ran at an untrusted stop after it. Entries without a
 * placement (unsatisfiable) are not judged.
 */
export function integrityDiagnostics(graph: SegmentGraph, stopOf: ReadonlyMap<string, StopName | null>, line: Line = graph.line): Diagnostic[] {
  const trusted = new Map(line.stops.map((s) => [s.name, s.trusted]));
  const accesses = new Map(graph.accesses.map((a) => [a.id, a]));
  const out: Diagnostic[] = [];
  for (const flow of graph.flows ?? []) {
    const access = accesses.get(flow.access);
    if (access === undefined || !placed(flow, stopOf)) continue;
    const at = (segment: string): StopName | null => stopOf.get(segment) ?? null;
    if (flow.checks.some((c) => trusted.get(at(c.segment) ?? '') === true)) continue;
    const related = [
      ...flow.path.map((s) => ({ message: s.message, range: s.range })),
      ...flow.checks.map((c) => ({ message: `checked at ${at(c.segment)}, an untrusted stop: it does not count`, range: c.range })),
    ];
    out.push(diagnostic('SL4301', access.range, { source: sourceText(flow), store: flow.store, api: access.api }, related));
  }
  return out;
}

function placed(flow: TrustFlow, stopOf: ReadonlyMap<string, StopName | null>): boolean {
  return (stopOf.get(flow.path[flow.path.length - 1]?.segment ?? '') ?? null) !== null;
}

function sourceText(flow: TrustFlow): string {
  switch (flow.source) {
    case 'request': return 'A field of the request';
    case 'argument': return 'An argument of the entry (it arrives at an untrusted stop)';
    case 'client-state': return 'Client state';
  }
}
