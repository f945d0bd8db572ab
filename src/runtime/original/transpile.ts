import fs from 'node:fs';
import path from 'node:path';
import { ts } from 'ts-morph';

/**
 * The original program as plain ES modules Node can import: every source file of the
 * project's tsconfig (`include`/`files`, declaration files left out; every .ts/.mts below
 * the root when there is no tsconfig) through `ts.transpileModule` — types erased, one
 * file at a time, no type checking — with the import specifiers rewritten so the files
 * run from another directory:
 *
 *   './cart'            → './cart.js'        extensionless, `.js`, `.ts` and `/index`
 *   '../lib/x.js'       → '../lib/x.js'      forms of the project's own files
 *   'pg' (shimmed)      → '../__stopline__/modules/pg.js'   the shim module
 *   'node:crypto', 'hono' (not shimmed)   unchanged (bare packages resolve through a
 *                                         node_modules link next to the output)
 *
 * and each module that mentions a global the world replaces (`Date`, `localStorage`) and
 * does not declare it at module level gets `import { Date } from '…/__stopline__/globals.js'`
 * in front, so the name is the world's in that module only. The rewriting is an `after`
 * transformer: it sees the emitted JavaScript, where type-only imports are already gone.
 *
 * Output paths mirror the sources relative to the project root (`src/db.ts` →
 * `src/db.js`, `.mts` → `.mjs`). Unsupported, with an error rather than a wrong result:
 * `.tsx`/`.cts` sources and tsconfig `paths`. JSON imports are left as written.
 */

export interface ProjectSources {
  readonly rootDir: string;
  /** Project-relative source paths (forward slashes), sorted. */
  readonly files: readonly string[];
  readonly compilerOptions: ts.CompilerOptions;
}

export interface TranspileOptions {
  /** Bare specifiers replaced by shim modules, with the project-relative output path of each. */
  readonly modules: ReadonlyMap<string, string>;
  /** Project-relative output path of the globals module. */
  readonly globalsModule: string;
  /** Global names the globals module exports. */
  readonly globals: readonly string[];
}

/** One transpiled file: the project-relative output path and its text. */
export interface TranspiledFile {
  readonly source: string;
  readonly out: string;
  readonly text: string;
}

export class OriginalLoadError extends Error {
  override readonly name = 'OriginalLoadError';
}

const SOURCE = /\.(ts|mts)$/;
const DECLARATION = /\.d\.(ts|mts|cts)$|\.d\.[^/]*\.ts$/;

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

function listSources(rootDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.') || entry.name === 'dist') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(full);
    }
  };
  walk(rootDir);
  return out;
}

/** The project's source files and compiler options, from its tsconfig when it has one. */
export function readProjectSources(rootDir: string, tsconfig: string | null): ProjectSources {
  const root = path.resolve(rootDir);
  const configPath = path.resolve(root, tsconfig ?? 'tsconfig.json');
  let fileNames: string[];
  let options: ts.CompilerOptions = {};
  if (fs.existsSync(configPath)) {
    const problems: string[] = [];
    const parsed = ts.getParsedCommandLineOfConfigFile(configPath, { ignoreDeprecations: '6.0' }, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => problems.push(ts.flattenDiagnosticMessageText(d.messageText, ' ')),
    });
    if (!parsed) throw new OriginalLoadError(`Cannot read ${configPath}: ${problems.join('; ')}`);
    fileNames = parsed.fileNames;
    options = parsed.options;
  } else {
    fileNames = listSources(root);
  }
  if (options.paths && Object.keys(options.paths).length > 0) {
    throw new OriginalLoadError(`${toPosix(path.relative(root, configPath))}: compilerOptions.paths is not supported by the original-program loader`);
  }
  const files = fileNames
    .map((f) => toPosix(path.relative(root, path.resolve(root, f))))
    .filter((f) => !f.startsWith('../') && !f.split('/').includes('node_modules') && !DECLARATION.test(f));
  const unsupported = files.filter((f) => /\.(tsx|cts|jsx|cjs)$/.test(f));
  if (unsupported.length > 0) throw new OriginalLoadError(`Unsupported source files for the original-program loader: ${unsupported.join(', ')}`);
  return { rootDir: root, files: files.filter((f) => SOURCE.test(f)).sort(), compilerOptions: options };
}

export function outputPath(source: string): string {
  return source.replace(/\.mts$/, '.mjs').replace(/\.ts$/, '.js');
}

/** `./x` from `from`'s folder to `to`, both project-relative. */
function relativeSpecifier(from: string, to: string): string {
  const rel = path.posix.relative(path.posix.dirname(from), to);
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** The project source a relative specifier in `from` names, if it is one of `files`. */
function resolveRelative(from: string, specifier: string, files: ReadonlySet<string>): string | null {
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  const stem = target.replace(/\.(js|mjs|ts|mts)$/, '');
  const candidates = /\.m(js|ts)$/.test(target) ? [`${stem}.mts`] : /\.(js|ts)$/.test(target) ? [`${stem}.ts`] : [`${target}.ts`, `${target}.mts`, `${target}/index.ts`, `${target}/index.mts`];
  return candidates.find((c) => files.has(c)) ?? null;
}

/** Names a module declares at its top level (var declarations anywhere outside functions count). */
function moduleScopeNames(sf: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const addBinding = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) addBinding(element.name);
  };
  const visit = (node: ts.Node, topLevel: boolean): void => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isVariableDeclarationList(node) && (topLevel || (node.flags & ts.NodeFlags.BlockScoped) === 0)) {
      for (const d of node.declarations) addBinding(d.name);
    }
    ts.forEachChild(node, (child) => visit(child, false));
  };
  for (const statement of sf.statements) {
    if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement) || ts.isModuleDeclaration(statement)) && statement.name && ts.isIdentifier(statement.name)) {
      names.add(statement.name.text);
    } else if (ts.isImportDeclaration(statement) && statement.importClause) {
      const clause = statement.importClause;
      if (clause.name) names.add(clause.name.text);
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
      if (bindings && ts.isNamedImports(bindings)) for (const el of bindings.elements) names.add(el.name.text);
    } else if (ts.isVariableStatement(statement)) {
      visit(statement.declarationList, true);
      continue;
    }
    ts.forEachChild(statement, (child) => visit(child, false));
  }
  return names;
}

