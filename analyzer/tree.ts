import { ts } from 'ts-morph';
import type { Fact, SegmentKind, SourceRange } from '../src/ir/index.js';
import { diagnostic } from '../src/diagnostics/index.js';
import type { AnalysisContext } from './context.js';
import { fallthrough, loopTrips, thenProbability, unlikely } from './counts.js';
import { scanOwnCode, type FoundAccess, type FoundCall } from './own-code.js';
import { scanNode, summaryOf } from './summary.js';
import { foldWhitespace, segmentId } from './segment-id.js';
import { nodeRange } from './source-range.js';

/**
 * A segment under construction. It keeps its syntax node and frame (the function whose
 * body holds its code) until liveness has been computed; `finish` turns drafts into
 * plain IR segments and nothing of the AST survives into the graph.
 */
export interface Draft {
  readonly id: string;
  readonly entry: string;
  readonly parent: Draft | null;
  readonly children: Draft[];
  readonly kind: SegmentKind;
  /** Statement, block, clause, call expression or function body. */
  readonly node: ts.Node;
  /** The function whose body holds this segment's code (for `call`: the callee). */
  readonly frame: ts.FunctionLikeDeclaration;
  readonly label: string;
  readonly range: SourceRange;
  readonly count: number;
  readonly callee: { readonly name: string; readonly range: SourceRange; readonly declaration: ts.FunctionLikeDeclaration; readonly signature: ts.Signature | null } | null;
  readonly accesses: FoundAccess[];
  readonly facts: Fact[];
  weight: number;
}

type FunctionWithBody = ts.FunctionLikeDeclaration & { readonly body: ts.Node };

/**
 * Builds one entry's region tree at statement granularity (DESIGN.md, Analyzer).
 * Statements are leaves unless they contain calls of the service's own functions, which
 * are inlined per call site as `call` children (context-sensitive), up to
 * `settings.inlineDepth` nested calls and `settings.inlineBudget` segments; recursion
 * and overflow become `opaque` children that carry the callee's accesses in summary.
 * Counts follow the cost model: loop bodies × trips, branch sides × probability, code
 * after an early exit × the count that reaches it.
 */
export class TreeBuilder {
  readonly drafts: Draft[] = [];
  private readonly stack: ts.Node[] = [];
  private readonly keysByParent = new Map<Draft | null, Map<string, number>>();

  constructor(private readonly ctx: AnalysisContext, private readonly entry: string) {}

  /** The root: the handler's body, with middleware (Express, Hono) inlined before it. */
  buildEntry(handler: FunctionWithBody, name: string, middleware: readonly FunctionWithBody[]): Draft {
    const root = this.make(null, 'body', handler.body, handler, name, 1, null, `${functionName(handler)}()`);
    this.stack.push(handler);
    for (const mw of middleware) this.inlineFunction(root, mw, null, mw, 1);
    this.buildBody(root, handler, 1);
    this.stack.pop();
    return root;
  }

  private buildBody(parent: Draft, fn: FunctionWithBody, count: number): void {
    const body = fn.body;
    if (ts.isBlock(body)) this.buildStatements(parent, body.statements, count, fn);
    else this.buildLeaf(parent, body, count, fn);
  }

