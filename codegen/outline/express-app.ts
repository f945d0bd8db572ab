import { ts } from 'ts-morph';

/**
 * The Express application that serves a project's route entries: the module-level
 * `express()` value a module exports.
 *
 *   import express from 'express';
 *   export const app = express();          → { file: 'src/app.ts', exportName: 'app' }
 *   const app = express(); export default app;   → { exportName: 'default' }
 *
 * Routes are registered on routers the application mounts (`app.use(router)`), so a route
 * entry is served by running the whole application — its body parsers, its other
 * middleware, its error handlers — on the request, as a server would. Found by syntax:
 * `express` is the default (or namespace `default`) import of the package 'express', and
 * the application is a `const` initialised by calling it, exported. Exactly one such export
 * must exist; otherwise the caller reports which ones it found (none, or several: an
 * application mounted into another is still its own export, so name the outer one by
 * exporting only it).
 */

export interface ExpressAppRef {
  readonly file: string;
  readonly exportName: string;
}

const hasModifier = (node: ts.Node, kind: ts.SyntaxKind): boolean =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);

/** Local names under which `express` (the default export of 'express') is callable in `sf`. */
function expressNames(sf: ts.SourceFile): { direct: Set<string>; namespaces: Set<string> } {
  const direct = new Set<string>();
  const namespaces = new Set<string>();
  for (const statement of sf.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.moduleSpecifier.text !== 'express') continue;
    const clause = statement.importClause;
    if (clause === undefined || clause.isTypeOnly) continue;
    if (clause.name) direct.add(clause.name.text);
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) namespaces.add(bindings.name.text);
    if (bindings && ts.isNamedImports(bindings)) {
      for (const e of bindings.elements) if ((e.propertyName ?? e.name).text === 'default' && !e.isTypeOnly) direct.add(e.name.text);
    }
  }
  return { direct, namespaces };
}

function isExpressCall(expr: ts.Expression, names: { direct: Set<string>; namespaces: Set<string> }): boolean {
  let e = expr;
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  if (!ts.isCallExpression(e)) return false;
  const callee = e.expression;
  if (ts.isIdentifier(callee)) return names.direct.has(callee.text);
  return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && names.namespaces.has(callee.expression.text) && callee.name.text === 'default';
}

/** The export names of a module-level binding called `local` (its own `export`, `export { local as x }`, `export default local`). */
function exportsOf(sf: ts.SourceFile, statement: ts.VariableStatement, local: string): string[] {
  const out: string[] = [];
  if (hasModifier(statement, ts.SyntaxKind.ExportKeyword)) out.push(local);
  for (const s of sf.statements) {
    if (ts.isExportDeclaration(s) && s.moduleSpecifier === undefined && !s.isTypeOnly && s.exportClause && ts.isNamedExports(s.exportClause)) {
      for (const e of s.exportClause.elements) if ((e.propertyName ?? e.name).text === local && !e.isTypeOnly) out.push(e.name.text);
    }
    if (ts.isExportAssignment(s) && !s.isExportEquals && ts.isIdentifier(s.expression) && s.expression.text === local) out.push('default');
  }
  return out;
}

/** Every exported Express application of the sources (project-relative path → TypeScript text), sorted. */
export function findExpressApps(sources: ReadonlyMap<string, string>): ExpressAppRef[] {
  const found: ExpressAppRef[] = [];
  for (const [file, text] of [...sources].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!/\.m?ts$/.test(file) || !text.includes('express')) continue;
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const names = expressNames(sf);
    if (names.direct.size === 0 && names.namespaces.size === 0) continue;
    for (const statement of sf.statements) {
      if (ts.isExportAssignment(statement) && !statement.isExportEquals && isExpressCall(statement.expression, names)) {
        found.push({ file, exportName: 'default' });
        continue;
      }
      if (!ts.isVariableStatement(statement)) continue;
      for (const d of statement.declarationList.declarations) {
        if (!ts.isIdentifier(d.name) || d.initializer === undefined || !isExpressCall(d.initializer, names)) continue;
        for (const exportName of exportsOf(sf, statement, d.name.text)) found.push({ file, exportName });
      }
    }
  }
  return found;
}
