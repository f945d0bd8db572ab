import { ts } from 'ts-morph';
import type { Line, Store, TrustFlow, TrustSourceKind, TrustStep } from '../src/ir/index.js';
import { diagnostic } from '../src/diagnostics/index.js';
import type { AnalysisContext } from './context.js';
import type { FoundEntry } from './entries.js';
import { isFunctionLike } from './frame.js';
import { ownCallee } from './own-code.js';
import { nodeRange } from './source-range.js';
import { bindingRoot, calleeName, enclosingFunction, isAssignment, isLiteral, returnsOf, rootIdentifier, sinkArguments, strip } from './data-flow-syntax.js';
import { exitGuard, localGuards } from './guards.js';
import type { Draft } from './tree.js';

/**
 * Integrity of strong writes (DESIGN.md, Trust and reliability; Swift, SOSP 2007: the
 * client is untrusted). One entry at a time, over its drafts (so every place has the
 * segment that runs it) and the AST with the checker.
 *
 * SINKS. Every access with op `write` to a store whose consistency is `strong`; the values
 * written are the non-function arguments of every call of its builder chain
 * (`client.query(text, [a, b])`, `db.insert(t).values({…}).where(…)`).
 *
 * SLICE. From the sink's arguments, backwards, breadth first, context-sensitively (a
 * context is the chain of call sites from the entry's handler, the chain the drafts
 * inline): an identifier depends on its declaration's initializer (a destructuring on
 * the whole initializer: field-insensitive), on every assignment to it, to a property
 * below it or through a mutating method (`push`, `set`…) in its function; a parameter of
 * a called function on the argument at the call site of the context, a callback's
 * parameter on the receiver of the call it is given to; a call of the service's own
 * function on its return expressions (in the callee's context), any other call on its
 * receiver and arguments; every other expression on its operands (a conditional on its two
 * results, not its test: implicit flows are not followed). The slice stops at literals,
 * module-level declarations, library declarations, store accesses (data read back from a
 * store, or returned by a write, counts as trusted: recomputed from trusted data), and
 * secrets.
 *
 * SOURCES (untrusted values). A field of the HTTP request: a parameter of the handler typed
 * as the web `Request` (any use), Express `req.body/params/query/headers/cookies` and
 * `req.get/header/param(…)`, Hono `c.req` — wherever the entry arrives, since the request
 * was sent by the client. An argument of a call-style entry that arrives at an untrusted
 * stop. Client state: a client-only API (the DOM…) or a store whose home is an untrusted
 * stop (web storage), read anywhere.
 *
 * CHECKS. A flow is one source reaching the sink, with the first path found (the
 * shortest). A check of the flow is a guard whose test reads a value of the path, at any
 * step of the path: the test of an enclosing `if`/`switch`/loop/ternary/`&&`/`||`, an
 * earlier `if (test) throw|return|continue|break` in an enclosing block, the arguments of
 * an earlier statement calling an own function that throws under a top-level `if`
 * (a validating call), and the same for the call sites of the context and the entry's
 * middleware. "Reads a value of the path" is decided on access paths (`item.quantity`,
 * `header`, symbols resolved by the checker): the test reads the same access path as a
 * step, or a prefix of it (testing `item` checks `item.quantity`), directly or through a
 * local const it reads (`const ok = valid(q); if (!ok) throw`). A check counts only where
 * it runs at a trusted stop: the flow carries each check's segment and the planner
 * (planner/integrity.ts) judges it against the placement.
 *
 * DECISIONS. Every segment that runs a place of a sink's slice, or a guard of the sink
 * (and the slice of the guard's test), gets an `integrity` fact (SL3015): it decides or
 * computes the strong write, so the planner never places it on an untrusted stop. Segments
 * that hold a strong write, and their ancestors, have the planner's SL4102 instead; those
 * that use a client-only API are exempt (they cannot move; their values are sources, and a
 * check there does not count).
 *
 * LIMITS. Over-reports: any untrusted value that reaches a write is a flow, whatever the
 * write does with it (a key compared by the database is reported like a price). Under-
 * reports: any comparison counts as a check, whatever it tests (a null test validates, and a
 * test of a whole object checks each of its fields); the slice is field-insensitive (an
 * object built from a request field carries it in every field) and flow-insensitive (a check
 * anywhere on the path counts, even one before a later reassignment); aliases
 * are not tracked (`const e = cart.lines[0]; e.q = x` does not make `cart` depend on x);
 * values laundered through a store (request → KV → strong write), module-level state and
 * implicit flows (a branch on an untrusted value choosing a trusted one) are not followed;
 * the slice stops after `MAX_VALUES` places per entry.
 */

