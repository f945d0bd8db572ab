import path from 'node:path';
import { ts } from 'ts-morph';
import type { Store } from '../../src/ir/index.js';

/**
 * A store's `binding`, found in the program.
 * export  `src/db.ts#pool`: the declarations of that export (after aliases).
 * member  `src/env.ts#Env.CARTS`: the declarations of property CARTS of interface Env there.
 */
export interface ResolvedBinding {
  readonly store: Store;
  readonly kind: 'export' | 'member';
  readonly declarations: ReadonlySet<ts.Node>;
}

const extensions = ['', '.ts', '.tsx', '.mts', '.cts', '.d.ts', '/index.ts', '/index.tsx'];

/** Resolves every store binding; those that do not exist come back in `missing`. */
export function resolveBindings(program: ts.Program, checker: ts.TypeChecker, rootDir: string, stores: readonly Store[]): { resolved: ResolvedBinding[]; missing: Store[] } {
  const resolved: ResolvedBinding[] = [];
  const missing: Store[] = [];
  for (const store of stores) {
    if (store.binding === null) continue;
    const found = resolveBinding(program, checker, rootDir, store);
    if (found) resolved.push(found);
    else missing.push(store);
  }
  return { resolved, missing };
}

function resolveBinding(program: ts.Program, checker: ts.TypeChecker, rootDir: string, store: Store): ResolvedBinding | null {
  const binding = store.binding ?? '';
  const hash = binding.lastIndexOf('#');
  if (hash <= 0 || hash === binding.length - 1) return null;
  const file = binding.slice(0, hash).replace(/^\.\//, '');
  const target = binding.slice(hash + 1);
  // `src/db.ts`, `src/db` or the emitted name `src/db.js` all name src/db.ts.
  const bases = [file, file.replace(/\.js$/, '.ts'), file.replace(/\.mjs$/, '.mts'), file.replace(/\.cjs$/, '.cts'), file.replace(/\.jsx$/, '.tsx')];
  let sf: ts.SourceFile | undefined;
  for (const base of [...new Set(bases)]) {
    for (const ext of extensions) {
      const abs = path.resolve(rootDir, base + ext).split(path.sep).join('/');
      sf = program.getSourceFile(abs);
      if (sf) break;
    }
    if (sf) break;
  }
  if (!sf) return null;
  const dot = target.indexOf('.');
  if (dot > 0) {
    const decls = memberDeclarations(sf, target.slice(0, dot), target.slice(dot + 1));
    return decls.size > 0 ? { store, kind: 'member', declarations: decls } : null;
  }
  const decls = exportDeclarations(checker, sf, target);
  return decls.size > 0 ? { store, kind: 'export', declarations: decls } : null;
}

function exportDeclarations(checker: ts.TypeChecker, sf: ts.SourceFile, name: string): Set<ts.Node> {
  const out = new Set<ts.Node>();
  const moduleSymbol = checker.getSymbolAtLocation(sf);
  if (moduleSymbol) {
    let symbol = checker.getExportsOfModule(moduleSymbol).find((s) => s.getName() === name);
    if (symbol && (symbol.flags & ts.SymbolFlags.Alias) !== 0) symbol = checker.getAliasedSymbol(symbol);
    for (const d of symbol?.declarations ?? []) out.add(d);
    return out;
  }
  // A script: its top-level declarations are globals.
  for (const s of sf.statements) {
    if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) if (ts.isIdentifier(d.name) && d.name.text === name) out.add(d);
    } else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name?.text === name) {
      out.add(s);
    }
  }
  return out;
}

/** Members `prop` of interfaces, classes or object type aliases named `owner` in the file (also inside `declare global` and namespaces). */
function memberDeclarations(sf: ts.SourceFile, owner: string, prop: string): Set<ts.Node> {
  const out = new Set<ts.Node>();
  const addMembers = (members: ts.NodeArray<ts.Node>): void => {
    for (const m of members) {
      const name = (m as { name?: ts.Node }).name;
      if (name && (ts.isIdentifier(name) || ts.isStringLiteral(name)) && name.text === prop) out.add(m);
    }
  };
  const visit = (statements: ts.NodeArray<ts.Statement>): void => {
    for (const s of statements) {
      if ((ts.isInterfaceDeclaration(s) || ts.isClassDeclaration(s)) && s.name?.text === owner) addMembers(s.members);
      else if (ts.isTypeAliasDeclaration(s) && s.name.text === owner && ts.isTypeLiteralNode(s.type)) addMembers(s.type.members);
      else if (ts.isModuleDeclaration(s) && s.body && ts.isModuleBlock(s.body)) visit(s.body.statements);
    }
  };
  visit(sf.statements);
  return out;
}
