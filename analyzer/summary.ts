import { ts } from 'ts-morph';
import type { AnalysisContext } from './context.js';
import { loopTrips } from './counts.js';
import { frameOf, isFunctionLike, isLocalSymbol } from './frame.js';
import { callbackRepeat, scanOwnCode, type OwnCode } from './own-code.js';

/**
 * What calling one of the service's functions does, over everything it may call:
 *   effects  it reaches a store access, a fact (secret, client-only, server-only,
 *            module state, dynamic code…), a pin, or mutates one of its parameters
 *            (which alias the caller's arguments);
 *   weight   the compute ops of its code and its pure callees', per call.
 * A callee without effects is not worth a segment of its own: it stays inside the
 * statement that calls it, adding its weight. This keeps trees (and the graph) in
 * proportion to the code that matters for placement instead of growing with every
 * helper call; a callee with effects is inlined per call site as before.
 */
export interface FunctionSummary {
  readonly effects: boolean;
  readonly weight: number;
}

type FunctionWithBody = ts.FunctionLikeDeclaration & { readonly body: ts.Node };

const summaries = new WeakMap<ts.Node, FunctionSummary>();
const scans = new WeakMap<ts.Node, OwnCode>();

/** scanOwnCode of one node, once per node: the result does not depend on the call site. */
export function scanNode(ctx: AnalysisContext, node: ts.Node): OwnCode {
  let own = scans.get(node);
  if (!own) {
    own = scanOwnCode(ctx, [node]);
    scans.set(node, own);
  }
  return own;
}

export function summaryOf(ctx: AnalysisContext, fn: FunctionWithBody, active: Set<ts.Node> = new Set()): FunctionSummary {
  const cached = summaries.get(fn);
  if (cached) return cached;
  // A call back into a function being summarised adds nothing new: its effects are found where it is scanned.
  if (active.has(fn)) return { effects: false, weight: 0 };
  active.add(fn);
  const own = scanNode(ctx, fn.body);
  let effects = own.accesses.length > 0 || own.facts.length > 0 || ctx.pinned.has(fn) || mutatesParameter(ctx, fn);
  let weight = expectedOps(ctx, fn.body);
  for (const call of own.calls) {
    const callee = summaryOf(ctx, call.callee, active);
    effects ||= callee.effects;
    weight += callee.weight * call.repeat;
  }
  active.delete(fn);
  const summary = { effects, weight };
  // Only a summary computed outside any cycle is final.
  if (active.size === 0 || effects) summaries.set(fn, summary);
  return summary;
}

function mutatesParameter(ctx: AnalysisContext, fn: FunctionWithBody): boolean {
  const frame = frameOf(fn, ctx.checker);
  return frame.references.some((r) => r.mutates && isLocalSymbol(r.symbol) && r.symbol.valueDeclaration !== undefined &&
    fn.parameters.some((p) => p.pos <= (r.symbol.valueDeclaration?.pos ?? -1) && (r.symbol.valueDeclaration?.end ?? -1) <= p.end));
}

/**
 * Compute ops of a function body per call, by the same rules as the tree's counts: a
 * loop body counts its trips, a callback given to an array method `loopFactor` times;
 * other nested functions run only when called and count nothing here.
 */
function expectedOps(ctx: AnalysisContext, body: ts.Node): number {
  const visit = (node: ts.Node, repeat: number): number => {
    if (ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return 0;
    if (isFunctionLike(node) && node !== body) {
      const times = callbackRepeat(node, ctx.settings);
      return times > 0 && node.body ? visit(node.body, repeat * times) : 0;
    }
    let ops = repeat;
    if (ts.isIterationStatement(node, false)) {
      const trips = loopTrips(node, ctx.settings);
      ts.forEachChild(node, (child) => {
        ops += visit(child, child === node.statement ? repeat * trips : repeat);
      });
      return ops;
    }
    ts.forEachChild(node, (child) => {
      ops += visit(child, repeat);
    });
    return ops;
  };
  return visit(body, 1);
}
