/**
 * Source locations. Lines and columns are both 1-based (as editors and GitHub show
 * them); `end` is exclusive: it is the position just after the last character.
 * `file` is always relative to the project root, with forward slashes, so a graph or a
 * plan is byte-identical on every machine.
 */
export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface SourceRange {
  readonly file: string;
  readonly start: Position;
  readonly end: Position;
}
