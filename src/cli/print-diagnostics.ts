import fs from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../ir/index.js';
import { formatDiagnostics } from '../diagnostics/format.js';

/** Diagnostics with their source lines, read from the project on demand. */
export function diagnosticsText(diagnostics: readonly Diagnostic[], rootDir: string): string {
  const cache = new Map<string, string | undefined>();
  const read = (file: string): string | undefined => {
    if (!cache.has(file)) {
      try {
        cache.set(file, fs.readFileSync(path.resolve(rootDir, file), 'utf8'));
      } catch {
        cache.set(file, undefined);
      }
    }
    return cache.get(file);
  };
  return formatDiagnostics(diagnostics, read);
}

export function summaryLine(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.category === 'error').length;
  const warnings = diagnostics.filter((d) => d.category === 'warning').length;
  return `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
}
