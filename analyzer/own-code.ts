import { ts } from 'ts-morph';
import type { AnalysisSettings, Fact } from '../src/ir/index.js';
import { diagnostic } from '../src/diagnostics/index.js';
import type { AnalysisContext } from './context.js';
import { isFunctionLike, isMutationRoot } from './frame.js';
import { checkAccessor, checkAnyReceiver } from './hidden-access.js';
import type { AccessMatch } from './match/index.js';
import { nodeRange } from './source-range.js';

/** A store access found in a segment's own code, before it gets its id. */
export interface FoundAccess {
  /** A call, or a tagged template (`prisma.$queryRaw\`…\``). */
  readonly node: ts.CallExpression | ts.TaggedTemplateExpression;
  readonly match: AccessMatch;
  /** Repetitions per execution of the segment (a callback given to `map` runs loopFactor times). */
  readonly repeat: number;
}

/** A call of the service's own function, to be inlined as a child segment. */
export interface FoundCall {
  readonly node: ts.CallExpression;
  readonly callee: ts.FunctionLikeDeclaration & { readonly body: ts.Node };
  readonly signature: ts.Signature;
  readonly repeat: number;
}

export interface OwnCode {
  readonly accesses: FoundAccess[];
  readonly facts: Fact[];
  /** In evaluation order: arguments before the call that receives them. */
  readonly calls: FoundCall[];
  readonly weight: number;
}

/** Array methods whose callback runs once per element. */
const iterating = new Set(['map', 'forEach', 'filter', 'flatMap', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'findLast', 'sort']);

/**
 * How many times a function expression runs per run of the code around it: a callback
 * given to an array method `loopFactor` times, any other callback argument once, and a
 * function that is not an argument (assigned, returned…) not at all: it runs only when
 * called, and is reached through its call sites instead.
 */
export function callbackRepeat(fn: ts.FunctionLikeDeclaration, settings: AnalysisSettings): number {
  const call = fn.parent && ts.isCallExpression(fn.parent) && fn.parent.arguments.includes(fn as ts.Expression) ? fn.parent : null;
  if (!call) return 0;
  const method = ts.isPropertyAccessExpression(call.expression) ? call.expression.name.text : '';
  return iterating.has(method) ? settings.loopFactor : 1;
}

/**
 * Walks a segment's own code (a statement, or a compound statement's header) and finds
 * what it does: store accesses, capability uses (secrets, client-only, server-only),
 * module-level mutable state, constructs that defeat analysis, and the calls to the
 * service's own functions that become inlined children. Function expressions passed as
 * arguments run here (callbacks); other nested functions run only when called, and are
 * reached through their call sites instead.
 */
