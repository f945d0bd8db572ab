import { ts } from 'ts-morph';
import type { SourceRange } from '../../src/ir/index.js';
import type { Preset } from '../../src/presets/types.js';
import { nodeRange, relativeFile } from '../source-range.js';
import { globMatcher, normaliseModule } from './glob.js';
import { RuleMatcher } from './matcher.js';
import { namedOf } from './resolve.js';

/**
 * Which store presets the program uses, with the first place each is seen.
 *
 * A preset with `packages` is seen at the first import (or `export … from`,
 * `import x = require`, `require()`, `import()`) of one of them, subpaths included
 * (`drizzle-orm/node-postgres`). A preset of global APIs (no packages: Workers KV and
 * D1, Deno KV, web storage) is seen at the first type reference to one of its handle
 * types (`CACHE: KVNamespace` in an `Env` interface) or the first call that resolves to
 * one of its rules (`localStorage.getItem`). Presets whose every call needs a URL
 * prefix (fetch) are never detected: nothing tells an origin API from any other request.
 *
 * Files are the project's own (not node_modules, not TypeScript's libs, inside rootDir),
 * in path order; the result is ordered by first place, then preset name.
 */
export function detectPresets(
  program: ts.Program,
  checker: ts.TypeChecker,
  rootDir: string,
  presets: readonly Preset[],
): { preset: string; range: SourceRange }[] {
  const stores = presets.filter((p) => p.store !== null && p.capability === null && p.calls.some((c) => c.url === undefined));
  if (stores.length === 0) return [];
  const byPackage = stores.filter((p) => p.packages.length > 0);
  const globals = stores.filter((p) => p.packages.length === 0);
  const core = new RuleMatcher(program, checker, globals);
  const files = program
    .getSourceFiles()
    .filter((sf) => !core.decls.isLibraryFile(sf))
    .map((sf) => ({ sf, rel: relativeFile(rootDir, sf.fileName) }))
    .filter(({ rel }) => !rel.startsWith('../') && !rel.startsWith('/'))
    .sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0))
    .map(({ sf }) => sf);
  const found = new Map<string, SourceRange>();
  const note = (preset: string, node: ts.Node): void => {
    if (!found.has(preset)) found.set(preset, nodeRange(rootDir, node));
  };

  // Imports: a syntactic pass over top-level statements (and `require`/`import()` calls).
  const packageOf = (specifier: string): Preset | null => {
    const name = normaliseModule(specifier);
    for (const p of byPackage) {
      for (const pkg of p.packages) {
        const wanted = normaliseModule(pkg);
        if (name === wanted || name.startsWith(`${wanted}/`)) return p;
      }
    }
    return null;
  };
  if (byPackage.length > 0) {
    for (const sf of files) {
      const visit = (node: ts.Node): void => {
        let specifier: ts.Expression | undefined;
        if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) specifier = node.moduleSpecifier;
        else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) specifier = node.moduleReference.expression;
        else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
          specifier = node.arguments[0];
        }
        if (specifier && ts.isStringLiteralLike(specifier)) {
          const p = packageOf(specifier.text);
          if (p) note(p.name, specifier);
        }
        // Imports sit at the top level; require()/import() may be anywhere in an expression.
        if (!ts.isImportDeclaration(node) && !ts.isExportDeclaration(node)) ts.forEachChild(node, visit);
      };
      if (/\b(?:import|require|export)\b/.test(sf.text)) visit(sf);
    }
  }

  // Globals: handle types and calls that resolve to the preset's rules.
  if (globals.length > 0) {
    const handleNames = globals.flatMap((p) => p.handles.map((h) => globMatcher(h.match.name)));
    const mayBeHandle = (name: string): boolean => handleNames.some((test) => test(name));
    const wanted = new Set(globals.map((p) => p.name));
    // A file can only use a global store API if its text names one of the preset's types
    // (`KVNamespace`, `Deno`, `…Storage`): a cheap test before walking it.
    const words = globals.map((p) => ({ name: p.name, re: wordsOf(p) }));
    for (const sf of files) {
      const open = words.filter((w) => !found.has(w.name));
      if (open.length === 0) break;
      if (!open.some((w) => w.re.test(sf.text))) continue;
      const visit = (node: ts.Node): void => {
        if (ts.isTypeReferenceNode(node)) {
          const name = ts.isIdentifier(node.typeName) ? node.typeName.text : node.typeName.right.text;
          if (mayBeHandle(name)) {
            const m = core.handles.classify(checker.getTypeFromTypeNode(node));
            if (m && wanted.has(m.preset)) note(m.preset, node);
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
  }

  return [...found.entries()]
    .map(([preset, range]) => ({ preset, range }))
    .sort((a, b) => compareRanges(a.range, b.range) || (a.preset < b.preset ? -1 : a.preset > b.preset ? 1 : 0));
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
