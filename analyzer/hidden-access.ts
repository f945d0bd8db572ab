import { ts } from 'ts-morph';
import { diagnostic } from '../src/diagnostics/index.js';
import type { AnalysisContext } from './context.js';
import { nodeRange } from './source-range.js';
import { summaryOf } from './summary.js';

/**
 * Code whose store accesses the analysis cannot see, reported where it is used so a plan
 * that misses them is never silent (real codebases rarely type-check cleanly):
 *  - a call on a receiver typed `any` whose member name is one a store preset knows
 *    (`db.query(…)` with `db: any`): SL2002 — the type that would tell which library it
 *    is was thrown away;
 *  - reading a property that is the service's own getter, or assigning one that is its
 *    own setter, whose body (with what it calls) has effects: SL2012 — accessors run
 *    without a call expression, so they are not inlined as calls are.
 */

/** SL2002 for `receiver.member(…)` with an `any` receiver and a member name some store preset calls. */
export function checkAnyReceiver(ctx: AnalysisContext, call: ts.CallExpression): void {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) && !ts.isElementAccessExpression(callee)) return;
  const member = ts.isPropertyAccessExpression(callee)
    ? callee.name.text
    : ts.isStringLiteralLike(callee.argumentExpression) ? callee.argumentExpression.text : null;
  if (member === null || !ctx.matcher.isStoreMemberName(member)) return;
  const type = ctx.checker.getTypeAtLocation(callee.expression);
  if ((type.flags & ts.TypeFlags.Any) === 0) return;
  ctx.diagnostics.add(diagnostic('SL2002', nodeRange(ctx.rootDir, callee), {
    name: callee.getText(),
    detail: 'its receiver is typed `any`',
  }));
}

type Accessor = (ts.GetAccessorDeclaration | ts.SetAccessorDeclaration) & { readonly body: ts.Block };

/** Accessors whose effects are being computed: a getter that reads itself stops here. */
const inProgress = new WeakSet<ts.Node>();

/** The names of the accessors with a body the project's own files declare (a syntactic prefilter: most accesses are not to one). */
const accessorNames = new WeakMap<AnalysisContext, ReadonlySet<string>>();

function projectAccessorNames(ctx: AnalysisContext): ReadonlySet<string> {
  const known = accessorNames.get(ctx);
  if (known) return known;
  const names = new Set<string>();
  const visit = (n: ts.Node): void => {
    if ((ts.isGetAccessorDeclaration(n) || ts.isSetAccessorDeclaration(n)) && n.body) {
      const name = ts.isIdentifier(n.name) || ts.isPrivateIdentifier(n.name) || ts.isStringLiteralLike(n.name) || ts.isNumericLiteral(n.name) ? n.name.text : null;
      if (name === null) names.add('*'); // a computed name: any access may reach it
      else names.add(name);
    }
    n.forEachChild(visit);
  };
  for (const sf of ctx.projectFiles) visit(sf);
  accessorNames.set(ctx, names);
  return names;
}

/** SL2012 when `node` (a property access) runs one of the service's accessors that has effects (summary.ts). */
export function checkAccessor(ctx: AnalysisContext, node: ts.PropertyAccessExpression | ts.ElementAccessExpression): void {
  const names = projectAccessorNames(ctx);
  if (names.size === 0) return;
  if (!names.has('*')) {
    const member = ts.isPropertyAccessExpression(node) ? node.name.text : ts.isStringLiteralLike(node.argumentExpression) || ts.isNumericLiteral(node.argumentExpression) ? node.argumentExpression.text : null;
    if (member !== null && !names.has(member)) return;
  }
  const writes = isAssignmentTarget(node);
  const reads = !writes || isCompoundAssignmentTarget(node);
  const symbol = ctx.checker.getSymbolAtLocation(ts.isPropertyAccessExpression(node) ? node.name : node.argumentExpression);
  if (!symbol || (symbol.flags & ts.SymbolFlags.Accessor) === 0) return;
  for (const decl of symbol.declarations ?? []) {
    if (!ts.isGetAccessorDeclaration(decl) && !ts.isSetAccessorDeclaration(decl)) continue;
    const kind = ts.isGetAccessorDeclaration(decl) ? (reads ? 'getter' : null) : writes ? 'setter' : null;
    if (kind === null || !decl.body || !ctx.projectFiles.has(decl.getSourceFile())) continue;
    if (inProgress.has(decl)) continue;
    inProgress.add(decl);
    let effects: boolean;
    try {
      effects = summaryOf(ctx, decl as Accessor).effects;
    } finally {
      inProgress.delete(decl);
    }
    if (!effects) continue;
    const owner = ts.isClassLike(decl.parent) && decl.parent.name ? `${decl.parent.name.text}.` : '';
    ctx.diagnostics.add(diagnostic('SL2012', nodeRange(ctx.rootDir, node), {
      name: node.getText(),
      kind,
      accessor: `${owner}${decl.name.getText()}`,
    }));
  }
}

function isAssignmentTarget(node: ts.Expression): boolean {
  const parent = node.parent;
  return !!parent && ts.isBinaryExpression(parent) && parent.left === node &&
    parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
}

function isCompoundAssignmentTarget(node: ts.Expression): boolean {
  const parent = node.parent;
  return !!parent && ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind !== ts.SyntaxKind.EqualsToken;
}
