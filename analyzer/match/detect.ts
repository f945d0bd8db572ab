import { ts } from 'ts-morph';
import type { SourceRange } from '../../src/ir/index.js';
import type { Preset } from '../../src/presets/types.js';
import { nodeRange, relativeFile } from '../source-range.js';
import { normaliseModule } from './glob.js';
import { RuleMatcher } from './matcher.js';
import { namedOf } from './resolve.js';

/**
 * Which store presets the program uses, with the first place each is seen: an import
 * of one of the preset's packages, a type reference to one of its handle types
 * (`CACHE: KVNamespace` in an `Env` interface), or a call that resolves to one of its
 * rules (`localStorage.getItem`). Presets whose every call needs a URL prefix (fetch)
 * are never detected: nothing tells an origin API from any other request. Files are
 * the project's own (not node_modules, not TypeScript's libs, inside rootDir), visited
 * in path order; the result is ordered by that first place, then by preset name.
 */
export function detectPresets(
  program: ts.Program,
  checker: ts.TypeChecker,
  rootDir: string,
  presets: readonly Preset[],
): { preset: string; range: SourceRange }[] {
  const stores = presets.filter((p) => p.store !== null && p.capability === null && p.calls.some((c) => c.url === undefined));
  if (stores.length === 0) return [];
  const core = new RuleMatcher(program, checker, stores);
  const storeNames = new Set(stores.map((p) => p.name));
  const byPackage = (specifier: string): Preset | null => {
    const name = normaliseModule(specifier);
    for (const p of stores) {
      for (const pkg of p.packages) {
        const wanted = normaliseModule(pkg);
        if (name === wanted || name.startsWith(`${wanted}/`)) return p;
      }
    }
    return null;
  };
  const handleNames = new Set(stores.flatMap((p) => p.handles.map((h) => h.match.name)));
  const handleGlobs = [...handleNames].filter((n) => n.includes('*')).map((n) => new RegExp(`^${n.split('*').map(escape).join('.*')}$`));
  const mayBeHandle = (name: string): boolean => handleNames.has(name) || handleGlobs.some((re) => re.test(name));

  const found = new Map<string, SourceRange>();
  const files = program
    .getSourceFiles()
    .filter((sf) => !core.decls.isLibraryFile(sf))
    .map((sf) => ({ sf, rel: relativeFile(rootDir, sf.fileName) }))
    .filter(({ rel }) => !rel.startsWith('../') && !rel.startsWith('/'))
    .sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));

  for (const { sf } of files) {
    if (found.size === storeNames.size) break;
    const note = (preset: string, node: ts.Node): void => {
      if (!found.has(preset) && storeNames.has(preset)) found.set(preset, nodeRange(rootDir, node));
    };
    const visit = (node: ts.Node): void => {
      let specifier: ts.Expression | undefined;
      if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) specifier = node.moduleSpecifier;
      else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) specifier = node.moduleReference.expression;
      else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) specifier = node.arguments[0];
      if (specifier && ts.isStringLiteralLike(specifier)) {
        const p = byPackage(specifier.text);
        if (p) note(p.name, specifier);
      }
      if (ts.isTypeReferenceNode(node)) {
        const name = ts.isIdentifier(node.typeName) ? node.typeName.text : node.typeName.right.text;
        if (mayBeHandle(name)) {
          const m = core.handles.classify(checker.getTypeFromTypeNode(node));
          if (m) note(m.preset, node);
        }
      }
      if (ts.isCallExpression(node) || ts.isTaggedTemplateExpression(node)) {
        const callee = ts.isCallExpression(node) ? node.expression : node.tag;
        if (namedOf(callee)) {
          const hit = core.matchCallRule(core.storeCalls, node);
          if (hit && hit.rule.call?.url === undefined) note(hit.rule.preset.name, node);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return [...found.entries()]
    .map(([preset, range]) => ({ preset, range }))
    .sort((a, b) => compareRanges(a.range, b.range) || (a.preset < b.preset ? -1 : a.preset > b.preset ? 1 : 0));
}

function escape(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

function compareRanges(a: SourceRange, b: SourceRange): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.start.line !== b.start.line) return a.start.line - b.start.line;
  return a.start.column - b.start.column;
}
