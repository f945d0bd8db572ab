import { ts } from 'ts-morph';
import type { Diagnostic, Line, SourceRange } from '../src/ir/index.js';
import { diagnostic } from '../src/diagnostics/index.js';
import type { AnalysisContext } from './context.js';
import type { FoundEntry } from './entries.js';
import { isFunctionLike } from './frame.js';
import { ownCallee } from './own-code.js';
import { nodeRange } from './source-range.js';
import { enclosingFunction, returnsOf, strip } from './data-flow-syntax.js';
import type { Draft } from './tree.js';

/**
 * Confidentiality of secrets (DESIGN.md, Trust and reliability): a secret's value never
 * crosses a cut towards an untrusted stop — not as a live variable, not inside a returned
 * payload, not inside a thrown error. The read itself is SL3005's (analyzer/own-code.ts);
 * this module finds where the value goes, one entry at a time.
 *
 * CARRIES A SECRET. An expression carries a secret when it is a secret read (the `secret`
 * capability: `process.env`, `Deno.env.get`, a secret store), a variable whose initializer
 * or any assignment carries one (a destructuring: its whole initializer), a parameter of an
 * inlined call whose argument carries one at some call site of the entry, a property or
 * element of a value that carries one, a template, operator, conditional result, object,
 * array or spread with a part that does, `new X(…)` with an argument that does (an Error's
 * message), a method called on a value that does (`key.trim()`), a call of the service's
 * own function that returns one, and any other call with an argument that does
 * (`String(key)`, `JSON.stringify({ key })`) — except a secret's `length`, and one-way functions, whose results may
 * leave the trusted stops: HMACs and hashes (`createHmac`, `createHash`, `digest`), signing
 * and verifying (`sign`, `verify`), comparisons (`timingSafeEqual`, `compare`).
 *
 * WHAT IT GIVES. (1) The declarations of variables that carry a secret
 * (`secretDeclarations`, by their name's range, as `LiveVariable.id` names them): the
 * planner keeps every segment that has one of them live in or live out, and the parent of
 * one that passes it out, off untrusted stops (planner/confidentiality.ts, SL4302). (2) A
 * `secret` fact SL3016 on a statement that returns or throws a value carrying a secret; the
 * planner keeps the segments the value crosses off untrusted stops too (a return: up to the
 * statement of the call that receives it; a throw: up to the entry's root, since nothing
 * proves it is caught). (3) SL3017, an
 * error, when the handler of an entry that arrives at an untrusted stop returns or throws
 * such a value: the value would reach that stop whatever the placement, so the entry is not
 * split silently.
 *
 * LIMITS. Over-reports: a variable is secret everywhere once one assignment or one call site
 * makes it so; a thrown secret caught inside the entry still constrains up to the root.
 * Under-reports: values laundered through module state or a store, through a callback or a
 * helper that is not inlined (its parameters), or through a one-way function that is not
 * one (a custom `sign` that echoes its key) are not followed.
 */

const ONE_WAY = new Set(['createHmac', 'createHash', 'hmac', 'digest', 'hash', 'sign', 'verify', 'timingSafeEqual', 'compare', 'compareSync', 'hashSync']);

export interface ConfidentialityResult {
  /** `file:line:column` of the name of every variable declaration that carries a secret. */
  readonly secretDeclarations: ReadonlySet<string>;
  readonly diagnostics: readonly Diagnostic[];
}

export function analyzeConfidentiality(ctx: AnalysisContext, entry: FoundEntry, drafts: readonly Draft[], line: Line): ConfidentialityResult {
  return new EntryConfidentiality(ctx, entry, drafts, line).run();
}

class EntryConfidentiality {
  private readonly memo = new Map<ts.Node, boolean>();
  private readonly carriesMemo = new Map<ts.Node, boolean>();
  private declarationsInProgress = 0;
  private readonly callSites = new Map<ts.Node, ts.CallExpression[]>();

