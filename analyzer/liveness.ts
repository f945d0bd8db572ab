import { ts } from 'ts-morph';
import { proxyShape } from './proxy-value.js';
import type { Fact, LiveVariable as InternedVariable } from '../src/ir/index.js';

/** A live variable before the graph gives it an id (finish.ts interns them). */
export type LiveVariable = Omit<InternedVariable, 'id'>;
import { diagnostic } from '../src/diagnostics/index.js';
import type { AnalysisContext } from './context.js';
import { isConciseBody } from './control-flow.js';
import { frameOf, isFunctionLike, type Frame } from './frame.js';
import { nodeRange } from './source-range.js';
import type { Draft } from './tree.js';

/** What flows across a segment's boundary if it runs at another stop. */
export interface Boundary {
  readonly liveIn: LiveVariable[];
  readonly liveOut: LiveVariable[];
  readonly mutates: string[];
  /** no-cut facts: values that cannot cross (unserialisable, resources, aliased mutation). */
  readonly facts: Fact[];
}

/**
 * Live variables at statement granularity over structured code (no goto), answered from
 * the frame index by position:
 *   liveIn  = locals referenced inside the segment and declared outside it;
 *   liveOut = locals declared, assigned or mutated inside it that are read after it:
 *             at a later position of the frame, inside a nested function outside the
 *             segment (which may run at any time), or anywhere in an enclosing loop of the same frame when the
 *             local is declared outside that loop (the next iteration reads it);
 *   mutates = live-in locals whose object is mutated in place (they also flow back out).
 * A `call` segment's boundary is the call: the callee's parameters and captured locals
 * in, its return value out. A segment that may `return` (or is an arrow function's
 * expression body) also carries the returned value as `(return)`; code that reads `this`
 * takes the receiver in as `(this)`.
 * The result over-approximates (a value may be sent that is not needed), never under.
 */
export function boundaryOf(ctx: AnalysisContext, draft: Draft): Boundary {
  if (draft.kind === 'call' || draft.kind === 'opaque') return callBoundary(ctx, draft);
  const frame = frameOf(draft.frame, ctx.checker);
  const sf = draft.node.getSourceFile();
  const start = draft.node.getStart(sf);
  const end = draft.node.getEnd();
  const inside = (decl: ts.Node): boolean => decl.getSourceFile() === sf && decl.pos >= start && decl.end <= end;
  const liveIn = new Set<ts.Symbol>();
  const defined = new Set<ts.Symbol>();
  const mutated = new Set<ts.Symbol>();
  for (const ref of referencesIn(frame, start, end)) {
    const decl = ref.symbol.valueDeclaration;
    if (!decl) continue;
    const declaredInside = inside(decl);
    if (!declaredInside) liveIn.add(ref.symbol);
    if (ref.writes || ref.mutates || declaredInside) defined.add(ref.symbol);
    if (ref.mutates && !declaredInside) mutated.add(ref.symbol);
  }
  const loops = enclosingLoops(draft);
  const usedAfter = (symbol: ts.Symbol): boolean => {
    const use = frame.uses.get(symbol);
    if (!use) return false;
    // A closure outside the segment may run after it; one inside it runs with it (and cannot leave it without a function value crossing).
    if (use.nestedPositions.some((p) => p < start || p >= end)) return true;
    const last = use.positions[use.positions.length - 1] ?? -1;
    if (last >= end) return true;
    const decl = symbol.valueDeclaration;
    return loops.some((loop) => {
      const ls = loop.getStart(sf);
      const declaredOutside = !decl || decl.getSourceFile() !== sf || decl.pos < ls || decl.end > loop.getEnd();
      return declaredOutside && use.positions.some((p) => p >= ls && p < loop.getEnd());
    });
  };
  const liveOut = new Set([...defined].filter(usedAfter));
  for (const m of mutated) liveOut.add(m);
  const variables = (symbols: Iterable<ts.Symbol>): LiveVariable[] => sortVariables([...symbols].map((s) => variableOf(ctx, s)));
  const self = thisVariable(ctx, draft.node, null);
  const inVars = sortVariables([...variables(liveIn), ...(self ? [self] : [])]);
  const outVars = variables(liveOut);
  if (draft.parent !== null && controlReturns(draft)) outVars.push(returnVariable(ctx, draft));
  const mutates = [...mutated].map((s) => s.getName()).sort();
  const facts = draft.parent === null ? [] : crossingFacts(ctx, draft, inVars, outVars, [...mutated].filter((s) => frame.uses.get(s)?.aliased));
  return { liveIn: inVars, liveOut: outVars, mutates, facts };
}

