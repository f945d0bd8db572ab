import type { SourceRange } from './location.js';

export type DiagnosticCategory = 'error' | 'warning' | 'info';

/** A second place that explains the first (the secret read that pins a segment…). */
export interface RelatedNote {
  readonly message: string;
  readonly range: SourceRange;
}

/**
 * One diagnostic. `code` comes from the catalog in src/diagnostics (SL1001…); tests
 * assert code and range, never the message. `range` is null only for diagnostics about
 * the whole project that have no better place (no tsconfig, no entries at all).
 */
export interface Diagnostic {
  readonly code: string;
  readonly category: DiagnosticCategory;
  readonly message: string;
  readonly range: SourceRange | null;
  readonly related: readonly RelatedNote[];
}
