import { ts } from 'ts-morph';
import type { DeclarationInfo } from './declaration.js';
import { skipOuterExpressions } from './text.js';

/** The parts of a callee or reference: what is named, and on what. */
export interface Named {
  /** The node whose symbol is the member or variable (`query` in `pool.query`). */
  readonly nameNode: ts.Node;
  readonly name: string;
  /** The object the member is read from, or null for a plain identifier. */
  readonly receiver: ts.Expression | null;
}

/** `pool.query` → query on pool; `pool['query']` → the same; `fetch` → fetch. */
export function namedOf(expr: ts.Expression): Named | null {
  if (ts.isIdentifier(expr)) return { nameNode: expr, name: expr.text, receiver: null };
  if (ts.isPropertyAccessExpression(expr)) {
    if (!ts.isIdentifier(expr.name)) return null;
    return { nameNode: expr.name, name: expr.name.text, receiver: expr.expression };
  }
  if (ts.isElementAccessExpression(expr)) {
    const arg = expr.argumentExpression;
    if (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) return { nameNode: arg, name: arg.text, receiver: expr.expression };
    return null;
  }
  if (ts.isParenthesizedExpression(expr) || ts.isNonNullExpression(expr)) return namedOf(expr.expression);
  return null;
}

/** The callee expression of a call or the tag of a tagged template. */
export function calleeOf(call: ts.CallExpression | ts.TaggedTemplateExpression): ts.Expression {
  return ts.isCallExpression(call) ? call.expression : call.tag;
}

export interface Resolved {
  readonly symbol: ts.Symbol | undefined;
  /** The symbol's name after following aliases (`readFileSync` for `import { readFileSync as read }`). */
  readonly name: string;
  readonly declarations: readonly ts.Node[];
}

/** Resolves a named node to the declarations it stands for, following import aliases. */
export function resolveNamed(checker: ts.TypeChecker, named: Named, call: ts.CallExpression | ts.TaggedTemplateExpression | null): Resolved {
  let symbol = checker.getSymbolAtLocation(named.nameNode);
  if (symbol && (symbol.flags & ts.SymbolFlags.Alias) !== 0) {
    const target = checker.getAliasedSymbol(symbol);
    symbol = target;
  }
  let declarations: readonly ts.Node[] = symbol?.declarations ?? [];
  if (declarations.length === 0 && call) {
    const decl = checker.getResolvedSignature(call)?.declaration;
    if (decl && !ts.isJSDocSignature(decl)) declarations = [decl];
  }
  const name = symbol && declarations.length > 0 ? symbol.getName() : named.name;
  return { symbol, name: name === 'default' ? named.name : name, declarations };
}

/** Names of the receiver's type: its alias, class or interface name, and those of union/intersection members. */
export function typeNames(checker: ts.TypeChecker, expr: ts.Expression): string[] {
  const type = checker.getNonNullableType(checker.getTypeAtLocation(expr));
  const names: string[] = [];
  const add = (t: ts.Type): void => {
    if (t.aliasSymbol) names.push(t.aliasSymbol.getName());
    const s = t.getSymbol();
    if (s && !s.getName().startsWith('__')) names.push(s.getName());
  };
  add(type);
  if (type.isUnionOrIntersection()) for (const t of type.types) add(t);
  return names;
}

/** A display name for a type: `Pool`, `KVNamespace<string>` → `KVNamespace`. */
export function typeDisplayName(checker: ts.TypeChecker, expr: ts.Expression): string | null {
  const type = checker.getNonNullableType(checker.getTypeAtLocation(expr));
  const pick = (t: ts.Type): string | null => {
    if (t.aliasSymbol) return t.aliasSymbol.getName();
    const s = t.getSymbol();
    return s && !s.getName().startsWith('__') ? s.getName() : null;
  };
  const direct = pick(type);
  if (direct) return direct;
  if (type.isUnionOrIntersection()) {
    for (const t of type.types) {
      const n = pick(t);
      if (n) return n;
    }
  }
  return null;
}

const maxChain = 6;

/**
 * `document`, `process.env`, `Deno.env`, `window.localStorage`: a receiver made of
 * identifiers and property names, rooted at a global variable or namespace. Its text
 * names an API better than its type does. Null otherwise.
 */
export function globalChainText(checker: ts.TypeChecker, decls: DeclarationInfo, expr: ts.Expression): string | null {
  const parts: string[] = [];
  let e = skipOuterExpressions(expr);
  for (let i = 0; i < maxChain; i++) {
    if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.name)) {
      parts.unshift(e.name.text);
      e = skipOuterExpressions(e.expression);
      continue;
    }
    if (ts.isIdentifier(e)) {
      const symbol = checker.getSymbolAtLocation(e);
      const decl = symbol?.declarations?.[0];
      if (!decl) return null;
      const info = decls.of(decl);
      if (info.module !== null || info.owner !== '') return null;
      const ambient = decl.getSourceFile().isDeclarationFile || (ts.getCombinedModifierFlags(decl as ts.Declaration) & ts.ModifierFlags.Ambient) !== 0;
      if (!ambient) return null;
      parts.unshift(e.text);
      return parts.join('.');
    }
    return null;
  }
  return null;
}

/** Whether a symbol stands for a module (a namespace import `fs`, or `declare module 'fs'`). */
export function isModuleSymbol(symbol: ts.Symbol): boolean {
  const decls = symbol.declarations ?? [];
  return decls.length > 0 && decls.every((d) => ts.isSourceFile(d) || (ts.isModuleDeclaration(d) && ts.isStringLiteral(d.name)));
}
