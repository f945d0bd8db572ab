import { ts } from 'ts-morph';
import type { ValueShape } from './value-shape.js';

/**
 * A variable initialised with `new Proxy(target, traps)` has the target's type, so its
 * type says "plain data"; but its behaviour is in the traps, which the wire format cannot
 * carry: a copy on another stop would be the bare target, its traps silently gone. Such a
 * variable is unserialisable whatever its type (SL3001 where it would cross a cut).
 */
export function proxyShape(declaration: ts.Declaration | undefined): ValueShape | null {
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return null;
  let init: ts.Expression = declaration.initializer;
  while (ts.isParenthesizedExpression(init) || ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isNonNullExpression(init) || ts.isTypeAssertionExpression(init)) {
    init = init.expression;
  }
  if (!ts.isNewExpression(init) || !ts.isIdentifier(init.expression) || init.expression.text !== 'Proxy') return null;
  return { kind: 'unserializable', bytes: 0, reason: 'a Proxy: its traps do not cross to another stop' };
}