function rewriter(source: string, sourceText: string, files: ReadonlySet<string>, options: TranspileOptions, problems: string[]): ts.TransformerFactory<ts.SourceFile> {
  const out = outputPath(source);
  const rewrite = (specifier: string): string => {
    const shim = options.modules.get(specifier);
    if (shim !== undefined) return relativeSpecifier(out, shim);
    if (!specifier.startsWith('./') && !specifier.startsWith('../')) return specifier;
    if (specifier.endsWith('.json')) return specifier;
    const target = resolveRelative(source, specifier, files);
    if (target === null) {
      problems.push(`${source}: cannot resolve '${specifier}' to a source file of the project`);
      return specifier;
    }
    return relativeSpecifier(out, outputPath(target));
  };
  return (context) => {
    const { factory } = context;
    const literal = (node: ts.Expression | undefined): node is ts.StringLiteral => node !== undefined && ts.isStringLiteral(node);
    const visit = (node: ts.Node): ts.Node => {
      if (ts.isImportDeclaration(node) && literal(node.moduleSpecifier)) {
        return factory.updateImportDeclaration(node, node.modifiers, node.importClause, factory.createStringLiteral(rewrite(node.moduleSpecifier.text)), node.attributes);
      }
      if (ts.isExportDeclaration(node) && literal(node.moduleSpecifier)) {
        return factory.updateExportDeclaration(node, node.modifiers, node.isTypeOnly, node.exportClause, factory.createStringLiteral(rewrite(node.moduleSpecifier.text)), node.attributes);
      }
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && literal(node.arguments[0])) {
        const [first, ...rest] = node.arguments;
        if (first && ts.isStringLiteral(first)) {
          return factory.updateCallExpression(node, node.expression, node.typeArguments, [factory.createStringLiteral(rewrite(first.text)), ...rest.map((a) => ts.visitNode(a, visit) as ts.Expression)]);
        }
      }
      return ts.visitEachChild(node, visit, context);
    };
    return (sf) => {
      const visited = ts.visitEachChild(sf, visit, context);
      const declared = moduleScopeNames(sf);
      const wanted = options.globals.filter((name) => !declared.has(name) && new RegExp(`(^|[^\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(sourceText));
      if (wanted.length === 0) return visited;
      const injected = factory.createImportDeclaration(
        undefined,
        factory.createImportClause(undefined, undefined, factory.createNamedImports(wanted.map((name) => factory.createImportSpecifier(false, undefined, factory.createIdentifier(name))))),
        factory.createStringLiteral(relativeSpecifier(out, options.globalsModule)),
      );
      return factory.updateSourceFile(visited, [injected, ...visited.statements]);
    };
  };
}

/** Options for transpileModule: the project's, with everything that is not plain ESM output turned off. */
function emitOptions(project: ts.CompilerOptions): ts.CompilerOptions {
  const options: ts.CompilerOptions = { ...project };
  // moduleResolution goes with module: NodeNext resolution demands NodeNext modules, and the output is ESNext.
  for (const key of ['outDir', 'outFile', 'rootDir', 'rootDirs', 'composite', 'incremental', 'tsBuildInfoFile', 'declarationDir', 'baseUrl', 'paths', 'plugins', 'moduleResolution'] as const) delete options[key];
  return {
    ...options,
    module: ts.ModuleKind.ESNext,
    target: project.target ?? ts.ScriptTarget.ES2022,
    noEmit: false,
    declaration: false,
    declarationMap: false,
    emitDeclarationOnly: false,
    sourceMap: false,
    inlineSourceMap: false,
    inlineSources: false,
    importHelpers: false,
    noEmitHelpers: false,
    isolatedModules: true,
    rewriteRelativeImportExtensions: false,
    ignoreDeprecations: '6.0',
  };
}

/** Transpiles every source of `sources`; throws OriginalLoadError listing syntax errors and unresolved imports. */
export function transpileProject(sources: ProjectSources, options: TranspileOptions): TranspiledFile[] {
  const files = new Set(sources.files);
  const compilerOptions = emitOptions(sources.compilerOptions);
  const problems: string[] = [];
  const out = sources.files.map((source): TranspiledFile => {
    const fileName = path.join(sources.rootDir, source);
    const text = fs.readFileSync(fileName, 'utf8');
    const result = ts.transpileModule(text, {
      compilerOptions,
      fileName,
      reportDiagnostics: true,
      transformers: { after: [rewriter(source, text, files, options, problems)] },
    });
    for (const d of result.diagnostics ?? []) {
      if (d.category !== ts.DiagnosticCategory.Error) continue;
      const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : null;
      problems.push(`${source}${where ? `:${where.line + 1}:${where.character + 1}` : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    }
    return { source, out: outputPath(source), text: result.outputText };
  });
  if (problems.length > 0) throw new OriginalLoadError(`Cannot load the original program:\n  ${problems.join('\n  ')}`);
  return out;
}
