import { ts } from 'ts-morph';
import type { ParsedFile, Span } from './text.js';

/**
 * How a module reaches an entry's handler from its exports: the export's name and, for a
 * method of an exported object (`export default { async fetch(request) {…} }`), the
 * property path to it. Null when the handler is not reachable through an export (an
 * arrow passed to `app.get`, a function only used locally): the framework serves it, and
 * nothing can call it by name.
 *
 *   export async function viewCart(…)        → { exportName: 'viewCart', member: [] }
 *   export default async function (…)        → { exportName: 'default', member: [] }
 *   export const viewCart = async (…) => …   → { exportName: 'viewCart', member: [] }
 *   function f(…) {…}  export { f as g }     → { exportName: 'g', member: [] }
 *   export default { async fetch(…) {…} }    → { exportName: 'default', member: ['fetch'] }
 *   export const worker = { fetch: … }       → { exportName: 'worker', member: ['fetch'] }
 */
export interface HandlerRef {
  readonly exportName: string;
  readonly member: readonly string[];
}

const hasModifier = (node: ts.Node, kind: ts.SyntaxKind): boolean =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);

/** The names under which `local` is exported by `export { local as name }` statements. */
function exportedAs(file: ParsedFile, local: string): string | null {
  for (const statement of file.ast.statements) {
    if (!ts.isExportDeclaration(statement) || statement.moduleSpecifier !== undefined || statement.isTypeOnly) continue;
    const clause = statement.exportClause;
    if (clause === undefined || !ts.isNamedExports(clause)) continue;
    for (const e of clause.elements) if ((e.propertyName ?? e.name).getText(file.ast) === local && !e.isTypeOnly) return e.name.getText(file.ast);
  }
  for (const statement of file.ast.statements) {
    if (ts.isExportAssignment(statement) && !statement.isExportEquals && ts.isIdentifier(statement.expression) && statement.expression.text === local) return 'default';
  }
  return null;
}

/** The export name of a module-level declaration with this name, if it is exported. */
function exportOfDeclaration(file: ParsedFile, node: ts.Node, name: string | null): string | null {
  if (hasModifier(node, ts.SyntaxKind.ExportKeyword)) return hasModifier(node, ts.SyntaxKind.DefaultKeyword) ? 'default' : name;
  return name === null ? null : exportedAs(file, name);
}

/** A property's key when it is written as a name or a literal (not computed). */
function propertyName(name: ts.PropertyName): string | null {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) ? name.text : null;
}

/** The handler node (a function-like whose span is `span`), or undefined. */
function functionAt(file: ParsedFile, span: Span): ts.FunctionLikeDeclaration | undefined {
  let found: ts.FunctionLikeDeclaration | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    const start = node.getStart(file.ast);
    if (start > span.start || node.end < span.end) return;
    if (start === span.start && node.end === span.end && ts.isFunctionLike(node) && 'body' in node) found = node as ts.FunctionLikeDeclaration;
    node.forEachChild(visit);
  };
  file.ast.forEachChild(visit);
  return found;
}

/** An object literal's path from a module-level export: `export default {…}` or `export const x = {…}`. */
function objectExport(file: ParsedFile, object: ts.ObjectLiteralExpression): string | null {
  let at: ts.Node = object.parent;
  while (ts.isParenthesizedExpression(at) || ts.isSatisfiesExpression(at) || ts.isAsExpression(at)) at = at.parent;
  if (ts.isExportAssignment(at) && !at.isExportEquals) return 'default';
  if (ts.isVariableDeclaration(at) && ts.isIdentifier(at.name) && ts.isVariableDeclarationList(at.parent) && ts.isVariableStatement(at.parent.parent) && at.parent.parent.parent === file.ast) {
    return exportOfDeclaration(file, at.parent.parent, at.name.text);
  }
  return null;
}

export function handlerRef(file: ParsedFile, span: Span): HandlerRef | null {
  const fn = functionAt(file, span);
  if (fn === undefined) return null;
  // function declaration at module level
  if (ts.isFunctionDeclaration(fn) && fn.parent === file.ast) {
    const name = fn.name?.text ?? null;
    const exportName = exportOfDeclaration(file, fn, name);
    return exportName === null ? null : { exportName, member: [] };
  }
  // `export const f = async (…) => …` / `= function …`
  let at: ts.Node = fn.parent;
  while (ts.isParenthesizedExpression(at) || ts.isSatisfiesExpression(at) || ts.isAsExpression(at)) at = at.parent;
  if (ts.isVariableDeclaration(at) && ts.isIdentifier(at.name) && ts.isVariableDeclarationList(at.parent) && ts.isVariableStatement(at.parent.parent) && at.parent.parent.parent === file.ast) {
    const exportName = exportOfDeclaration(file, at.parent.parent, at.name.text);
    return exportName === null ? null : { exportName, member: [] };
  }
  // a method or a property of an exported object literal
  const property = ts.isMethodDeclaration(fn) ? fn : ts.isPropertyAssignment(at) ? at : null;
  if (property !== null && ts.isObjectLiteralExpression(property.parent)) {
    const key = propertyName(property.name);
    const exportName = objectExport(file, property.parent);
    if (key === null || exportName === null) return null;
    return { exportName, member: [key] };
  }
  return null;
}
