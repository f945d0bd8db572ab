import { ts } from 'ts-morph';
import type { ControlFlow } from '../src/ir/index.js';
import { isFunctionLike } from './frame.js';

/**
 * How control may leave `node` other than by falling through: returns, throws not caught
 * inside it, breaks and continues whose target lies outside it, plus whether it awaits
 * or yields. Nested functions are other frames and are not looked into.
 */
export function controlFlowOf(node: ts.Node): ControlFlow {
  const breaks = new Set<string>();
  const continues = new Set<string>();
  let returns = false;
  let throws = false;
  let awaits = false;
  let yields = false;
  const visit = (n: ts.Node, labels: readonly string[], loops: number, switches: number, tries: number): void => {
    if (n !== node && isFunctionLike(n)) return;
    if (ts.isReturnStatement(n)) returns = true;
    else if (ts.isThrowStatement(n) && tries === 0) throws = true;
    else if (ts.isAwaitExpression(n)) awaits = true;
    else if (ts.isForOfStatement(n) && n.awaitModifier) awaits = true;
    else if (ts.isYieldExpression(n)) yields = true;
    else if (ts.isBreakStatement(n)) {
      const label = n.label?.text;
      if (label !== undefined ? !labels.includes(label) : loops + switches === 0) breaks.add(label ?? '');
    } else if (ts.isContinueStatement(n)) {
      const label = n.label?.text;
      if (label !== undefined ? !labels.includes(label) : loops === 0) continues.add(label ?? '');
    }
    if (ts.isTryStatement(n)) {
      visit(n.tryBlock, labels, loops, switches, n.catchClause ? tries + 1 : tries);
      if (n.catchClause) visit(n.catchClause, labels, loops, switches, tries);
      if (n.finallyBlock) visit(n.finallyBlock, labels, loops, switches, tries);
      return;
    }
    const nextLabels = ts.isLabeledStatement(n) ? [...labels, n.label.text] : labels;
    const nextLoops = ts.isIterationStatement(n, false) ? loops + 1 : loops;
    const nextSwitches = ts.isSwitchStatement(n) ? switches + 1 : switches;
    ts.forEachChild(n, (c) => visit(c, nextLabels, nextLoops, nextSwitches, tries));
  };
  // A labelled statement's own labels are targets inside it: `outer: for (…) { continue outer; }` does not leave the loop.
  const own: string[] = [];
  for (let p = node.parent; p && ts.isLabeledStatement(p); p = p.parent) own.push(p.label.text);
  visit(node, own, 0, 0, 0);
  return {
    returns,
    throws,
    breaks: [...breaks].sort(),
    continues: [...continues].sort(),
    awaits,
    yields,
  };
}

/** The statement never completes normally: every path ends in return, throw, break or continue. */
export function alwaysExits(statement: ts.Statement): 'throw' | 'other' | null {
  if (ts.isThrowStatement(statement)) return 'throw';
  if (ts.isReturnStatement(statement) || ts.isBreakStatement(statement) || ts.isContinueStatement(statement)) return 'other';
  if (ts.isBlock(statement)) {
    for (const s of statement.statements) {
      const exit = alwaysExits(s);
      if (exit) return exit;
    }
    return null;
  }
  if (ts.isIfStatement(statement) && statement.elseStatement) {
    const a = alwaysExits(statement.thenStatement);
    const b = alwaysExits(statement.elseStatement);
    if (a && b) return a === 'throw' && b === 'throw' ? 'throw' : 'other';
  }
  return null;
}

/** `node` is the expression body of an arrow function (`(n) => n * 3`): completing it returns its value. */
export function isConciseBody(node: ts.Node, fn: ts.FunctionLikeDeclaration): boolean {
  return fn.body === node && !ts.isBlock(node);
}
