import { ts } from 'ts-morph';
import type { Store } from '../../src/ir/index.js';
import type { ResolvedBinding } from './bindings.js';
import type { DeclarationInfo } from './declaration.js';
import type { ImportBinding, ImportTable } from './imports.js';
import { skipOuterExpressions } from './text.js';

/**
 * Where a receiver comes from.
 * binding  it is (derived from) the declaration a store's binding names;
 * known    it comes from somewhere definite that is no binding (`new Pool()`, a library
 *          factory, a global): a different, unconfigured instance;
 * unknown  the trail ends where the matcher cannot see (a parameter, `this`, a `let`,
 *          a call of the project's own function).
 */
export type Trace = { readonly kind: 'binding'; readonly store: Store } | { readonly kind: 'known' } | { readonly kind: 'unknown' };

const maxSteps = 32;
const known: Trace = { kind: 'known' };
const unknown: Trace = { kind: 'unknown' };

export interface TraceContext {
  readonly checker: ts.TypeChecker;
  readonly decls: DeclarationInfo;
  readonly bindings: readonly ResolvedBinding[];
  /** Whether values of the type are handles (used to follow callback parameters and factory arguments). */
  readonly isHandle: (type: ts.Type) => boolean;
}

/**
 * Follows a receiver back to a store binding: through property accesses, `await`,
 * parentheses, method calls on handles (`pool.connect()`, `db.prepare(sql)`), local
 * `const x = …` initialisers (in any file), readonly class fields, factory calls taking
 * one handle (`drizzle(pool)`), and callback parameters whose type is a handle
 * (`db.transaction(async (tx) => …)` traces `tx` to `db`).
 */
export function traceReceiver(ctx: TraceContext, receiver: ts.Expression): Trace {
  const { checker, bindings } = ctx;
  /** The store whose binding of this kind (`file#Interface.prop` member, `file#name` export) declares the symbol. */
  const bindingOf = (kind: 'member' | 'export', symbol: ts.Symbol | undefined): Store | null => {
    const declarations = symbol?.declarations ?? [];
    return bindings.find((b) => b.kind === kind && declarations.some((d) => b.declarations.has(d)))?.store ?? null;
  };
  const memberBinding = (symbol: ts.Symbol | undefined): Store | null => bindingOf('member', symbol);
  const exportBinding = (symbol: ts.Symbol): Store | null => bindingOf('export', symbol);

  return walkBack<Trace>(receiver, unknown, (e) => {
    if (ts.isPropertyAccessExpression(e)) {
      const symbol = checker.getSymbolAtLocation(e.name);
      const store = memberBinding(symbol);
      if (store) return { done: { kind: 'binding', store } };
      // `env.OTHER` where `interface Env { OTHER: KVNamespace }` binds no store: a definite,
      // different (unconfigured) handle.
      if (isDeclaredHandleMember(ctx, symbol, e)) return { done: known };
      const field = symbol?.valueDeclaration;
      if (field && ts.isPropertyDeclaration(field) && field.initializer && isReadonly(field)) return { next: field.initializer };
      return { next: e.expression };
    }
    if (ts.isElementAccessExpression(e)) return { next: e.expression };
    if (ts.isCallExpression(e)) {
      const callee = skipOuterExpressions(e.expression);
      if (ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) return { next: callee.expression };
      const handles = e.arguments.filter((a) => ctx.isHandle(checker.getTypeAtLocation(a)));
      if (handles.length === 1 && handles[0]) return { next: handles[0] };
      return { done: isLibraryCallee(ctx, callee) ? known : unknown };
    }
    if (ts.isNewExpression(e)) {
      // `new Proxy(handle, traps)` is the handle behind traps: the same store.
      const target = isGlobalProxy(checker, e) ? e.arguments?.[0] : undefined;
      return target ? { next: target } : { done: known };
    }
    if (!ts.isIdentifier(e)) return { done: unknown };
    let symbol = checker.getSymbolAtLocation(e);
    if (!symbol) return { done: unknown };
    if ((symbol.flags & ts.SymbolFlags.Alias) !== 0) {
      const target = checker.getAliasedSymbol(symbol);
      if (!target.declarations || target.declarations.length === 0) return { done: known }; // unresolved import
      symbol = target;
    }
    const store = exportBinding(symbol);
    if (store) return { done: { kind: 'binding', store } };
    const decl = symbol.valueDeclaration ?? symbol.declarations?.[0];
    if (!decl) return { done: unknown };
    if (ts.isVariableDeclaration(decl)) {
      const isConst = (ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) !== 0;
      if (isConst && decl.initializer) return { next: decl.initializer };
      // `declare const db: Pool` is a definite instance; a `let`, a `for…of` variable is not.
      const ambient = decl.getSourceFile().isDeclarationFile || (ts.getCombinedModifierFlags(decl) & ts.ModifierFlags.Ambient) !== 0;
      return { done: isConst && ambient ? known : unknown };
    }
    if (ts.isBindingElement(decl)) {
      const prop = bindingElementProperty(checker, decl);
      const hit = memberBinding(prop);
      if (hit) return { done: { kind: 'binding', store: hit } };
      if (isDeclaredHandleMember(ctx, prop, e)) return { done: known };
      const root = bindingRoot(decl);
      if (root && ts.isVariableDeclaration(root) && root.initializer && (ts.getCombinedNodeFlags(root) & ts.NodeFlags.Const) !== 0) {
        return { next: root.initializer };
      }
      const next = root && ts.isParameter(root) ? callbackReceiver(ctx, root, e) : null;
      return next ? { next } : { done: unknown };
    }
    if (ts.isParameter(decl)) {
      const next = callbackReceiver(ctx, decl, e);
      return next ? { next } : { done: unknown };
    }
    if (ts.isFunctionDeclaration(decl) || ts.isClassDeclaration(decl) || ts.isModuleDeclaration(decl) || ts.isEnumDeclaration(decl)) return { done: known };
    if (ctx.decls.isLibraryFile(decl.getSourceFile()) || decl.getSourceFile().isDeclarationFile) return { done: known };
    return { done: unknown };
  });
}

