import type { Access, Segment, SegmentGraph } from '../ir/index.js';

/**
 * The human summary of `stopline analyze`: the line, the stores, then per entry its
 * region tree (kind, code, place, expected executions), with each access and fact
 * under the segment it belongs to. Diagnostics are printed separately by the CLI.
 */
export function analysisText(graph: SegmentGraph, options: { readonly facts?: boolean } = {}): string {
  const out: string[] = [];
  const showFacts = options.facts ?? true;
  const hops = graph.line.stops.map((s, i) => (i === 0 ? s.name : `─${s.latencyMs}ms─ ${s.name}`)).join(' ');
  out.push(`line    ${hops}`);
  if (graph.stores.length === 0) out.push('stores  (none found)');
  for (const [i, s] of graph.stores.entries()) {
    const replicas = s.replicas.length > 0 ? `, replicas ${s.replicas.join(', ')}` : '';
    out.push(`${i === 0 ? 'stores' : '      '}  ${s.name.padEnd(12)} ${s.preset.padEnd(14)} ${s.consistency.padEnd(9)} home ${s.home}${replicas}${s.declared === 'detected' ? '  (detected)' : ''}`);
  }
  const segmentsById = new Map(graph.segments.map((s) => [s.id, s]));
  const accessesById = new Map(graph.accesses.map((a) => [a.id, a]));
  for (const entry of graph.entries) {
    const root = segmentsById.get(entry.root);
    const segs = graph.segments.filter((s) => s.entry === entry.name);
    const accs = graph.accesses.filter((a) => a.entry === entry.name);
    out.push('');
    out.push(`entry ${entry.name}  (${entry.source}, arrives at ${entry.arrives})  ${entry.handler.range.file}:${entry.handler.range.start.line}`);
    out.push(`  ${segs.length} segments, ${accs.length} accesses (${accs.filter((a) => a.op === 'read').length} reads, ${accs.filter((a) => a.op === 'write').length} writes)`);
    if (root) printTree(root, 1, out, segmentsById, accessesById, showFacts);
  }
  out.push('');
  out.push(`${graph.entries.length} entries, ${graph.segments.length} segments, ${graph.accesses.length} accesses in ${graph.stats.files} files (${graph.stats.lines} lines)`);
  return out.join('\n');
}

function printTree(seg: Segment, depth: number, out: string[], segments: Map<string, Segment>, accesses: Map<string, Access>, showFacts: boolean): void {
  const pad = '  '.repeat(depth);
  const where = `${seg.range.file}:${seg.range.start.line}`;
  const count = seg.count === 1 ? '' : `  ×${formatCount(seg.count)}`;
  const text = seg.kind === 'call' || seg.kind === 'opaque' ? `${seg.callee?.name ?? ''}()` : seg.label;
  out.push(`${pad}${seg.kind.padEnd(9)} ${text}  ${where}${count}`);
  for (const id of seg.accesses) {
    const a = accesses.get(id);
    if (a) out.push(`${pad}  ▸ ${a.op.padEnd(5)} ${a.store}  ${a.api}  ${a.range.file}:${a.range.start.line}:${a.range.start.column}${a.count === 1 ? '' : `  ×${formatCount(a.count)}`}`);
  }
  if (showFacts) for (const f of seg.facts) out.push(`${pad}  ! ${f.code} ${f.message}`);
  for (const id of seg.children) {
    const child = segments.get(id);
    if (child) printTree(child, depth + 1, out, segments, accesses, showFacts);
  }
}

function formatCount(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toPrecision(3).replace(/\.?0+$/, '');
}
