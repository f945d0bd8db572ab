import { ts } from 'ts-morph';
import type { ParsedFile, Span } from './text.js';

/**
 * Control flow that leaves a region of code other than by falling through: `return`
 * (of the enclosing function), and `break`/`continue` whose target lies outside the
 * region. Functions and classes nested inside the region are not entered: their returns
 * are their own. The function that holds the region (the handler) is entered, of course.
 * Regions listed in `skip` (nested cuts, which forward their own exits) are not entered.
 */
export interface Exit {
  readonly kind: 'return' | 'break' | 'continue';
  /** The statement's span. */
  readonly span: Span;
  /** For `return expr`: the expression's span. */
  readonly value: Span | null;
  /** The label named by `break L` / `continue L`, or null. */
  readonly label: string | null;
  /** Where the jump lands (the loop, switch or labelled statement), or null for a return. */
  readonly target: Span | null;
}

const isFunctionLike = (n: ts.Node): boolean =>
  ts.isFunctionLike(n) || ts.isClassDeclaration(n) || ts.isClassExpression(n);

const isLoop = (n: ts.Node): boolean => ts.isIterationStatement(n, false);

/** The statement a `break`/`continue` jumps to, walking up from it (never leaving its function). */
function jumpTarget(node: ts.BreakOrContinueStatement, file: ParsedFile): Span | null {
  const label = node.label?.text ?? null;
  for (let at: ts.Node | undefined = node.parent; at !== undefined && !isFunctionLike(at); at = at.parent) {
    if (label !== null) {
      if (ts.isLabeledStatement(at) && at.label.text === label) return { start: at.getStart(file.ast), end: at.end };
    } else if (isLoop(at) || (ts.isBreakStatement(node) && ts.isSwitchStatement(at))) {
      return { start: at.getStart(file.ast), end: at.end };
    }
  }
  return null;
}

const inside = (inner: Span, outer: Span): boolean => inner.start >= outer.start && inner.end <= outer.end;

export function exitsOf(file: ParsedFile, region: Span, skip: readonly Span[]): Exit[] {
  const exits: Exit[] = [];
  const visit = (node: ts.Node): void => {
    const span = { start: node.getStart(file.ast), end: node.end };
    if (span.end <= region.start || span.start >= region.end) return;
    // A function nested in the region keeps its returns; the function that holds the region is entered.
    if (isFunctionLike(node) && !inside(region, span)) return;
    if (skip.some((s) => inside(span, s))) return;
    if (ts.isReturnStatement(node)) {
      const value = node.expression === undefined ? null : { start: node.expression.getStart(file.ast), end: node.expression.end };
      if (inside(span, region)) exits.push({ kind: 'return', span, value, label: null, target: null });
    } else if (ts.isBreakStatement(node) || ts.isContinueStatement(node)) {
      const target = jumpTarget(node, file);
      if (inside(span, region) && (target === null || !inside(target, region))) {
        exits.push({ kind: ts.isBreakStatement(node) ? 'break' : 'continue', span, value: null, label: node.label?.text ?? null, target });
      }
    }
    node.forEachChild(visit);
  };
  file.ast.forEachChild(visit);
  return exits;
}