  constructor(private readonly ctx: AnalysisContext, private readonly entry: FoundEntry, private readonly drafts: readonly Draft[], private readonly line: Line) {
    for (const d of drafts) {
      if (d.kind !== 'call' || d.callee === null || !ts.isCallExpression(d.node)) continue;
      let list = this.callSites.get(d.callee.declaration);
      if (list === undefined) this.callSites.set(d.callee.declaration, (list = []));
      list.push(d.node);
    }
  }

  run(): ConfidentialityResult {
    const secretDeclarations = new Set<string>();
    const diagnostics: Diagnostic[] = [];
    const seenFunctions = new Set<ts.Node>();
    for (const d of this.drafts) {
      // Every variable declared in the frames the entry runs.
      if (!seenFunctions.has(d.frame)) {
        seenFunctions.add(d.frame);
        for (const name of declaredNames(d.frame)) {
          if (this.declarationCarries(name.parent)) secretDeclarations.add(key(nodeRange(this.ctx.rootDir, name)));
        }
      }
      if (d.kind !== 'statement') continue;
      const statement = d.node;
      const exits = ts.isReturnStatement(statement) ? 'return' : ts.isThrowStatement(statement) ? 'throw' : null;
      const value = ts.isReturnStatement(statement) || ts.isThrowStatement(statement) ? statement.expression : undefined;
      if (exits === null || value === undefined || !this.carries(value, 0)) continue;
      const range = nodeRange(this.ctx.rootDir, statement);
      const what = exits === 'return' ? 'returns' : 'throws';
      d.facts.push({ kind: 'secret', code: 'SL3016', message: diagnostic('SL3016', null, { what }).message, range, stop: null, variable: null, related: [] });
      // The planner keeps the segments the value crosses on its way up off untrusted stops
      // (planner/confidentiality.ts); here: whether it reaches the entry's caller.
      let reachesRoot = true;
      if (exits === 'return') for (let a: Draft | null = d; a !== null; a = a.parent) if (a.kind === 'call') reachesRoot = false;
      const arrival = this.line.stops.find((s) => s.name === this.entry.arrives);
      if (reachesRoot && arrival?.trusted === false) {
        diagnostics.push(diagnostic('SL3017', range, { entry: this.entry.name, stop: arrival.name, what: exits === 'return' ? 'return value' : 'thrown error' }, [
          { message: 'the entry arrives here', range: nodeRange(this.ctx.rootDir, this.entry.handler) },
        ]));
      }
    }
    return { secretDeclarations, diagnostics };
  }

  private declarationCarries(decl: ts.Node): boolean {
    const cached = this.memo.get(decl);
    if (cached !== undefined) return cached;
    this.memo.set(decl, false); // a cycle carries nothing new
    this.declarationsInProgress++;
    try {
      return this.computeDeclarationCarries(decl);
    } finally {
      this.declarationsInProgress--;
    }
  }

  private computeDeclarationCarries(decl: ts.Node): boolean {
    let result = false;
    let root: ts.Node = decl;
    while (ts.isBindingElement(root) || ts.isObjectBindingPattern(root) || ts.isArrayBindingPattern(root)) root = root.parent;
    if (ts.isVariableDeclaration(root)) {
      const loop = root.parent.parent;
      const init = loop && (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) && loop.initializer === root.parent ? loop.expression : root.initializer;
      result = (init !== undefined && this.carries(init, 0)) || this.assignedSecret(root);
    } else if (ts.isParameter(root) && isFunctionLike(root.parent)) {
      const fn = root.parent;
      const index = fn.parameters.indexOf(root);
      result = (this.callSites.get(fn) ?? []).some((site) => site.arguments[index] !== undefined && this.carries(site.arguments[index]!, 0));
    }
    this.memo.set(decl, result);
    return result;
  }

