import type { Diagnostic } from '../../src/ir/index.js';

/** A diagnostic as [code, start line, start column, end line, end column] (1-based, end exclusive). */
export type At = readonly [code: string, line: number, column: number, endLine: number, endColumn: number];

export function at(diagnostics: readonly Diagnostic[]): At[] {
  return diagnostics.map((d) => [
    d.code,
    d.range?.start.line ?? 0,
    d.range?.start.column ?? 0,
    d.range?.end.line ?? 0,
    d.range?.end.column ?? 0,
  ]);
}

/** Joins lines into a YAML document ending with a newline: keeps the test tables readable. */
export function yaml(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}