const MAX_VALUES = 20_000;
const MAX_SITES = 12;
const EXPRESS_FIELDS = new Set(['body', 'params', 'query', 'headers', 'cookies', 'signedCookies', 'ip', 'ips', 'url', 'originalUrl', 'path', 'hostname', 'protocol']);
const EXPRESS_METHODS = new Set(['get', 'header', 'param']);
const MUTATORS = new Set(['push', 'unshift', 'splice', 'set', 'add', 'fill', 'copyWithin']);

export interface IntegrityInput {
  readonly entry: FoundEntry;
  readonly root: Draft;
  readonly drafts: readonly Draft[];
  readonly stores: readonly Store[];
  readonly line: Line;
}

/** A value in a context: a syntax node and the chain of call sites it is evaluated under. */
interface Value {
  readonly node: ts.Node;
  readonly sites: readonly ts.Node[];
  readonly prev: Value | null;
  readonly note: string | null;
}

interface Source {
  readonly kind: TrustSourceKind;
  readonly node: ts.Node;
  readonly value: Value;
}

/** What a value depends on: the next places backwards, or an untrusted source (`at`: where to show it, when not the value itself). */
interface Dependencies {
  readonly source: TrustSourceKind | null;
  readonly next: Value[];
  readonly at?: ts.Node;
}

export interface IntegrityResult {
  readonly flows: TrustFlow[];
}

/** The flows of one entry; adds `integrity` facts to the drafts that decide its strong writes. */
export function analyzeIntegrity(ctx: AnalysisContext, input: IntegrityInput): IntegrityResult {
  const analysis = new EntryIntegrity(ctx, input);
  return { flows: analysis.run() };
}

class EntryIntegrity {
  private readonly strong: ReadonlySet<string>;
  private readonly untrustedArrival: boolean;
  private readonly clientStores: ReadonlySet<string>;
  private readonly writesByFunction = new Map<ts.Node, Map<ts.Symbol, ts.Node[]>>();
  private readonly nodeIds = new Map<ts.Node, number>();
  private budget = MAX_VALUES;

  constructor(private readonly ctx: AnalysisContext, private readonly input: IntegrityInput) {
    this.strong = new Set(input.stores.filter((s) => s.consistency === 'strong').map((s) => s.name));
    const untrusted = new Set(input.line.stops.filter((s) => !s.trusted).map((s) => s.name));
    this.clientStores = new Set(input.stores.filter((s) => untrusted.has(s.home)).map((s) => s.name));
    this.untrustedArrival = input.line.stops.find((s) => s.name === input.entry.arrives)?.trusted === false;
  }

  run(): TrustFlow[] {
    const flows: TrustFlow[] = [];
    const factKeys = new Set<string>();
    // A segment holding a strong write, and its ancestors, already have the planner's SL4102.
    const writers = new Set<Draft>();
    for (const draft of this.input.drafts) {
      if (!draft.accesses.some((a) => a.match.op === 'write' && this.strong.has(a.match.store))) continue;
      for (let d: Draft | null = draft; d !== null && !writers.has(d); d = d.parent) writers.add(d);
    }
    for (const draft of this.input.drafts) {
      draft.accesses.forEach((found, i) => {
        if (found.match.op !== 'write' || !this.strong.has(found.match.store)) return;
        const sites = sitesOf(draft);
        const accessId = `${draft.id}@${i}`;
        const write = { message: `the write (${found.match.api})`, range: nodeRange(this.ctx.rootDir, found.node) };
        const decide = (node: ts.Node, valueSites: readonly ts.Node[]): void => {
          const d = this.draftFor(node, valueSites);
          if (writers.has(d) || d.facts.some((f) => f.kind === 'client-only')) return;
          const key = `${d.id}|${found.match.store}`;
          if (factKeys.has(key)) return;
          factKeys.add(key);
          const args = { store: found.match.store, api: found.match.api };
          d.facts.push({
            kind: 'integrity', code: 'SL3015', message: diagnostic('SL3015', null, args).message,
            range: nodeRange(this.ctx.rootDir, node), stop: null, variable: null, related: [write],
          });
        };
        // The write itself is SL4102's; the guards and the values written are decisions.
        const { reached, sources } = this.slice(sinkArguments(found.node).map((node): Value => ({ node, sites, prev: null, note: `written by ${found.match.api}` })));
        for (const v of reached) decide(v.node, v.sites);
        for (const source of sources) flows.push(this.flowOf(accessId, found.match.store, source));
        const guards = this.guardsOf(found.node, sites);
        for (const v of this.slice(guards.map((g): Value => ({ node: g.test, sites: g.sites, prev: null, note: null }))).reached) decide(v.node, v.sites);
      });
    }
    return dedupeFlows(flows);
  }

