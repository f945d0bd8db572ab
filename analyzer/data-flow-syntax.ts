import { ts } from 'ts-morph';
import { isFunctionLike } from './frame.js';

/** Small syntax helpers of the data-flow analyses (integrity.ts, confidentiality.ts). */

export function strip(node: ts.Node): ts.Node {
  let n = node;
  while (ts.isParenthesizedExpression(n) || ts.isAsExpression(n) || ts.isNonNullExpression(n) || ts.isAwaitExpression(n) ||
         ts.isTypeAssertionExpression(n) || ts.isSatisfiesExpression(n)) n = n.expression;
  return n;
}

export function isLiteral(node: ts.Node): boolean {
  return ts.isStringLiteral(node) || ts.isNumericLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isRegularExpressionLiteral(node) ||
    ts.isBigIntLiteral(node) || node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword || node.kind === ts.SyntaxKind.NullKeyword;
}

export function isAssignment(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

export function bindingRoot(decl: ts.Node): ts.Node {
  let n = decl;
  while (ts.isBindingElement(n) || ts.isObjectBindingPattern(n) || ts.isArrayBindingPattern(n)) n = n.parent;
  return n;
}

export function rootIdentifier(target: ts.Node): ts.Identifier | null {
  let n = strip(target);
  while (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) n = strip(n.expression);
  return ts.isIdentifier(n) ? n : null;
}

export function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | null {
  for (let n = node.parent; n !== undefined; n = n.parent) if (isFunctionLike(n)) return n;
  return null;
}

export function calleeName(fn: ts.FunctionLikeDeclaration): string {
  if (fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  const p = fn.parent;
  if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  return '<anonymous>';
}

/** Return expressions of a function (not of functions nested in it); a concise body is its own. */
export function returnsOf(fn: ts.FunctionLikeDeclaration): ts.Node[] {
  if (fn.body === undefined) return [];
  if (!ts.isBlock(fn.body)) return [fn.body];
  const out: ts.Node[] = [];
  const visit = (n: ts.Node): void => {
    if (isFunctionLike(n)) return;
    if (ts.isReturnStatement(n) && n.expression) out.push(n.expression);
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(fn.body, visit);
  return out;
}

/** The values a write stores: the non-function arguments of every call of its builder chain. */
export function sinkArguments(node: ts.CallExpression | ts.TaggedTemplateExpression): ts.Node[] {
  const out: ts.Node[] = [];
  const take = (call: ts.Node): void => {
    if (ts.isCallExpression(call)) for (const a of call.arguments) if (!isFunctionLike(strip(a))) out.push(a);
    if (ts.isTaggedTemplateExpression(call) && ts.isTemplateExpression(call.template)) for (const span of call.template.templateSpans) out.push(span.expression);
  };
  // Down the chain: `db.insert(t).values(v)` matched at `values`.
  let n: ts.Node = node;
  while (true) {
    take(n);
    const callee: ts.Node | undefined = ts.isCallExpression(n) ? n.expression : ts.isTaggedTemplateExpression(n) ? n.tag : undefined;
    if (callee === undefined || !ts.isPropertyAccessExpression(callee)) break;
    n = strip(callee.expression);
    if (!ts.isCallExpression(n) && !ts.isTaggedTemplateExpression(n)) break;
  }
  // Up the chain: `db.update(t)` matched, `.set(v).where(w)` after it.
  let up: ts.Node = node;
  while (up.parent && ts.isPropertyAccessExpression(up.parent) && up.parent.expression === up && up.parent.parent && ts.isCallExpression(up.parent.parent) && up.parent.parent.expression === up.parent) {
    up = up.parent.parent;
    take(up);
  }
  return out;
}