/** A property declared in an interface or object type (a binding such as `Env.CACHE`) whose value is a handle. */
function isDeclaredHandleMember(ctx: TraceContext, symbol: ts.Symbol | undefined, use: ts.Expression): boolean {
  if (!symbol || !(symbol.declarations ?? []).some((d) => ts.isPropertySignature(d))) return false;
  return ctx.isHandle(ctx.checker.getTypeAtLocation(use));
}

function isReadonly(node: ts.PropertyDeclaration): boolean {
  return (ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Readonly) !== 0;
}

/** The property a destructured name reads: `CARTS` in `const { CARTS } = env`. */
function bindingElementProperty(checker: ts.TypeChecker, el: ts.BindingElement): ts.Symbol | undefined {
  const pattern = el.parent;
  if (!ts.isObjectBindingPattern(pattern)) return undefined;
  const key = el.propertyName ?? el.name;
  if (!ts.isIdentifier(key) && !ts.isStringLiteral(key)) return undefined;
  const type = checker.getTypeAtLocation(pattern);
  return checker.getPropertyOfType(type, key.text);
}

function bindingRoot(el: ts.BindingElement): ts.VariableDeclaration | ts.ParameterDeclaration | null {
  let n: ts.Node = el;
  while (ts.isBindingElement(n) || ts.isObjectBindingPattern(n) || ts.isArrayBindingPattern(n)) n = n.parent;
  return ts.isVariableDeclaration(n) || ts.isParameter(n) ? n : null;
}

/**
 * `db.transaction(async (tx) => …)`: a parameter of a callback passed to a method call,
 * whose type is a handle, comes from the method's receiver.
 */
function callbackReceiver(ctx: TraceContext, param: ts.ParameterDeclaration, use: ts.Expression): ts.Expression | null {
  const fn = param.parent;
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return null;
  const call = fn.parent;
  if (!ts.isCallExpression(call) || !call.arguments.includes(fn)) return null;
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return null;
  if (!ctx.isHandle(ctx.checker.getTypeAtLocation(use))) return null;
  return callee.expression;
}

function isLibraryCallee(ctx: TraceContext, callee: ts.Expression): boolean {
  if (!ts.isIdentifier(callee)) return false;
  let symbol = ctx.checker.getSymbolAtLocation(callee);
  if (symbol && (symbol.flags & ts.SymbolFlags.Alias) !== 0) symbol = ctx.checker.getAliasedSymbol(symbol);
  const decl = symbol?.declarations?.[0];
  if (!decl) return true; // an unresolved import: a library
  return ctx.decls.isLibraryFile(decl.getSourceFile()) || decl.getSourceFile().isDeclarationFile;
}

/** The import a receiver comes from, syntactically, and the member names read on the way. */
export interface ImportChain {
  readonly binding: ImportBinding;
  /** Property names between the import and the call, outside in (`['user']` for `prisma.user.findMany`). */
  readonly path: readonly string[];
}

