import { ts } from 'ts-morph';
import { DOCUMENT_METHODS, ELEMENT_PROPERTIES } from '../../src/presets/calls/dom.js';
import { diagnostic } from '../../src/diagnostics/index.js';
import type { Diagnostic, Plan, SegmentGraph, SourceRange } from '../../src/ir/index.js';
import { nodeAt, spanOf, type ParsedFile } from './text.js';

/**
 * Client-only APIs (the analyzer's `client-only` facts, SL3006) in code that a component
 * runs: each must have a lowering inside the component, or the split program would run
 * on a global that is not there (or, worse, one that answers `undefined`). Lowered:
 *
 *   localStorage.…                                 web storage on `client-local`, when a
 *                                                  web-storage store is configured
 *   document.querySelector(…) / getElementById(…)  the DOM subset of src/presets/calls/dom.ts,
 *                                                  on `client-dom`
 *
 * Anything else (`window`, `navigator`, `document.body`, `el.classList`…) is SL5020 at the
 * use. The element a lowered `document` call returns may only be read through `value` or
 * `textContent`, compared with null / undefined, or tested for truth, directly or through
 * a `const`/`let` it is stored in; any other use (passed to a function, returned, stored
 * in an object, assigned to, another member read) is SL5021 at that use. The check of a
 * variable's uses is by name within its scope: a same-named variable of an inner scope is
 * checked too, so the check may refuse a program it could accept, never the reverse.
 *
 * Only segments the plan places are looked at, so code tree-shaken from every component
 * (a helper no entry reaches) is not reported; each site is reported once however many
 * entries inline it.
 */

const WRAPPERS = (node: ts.Node): boolean =>
  ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node) || ts.isAsExpression(node) || ts.isTypeAssertionExpression(node) || ts.isSatisfiesExpression(node);

/** The outermost expression that is `node` under parentheses, `!`, `as`, `satisfies`. */
function unwrapUp(node: ts.Node): ts.Node {
  let at = node;
  while (at.parent && WRAPPERS(at.parent)) at = at.parent;
  return at;
}

function isNullish(node: ts.Expression): boolean {
  let e: ts.Expression = node;
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(e) && e.text === 'undefined') || ts.isVoidExpression(e);
}

const COMPARISONS = new Set([ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken]);

function isAssignmentTarget(node: ts.Node): boolean {
  const p = node.parent;
  if (ts.isBinaryExpression(p) && p.left === node && p.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && p.operatorToken.kind <= ts.SyntaxKind.LastAssignment) return true;
  if ((ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p)) && (p.operator === ts.SyntaxKind.PlusPlusToken || p.operator === ts.SyntaxKind.MinusMinusToken)) return true;
  return ts.isDeleteExpression(p);
}

type Use = { readonly ok: true; readonly variable?: ts.VariableDeclaration } | { readonly ok: false; readonly node: ts.Node; readonly use: string };

/** How the element value `expr` (a lowered call's result, or a variable holding it) is used where it stands. */
function classifyUse(expr: ts.Node, file: ts.SourceFile, allowDeclaration: boolean): Use {
  const at = unwrapUp(expr);
  const p = at.parent;
  if ((ts.isPropertyAccessExpression(p) && p.expression === at) || (ts.isElementAccessExpression(p) && p.expression === at)) {
    const name = ts.isPropertyAccessExpression(p) ? p.name.text : ts.isStringLiteralLike(p.argumentExpression) ? p.argumentExpression.text : null;
    if (name !== null && ELEMENT_PROPERTIES.includes(name) && !isAssignmentTarget(unwrapUp(p))) return { ok: true };
    const what = isAssignmentTarget(unwrapUp(p)) ? `the target of an assignment to .${name ?? '[…]'}` : `.${name ?? '[…]'}`;
    return { ok: false, node: p, use: what };
  }
  if (ts.isBinaryExpression(p) && COMPARISONS.has(p.operatorToken.kind) && isNullish(p.left === at ? p.right : p.left)) return { ok: true };
  if ((ts.isIfStatement(p) || ts.isWhileStatement(p) || ts.isDoStatement(p)) && p.expression === at) return { ok: true };
  if (ts.isConditionalExpression(p) && p.condition === at) return { ok: true };
  if (ts.isPrefixUnaryExpression(p) && p.operator === ts.SyntaxKind.ExclamationToken) return { ok: true };
  if (allowDeclaration && ts.isVariableDeclaration(p) && p.initializer === at && ts.isIdentifier(p.name) && ts.isVariableDeclarationList(p.parent) && (p.parent.flags & (ts.NodeFlags.Const | ts.NodeFlags.Let)) !== 0) {
    return { ok: true, variable: p };
  }
  return { ok: false, node: at, use: describe(p, at, file) };
}