  // ── the slice ──────────────────────────────────────────────────────────────────────

  private slice(starts: readonly Value[]): { reached: Value[]; sources: Source[] } {
    const seen = new Set<string>();
    const reached: Value[] = [];
    const sources: Source[] = [];
    const queue: Value[] = [];
    const push = (v: Value): void => {
      const key = this.keyOf(v.node, v.sites);
      if (seen.has(key) || this.budget <= 0) return;
      seen.add(key);
      this.budget--;
      queue.push(v);
    };
    for (const s of starts) push(s);
    for (let i = 0; i < queue.length; i++) {
      const v = queue[i]!;
      reached.push(v);
      const step = this.dependencies(v);
      if (step.source !== null) {
        sources.push({ kind: step.source, node: step.at ?? widenSource(v.node, step.source), value: v });
        continue;
      }
      for (const d of step.next) push(d);
    }
    return { reached, sources };
  }

  private dependencies(v: Value): Dependencies {
    const next: Value[] = [];
    const to = (node: ts.Node | undefined, note: string | null = null, sites = v.sites): void => {
      if (node !== undefined) next.push({ node, sites, prev: v, note });
    };
    const none = { source: null, next };
    const node = strip(v.node);
    const { matcher } = this.ctx;
    if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) || ts.isCallExpression(node)) {
      const capability = matcher.matchCapability(node);
      if (capability?.capability === 'client-only') return { source: 'client-state', next };
      if (capability !== null) return none;
    }
    if (ts.isCallExpression(node) || ts.isTaggedTemplateExpression(node)) {
      const store = this.storeOf(node);
      // A store at an untrusted stop (web storage) holds client state; any other store's data is trusted.
      if (store !== null) return this.clientStores.has(store) ? { source: 'client-state', next } : none;
    }
    if (isLiteral(node) || isFunctionLike(node) || node.kind === ts.SyntaxKind.ThisKeyword) return none;

    if (ts.isIdentifier(node) || ts.isShorthandPropertyAssignment(node)) return this.identifier(v, node, to);
    if (ts.isPropertyAccessExpression(node)) {
      const base = this.entryObject(node.expression, v.sites);
      if (base === 'express' && EXPRESS_FIELDS.has(node.name.text)) return { source: 'request', next };
      if (base === 'hono' && node.name.text === 'req') return { source: 'request', next };
      to(node.expression);
      return none;
    }
    if (ts.isElementAccessExpression(node)) {
      to(node.expression);
      return none;
    }
    if (ts.isCallExpression(node)) {
      if (ts.isPropertyAccessExpression(node.expression) && EXPRESS_METHODS.has(node.expression.name.text) &&
          this.entryObject(node.expression.expression, v.sites) === 'express') return { source: 'request', next };
      const own = v.sites.length < MAX_SITES ? ownCallee(this.ctx, node) : undefined;
      if (own && !v.sites.some((s) => ts.isCallExpression(s) && ownCallee(this.ctx, s)?.callee === own.callee)) {
        const name = calleeName(own.callee);
        for (const r of returnsOf(own.callee)) to(r, `returned from '${name}'`, [...v.sites, node]);
        return none;
      }
      if (ts.isPropertyAccessExpression(node.expression) || ts.isElementAccessExpression(node.expression)) to(node.expression.expression);
      for (const a of node.arguments) if (!isFunctionLike(strip(a))) to(a);
      return none;
    }
    if (ts.isConditionalExpression(node)) {
      to(node.whenTrue);
      to(node.whenFalse);
      return none;
    }
    if (ts.isObjectLiteralExpression(node)) {
      for (const p of node.properties) {
        if (ts.isPropertyAssignment(p)) to(p.initializer);
        else if (ts.isShorthandPropertyAssignment(p)) to(p);
        else if (ts.isSpreadAssignment(p)) to(p.expression);
      }
      return none;
    }
    if (ts.isBinaryExpression(node) && isAssignment(node.operatorToken.kind)) {
      to(node.right);
      return none;
    }
    ts.forEachChild(node, (child) => {
      if (ts.isTypeNode(child) || isFunctionLike(child) || (ts.isToken(child) && !ts.isIdentifier(child))) return;
      to(child);
    });
    return none;
  }

  private identifier(v: Value, node: ts.Identifier | ts.ShorthandPropertyAssignment, to: (n: ts.Node | undefined, note?: string | null, sites?: readonly ts.Node[]) => void): Dependencies {
    const next: Value[] = [];
    const result = (): Dependencies => ({ source: null, next });
    const symbol = this.symbolOf(node);
    const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
    if (symbol === undefined || decl === undefined || !this.ctx.projectFiles.has(decl.getSourceFile())) return result();
    const root = bindingRoot(decl);
    const name = ts.isIdentifier(node) ? node.text : node.name.text;
    if (ts.isParameter(root)) {
      const fn = root.parent;
      if (!isFunctionLike(fn)) return result();
      const index = fn.parameters.indexOf(root);
      if (this.isTopLevel(fn, v.sites)) {
        const kind = this.entryParameter(root, index);
        if (kind === 'request') return { source: 'request', next };
        if (kind === 'argument') return { source: 'argument', next, at: root };
        return result();
      }
      const top = v.sites[v.sites.length - 1];
      if (top !== undefined && ts.isCallExpression(top) && ownCallee(this.ctx, top)?.callee === fn) {
        const arg = root.dotDotDotToken ? top.arguments.slice(index) : top.arguments[index];
        const outer = v.sites.slice(0, -1);
        if (Array.isArray(arg)) for (const a of arg as ts.Expression[]) next.push({ node: a, sites: outer, prev: v, note: `passed to '${calleeName(fn)}' as '${name}'` });
        else if (arg !== undefined) next.push({ node: arg as ts.Expression, sites: outer, prev: v, note: `passed to '${calleeName(fn)}' as '${name}'` });
        else if (root.initializer) next.push({ node: root.initializer, sites: v.sites, prev: v, note: `'${name}' defaults to this` });
        return result();
      }
      // A callback's parameter: an element of the receiver it is given to.
      const call = fn.parent;
      if (call && ts.isCallExpression(call) && call.arguments.includes(fn as ts.Expression) &&
          (ts.isPropertyAccessExpression(call.expression) || ts.isElementAccessExpression(call.expression))) {
        next.push({ node: call.expression.expression, sites: v.sites, prev: v, note: `'${name}' is an element of this` });
      }
      return result();
    }
    if (ts.isVariableDeclaration(root)) {
      const fn = enclosingFunction(root);
      if (fn === null) return result(); // module level: constants and module state are not followed
      const loop = root.parent.parent;
      if (loop && (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) && loop.initializer === root.parent) {
        next.push({ node: loop.expression, sites: v.sites, prev: v, note: `'${name}' iterates this` });
      } else if (root.initializer) {
        next.push({ node: root.initializer, sites: v.sites, prev: v, note: `'${name}' is assigned here` });
      }
      for (const w of this.writesTo(fn, symbol)) next.push({ node: w, sites: v.sites, prev: v, note: `'${name}' is assigned here` });
      return result();
    }
    return result();
  }

  /** A store access, or a call of a builder chain that holds one (`db.select().from(t).where(…)` matched at `select`). */
  private storeOf(node: ts.CallExpression | ts.TaggedTemplateExpression): string | null {
    let n: ts.Node = node;
    for (let hops = 0; hops < 32; hops++) {
      if (!ts.isCallExpression(n) && !ts.isTaggedTemplateExpression(n)) return null;
      const match = this.ctx.matcher.matchCall(n);
      if (match !== null) return match.store;
      const callee: ts.Node = ts.isCallExpression(n) ? n.expression : n.tag;
      if (!ts.isPropertyAccessExpression(callee)) return null;
      n = strip(callee.expression);
    }
    return null;
  }

  /** Whether `fn` runs at the top of the entry in this context: the handler itself or one of its middleware. */
  private isTopLevel(fn: ts.Node, sites: readonly ts.Node[]): boolean {
    const { entry } = this.input;
    if (fn === entry.handler) return sites.length === 0;
    return entry.middleware.includes(fn as never) && sites.length === 1 && sites[0] === fn;
  }

  /** How a parameter of the handler (or middleware) is untrusted: the web Request, a call-style argument at an untrusted stop; framework objects are sources only through their fields. */
  private entryParameter(param: ts.ParameterDeclaration, index: number): 'request' | 'argument' | 'framework' | null {
    const type = this.ctx.checker.getTypeAtLocation(param);
    if (index === 0 && (this.input.entry.source === 'express' || this.input.entry.source === 'hono')) return 'framework';
    const symbol = (type.getNonNullableType().getSymbol() ?? type.aliasSymbol);
    if (symbol?.getName() === 'Request' && !this.ctx.projectFiles.has(symbol.declarations?.[0]?.getSourceFile() as ts.SourceFile)) {
      return this.ctx.matcher.classifyType(type)?.preset === 'express' ? 'framework' : 'request';
    }
    if (this.ctx.matcher.classifyType(type)?.kind === 'request') return 'framework';
    if (this.ctx.matcher.classifyType(type) !== null) return null; // env bindings, store handles
    return this.untrustedArrival ? 'argument' : null;
  }

  /** Whether an expression is the entry's Express `req` or Hono context (through parameters and const aliases). */
  private entryObject(expr: ts.Node, sites: readonly ts.Node[]): 'express' | 'hono' | null {
    let node = strip(expr);
    let ctxSites = sites;
    for (let hops = 0; hops < MAX_SITES * 2; hops++) {
      if (!ts.isIdentifier(node)) return null;
      const symbol = this.symbolOf(node);
      const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
      if (decl === undefined) return null;
      if (ts.isVariableDeclaration(decl) && decl.initializer && ts.isIdentifier(strip(decl.initializer))) {
        node = strip(decl.initializer);
        continue;
      }
      if (!ts.isParameter(decl) || !isFunctionLike(decl.parent)) return null;
      const fn = decl.parent;
      const index = fn.parameters.indexOf(decl);
      if (this.isTopLevel(fn, ctxSites)) {
        if (index !== 0) return null;
        const source = this.input.entry.source;
        if (source === 'express' || source === 'hono') return source;
        const handle = this.ctx.matcher.classifyType(this.ctx.checker.getTypeAtLocation(decl));
        return handle?.kind === 'request' ? (handle.preset === 'hono' ? 'hono' : 'express') : null;
      }
      const top = ctxSites[ctxSites.length - 1];
      if (top === undefined || !ts.isCallExpression(top)) return null;
      const arg = top.arguments[index];
      if (arg === undefined) return null;
      node = strip(arg);
      ctxSites = ctxSites.slice(0, -1);
    }
    return null;
  }

  private symbolOf(node: ts.Node): ts.Symbol | undefined {
    const { checker } = this.ctx;
    let symbol = ts.isShorthandPropertyAssignment(node)
      ? checker.getShorthandAssignmentValueSymbol(node)
      : node.parent && ts.isShorthandPropertyAssignment(node.parent) && node.parent.name === node
        ? checker.getShorthandAssignmentValueSymbol(node.parent)
        : checker.getSymbolAtLocation(node);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    return symbol;
  }

  /** Assignments to `symbol`, to a property below it, and values given to its mutating methods, in `fn`. */
  private writesTo(fn: ts.Node, symbol: ts.Symbol): readonly ts.Node[] {
    let bySymbol = this.writesByFunction.get(fn);
    if (bySymbol === undefined) {
      bySymbol = new Map();
      const add = (target: ts.Node, value: ts.Node): void => {
        const root = rootIdentifier(target);
        const s = root === null ? undefined : this.symbolOf(root);
        if (s === undefined) return;
        let list = bySymbol!.get(s);
        if (list === undefined) bySymbol!.set(s, (list = []));
        list.push(value);
      };
      const visit = (n: ts.Node): void => {
        if (ts.isBinaryExpression(n) && isAssignment(n.operatorToken.kind)) add(n.left, n.right);
        if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) add(n.operand, n.operand);
        if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && MUTATORS.has(n.expression.name.text)) {
          for (const a of n.arguments) add(n.expression.expression, a);
        }
        ts.forEachChild(n, visit);
      };
      const body = (fn as ts.FunctionLikeDeclaration).body;
      if (body) visit(body);
      this.writesByFunction.set(fn, bySymbol);
    }
    return bySymbol.get(symbol) ?? [];
  }

  // ── guards ─────────────────────────────────────────────────────────────────────────

  /** The tests of the guards that dominate `node` in its context, each with the context it runs in. */
  private guardsOf(node: ts.Node, sites: readonly ts.Node[]): { test: ts.Node; sites: readonly ts.Node[] }[] {
    const out: { test: ts.Node; sites: readonly ts.Node[] }[] = [];
    let n: ts.Node = node;
    let s = sites;
    for (let hops = 0; hops < 64; hops++) {
      let child = n;
      let p = n.parent;
      while (p !== undefined && !isFunctionLike(p)) {
        for (const test of localGuards(child, p, this.ctx)) out.push({ test, sites: s });
        child = p;
        p = p.parent;
      }
      if (p === undefined) break;
      const { middleware, handler } = this.input.entry;
      const top = p === handler || middleware.includes(p as never);
      // A callback runs inside the call it is given to (a route's handler is not one: it is the entry).
      if (!top && p.parent && ts.isCallExpression(p.parent) && p.parent.arguments.includes(p as ts.Expression)) {
        n = p.parent;
        continue;
      }
      const site = s[s.length - 1];
      if (!top && site !== undefined && ts.isCallExpression(site)) {
        n = site;
        s = s.slice(0, -1);
        continue;
      }
      // The handler (or a middleware): the middleware before it guard it.
      const before = p === handler ? middleware : middleware.slice(0, Math.max(0, middleware.indexOf(p as never)));
      for (const mw of before) {
        if (!ts.isBlock(mw.body)) continue;
        for (const statement of mw.body.statements) for (const test of exitGuard(statement, this.ctx)) out.push({ test, sites: [mw] });
      }
      break;
    }
    return out;
  }

  // ── the flow as IR ─────────────────────────────────────────────────────────────────

  private flowOf(access: string, store: string, source: Source): TrustFlow {
    const chain: Value[] = [];
    for (let v: Value | null = source.value; v !== null; v = v.prev) chain.push(v);
    const rangeOf = (n: ts.Node): TrustStep['range'] => nodeRange(this.ctx.rootDir, n);
    const path: TrustStep[] = [{
      message: source.kind === 'request' ? 'a field of the request' : source.kind === 'argument' ? "an argument of the entry, which arrives at an untrusted stop" : 'client state',
      range: rangeOf(source.node),
      segment: this.draftFor(source.node, source.value.sites).id,
    }];
    for (const v of chain) {
      if (v.note === null) continue;
      path.push({ message: v.note, range: rangeOf(v.node), segment: this.draftFor(v.node, v.sites).id });
    }
    const accessPaths = new Set<string>();
    for (const v of chain) {
      const ap = this.accessPath(strip(v.node));
      if (ap !== null) accessPaths.add(ap);
    }
    const checks = new Map<string, TrustStep>();
    for (const v of chain) {
      for (const g of this.guardsOf(v.node, v.sites)) {
        if (!this.testReads(g.test, accessPaths)) continue;
        const step = { message: 'checked here', range: rangeOf(g.test), segment: this.draftFor(g.test, g.sites).id };
        checks.set(`${step.segment}|${JSON.stringify(step.range)}`, step);
      }
    }
    return { entry: this.input.entry.name, access, store, source: source.kind, path: dedupeSteps(path), checks: [...checks.values()] };
  }

  /** Whether a guard's test reads one of the path's access paths (or a prefix of one), directly or through a local const. */
  private testReads(test: ts.Node, paths: ReadonlySet<string>): boolean {
    const reads = new Set<string>();
    const visit = (n: ts.Node, depth: number): void => {
      if (ts.isTypeNode(n)) return;
      const ap = (ts.isIdentifier(n) || ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) ? this.accessPath(n) : null;
      if (ap !== null) {
        reads.add(ap);
        // Only the whole chain is read: testing `request.method` does not test `request`.
        if (ts.isElementAccessExpression(n)) visit(n.argumentExpression, depth);
        if (ts.isPropertyAccessExpression(n) && n.parent && ts.isCallExpression(n.parent) && n.parent.expression === n) {
          const receiver = this.accessPath(strip(n.expression));
          if (receiver !== null) reads.add(receiver);
        }
        if (ts.isIdentifier(n) && depth > 0) {
          const decl = this.symbolOf(n)?.valueDeclaration;
          if (decl && ts.isVariableDeclaration(decl) && decl.initializer && enclosingFunction(decl) !== null) visit(decl.initializer, depth - 1);
        }
        return;
      }
      ts.forEachChild(n, (c) => visit(c, depth));
    };
    visit(test, 2);
    for (const r of reads) {
      if (paths.has(r)) return true;
      for (const p of paths) if (p.startsWith(`${r}.`)) return true;
    }
    return false;
  }

  /** `symbol#n.field.field` for an identifier or property chain, else null. */
  private accessPath(node: ts.Node): string | null {
    const n = strip(node);
    if (ts.isIdentifier(n) || ts.isShorthandPropertyAssignment(n)) {
      const s = this.symbolOf(n);
      return s === undefined ? null : `#${this.idOf(s)}`;
    }
    if (ts.isPropertyAccessExpression(n)) {
      const base = this.accessPath(n.expression);
      return base === null ? null : `${base}.${n.name.text}`;
    }
    if (ts.isElementAccessExpression(n) && (ts.isStringLiteral(n.argumentExpression) || ts.isNumericLiteral(n.argumentExpression))) {
      const base = this.accessPath(n.expression);
      return base === null ? null : `${base}.${n.argumentExpression.text}`;
    }
    return null;
  }

  private readonly symbolIds = new Map<ts.Symbol, number>();
  private idOf(s: ts.Symbol): number {
    let id = this.symbolIds.get(s);
    if (id === undefined) this.symbolIds.set(s, (id = this.symbolIds.size + 1));
    return id;
  }

  private keyOf(node: ts.Node, sites: readonly ts.Node[]): string {
    const id = (n: ts.Node): number => {
      let i = this.nodeIds.get(n);
      if (i === undefined) this.nodeIds.set(n, (i = this.nodeIds.size + 1));
      return i;
    };
    return `${id(node)}|${sites.map(id).join(',')}`;
  }

  // ── where a place runs ─────────────────────────────────────────────────────────────

  /** The draft that runs `node` in this context: down the inlined call drafts, then the innermost draft holding it. */
  private draftFor(node: ts.Node, sites: readonly ts.Node[]): Draft {
    let current = this.input.root;
    for (const site of sites) {
      const holder = innermost(current, site);
      const call = holder.children.find((c) => (c.kind === 'call' || c.kind === 'opaque') && c.node === site);
      if (call === undefined) return holder; // a helper that is not inlined runs inside its caller's statement
      if (call.kind === 'opaque') return call;
      current = call;
    }
    return innermost(current, node);
  }
}

