import { ts } from 'ts-morph';
import type { SourceRange } from '../../src/ir/index.js';
import type { Preset } from '../../src/presets/types.js';
import { nodeRange, relativeFile } from '../source-range.js';
import { globMatcher, normaliseModule } from './glob.js';
import { packageOfPath } from './declaration.js';
import { RuleMatcher } from './matcher.js';
import { namedOf } from './resolve.js';

/**
 * Which store presets the program uses, with the first place each is seen.
 *
 * A preset is used when a call resolves to one of its rules (through the import chain
 * when its types are missing) — importing `pg` only to hand a pool to `drizzle()` does not
 * make a pg store — or, for a preset of global APIs (no packages: Workers KV and D1, Deno
 * KV, web storage), when a type names one of its handle types (`CACHE: KVNamespace` in an
 * `Env` interface). Its place is the first import of one of its packages (subpaths
 * included: `drizzle-orm/node-postgres`), else its first use. Presets whose every call
 * needs a URL prefix (fetch) are never detected: nothing tells an origin API from any
 * other request.
 *
 * Files are the project's own (not node_modules, not TypeScript's libs, inside rootDir),
 * in path order; the result is ordered by place, then preset name.
 */
export function detectPresets(
  program: ts.Program,
  checker: ts.TypeChecker,
  rootDir: string,
  presets: readonly Preset[],
): { preset: string; range: SourceRange }[] {
  const stores = presets.filter((p) => p.store !== null && p.capability === null && p.calls.some((c) => c.url === undefined));
  if (stores.length === 0) return [];
  const files = program
    .getSourceFiles()
    .filter((sf) => packageOfPath(sf.fileName) === null && !program.isSourceFileDefaultLibrary(sf))
    .map((sf) => ({ sf, rel: relativeFile(rootDir, sf.fileName) }))
    .filter(({ rel }) => !rel.startsWith('../') && !rel.startsWith('/'))
    .sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0))
    .map(({ sf }) => sf);

  // 1. Imports, syntactically: which package presets may be used, and where they are first imported.
  const imported = firstImports(files, rootDir, stores.filter((p) => p.packages.length > 0));
  // 2. Uses: calls (and global handle types) of the imported and the global presets.
  const candidates = stores.filter((p) => imported.has(p.name) || p.packages.length === 0);
  const used = firstUses(program, checker, rootDir, files, candidates);

  return [...used.entries()]
    .map(([preset, range]) => ({ preset, range: imported.get(preset) ?? range }))
    .sort((a, b) => compareRanges(a.range, b.range) || (a.preset < b.preset ? -1 : a.preset > b.preset ? 1 : 0));
}

function firstImports(files: readonly ts.SourceFile[], rootDir: string, presets: readonly Preset[]): Map<string, SourceRange> {
  const found = new Map<string, SourceRange>();
  if (presets.length === 0) return found;
  const packageOf = (specifier: string): Preset | null => {
    const name = normaliseModule(specifier);
    for (const p of presets) {
      for (const pkg of p.packages) {
        const wanted = normaliseModule(pkg);
        if (name === wanted || name.startsWith(`${wanted}/`)) return p;
      }
    }
    return null;
  };
  for (const sf of files) {
    if (!/\b(?:import|require|export)\b/.test(sf.text)) continue;
    const visit = (node: ts.Node): void => {
      let specifier: ts.Expression | undefined;
      if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) specifier = node.moduleSpecifier;
      else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) specifier = node.moduleReference.expression;
      else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
        specifier = node.arguments[0];
      }
      if (specifier && ts.isStringLiteralLike(specifier)) {
        const p = packageOf(specifier.text);
        if (p && !found.has(p.name)) found.set(p.name, nodeRange(rootDir, specifier));
      }
      // Imports sit at the top level; require()/import() may be anywhere in an expression.
      if (!ts.isImportDeclaration(node) && !ts.isExportDeclaration(node)) ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return found;
}

function firstUses(
  program: ts.Program,
  checker: ts.TypeChecker,
  rootDir: string,
  files: readonly ts.SourceFile[],
  presets: readonly Preset[],
): Map<string, SourceRange> {
  const found = new Map<string, SourceRange>();
  if (presets.length === 0) return found;
  const core = new RuleMatcher(program, checker, presets);
  const globalPresets = presets.filter((p) => p.packages.length === 0);
  const handleNames = globalPresets.flatMap((p) => p.handles.map((h) => globMatcher(h.match.name)));
  const mayBeHandle = (name: string): boolean => handleNames.some((test) => test(name));
  const isGlobal = new Set(globalPresets.map((p) => p.name));
  // A file can only use a global store API if its text names one of the preset's types
  // (`KVNamespace`, `Deno`, `…Storage`): a cheap test before walking it for those alone.
  const words = new Map(globalPresets.map((p) => [p.name, wordsOf(p)]));
  const note = (preset: string, node: ts.Node): void => {
    if (!found.has(preset)) found.set(preset, nodeRange(rootDir, node));
  };
  for (const sf of files) {
    const open = presets.filter((p) => !found.has(p.name));
    if (open.length === 0) break;
    if (open.every((p) => isGlobal.has(p.name) && !(words.get(p.name)?.test(sf.text) ?? false))) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isTypeReferenceNode(node)) {
        const name = ts.isIdentifier(node.typeName) ? node.typeName.text : node.typeName.right.text;
        if (mayBeHandle(name)) {
          const m = core.handles.classify(checker.getTypeFromTypeNode(node));
          if (m && isGlobal.has(m.preset)) note(m.preset, node);
        }
      } else if (ts.isCallExpression(node) || ts.isTaggedTemplateExpression(node)) {
        const named = namedOf(ts.isCallExpression(node) ? node.expression : node.tag);
        if (named && core.prefilter(core.storeCalls, named)) {
          const hit = core.matchCallRule(core.storeCalls, node);
          if (hit && hit.rule.call?.url === undefined) note(hit.rule.preset.name, node);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return found;
}

/** The owner and handle type names of a preset, as one unanchored regular expression. */
function wordsOf(preset: Preset): RegExp {
  const words = new Set<string>();
  for (const c of preset.calls) {
    for (const part of (c.match.owner ?? '').split('.')) if (part !== '' && part !== '*') words.add(part);
  }
  for (const h of preset.handles) words.add(h.match.name);
  const alternatives = [...words].sort().map((w) =>
    w
      .split('*')
      .map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('\\w*'),
  );
  return new RegExp(alternatives.length > 0 ? alternatives.join('|') : '(?!)');
}

function compareRanges(a: SourceRange, b: SourceRange): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.start.line !== b.start.line) return a.start.line - b.start.line;
  return a.start.column - b.start.column;
}