/**
 * For calls whose types are missing: follows the receiver back to an import without the
 * checker's help (`prisma` → `const prisma = new PrismaClient()` → `PrismaClient` from
 * '@prisma/client'), through property accesses, calls, `new`, `await` and `const` initialisers.
 */
export function importChainOf(checker: ts.TypeChecker, imports: ImportTable, start: ts.Expression): ImportChain | null {
  const path: string[] = [];
  return walkBack<ImportChain | null>(start, null, (e) => {
    if (ts.isPropertyAccessExpression(e)) {
      if (ts.isIdentifier(e.name)) path.unshift(e.name.text);
      return { next: e.expression };
    }
    if (ts.isElementAccessExpression(e) || ts.isCallExpression(e) || ts.isNewExpression(e)) return { next: e.expression };
    if (!ts.isIdentifier(e)) return { done: null };
    const decl = checker.getSymbolAtLocation(e)?.declarations?.[0];
    if (!decl) return { done: null };
    if (ts.isImportSpecifier(decl) || ts.isImportClause(decl) || ts.isNamespaceImport(decl) || ts.isImportEqualsDeclaration(decl)) {
      const binding = imports.bindingOf(decl);
      return { done: binding ? { binding, path } : null };
    }
    if (ts.isVariableDeclaration(decl) && decl.initializer && (ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) !== 0) {
      return { next: decl.initializer };
    }
    if (ts.isParameter(decl)) {
      // `prisma.$transaction(async (tx) => tx.user.update(…))`: without types, a
      // callback's parameter is taken to come from the receiver of the call it is passed to.
      const fn = decl.parent;
      const call = fn.parent;
      if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && call && ts.isCallExpression(call) && call.arguments.includes(fn)) {
        const callee = skipOuterExpressions(call.expression);
        if (ts.isPropertyAccessExpression(callee)) return { next: callee.expression };
      }
    }
    return { done: null };
  });
}

/**
 * The call to method `method` in a receiver chain: `prepare` in
 * `env.DB.prepare(sql).bind(1)` or in `stmt` with `const stmt = env.DB.prepare(sql)`.
 */
export function findViaCall(checker: ts.TypeChecker, start: ts.Expression, method: string): ts.CallExpression | null {
  return walkBack<ts.CallExpression | null>(start, null, (e) => {
    if (ts.isCallExpression(e)) {
      const callee = skipOuterExpressions(e.expression);
      if (!ts.isPropertyAccessExpression(callee)) return { done: null };
      return callee.name.text === method ? { done: e } : { next: callee.expression };
    }
    if (ts.isIdentifier(e)) {
      let symbol = checker.getSymbolAtLocation(e);
      if (symbol && (symbol.flags & ts.SymbolFlags.Alias) !== 0) symbol = checker.getAliasedSymbol(symbol);
      const decl = symbol?.valueDeclaration;
      if (decl && ts.isVariableDeclaration(decl) && decl.initializer && (ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) !== 0) {
        return { next: decl.initializer };
      }
    }
    return { done: null };
  });
}

/** One step of a walk back through an expression: go on to `next`, or stop with `done`. */
type Step<T> = { readonly next: ts.Expression } | { readonly done: T };

/**
 * The walk the tracers share: from `start`, outer expressions (parentheses, `await`,
 * `as`…) skipped at every step, each expression visited at most once, at most `maxSteps`
 * steps; `fallback` when a cycle or the bound ends the walk before `step` decides.
 */
function walkBack<T>(start: ts.Expression, fallback: T, step: (e: ts.Expression) => Step<T>): T {
  const seen = new Set<ts.Node>();
  let expr = start;
  for (let n = 0; n < maxSteps; n++) {
    const e = skipOuterExpressions(expr);
    if (seen.has(e)) return fallback;
    seen.add(e);
    const result = step(e);
    if ('done' in result) return result.done;
    expr = result.next;
  }
  return fallback;
}

/** `new Proxy(…)` of the global Proxy (not a class of the project named Proxy). */
function isGlobalProxy(checker: ts.TypeChecker, e: ts.NewExpression): boolean {
  if (!ts.isIdentifier(e.expression) || e.expression.text !== 'Proxy') return false;
  const decl = checker.getSymbolAtLocation(e.expression)?.valueDeclaration;
  return decl === undefined || decl.getSourceFile().isDeclarationFile;
}
