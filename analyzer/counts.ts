import { ts } from 'ts-morph';
import type { AnalysisSettings } from '../src/ir/index.js';
import { alwaysExits } from './control-flow.js';

/**
 * Static execution-count estimates (DESIGN.md, Cost model → counts).
 * A side of a branch that always throws is an error path: it gets `unlikely` of the
 * count instead of the configured branch probability (Ball & Larus' error-path
 * heuristic), so that input validation does not halve the count of the code after it.
 * A cache-hit `return` keeps the configured probability: that is what makes partial
 * caching pay.
 */
export const unlikely = 0.05;

/** Probability that the `then` side of an `if` runs. */
export function thenProbability(statement: ts.IfStatement, settings: AnalysisSettings): number {
  const thenThrows = alwaysExits(statement.thenStatement) === 'throw';
  const elseThrows = statement.elseStatement !== undefined && alwaysExits(statement.elseStatement) === 'throw';
  if (thenThrows && !elseThrows) return unlikely;
  if (elseThrows && !thenThrows) return 1 - unlikely;
  return settings.branchProbability;
}

/**
 * How many times a loop body runs per run of the loop: the literal trip count of
 * `for (let i = A; i < B; i++)` (also `<=`, `i += k`, counting down) when A and B are
 * numeric literals, else the configured loop factor.
 */
export function loopTrips(loop: ts.IterationStatement, settings: AnalysisSettings): number {
  if (ts.isForStatement(loop)) {
    const trips = literalTrips(loop);
    if (trips !== null) return trips;
  }
  return settings.loopFactor;
}

function literalTrips(loop: ts.ForStatement): number | null {
  const init = loop.initializer;
  if (!init || !ts.isVariableDeclarationList(init) || init.declarations.length !== 1) return null;
  const decl = init.declarations[0];
  if (!decl || !ts.isIdentifier(decl.name) || !decl.initializer) return null;
  const start = numeric(decl.initializer);
  const name = decl.name.text;
  const cond = loop.condition;
  if (start === null || !cond || !ts.isBinaryExpression(cond) || !ts.isIdentifier(cond.left) || cond.left.text !== name) return null;
  const bound = numeric(cond.right);
  if (bound === null) return null;
  const step = stepOf(loop.incrementor, name);
  if (step === null || step === 0) return null;
  const op = cond.operatorToken.kind;
  let span: number;
  if (op === ts.SyntaxKind.LessThanToken && step > 0) span = bound - start;
  else if (op === ts.SyntaxKind.LessThanEqualsToken && step > 0) span = bound - start + 1;
  else if (op === ts.SyntaxKind.GreaterThanToken && step < 0) span = start - bound;
  else if (op === ts.SyntaxKind.GreaterThanEqualsToken && step < 0) span = start - bound + 1;
  else return null;
  return Math.max(0, Math.ceil(span / Math.abs(step)));
}

function numeric(e: ts.Expression): number | null {
  if (ts.isNumericLiteral(e)) return Number(e.text);
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(e.operand)) return -Number(e.operand.text);
  return null;
}

function stepOf(inc: ts.Expression | undefined, name: string): number | null {
  if (!inc) return null;
  if ((ts.isPostfixUnaryExpression(inc) || ts.isPrefixUnaryExpression(inc)) && ts.isIdentifier(inc.operand) && inc.operand.text === name) {
    if (inc.operator === ts.SyntaxKind.PlusPlusToken) return 1;
    if (inc.operator === ts.SyntaxKind.MinusMinusToken) return -1;
  }
  if (ts.isBinaryExpression(inc) && ts.isIdentifier(inc.left) && inc.left.text === name) {
    const k = numeric(inc.right);
    if (k === null) return null;
    if (inc.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken) return k;
    if (inc.operatorToken.kind === ts.SyntaxKind.MinusEqualsToken) return -k;
  }
  return null;
}

/**
 * The count that reaches the end of `statement` normally, when `count` reaches its start:
 * 0 after return/throw/break/continue, split over the sides of an `if`, chained through
 * a block. A `break label` completes the statement that `label` labels, so its count
 * reaches the end of that statement. A `try` completes through its try block or, after
 * an error, through its catch block (never more than reached it). Loops and switches
 * pass their count through.
 */
export function fallthrough(statement: ts.Statement, count: number, settings: AnalysisSettings, labelled: Map<string, number> = new Map()): number {
  if (ts.isBreakStatement(statement) && statement.label && labelled.has(statement.label.text)) {
    labelled.set(statement.label.text, (labelled.get(statement.label.text) ?? 0) + count);
    return 0;
  }
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement) || ts.isBreakStatement(statement) || ts.isContinueStatement(statement)) return 0;
  if (ts.isBlock(statement)) {
    let c = count;
    for (const s of statement.statements) c = fallthrough(s, c, settings, labelled);
    return c;
  }
  if (ts.isIfStatement(statement)) {
    const p = thenProbability(statement, settings);
    const a = fallthrough(statement.thenStatement, count * p, settings, labelled);
    const b = statement.elseStatement ? fallthrough(statement.elseStatement, count * (1 - p), settings, labelled) : count * (1 - p);
    return a + b;
  }
  if (ts.isLabeledStatement(statement)) {
    if (ts.isIterationStatement(statement.statement, false)) return count;
    const label = statement.label.text;
    const outer = labelled.get(label);
    labelled.set(label, 0);
    const normal = fallthrough(statement.statement, count, settings, labelled);
    const broken = labelled.get(label) ?? 0;
    if (outer === undefined) labelled.delete(label);
    else labelled.set(label, outer);
    return normal + broken;
  }
  if (ts.isTryStatement(statement)) {
    const normal = fallthrough(statement.tryBlock, count, settings, labelled);
    if (!statement.catchClause) return normal;
    return Math.min(count, normal + fallthrough(statement.catchClause.block, count * unlikely, settings, labelled));
  }
  return count;
}