function callBoundary(ctx: AnalysisContext, draft: Draft): Boundary {
  const callee = draft.callee;
  if (!callee) return { liveIn: [], liveOut: [], mutates: [], facts: [] };
  const fn = callee.declaration;
  const frame = frameOf(fn, ctx.checker);
  const params = new Set<ts.Symbol>();
  for (const p of fn.parameters) {
    for (const ref of frame.references) if (ref.symbol.valueDeclaration && isWithin(ref.symbol.valueDeclaration, p)) params.add(ref.symbol);
  }
  const captured = new Set<ts.Symbol>();
  const mutated = new Set<ts.Symbol>();
  for (const ref of frame.references) {
    const decl = ref.symbol.valueDeclaration;
    if (!decl) continue;
    if (!isWithin(decl, fn)) captured.add(ref.symbol);
    if (ref.mutates && (params.has(ref.symbol) || !isWithin(decl, fn))) mutated.add(ref.symbol);
  }
  const self = fn.body ? thisVariable(ctx, fn.body, receiverOf(draft.node)) : null;
  const liveIn = sortVariables([...[...params, ...captured].map((s) => variableOf(ctx, s)), ...(self ? [self] : [])]);
  const liveOut: LiveVariable[] = [];
  if (callee.signature) {
    const returned = ctx.checker.getAwaitedType(ctx.checker.getReturnTypeOfSignature(callee.signature));
    if (returned && !(returned.flags & (ts.TypeFlags.Void | ts.TypeFlags.Undefined))) {
      liveOut.push(returnVariableOfType(ctx, returned, callee.range));
    }
  }
  for (const s of captured) if (frame.references.some((r) => r.symbol === s && r.writes)) liveOut.push(variableOf(ctx, s));
  const mutates = [...mutated].map((s) => s.getName()).sort();
  // Parameters alias the caller's arguments: mutating one through a copy would be lost.
  const facts = crossingFacts(ctx, draft, liveIn, liveOut, [...mutated]);
  return { liveIn, liveOut: sortVariables(liveOut), mutates, facts };
}

function crossingFacts(ctx: AnalysisContext, draft: Draft, liveIn: readonly LiveVariable[], liveOut: readonly LiveVariable[], aliasedMutations: readonly ts.Symbol[]): Fact[] {
  const facts: Fact[] = [];
  const seen = new Set<string>();
  for (const v of [...liveIn, ...liveOut]) {
    if (seen.has(v.name) || (v.kind !== 'unserializable' && v.kind !== 'resource')) continue;
    seen.add(v.name);
    const isFunction = v.kind === 'unserializable' && (v.reason ?? '').startsWith('a function value');
    const code = v.kind === 'resource' ? 'SL3002' : isFunction ? 'SL3014' : 'SL3001';
    facts.push({
      kind: 'no-cut',
      code,
      message: diagnostic(code, null, { variable: v.name, type: v.type, detail: v.reason ?? '' }).message,
      range: draft.range,
      stop: null,
      variable: v.name,
      related: [{ message: `'${v.name}' is declared here`, range: v.declared }],
    });
  }
  for (const symbol of aliasedMutations) {
    const decl = symbol.valueDeclaration;
    facts.push({
      kind: 'no-cut',
      code: 'SL3003',
      message: diagnostic('SL3003', null, { variable: symbol.getName() }).message,
      range: draft.range,
      stop: null,
      variable: symbol.getName(),
      related: decl ? [{ message: `'${symbol.getName()}' is declared here`, range: nodeRange(ctx.rootDir, decl) }] : [],
    });
  }
  return facts;
}

function referencesIn(frame: Frame, start: number, end: number): Frame['references'] {
  const refs = frame.references;
  let lo = 0;
  let hi = refs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((refs[mid]?.pos ?? 0) < start) lo = mid + 1;
    else hi = mid;
  }
  const out = [];
  for (let i = lo; i < refs.length; i++) {
    const r = refs[i];
    if (!r || r.pos >= end) break;
    out.push(r);
  }
  return out;
}

/** Loops of the same frame that enclose the segment. */
function enclosingLoops(draft: Draft): ts.Node[] {
  const loops: ts.Node[] = [];
  for (let d = draft.parent; d && d.frame === draft.frame && d.kind !== 'call'; d = d.parent) {
    if (d.kind === 'loop') loops.push(d.node);
  }
  return loops;
}

function controlReturns(draft: Draft): boolean {
  if (isConciseBody(draft.node, draft.frame)) return true;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isReturnStatement(n) && n.expression) found = true;
    else if (!(ts.isFunctionLike(n) && n !== draft.node)) ts.forEachChild(n, visit);
  };
  visit(draft.node);
  return found;
}

/** The object a method call runs on: `tally` in `tally.add(1)`. */
function receiverOf(site: ts.Node): ts.Expression | null {
  if (!ts.isCallExpression(site)) return null;
  const callee = site.expression;
  return ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee) ? callee.expression : null;
}

/**
 * `(this)`: the receiver that `code` reads through `this`, typed at the call site when
 * there is one. Arrow functions share their parent's `this`; other functions and classes
 * bind their own, so their `this` is not the segment's.
 */
