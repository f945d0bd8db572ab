import { ts } from 'ts-morph';

/**
 * The classes a stop's modules export that extend another class (`export class HttpError
 * extends Error`), as `file#exportName`: the bundle registers them with the wire format
 * (codegen/wire/codec.ts ErrorClasses), so an error of the program's own class thrown at
 * one stop is an instance of that class at the other (`err instanceof HttpError` in an
 * error handler). Which of them are Error subclasses is checked at run time; a class only
 * used inside its module is not registered (it crosses as its built-in base class).
 */
export function exportedClasses(sources: ReadonlyMap<string, string>): { file: string; exportName: string }[] {
  const out: { file: string; exportName: string }[] = [];
  for (const [file, text] of [...sources].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!/\.m?ts$/.test(file) || !/\bclass\b/.test(text) || !/\bextends\b/.test(text)) continue;
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    const local = new Set<string>();
    for (const s of sf.statements) {
      if (!ts.isClassDeclaration(s) || !s.heritageClauses?.some((h) => h.token === ts.SyntaxKind.ExtendsKeyword)) continue;
      const mods = ts.getModifiers(s) ?? [];
      const exported = mods.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      const isDefault = mods.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
      if (exported) out.push({ file, exportName: isDefault ? 'default' : (s.name?.text ?? 'default') });
      else if (s.name) local.add(s.name.text);
    }
    for (const s of sf.statements) {
      if (!ts.isExportDeclaration(s) || s.moduleSpecifier !== undefined || s.isTypeOnly || !s.exportClause || !ts.isNamedExports(s.exportClause)) continue;
      for (const e of s.exportClause.elements) if (local.has((e.propertyName ?? e.name).text) && !e.isTypeOnly) out.push({ file, exportName: e.name.text });
    }
  }
  return out;
}
