import { ts } from 'ts-morph';

/** One local name bound by an import. `imported` is the exported name, `default`, or `*` for a namespace. */
export interface ImportBinding {
  readonly local: string;
  readonly module: string;
  readonly imported: string;
  /** Whether the module resolved to a file the checker knows. */
  readonly resolved: boolean;
  readonly declaration: ts.Node;
}

/** The import bindings of each file, computed once per file. */
export class ImportTable {
  private readonly files = new WeakMap<ts.SourceFile, ReadonlyMap<string, ImportBinding>>();
  private readonly unresolved = new WeakMap<ts.SourceFile, boolean>();

  private summary: { renamed: Set<string>; unresolved: Set<string> } | null = null;

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly program: ts.Program,
  ) {}

  /**
   * Across the project's files: local names that differ from the imported name
   * (`import { readFileSync as read }`), and local names bound to unresolved modules.
   * Lets the matcher skip the per-file lookup for every other identifier.
   */
  private names(): { renamed: Set<string>; unresolved: Set<string> } {
    if (this.summary) return this.summary;
    const renamed = new Set<string>();
    const unresolved = new Set<string>();
    for (const sf of this.program.getSourceFiles()) {
      if (sf.isDeclarationFile || sf.fileName.includes('/node_modules/')) continue;
      for (const b of this.of(sf).values()) {
        if (b.imported !== b.local && b.imported !== 'default' && b.imported !== '*') renamed.add(b.local);
        if (!b.resolved) unresolved.add(b.local);
      }
    }
    this.summary = { renamed, unresolved };
    return this.summary;
  }

  /** Whether `local` is, in some file, an import renamed from another name. */
  mayBeRenamed(local: string): boolean {
    return this.names().renamed.has(local);
  }

  /** Whether any of the project's imports names a module that does not resolve. */
  anyUnresolved(): boolean {
    return this.names().unresolved.size > 0;
  }

  /** Whether `local` is, in some file, bound to a module that does not resolve. */
  mayBeUnresolved(local: string): boolean {
    return this.names().unresolved.has(local);
  }

  of(sf: ts.SourceFile): ReadonlyMap<string, ImportBinding> {
    let table = this.files.get(sf);
    if (!table) {
      table = this.compute(sf);
      this.files.set(sf, table);
    }
    return table;
  }

  /** Whether any import of the file names a module the checker could not resolve. */
  hasUnresolved(sf: ts.SourceFile): boolean {
    let flag = this.unresolved.get(sf);
    if (flag === undefined) {
      flag = [...this.of(sf).values()].some((b) => !b.resolved);
      this.unresolved.set(sf, flag);
    }
    return flag;
  }

  /** The import binding an identifier's declaration is, if it is one. */
  bindingOf(declaration: ts.Node): ImportBinding | null {
    const sf = declaration.getSourceFile();
    for (const b of this.of(sf).values()) if (b.declaration === declaration) return b;
    return null;
  }

  private compute(sf: ts.SourceFile): Map<string, ImportBinding> {
    const out = new Map<string, ImportBinding>();
    const add = (local: ts.Identifier, module: string, imported: string, resolved: boolean, declaration: ts.Node): void => {
      out.set(local.text, { local: local.text, module, imported, resolved, declaration });
    };
    const visit = (statements: ts.NodeArray<ts.Statement>): void => {
      for (const s of statements) {
        if (ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && s.importClause) {
          const module = s.moduleSpecifier.text;
          const resolved = this.checker.getSymbolAtLocation(s.moduleSpecifier) !== undefined;
          const clause = s.importClause;
          if (clause.name) add(clause.name, module, 'default', resolved, clause);
          const bindings = clause.namedBindings;
          if (bindings && ts.isNamespaceImport(bindings)) add(bindings.name, module, '*', resolved, bindings);
          if (bindings && ts.isNamedImports(bindings)) {
            for (const el of bindings.elements) add(el.name, module, (el.propertyName ?? el.name).text, resolved, el);
          }
        } else if (ts.isImportEqualsDeclaration(s) && ts.isExternalModuleReference(s.moduleReference) && ts.isStringLiteral(s.moduleReference.expression)) {
          const resolved = this.checker.getSymbolAtLocation(s.moduleReference.expression) !== undefined;
          add(s.name, s.moduleReference.expression.text, '*', resolved, s);
        } else if (ts.isModuleDeclaration(s) && s.body && ts.isModuleBlock(s.body)) {
          visit(s.body.statements);
        }
      }
    };
    visit(sf.statements);
    return out;
  }
}