// ── helpers over syntax ───────────────────────────────────────────────────────────────

function sitesOf(draft: Draft): ts.Node[] {
  const sites: ts.Node[] = [];
  for (let d: Draft | null = draft; d !== null; d = d.parent) if (d.kind === 'call' || d.kind === 'opaque') sites.push(d.node);
  return sites.reverse();
}

function innermost(draft: Draft, node: ts.Node): Draft {
  for (const child of draft.children) {
    if (child.kind === 'call' || child.kind === 'opaque') continue;
    if (contains(child.node, node)) return innermost(child, node);
  }
  return draft;
}

/** `inner` lies within `outer`: full ranges (leading trivia included, so no rescan) nest, in one file (checked last: it walks up). */
function contains(outer: ts.Node, inner: ts.Node): boolean {
  return outer.pos <= inner.pos && inner.end <= outer.end && outer.getSourceFile() === inner.getSourceFile();
}

/** The request field around a source: `request.headers.get('x')` rather than `request`. */
function widenSource(node: ts.Node, kind: TrustSourceKind): ts.Node {
  let n = strip(node);
  if (kind !== 'request') return n;
  while (n.parent) {
    const p = n.parent;
    if ((ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) && p.expression === n) n = p;
    else if (ts.isCallExpression(p) && p.expression === n) n = p;
    else break;
  }
  return n;
}

function dedupeSteps(steps: TrustStep[]): TrustStep[] {
  const seen = new Set<string>();
  return steps.filter((s) => {
    const key = `${s.segment}|${JSON.stringify(s.range)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** One flow per write and source place: the first path found. */
function dedupeFlows(flows: TrustFlow[]): TrustFlow[] {
  const seen = new Set<string>();
  return flows.filter((f) => {
    const key = `${f.access}|${JSON.stringify(f.path[0]?.range)}|${f.path[0]?.segment}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
