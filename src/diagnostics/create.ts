import type { Diagnostic, RelatedNote, SourceRange } from '../ir/index.js';
import { catalog, type DiagnosticCode } from './catalog.js';

export type MessageArgs = Readonly<Record<string, string | number>>;

/** Each template split once into text (even indices) and placeholder names (odd indices). */
const compiled = new Map<DiagnosticCode, readonly string[]>();

/** Fills a catalog template; a placeholder without an argument stays visible as {name}. */
export function formatMessage(code: DiagnosticCode, args: MessageArgs = {}): string {
  let parts = compiled.get(code);
  if (parts === undefined) {
    parts = catalog[code].template.split(/\{(\w+)\}/);
    compiled.set(code, parts);
  }
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i]!;
    out += (Object.prototype.hasOwnProperty.call(args, name) ? String(args[name]) : `{${name}}`) + parts[i + 1]!;
  }
  return out;
}

/** The one way to make a diagnostic: code from the catalog, location, arguments, related notes. */
export function diagnostic(
  code: DiagnosticCode,
  range: SourceRange | null,
  args: MessageArgs = {},
  related: readonly RelatedNote[] = [],
): Diagnostic {
  return { code, category: catalog[code].category, message: formatMessage(code, args), range, related };
}

/** Orders diagnostics by file, position, then code, so output is deterministic. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  const fa = a.range?.file ?? '';
  const fb = b.range?.file ?? '';
  if (fa !== fb) return fa < fb ? -1 : 1;
  const la = a.range?.start.line ?? 0;
  const lb = b.range?.start.line ?? 0;
  if (la !== lb) return la - lb;
  const ca = a.range?.start.column ?? 0;
  const cb = b.range?.start.column ?? 0;
  if (ca !== cb) return ca - cb;
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.category === 'error');
}