function thisVariable(ctx: AnalysisContext, code: ts.Node, receiver: ts.Expression | null): LiveVariable | null {
  let self: ts.Node | null = null;
  const visit = (n: ts.Node): void => {
    if (self) return;
    if (n.kind === ts.SyntaxKind.ThisKeyword) {
      self = n;
      return;
    }
    if (n !== code && ((isFunctionLike(n) && !ts.isArrowFunction(n)) || ts.isClassLike(n))) return;
    ts.forEachChild(n, visit);
  };
  visit(code);
  if (!self) return null;
  let owner: ts.Node | undefined = (self as ts.Node).parent;
  while (owner && !((isFunctionLike(owner) && !ts.isArrowFunction(owner)) || ts.isClassLike(owner) || ts.isSourceFile(owner))) owner = owner.parent;
  if (!owner || ts.isSourceFile(owner)) return null;
  const type = ctx.checker.getTypeAtLocation(receiver ?? self);
  const shape = ctx.shapes.of(type);
  return { name: '(this)', type: printType(ctx, type), kind: shape.kind, bytes: shape.bytes, reason: shape.reason, ...handleOf(shape), declared: nodeRange(ctx.rootDir, owner) };
}

function returnVariable(ctx: AnalysisContext, draft: Draft): LiveVariable {
  const signature = ctx.checker.getSignatureFromDeclaration(draft.frame);
  const type = signature ? ctx.checker.getAwaitedType(ctx.checker.getReturnTypeOfSignature(signature)) : undefined;
  return returnVariableOfType(ctx, type, draft.range);
}

function returnVariableOfType(ctx: AnalysisContext, type: ts.Type | undefined, declared: LiveVariable['declared']): LiveVariable {
  const shape = type ? ctx.shapes.of(type) : { kind: 'value' as const, bytes: 256, reason: null };
  return { name: '(return)', type: type ? printType(ctx, type) : 'unknown', kind: shape.kind, bytes: shape.bytes, reason: shape.reason, ...handleOf(shape), ...schemaOf(ctx, type, shape), declared };
}

/** The preset handle of a shape, as a LiveVariable field (absent when none). */
function handleOf(shape: { readonly handle?: { readonly preset: string; readonly api: string } }): Pick<LiveVariable, 'handle'> {
  return shape.handle === undefined ? {} : { handle: shape.handle };
}

/** The structural schema of a plain-data variable, as a LiveVariable field (absent when it states nothing checkable). */
function schemaOf(ctx: AnalysisContext, type: ts.Type | undefined, shape: { readonly kind: LiveVariable['kind'] }): Pick<LiveVariable, 'schema'> {
  if (type === undefined || shape.kind !== 'value') return {};
  const schema = ctx.schemas.of(type);
  return schema.t === 'any' ? {} : { schema };
}

const variables = new WeakMap<ts.Symbol, LiveVariable>();

function variableOf(ctx: AnalysisContext, symbol: ts.Symbol): LiveVariable {
  const cached = variables.get(symbol);
  if (cached) return cached;
  const decl = symbol.valueDeclaration;
  const type = decl ? ctx.checker.getTypeOfSymbolAtLocation(symbol, decl) : undefined;
  const shape = proxyShape(decl) ?? (type ? ctx.shapes.of(type) : { kind: 'value' as const, bytes: 256, reason: null });
  const v: LiveVariable = {
    name: symbol.getName(),
    type: type ? printType(ctx, type) : 'unknown',
    kind: shape.kind,
    bytes: shape.bytes,
    reason: shape.reason,
    ...handleOf(shape),
    ...schemaOf(ctx, type, shape),
    declared: decl ? nodeRange(ctx.rootDir, ts.isVariableDeclaration(decl) || ts.isParameter(decl) || ts.isBindingElement(decl) ? decl.name : decl) : { file: '', start: { line: 0, column: 0 }, end: { line: 0, column: 0 } },
  };
  variables.set(symbol, v);
  return v;
}

function printType(ctx: AnalysisContext, type: ts.Type): string {
  const text = ctx.checker.typeToString(type, undefined, ts.TypeFormatFlags.NoTruncation);
  const clean = text.replace(/import\("[^"]*"\)\./g, '');
  return clean.length <= 120 ? clean : `${clean.slice(0, 119)}…`;
}

function sortVariables(vs: LiveVariable[]): LiveVariable[] {
  const unique = new Map<string, LiveVariable>();
  for (const v of vs) unique.set(`${v.name}@${v.declared.file}:${v.declared.start.line}:${v.declared.start.column}`, v);
  return [...unique.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, v]) => v);
}

function isWithin(node: ts.Node, container: ts.Node): boolean {
  return node.getSourceFile() === container.getSourceFile() && node.pos >= container.pos && node.end <= container.end;
}