function describe(parent: ts.Node, at: ts.Node, file: ts.SourceFile): string {
  if (ts.isCallExpression(parent) || ts.isNewExpression(parent)) return parent.expression === at ? 'a function' : 'an argument';
  if (ts.isReturnStatement(parent) || ts.isArrowFunction(parent)) return 'a return value';
  if (ts.isPropertyAssignment(parent) || ts.isShorthandPropertyAssignment(parent) || ts.isArrayLiteralExpression(parent) || ts.isSpreadElement(parent)) return 'part of an object or array';
  if (ts.isVariableDeclaration(parent)) return 'the value of another variable';
  if (ts.isBinaryExpression(parent)) return `an operand of ${parent.operatorToken.getText(file)}`;
  return `a ${ts.SyntaxKind[parent.kind]}`;
}

/** Identifiers named `name` inside `scope` that are references (not property names, not types, not the declaration itself). */
function referencesIn(scope: ts.Node, name: string, declaration: ts.Identifier): ts.Identifier[] {
  const out: ts.Identifier[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isTypeNode(node)) return;
    if (ts.isIdentifier(node) && node.text === name && node !== declaration) {
      const p = node.parent;
      const isName =
        (ts.isPropertyAccessExpression(p) && p.name === node) ||
        (ts.isPropertyAssignment(p) && p.name === node) ||
        (ts.isMethodDeclaration(p) && p.name === node) ||
        (ts.isPropertyDeclaration(p) && p.name === node) ||
        ts.isQualifiedName(p) ||
        (ts.isLabeledStatement(p) && p.label === node) ||
        ((ts.isBreakStatement(p) || ts.isContinueStatement(p)) && p.label === node);
      if (!isName) out.push(node);
    }
    node.forEachChild(visit);
  };
  visit(scope);
  return out;
}

/** The block a `const`/`let` declaration is visible in. */
function scopeOf(declaration: ts.VariableDeclaration): ts.Node {
  let at: ts.Node = declaration.parent;
  while (at.parent && !(ts.isBlock(at) || ts.isSourceFile(at) || ts.isModuleBlock(at) || ts.isCaseClause(at) || ts.isDefaultClause(at) || ts.isForStatement(at) || ts.isForOfStatement(at) || ts.isForInStatement(at))) at = at.parent;
  return at;
}

function rangeOf(path: string, file: ts.SourceFile, node: ts.Node): SourceRange {
  const start = file.getLineAndCharacterOfPosition(node.getStart(file));
  const end = file.getLineAndCharacterOfPosition(node.getEnd());
  return { file: path, start: { line: start.line + 1, column: start.character + 1 }, end: { line: end.line + 1, column: end.character + 1 } };
}

/** `document.querySelector` / `document.getElementById` as the callee of a call: that call. */
function loweredDocumentCall(node: ts.Node): ts.CallExpression | null {
  if (!ts.isPropertyAccessExpression(node) || !ts.isIdentifier(node.expression) || node.expression.text !== 'document') return null;
  if (!DOCUMENT_METHODS.includes(node.name.text)) return null;
  const callee = unwrapUp(node);
  return ts.isCallExpression(callee.parent) && callee.parent.expression === callee ? callee.parent : null;
}

/** `expr` without parentheses, `!`, `as`, `satisfies`. */
function unwrapDown(expr: ts.Expression): ts.Expression {
  let e = expr;
  while (WRAPPERS(e)) e = (e as ts.ParenthesizedExpression | ts.NonNullExpression | ts.AsExpression | ts.TypeAssertion | ts.SatisfiesExpression).expression;
  return e;
}

/** The `const`/`let` declaration of `name` visible at `at` whose initializer is a lowered `document` call, if any (found by name in the enclosing blocks). */
function elementVariable(at: ts.Node, name: string): ts.VariableDeclaration | null {
  for (let scope: ts.Node | undefined = at.parent; scope; scope = scope.parent) {
    if (!(ts.isBlock(scope) || ts.isSourceFile(scope) || ts.isModuleBlock(scope) || ts.isCaseClause(scope) || ts.isDefaultClause(scope))) continue;
    for (const statement of scope.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const d of statement.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.name.text === name) {
          const init = d.initializer ? unwrapDown(d.initializer) : null;
          return init && ts.isCallExpression(init) && loweredDocumentCall(unwrapDown(init.expression)) ? d : null;
        }
      }
    }
  }
  return null;
}

/** Whether `expr` is an element a lowered `document` call returned: the call itself, or a variable holding it. */
function isElement(expr: ts.Expression): boolean {
  const e = unwrapDown(expr);
  if (ts.isCallExpression(e)) return loweredDocumentCall(unwrapDown(e.expression)) !== null;
  return ts.isIdentifier(e) && elementVariable(e, e.text) !== null;
}