  private assignedSecret(decl: ts.VariableDeclaration): boolean {
    if (!ts.isIdentifier(decl.name)) return false;
    const symbol = this.ctx.checker.getSymbolAtLocation(decl.name);
    const fn = enclosingFunction(decl);
    if (symbol === undefined || fn === null || fn.body === undefined) return false;
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
        let target: ts.Node = n.left;
        while (ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target)) target = target.expression;
        if (ts.isIdentifier(target) && this.ctx.checker.getSymbolAtLocation(target) === symbol && this.carries(n.right, 0)) found = true;
      }
      ts.forEachChild(n, visit);
    };
    visit(fn.body);
    return found;
  }

  /**
   * Whether `expr` may evaluate to a value carrying a secret. Many places ask about one
   * expression: the answers asked from outside any declaration's computation at depth 0
   * are kept (inside one, a declaration on a cycle reads as carrying nothing for the
   * moment, so those answers are provisional and not kept).
   */
  carries(expr: ts.Node, depth: number): boolean {
    const kept = depth === 0 && this.declarationsInProgress === 0;
    if (kept) {
      const known = this.carriesMemo.get(expr);
      if (known !== undefined) return known;
    }
    const result = this.computeCarries(expr, depth);
    if (kept) this.carriesMemo.set(expr, result);
    return result;
  }

  private computeCarries(expr: ts.Node, depth: number): boolean {
    if (depth > 64) return false;
    const node = strip(expr);
    const { matcher, checker } = this.ctx;
    if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) || ts.isCallExpression(node)) {
      if (matcher.matchCapability(node)?.capability === 'secret') return true;
    }
    if (isFunctionLike(node)) return false;
    if (ts.isIdentifier(node) || ts.isShorthandPropertyAssignment(node)) {
      let symbol = ts.isShorthandPropertyAssignment(node) ? checker.getShorthandAssignmentValueSymbol(node) : checker.getSymbolAtLocation(node);
      if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
      const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
      if (decl === undefined || !this.ctx.projectFiles.has(decl.getSourceFile()) || enclosingFunction(decl) === null) return false;
      return this.declarationCarries(decl);
    }
    // A secret's length is not the secret.
    if (ts.isPropertyAccessExpression(node) && node.name.text === 'length') return false;
    if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) return this.carries(node.expression, depth + 1);
    if (ts.isCallExpression(node)) {
      const own = ownCallee(this.ctx, node);
      if (own) return returnsOf(own.callee).some((r) => this.carries(r, depth + 1));
      const callee = strip(node.expression);
      const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
      if (ONE_WAY.has(name)) return false;
      if (ts.isPropertyAccessExpression(callee) && this.carries(callee.expression, depth + 1)) return true;
      return node.arguments.some((a) => this.carries(a, depth + 1));
    }
    if (ts.isConditionalExpression(node)) return this.carries(node.whenTrue, depth + 1) || this.carries(node.whenFalse, depth + 1);
    if (ts.isObjectLiteralExpression(node)) {
      return node.properties.some((p) =>
        ts.isPropertyAssignment(p) ? this.carries(p.initializer, depth + 1)
          : ts.isShorthandPropertyAssignment(p) ? this.carries(p, depth + 1)
            : ts.isSpreadAssignment(p) ? this.carries(p.expression, depth + 1) : false);
    }
    let found = false;
    ts.forEachChild(node, (child) => {
      if (found || ts.isTypeNode(child) || (ts.isToken(child) && !ts.isIdentifier(child))) return;
      if (ts.isIdentifier(child) && node.kind === ts.SyntaxKind.NewExpression && (node as ts.NewExpression).expression === child) return;
      if (this.carries(child, depth + 1)) found = true;
    });
    return found;
  }
}

export function key(range: SourceRange): string {
  return `${range.file}:${range.start.line}:${range.start.column}`;
}

/** The names of the variables and parameters a function declares (not in nested functions). */
function declaredNames(fn: ts.FunctionLikeDeclaration): ts.Identifier[] {
  const out: ts.Identifier[] = [];
  const names = (n: ts.BindingName): void => {
    if (ts.isIdentifier(n)) out.push(n);
    else for (const e of n.elements) if (!ts.isOmittedExpression(e)) names(e.name);
  };
  for (const p of fn.parameters) names(p.name);
  const visit = (n: ts.Node): void => {
    if (n !== fn && isFunctionLike(n)) return;
    if (ts.isVariableDeclaration(n)) names(n.name);
    ts.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  return out;
}

