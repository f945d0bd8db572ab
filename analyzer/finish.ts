import type { Access, Fact, LiveVariable as InternedVariable, Segment } from '../src/ir/index.js';
import type { AnalysisContext } from './context.js';
import { controlFlowOf, isConciseBody } from './control-flow.js';
import { boundaryOf, type Boundary, type LiveVariable } from './liveness.js';
import type { ts } from 'ts-morph';
import { nodeRange } from './source-range.js';
import type { Draft } from './tree.js';

/** Counts are products of probabilities and trip counts: round away float noise so output is stable. */
function round(n: number): number {
  return Math.round(n * 1e9) / 1e9;
}

/**
 * Turns one entry's drafts (pre-order) into IR segments and accesses: computes each
 * segment's boundary (live variables and the no-cut facts they imply) and control flow,
 * numbers the accesses, and sorts facts so the output is byte-stable.
 */
export function finishTree(ctx: AnalysisContext, drafts: readonly Draft[], pinFacts: ReadonlyMap<Draft, Fact[]>, variables: VariableTable): { segments: Segment[]; accesses: Access[] } {
  const segments: Segment[] = [];
  const accesses: Access[] = [];
  for (const d of drafts) {
    const boundary = cachedBoundary(ctx, d);
    const accessIds: string[] = [];
    d.accesses.forEach((found, i) => {
      const id = `${d.id}@${i}`;
      accessIds.push(id);
      accesses.push({
        id,
        entry: d.entry,
        segment: d.id,
        store: found.match.store,
        op: found.match.op,
        api: found.match.api,
        range: nodeRange(ctx.rootDir, found.node),
        count: round(d.count * found.repeat),
        resolvedBy: found.match.resolvedBy,
      });
    });
    const control = d.kind === 'call' && d.callee?.declaration.body
      ? { ...cachedControlFlow(d.callee.declaration.body), returns: false }
      : isConciseBody(d.node, d.frame) ? { ...cachedControlFlow(d.node), returns: true } : cachedControlFlow(d.node);
    const facts = [...d.facts, ...boundary.facts, ...(pinFacts.get(d) ?? [])].sort(compareFacts);
    segments.push({
      id: d.id,
      entry: d.entry,
      parent: d.parent?.id ?? null,
      children: d.children.map((c) => c.id),
      kind: d.kind,
      label: d.label,
      range: d.range,
      callee: d.callee ? { name: d.callee.name, range: d.callee.range } : null,
      count: round(d.count),
      weight: d.weight,
      accesses: accessIds,
      liveIn: boundary.liveIn.map((v) => variables.intern(v)),
      liveOut: boundary.liveOut.map((v) => variables.intern(v)),
      mutates: boundary.mutates,
      control,
      facts,
    });
  }
  return { segments, accesses };
}

function compareFacts(a: Fact, b: Fact): number {
  const ka = `${a.kind}|${a.code}|${a.range.file}|${pad(a.range.start.line)}|${pad(a.range.start.column)}|${a.variable ?? ''}|${a.message}`;
  const kb = `${b.kind}|${b.code}|${b.range.file}|${pad(b.range.start.line)}|${pad(b.range.start.column)}|${b.variable ?? ''}|${b.message}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function pad(n: number): string {
  return String(n).padStart(8, '0');
}

/*
 * The same code inlined into many entries and call sites has the same boundary and
 * control flow: both depend only on the syntax node, its kind, its frame's loops (which
 * end at the call boundary) and whether it is a root. Computed once per node.
 */
const boundaries = new WeakMap<ts.Node, Map<string, Boundary>>();
const controlFlows = new WeakMap<ts.Node, ReturnType<typeof controlFlowOf>>();

function cachedBoundary(ctx: AnalysisContext, d: Draft): Boundary {
  let byKind = boundaries.get(d.node);
  if (!byKind) {
    byKind = new Map();
    boundaries.set(d.node, byKind);
  }
  const key = `${d.kind}|${d.parent === null ? 'root' : 'inner'}`;
  let boundary = byKind.get(key);
  if (!boundary) {
    boundary = boundaryOf(ctx, d);
    byKind.set(key, boundary);
  }
  return boundary;
}

function cachedControlFlow(node: ts.Node): ReturnType<typeof controlFlowOf> {
  let flow = controlFlows.get(node);
  if (!flow) {
    flow = controlFlowOf(node);
    controlFlows.set(node, flow);
  }
  return flow;
}

/**
 * The graph's variable table: each live variable once, named by its declaration
 * (`cart@src/handlers.ts:10:9`), so the many segments that carry the same variable (and
 * the many inlined copies of the same code) refer to it instead of repeating it. Two
 * different values under one name and place (a `(this)` typed per call site) get `~2`…
 */
export class VariableTable {
  private readonly byId = new Map<string, InternedVariable>();
  private readonly ids = new WeakMap<LiveVariable, string>();

  intern(v: LiveVariable): string {
    const known = this.ids.get(v);
    if (known !== undefined) return known;
    const base = `${v.name}@${v.declared.file}:${v.declared.start.line}:${v.declared.start.column}`;
    const content = JSON.stringify(v);
    let id = base;
    for (let n = 2; ; n++) {
      const existing = this.byId.get(id);
      if (!existing) {
        this.byId.set(id, { id, ...v });
        break;
      }
      const { id: _ignored, ...rest } = existing;
      if (JSON.stringify(rest) === content) break;
      id = `${base}~${n}`;
    }
    this.ids.set(v, id);
    return id;
  }

  all(): InternedVariable[] {
    return [...this.byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