export function scanOwnCode(ctx: AnalysisContext, nodes: readonly ts.Node[]): OwnCode {
  const accesses: FoundAccess[] = [];
  const facts: Fact[] = [];
  const calls: FoundCall[] = [];
  const factKeys = new Set<string>();
  let weight = 0;
  const addFact = (fact: Fact): void => {
    const key = `${fact.kind}|${fact.code}|${fact.variable ?? ''}|${fact.message}`;
    if (factKeys.has(key)) return;
    factKeys.add(key);
    facts.push(fact);
  };
  const { matcher } = ctx;

  const visit = (node: ts.Node, repeat: number): void => {
    if (ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return;
    if (ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) return;
    if (isFunctionLike(node)) {
      const times = callbackRepeat(node, ctx.settings);
      if (times > 0 && node.body) visit(node.body, repeat * times);
      return;
    }
    weight += 1;
    if (ts.isWithStatement(node)) {
      addFact(noCut(ctx, 'SL3011', node, { construct: '`with`' }));
    }
    if (ts.isYieldExpression(node)) {
      addFact(noCut(ctx, 'SL3012', node, { construct: '`yield`' }));
    }
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Function') {
      addFact(noCut(ctx, 'SL3011', node, { construct: '`new Function`' }));
    }
    if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) || ts.isCallExpression(node)) {
      const capability = matcher.matchCapability(node);
      if (capability) {
        const code = capability.capability === 'secret' ? 'SL3005' : capability.capability === 'client-only' ? 'SL3006' : 'SL3007';
        addFact({
          kind: capability.capability,
          code,
          message: diagnostic(code, null, { api: capability.api }).message,
          range: nodeRange(ctx.rootDir, node),
          stop: null,
          variable: null,
          related: [],
        });
        if (!ts.isCallExpression(node)) return;
      }
    }
    if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) checkAccessor(ctx, node);
    if (ts.isIdentifier(node)) {
      const state = moduleState(ctx, node);
      if (state) addFact(state);
    }
    ts.forEachChild(node, (child) => visit(child, repeat));
    if (ts.isCallExpression(node)) onCall(node, repeat);
    else if (ts.isTaggedTemplateExpression(node)) {
      const match = matcher.matchCall(node);
      if (match) accesses.push({ node, match, repeat });
    }
  };

  const onCall = (call: ts.CallExpression, repeat: number): void => {
    if (call.expression.kind === ts.SyntaxKind.ImportKeyword) {
      addFact(noCut(ctx, 'SL3011', call, { construct: 'dynamic `import()`' }));
      return;
    }
    if (ts.isIdentifier(call.expression) && call.expression.text === 'eval') {
      addFact(noCut(ctx, 'SL3011', call, { construct: '`eval`' }));
      return;
    }
    const match = matcher.matchCall(call);
    if (match) {
      accesses.push({ node: call, match, repeat });
      return;
    }
    const own = ownCallee(ctx, call);
    if (own) {
      calls.push({ node: call, callee: own.callee, signature: own.signature, repeat });
      return;
    }
    // undefined: resolved to code that is not the service's; null: not resolved at all.
    if (own === null && isUnresolved(ctx, call.expression)) {
      ctx.diagnostics.add(diagnostic('SL2002', nodeRange(ctx.rootDir, call.expression), {
        name: call.expression.getText(),
        detail: 'its type could not be resolved',
      }));
    } else if (own === null) {
      checkAnyReceiver(ctx, call);
    }
  };

  for (const node of nodes) visit(node, 1);
  return { accesses, facts, calls, weight };
}

function noCut(ctx: AnalysisContext, code: 'SL3011' | 'SL3012', node: ts.Node, args: Record<string, string>): Fact {
  return {
    kind: 'no-cut',
    code,
    message: diagnostic(code, null, args).message,
    range: nodeRange(ctx.rootDir, node),
    stop: null,
    variable: null,
    related: [],
  };
}

/** The callee's root name has an error type: a missing module or a type error hides what it is. */
function isUnresolved(ctx: AnalysisContext, callee: ts.Expression): boolean {
  let root: ts.Expression = callee;
  while (ts.isPropertyAccessExpression(root) || ts.isElementAccessExpression(root) || ts.isCallExpression(root) ||
         ts.isParenthesizedExpression(root) || ts.isNonNullExpression(root)) root = root.expression;
  if (!ts.isIdentifier(root)) return false;
  const type = ctx.checker.getTypeAtLocation(root);
  return isErrorType(type) || isErrorType(ctx.checker.getTypeAtLocation(callee));
}

function isErrorType(type: ts.Type): boolean {
  return (type.flags & ts.TypeFlags.Any) !== 0 && Reflect.get(type, 'intrinsicName') === 'error';
}

/** A reference to module-level state that can change: a `let`/`var`, or a `const` object the service mutates somewhere. */
function moduleState(ctx: AnalysisContext, id: ts.Identifier): Fact | null {
  const parent = id.parent;
  if (!parent || (ts.isPropertyAccessExpression(parent) && parent.name === id)) return null;
  if ((ts.isPropertyAssignment(parent) || ts.isBindingElement(parent)) && parent.name === id) return null;
  if (!moduleVariableNames(ctx).has(id.text)) return null;
  const symbol = ctx.checker.getSymbolAtLocation(id);
  const decl = symbol?.valueDeclaration;
  if (!symbol || !decl || !ts.isVariableDeclaration(decl)) return null;
  const list = decl.parent;
  const statement = list?.parent;
  if (!list || !ts.isVariableDeclarationList(list) || !statement || !ts.isVariableStatement(statement)) return null;
  if (!ts.isSourceFile(statement.parent) || !ctx.projectFiles.has(statement.parent)) return null;
  const isConst = (list.flags & ts.NodeFlags.Const) !== 0;
  if (isConst && !mutatedConstants(ctx).has(symbol)) return null;
  if (isConst && ctx.matcher.classifyType(ctx.checker.getTypeAtLocation(id))) return null;
  return {
    kind: 'module-state',
    code: 'SL3004',
    message: diagnostic('SL3004', null, { variable: id.text }).message,
    range: nodeRange(ctx.rootDir, id),
    stop: null,
    variable: id.text,
    related: [{ message: `'${id.text}' is declared here`, range: nodeRange(ctx.rootDir, decl) }],
  };
}

