import { ts } from 'ts-morph';
import type { SourceRange } from '../../src/ir/index.js';

/**
 * Reads of `process.env` that run when a module is evaluated — at its top level, in a
 * static class field or block, in a default export's expression — rather than inside a
 * function called later.
 *
 * Inside a component a module is evaluated when the component is BUILT (componentize-js
 * runs the top level inside wizer and snapshots the heap), where no deployment exists:
 * such a read gives undefined (codegen/lower/process-env.ts), whatever the deployment
 * configures, while the original program in Node sees the value. buildStops reports each
 * as SL5201 so the difference is never silent.
 *
 *   const url = process.env.REDIS_URL ?? 'redis://localhost:6379'   → key REDIS_URL
 *   const { A, B } = process.env                                    → key null (the whole env)
 *
 * Code inside functions, methods, accessors, arrow functions and instance field
 * initialisers runs later, at run time, and is not reported. Nor is the initialiser of a
 * store's bound handle (`export const pool = new Pool({ connectionString:
 * process.env.DATABASE_URL })` with `binding: src/db.ts#pool`): the lowering points that
 * handle at its store, so what its constructor was given does not matter (`handles`).
 */
export interface InitConfigRead {
  /** the variable read, or null when the whole `process.env` is used */
  readonly key: string | null;
  readonly range: SourceRange;
}

function isProcessEnv(node: ts.Node): node is ts.PropertyAccessExpression {
  return ts.isPropertyAccessExpression(node) && node.name.text === 'env' && ts.isIdentifier(node.expression) && node.expression.text === 'process';
}

/** Whether code under `node` runs later than the module's evaluation. */
function deferred(node: ts.Node): boolean {
  if (ts.isFunctionLike(node)) return true;
  // Instance fields are initialised per construction; static ones and static blocks at class evaluation.
  if (ts.isPropertyDeclaration(node)) return !(ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Static);
  return false;
}

export function initConfigReads(file: string, text: string, handles: ReadonlySet<string> = new Set()): InitConfigRead[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: InitConfigRead[] = [];
  const position = (pos: number): { line: number; column: number } => {
    const lc = sf.getLineAndCharacterOfPosition(pos);
    return { line: lc.line + 1, column: lc.character + 1 };
  };
  const visit = (node: ts.Node): void => {
    if (deferred(node)) return;
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && handles.has(node.name.text) && ts.isSourceFile(node.parent.parent.parent)) return;
    if (isProcessEnv(node)) {
      const parent = node.parent;
      let key: string | null = null;
      let end = node.end;
      if (ts.isPropertyAccessExpression(parent) && parent.expression === node) {
        key = parent.name.text;
        end = parent.end;
      } else if (ts.isElementAccessExpression(parent) && parent.expression === node && ts.isStringLiteralLike(parent.argumentExpression)) {
        key = parent.argumentExpression.text;
        end = parent.end;
      }
      out.push({ key, range: { file, start: position(node.getStart(sf)), end: position(end) } });
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}
