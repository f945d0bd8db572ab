import type { Diagnostic, RelatedNote, SourceRange } from '../ir/index.js';
import { catalog, type DiagnosticCode } from './catalog.js';

export type MessageArgs = Readonly<Record<string, string | number>>;

/** Fills a catalog template; a placeholder without an argument stays visible as {name}. */
export function formatMessage(code: DiagnosticCode, args: MessageArgs = {}): string {
  return catalog[code].template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(args, name) ? String(args[name]) : whole,
  );
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
