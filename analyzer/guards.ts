import { ts } from 'ts-morph';
import type { AnalysisContext } from './context.js';
import { isFunctionLike } from './frame.js';
import { ownCallee } from './own-code.js';
import { strip } from './data-flow-syntax.js';

/**
 * Guards, syntactically (integrity.ts): the tests that decide whether a place runs — an
 * enclosing `if`/`switch`/loop/ternary/`&&`/`||`, an earlier early exit in an enclosing
 * block, an earlier call of an own function that throws under a top-level `if`.
 */

export function alwaysExits(s: ts.Statement): boolean {
  if (ts.isThrowStatement(s) || ts.isReturnStatement(s) || ts.isContinueStatement(s) || ts.isBreakStatement(s)) return true;
  if (ts.isBlock(s)) return s.statements.some(alwaysExits);
  if (ts.isIfStatement(s)) return s.elseStatement !== undefined && alwaysExits(s.thenStatement) && alwaysExits(s.elseStatement);
  return false;
}

/** `if (test) exit` (or `if (test) … else exit`): the test guards what follows. A validating call: its arguments. */
export function exitGuard(s: ts.Statement, ctx: AnalysisContext): ts.Node[] {
  if (ts.isIfStatement(s)) {
    const thenExits = alwaysExits(s.thenStatement);
    const elseExits = s.elseStatement !== undefined && alwaysExits(s.elseStatement);
    return thenExits !== elseExits ? [s.expression] : [];
  }
  if (ts.isExpressionStatement(s)) {
    const call = strip(s.expression);
    if (ts.isCallExpression(call)) {
      const own = ownCallee(ctx, call);
      if (own && ts.isBlock(own.callee.body) && own.callee.body.statements.some((st) => ts.isIfStatement(st) && throwsIn(st.thenStatement))) {
        return call.arguments.filter((a) => !isFunctionLike(strip(a)));
      }
    }
  }
  return [];
}

export function throwsIn(s: ts.Statement): boolean {
  return ts.isThrowStatement(s) || (ts.isBlock(s) && s.statements.some(ts.isThrowStatement));
}

/** Guards that `p` puts on its child `child`. */
export function localGuards(child: ts.Node, p: ts.Node, ctx: AnalysisContext): ts.Node[] {
  if (ts.isIfStatement(p) && (child === p.thenStatement || child === p.elseStatement)) return [p.expression];
  if (ts.isConditionalExpression(p) && (child === p.whenTrue || child === p.whenFalse)) return [p.condition];
  if (ts.isBinaryExpression(p) && child === p.right &&
      (p.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken || p.operatorToken.kind === ts.SyntaxKind.BarBarToken)) return [p.left];
  if ((ts.isWhileStatement(p) || ts.isDoStatement(p)) && child === p.statement) return [p.expression];
  if (ts.isForStatement(p) && child === p.statement && p.condition) return [p.condition];
  if (ts.isCaseClause(p) || ts.isDefaultClause(p)) {
    const sw = p.parent.parent;
    const before = p.statements.indexOf(child as ts.Statement);
    return [sw.expression, ...p.statements.slice(0, Math.max(0, before)).flatMap((st) => exitGuard(st, ctx))];
  }
  if (ts.isBlock(p) || ts.isSourceFile(p)) {
    const index = p.statements.indexOf(child as ts.Statement);
    return p.statements.slice(0, Math.max(0, index)).flatMap((st) => exitGuard(st, ctx));
  }
  return [];
}