const mutatedByProgram = new WeakMap<ts.Program, Set<ts.Symbol>>();

/**
 * Module-level `const` bindings whose object some code of the service mutates in place
 * (`cache.set(…)`, `state.count += 1`): reading them anywhere is using mutable state,
 * since another stop would read its own copy.
 */
function mutatedConstants(ctx: AnalysisContext): Set<ts.Symbol> {
  let found = mutatedByProgram.get(ctx.program);
  if (found) return found;
  const symbols = new Set<ts.Symbol>();
  const names = moduleVariableNames(ctx);
  const visit = (node: ts.Node): void => {
    // Only a name some module-level variable has can be one; the name test spares the checker.
    if (ts.isIdentifier(node) && names.has(node.text) && isMutationRoot(node, ctx.checker)) {
      const symbol = ctx.checker.getSymbolAtLocation(node);
      if (symbol) symbols.add(symbol);
    }
    ts.forEachChild(node, visit);
  };
  for (const sf of ctx.projectFiles) visit(sf);
  found = symbols;
  mutatedByProgram.set(ctx.program, found);
  return found;
}


const moduleVariables = new WeakMap<ts.Program, ReadonlySet<string>>();

/** Names of every module-level variable of the service: a cheap filter before asking the checker. */
function moduleVariableNames(ctx: AnalysisContext): ReadonlySet<string> {
  let names = moduleVariables.get(ctx.program);
  if (!names) {
    const found = new Set<string>();
    for (const sf of ctx.projectFiles) {
      for (const statement of sf.statements) {
        if (!ts.isVariableStatement(statement)) continue;
        for (const d of statement.declarationList.declarations) {
          const stack: ts.BindingName[] = [d.name];
          while (stack.length > 0) {
            const name = stack.pop();
            if (!name) continue;
            if (ts.isIdentifier(name)) found.add(name.text);
            else for (const e of name.elements) if (ts.isBindingElement(e)) stack.push(e.name);
          }
        }
      }
    }
    names = found;
    moduleVariables.set(ctx.program, names);
  }
  return names;
}

/**
 * The service's own function a call runs, if any. Most calls name a function with one
 * declaration: its symbol answers without overload resolution, which is the costly part
 * of `getResolvedSignature`; only overloaded or indirect callees go through it.
 * Returns `undefined` when the callee is certainly not the service's own code.
 */
export function ownCallee(ctx: AnalysisContext, call: ts.CallExpression): { callee: FoundCall['callee']; signature: ts.Signature } | null | undefined {
  const { checker } = ctx;
  const callee = call.expression;
  const name = ts.isPropertyAccessExpression(callee) ? callee.name : ts.isIdentifier(callee) ? callee : null;
  if (name) {
    let symbol = checker.getSymbolAtLocation(name);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    const decls = symbol?.declarations ?? [];
    if (decls.length === 1 && decls[0]) {
      let decl: ts.Node = decls[0];
      if (ts.isVariableDeclaration(decl) && decl.initializer && isFunctionLike(decl.initializer)) decl = decl.initializer;
      if (ts.isPropertyAssignment(decl) && isFunctionLike(decl.initializer)) decl = decl.initializer;
      if (isFunctionLike(decl)) {
        if (!decl.body || !ctx.projectFiles.has(decl.getSourceFile())) return undefined;
        const signature = checker.getSignatureFromDeclaration(decl);
        return signature ? { callee: decl as FoundCall['callee'], signature } : null;
      }
      // A library declaration that is not a function (a property of an interface type…): not ours.
      if (!ctx.projectFiles.has(decl.getSourceFile())) return undefined;
    }
  }
  const signature = checker.getResolvedSignature(call);
  const declaration = signature?.declaration;
  if (signature && declaration && isFunctionLike(declaration) && declaration.body && ctx.projectFiles.has(declaration.getSourceFile())) {
    return { callee: declaration as FoundCall['callee'], signature };
  }
  return declaration ? undefined : null;
}
