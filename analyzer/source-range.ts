import path from 'node:path';
import { ts } from 'ts-morph';
import type { SourceRange } from '../src/ir/index.js';

/** Project-relative, forward-slash path: the only form a file name takes in the IR. */
export function relativeFile(rootDir: string, fileName: string): string {
  const key = `${rootDir}\u0000${fileName}`;
  let rel = relativeNames.get(key);
  if (rel === undefined) {
    rel = path.relative(rootDir, fileName).split(path.sep).join('/');
    relativeNames.set(key, rel);
  }
  return rel;
}

/** path.relative is slow and asked once per range: remembered per (root, file). */
const relativeNames = new Map<string, string>();

/** 1-based line and column range of `start..end` (end exclusive) in a source file. */
export function rangeOf(rootDir: string, sourceFile: ts.SourceFile, start: number, end: number): SourceRange {
  const s = sourceFile.getLineAndCharacterOfPosition(start);
  const e = sourceFile.getLineAndCharacterOfPosition(end);
  return {
    file: relativeFile(rootDir, sourceFile.fileName),
    start: { line: s.line + 1, column: s.character + 1 },
    end: { line: e.line + 1, column: e.character + 1 },
  };
}

/** The range of a node without its leading trivia (comments, whitespace). */
export function nodeRange(rootDir: string, node: ts.Node): SourceRange {
  const sourceFile = node.getSourceFile();
  return rangeOf(rootDir, sourceFile, node.getStart(sourceFile), node.getEnd());
}