/** `document.querySelector(…)`: how a lowered call is named in a diagnostic. */
function callName(call: ts.CallExpression): string {
  const callee = unwrapDown(call.expression);
  return `document.${ts.isPropertyAccessExpression(callee) ? callee.name.text : '…'}(…)`;
}

function isLocalStorageUse(node: ts.Node): boolean {
  let at: ts.Node = node;
  while (ts.isPropertyAccessExpression(at) || ts.isElementAccessExpression(at) || ts.isCallExpression(at)) at = at.expression;
  return ts.isIdentifier(at) && at.text === 'localStorage';
}

const LOWERED = `the client component lowers localStorage and ${DOCUMENT_METHODS.map((m) => `document.${m}(…)`).join(' / ')} read through ${ELEMENT_PROPERTIES.map((p) => `.${p}`).join(' / ')}`;

export function checkClientApis(plan: Plan, graph: SegmentGraph, files: ReadonlyMap<string, ParsedFile>): Diagnostic[] {
  const stopOf = new Map(plan.segments.map((s) => [s.id, s.stop]));
  const first = plan.line.stops[0];
  const clientStop = first !== undefined && !first.trusted ? first.name : null;
  const webStorage = plan.stores.some((s) => s.preset === 'web-storage');
  const found = new Map<string, Diagnostic>();
  const key = (r: SourceRange): string => `${r.file}:${r.start.line}:${r.start.column}-${r.end.line}:${r.end.column}`;
  const report = (d: Diagnostic): void => {
    const k = key(d.range!);
    // An element misused is SL5021 even where the analyzer also saw a client-only member (SL5020) at the same place.
    if (!found.has(k) || d.code === 'SL5021') found.set(k, d);
  };
  const checkUses = (file: ParsedFile, call: ts.CallExpression): void => {
    const callText = callName(call);
    const use = classifyUse(call, file.ast, true);
    const bad: { node: ts.Node; use: string }[] = [];
    if (!use.ok) bad.push(use);
    else if (use.variable) {
      const name = use.variable.name as ts.Identifier;
      for (const ref of referencesIn(scopeOf(use.variable), name.text, name)) {
        const u = classifyUse(ref, file.ast, false);
        if (!u.ok) bad.push(u);
      }
    }
    for (const b of bad) report(diagnostic('SL5021', rangeOf(file.path, file.ast, b.node), { call: callText, use: b.use }));
  };

  for (const segment of graph.segments) {
    const stop = stopOf.get(segment.id);
    if (stop === undefined || stop === null) continue;
    for (const fact of segment.facts) {
      if (fact.kind !== 'client-only') continue;
      const file = files.get(fact.range.file);
      const span = file ? spanOf(file, fact.range) : null;
      const node = file && span ? nodeAt(file, span) : undefined;
      const api = file && span ? file.text.slice(span.start, span.end) : fact.range.file;
      if (stop !== clientStop) {
        report(diagnostic('SL5020', fact.range, { api, stop, detail: 'only the client stop has a page and web storage' }));
        continue;
      }
      if (file === undefined || node === undefined) {
        report(diagnostic('SL5020', fact.range, { api, stop, detail: LOWERED }));
        continue;
      }
      if (isLocalStorageUse(node)) {
        if (!webStorage) report(diagnostic('SL5020', fact.range, { api, stop, detail: 'localStorage is lowered for a configured web-storage store; this config has none' }));
        continue;
      }
      const call = loweredDocumentCall(node);
      if (call !== null) {
        checkUses(file, call);
        continue;
      }
      // A member of an element (`document.getElementById('t')?.textContent`, `field.focus`): the element's use.
      if ((ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) && isElement(node.expression)) {
        const object = unwrapDown(node.expression);
        if (ts.isCallExpression(object)) checkUses(file, object);
        else {
          const u = classifyUse(object, file.ast, false);
          const declared = elementVariable(object, (object as ts.Identifier).text);
          const from = declared?.initializer ? unwrapDown(declared.initializer) : null;
          if (!u.ok && from !== null && ts.isCallExpression(from)) report(diagnostic('SL5021', rangeOf(file.path, file.ast, u.node), { call: callName(from), use: u.use }));
        }
        continue;
      }
      report(diagnostic('SL5020', fact.range, { api, stop, detail: LOWERED }));
    }
  }
  return [...found.values()].sort((a, b) => (a.range!.file < b.range!.file ? -1 : a.range!.file > b.range!.file ? 1 : a.range!.start.line - b.range!.start.line || a.range!.start.column - b.range!.start.column));
}