  private buildStatements(parent: Draft, statements: readonly ts.Statement[], count: number, frame: ts.FunctionLikeDeclaration): number {
    let c = count;
    for (const statement of statements) {
      if (ts.isFunctionDeclaration(statement) || ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement) ||
          ts.isEmptyStatement(statement) || ts.isClassDeclaration(statement)) continue;
      this.buildStatement(parent, statement, c, frame);
      c = fallthrough(statement, c, this.ctx.settings);
    }
    return c;
  }

  private buildStatement(parent: Draft, statement: ts.Statement, count: number, frame: ts.FunctionLikeDeclaration): void {
    const settings = this.ctx.settings;
    if (ts.isLabeledStatement(statement)) {
      this.buildStatement(parent, statement.statement, count, frame);
      return;
    }
    if (ts.isBlock(statement)) {
      const block = this.make(parent, 'block', statement, frame, 'block', count, null, 'block');
      this.buildStatements(block, statement.statements, count, frame);
      return;
    }
    if (ts.isIfStatement(statement)) {
      const branch = this.compound(parent, 'branch', statement, statement.thenStatement, [statement.expression], count, frame);
      const p = thenProbability(statement, settings);
      this.buildSide(branch, statement.thenStatement, count * p, frame, 'then');
      if (statement.elseStatement) this.buildSide(branch, statement.elseStatement, count * (1 - p), frame, 'else');
      return;
    }
    if (ts.isSwitchStatement(statement)) {
      const branch = this.compound(parent, 'branch', statement, statement.caseBlock, [statement.expression], count, frame);
      const clauses = statement.caseBlock.clauses;
      for (const clause of clauses) {
        const role = ts.isCaseClause(clause) ? `case ${foldWhitespace(clause.expression.getText())}` : 'default';
        const side = this.make(branch, 'block', clause, frame, role, count / clauses.length, null, role);
        if (ts.isCaseClause(clause)) this.scanInto(side, [clause.expression]);
        this.buildStatements(side, clause.statements, count / clauses.length, frame);
      }
      return;
    }
    if (ts.isIterationStatement(statement, false)) {
      const header = loopHeader(statement);
      const loop = this.compound(parent, 'loop', statement, statement.statement, header, count, frame);
      this.buildSide(loop, statement.statement, count * loopTrips(statement, settings), frame, 'body');
      return;
    }
    if (ts.isTryStatement(statement)) {
      const tryNode = this.make(parent, 'try', statement, frame, 'try', count, null, 'try');
      this.buildSide(tryNode, statement.tryBlock, count, frame, 'try');
      if (statement.catchClause) this.buildSide(tryNode, statement.catchClause.block, count * unlikely, frame, 'catch');
      if (statement.finallyBlock) this.buildSide(tryNode, statement.finallyBlock, count, frame, 'finally');
      return;
    }
    this.buildLeaf(parent, statement, count, frame);
  }

  /** A branch side, loop body or try part: a block segment, or the single statement itself. */
  private buildSide(parent: Draft, statement: ts.Statement, count: number, frame: ts.FunctionLikeDeclaration, role: string): void {
    if (ts.isBlock(statement)) {
      const block = this.make(parent, 'block', statement, frame, role, count, null, role);
      this.buildStatements(block, statement.statements, count, frame);
    } else {
      this.buildStatement(parent, statement, count, frame);
    }
  }

  private compound(parent: Draft, kind: SegmentKind, statement: ts.Statement, body: ts.Node, header: readonly ts.Node[], count: number, frame: ts.FunctionLikeDeclaration): Draft {
    const sf = statement.getSourceFile();
    const headText = sf.text.slice(statement.getStart(sf), body.getStart(sf));
    const draft = this.make(parent, kind, statement, frame, foldWhitespace(headText), count, null, firstLine(headText));
    this.scanInto(draft, header);
    return draft;
  }

  private buildLeaf(parent: Draft, node: ts.Node, count: number, frame: ts.FunctionLikeDeclaration): void {
    const text = node.getText();
    const draft = this.make(parent, 'statement', node, frame, foldWhitespace(text), count, null, firstLine(text));
    this.scanInto(draft, [node]);
  }

  /** Scans own code into the draft and inlines the calls it makes, as children in evaluation order. */
  private scanInto(draft: Draft, nodes: readonly ts.Node[]): void {
    const own = nodes.length === 1 && nodes[0] ? scanNode(this.ctx, nodes[0]) : scanOwnCode(this.ctx, nodes);
    draft.accesses.push(...own.accesses);
    draft.facts.push(...own.facts);
    draft.weight += own.weight;
    for (const call of own.calls) this.inlineCall(draft, call);
  }

  /** A callee with effects becomes a `call` child; a pure one stays in the statement, adding its weight. */
  private inlineCall(parent: Draft, call: FoundCall): void {
    const summary = summaryOf(this.ctx, call.callee);
    if (!summary.effects && !this.stack.includes(call.callee)) {
      parent.weight += summary.weight * call.repeat;
      return;
    }
    this.inlineFunction(parent, call.callee, call.node, call.callee, parent.count * call.repeat, call.signature);
  }

  private inlineFunction(parent: Draft, callee: FunctionWithBody, site: ts.CallExpression | null, frame: FunctionWithBody, count: number, signature: ts.Signature | null = null): void {
    const name = functionName(callee);
    const siteNode = site ?? callee;
    const key = `${name}(${site ? foldWhitespace(site.getText()) : 'middleware'})`;
    const calleeInfo = { name, range: nodeRange(this.ctx.rootDir, callee), declaration: callee, signature };
    const recursive = this.stack.includes(callee);
    const tooDeep = this.stack.length > this.ctx.settings.inlineDepth;
    const overBudget = this.drafts.length >= this.ctx.settings.inlineBudget;
    if (recursive || tooDeep || overBudget) {
      const opaque = this.make(parent, 'opaque', siteNode, frame, key, count, calleeInfo, firstLine(siteNode.getText()));
      const code = recursive ? 'SL3008' : 'SL3009';
      const detail = tooDeep ? `more than ${this.ctx.settings.inlineDepth} nested calls` : `the entry reached its budget of ${this.ctx.settings.inlineBudget} segments`;
      opaque.facts.push({
        kind: 'no-cut',
        code,
        message: diagnostic(code, null, { callee: name, detail }).message,
        range: nodeRange(this.ctx.rootDir, siteNode),
        stop: null,
        variable: null,
        related: [{ message: `'${name}' is declared here`, range: calleeInfo.range }],
      });
      this.summarise(opaque, callee, new Set(this.stack));
      if (overBudget) this.ctx.diagnostics.add(diagnostic('SL3009', nodeRange(this.ctx.rootDir, siteNode), { callee: name, detail }));
      return;
    }
    const draft = this.make(parent, 'call', siteNode, frame, key, count, calleeInfo, firstLine(siteNode.getText()));
    this.stack.push(callee);
    this.buildBody(draft, callee, count);
    this.stack.pop();
  }

  /** An opaque call's accesses and facts: everything its callee and the callee's callees do. */
  private summarise(opaque: Draft, fn: FunctionWithBody, visited: Set<ts.Node>): void {
    const seen = new Set<ts.Node>(visited);
    const work: FunctionWithBody[] = [fn];
    let budget = 200;
    while (work.length > 0 && budget-- > 0) {
      const current = work.pop();
      if (!current || (seen.has(current) && current !== fn)) continue;
      seen.add(current);
      const own = scanNode(this.ctx, current.body);
      opaque.accesses.push(...own.accesses);
      for (const fact of own.facts) if (fact.kind !== 'no-cut') opaque.facts.push(fact);
      opaque.weight += own.weight;
      for (const call of own.calls) if (!seen.has(call.callee)) work.push(call.callee);
    }
  }

  private make(parent: Draft | null, kind: SegmentKind, node: ts.Node, frame: ts.FunctionLikeDeclaration, key: string, count: number,
               callee: Draft['callee'], label: string): Draft {
    let keys = this.keysByParent.get(parent);
    if (!keys) {
      keys = new Map();
      this.keysByParent.set(parent, keys);
    }
    const fullKey = `${kind}:${key}`;
    const duplicate = keys.get(fullKey) ?? 0;
    keys.set(fullKey, duplicate + 1);
    const draft: Draft = {
      id: segmentId(this.entry, parent?.id ?? null, kind, key, duplicate),
      entry: this.entry,
      parent,
      children: [],
      kind,
      node,
      frame,
      label: truncate(label, 80),
      range: nodeRange(this.ctx.rootDir, withLabels(node)),
      count,
      callee,
      accesses: [],
      facts: [],
      weight: 0,
    };
    parent?.children.push(draft);
    this.drafts.push(draft);
    return draft;
  }
}

function loopHeader(loop: ts.IterationStatement): ts.Node[] {
  if (ts.isForStatement(loop)) return [loop.initializer, loop.condition, loop.incrementor].filter((n): n is NonNullable<typeof n> => n !== undefined);
  if (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) return [loop.initializer, loop.expression];
  if (ts.isWhileStatement(loop) || ts.isDoStatement(loop)) return [loop.expression];
  return [];
}

export function functionName(fn: ts.FunctionLikeDeclaration): string {
  if (fn.name && (ts.isIdentifier(fn.name) || ts.isStringLiteral(fn.name) || ts.isPrivateIdentifier(fn.name))) {
    const owner = fn.parent && (ts.isClassDeclaration(fn.parent) || ts.isClassExpression(fn.parent)) && fn.parent.name ? `${fn.parent.name.text}.` : '';
    return `${owner}${fn.name.text}`;
  }
  const p = fn.parent;
  if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (p && ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) return p.name.text;
  return '<anonymous>';
}

/** A labelled statement's segment covers its labels: `outer:` belongs to the loop that `continue outer` targets. */
function withLabels(node: ts.Node): ts.Node {
  let n = node;
  while (n.parent && ts.isLabeledStatement(n.parent)) n = n.parent;
  return n;
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.trim();
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

