import { ts } from 'ts-morph';
import type { Position, SourceRange } from '../../src/ir/index.js';

/** One parsed source file, and offsets for the IR's 1-based line/column positions. */
export interface ParsedFile {
  readonly path: string;
  readonly text: string;
  readonly ast: ts.SourceFile;
}

export function parseFile(path: string, text: string): ParsedFile {
  return { path, text, ast: ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS) };
}

export function offsetOf(file: ParsedFile, at: Position): number {
  return file.ast.getPositionOfLineAndCharacter(at.line - 1, at.column - 1);
}

export interface Span {
  readonly start: number;
  readonly end: number;
}

export function spanOf(file: ParsedFile, range: SourceRange): Span {
  return { start: offsetOf(file, range.start), end: offsetOf(file, range.end) };
}

/** A replacement of `[start, end)` by `text`. */
export interface Edit extends Span {
  readonly text: string;
}

/** The text of `[span.start, span.end)` with the edits inside it applied (edits must not overlap). */
export function editedText(source: string, span: Span, edits: readonly Edit[]): string {
  const inside = edits.filter((e) => e.start >= span.start && e.end <= span.end).sort((a, b) => a.start - b.start);
  let out = '';
  let at = span.start;
  for (const e of inside) {
    if (e.start < at) throw new RangeError(`overlapping edits at ${e.start}`);
    out += source.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + source.slice(at, span.end);
}

/** The innermost node of `file` whose span is exactly `span` (after trivia), or undefined. */
export function nodeAt(file: ParsedFile, span: Span): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    const start = node.getStart(file.ast);
    if (start > span.start || node.end < span.end) return;
    if (start === span.start && node.end === span.end) found = node;
    node.forEachChild(visit);
  };
  file.ast.forEachChild(visit);
  return found;
}
