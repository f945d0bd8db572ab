import type { Diagnostic, SourceRange } from '../ir/index.js';

/**
 * Human text for diagnostics, in the shape of TypeScript's pretty output without colours
 * (the CLI may add them):
 *
 *   stopline.yaml:3:7 - error SL1004: Unknown stop 'edg'; the line has 'client', 'edge', 'origin'
 *
 *   3     arrives: edg
 *                  ~~~
 *     src/y.ts:1:1: note text
 *
 * The source lines are shown only when the source text is given; a zero-width range is
 * marked with `^`; a range over five lines or more shows its first two and last two lines.
 */

const ELLIPSIS = '...';

function location(range: SourceRange): string {
  return `${range.file}:${range.start.line}:${range.start.column}`;
}

function padLeft(text: string, width: number): string {
  return text.length >= width ? text : ' '.repeat(width - text.length) + text;
}

/** The source lines of `range` with the range underlined; [] when the range is not in the text. */
function codeSpan(range: SourceRange, sourceText: string): string[] {
  const lines = sourceText.split(/\r?\n|\r/);
  const firstLine = range.start.line - 1;
  let lastLine = range.end.line - 1;
  let lastChar = range.end.column - 1;
  const firstChar = range.start.column - 1;
  if (firstLine < 0 || firstLine >= lines.length || firstChar < 0) return [];
  // An end at the very start of a later line ends the range on the line before.
  if (lastLine > firstLine && lastChar <= 0) {
    lastLine--;
    lastChar = Number.MAX_SAFE_INTEGER;
  }
  if (lastLine < firstLine || (lastLine === firstLine && lastChar < firstChar)) {
    lastLine = firstLine;
    lastChar = firstChar;
  }
  lastLine = Math.min(lastLine, lines.length - 1);
  const gutterWidth = String(lastLine + 1).length;
  const moreThanFive = lastLine - firstLine >= 4;
  const out: string[] = [];
  for (let i = firstLine; i <= lastLine; i++) {
    if (moreThanFive && firstLine + 1 < i && i < lastLine - 1) {
      out.push(padLeft(ELLIPSIS, gutterWidth));
      i = lastLine - 1;
    }
    const content = (lines[i] ?? '').replace(/\t/g, ' ').trimEnd();
    out.push(`${padLeft(String(i + 1), gutterWidth)} ${content}`);
    let marks: string;
    if (i === firstLine) {
      const prefix = ' '.repeat(Math.min(firstChar, content.length));
      if (firstLine === lastLine && lastChar === firstChar) {
        marks = `${' '.repeat(firstChar)}^`;
      } else {
        const end = i === lastLine ? lastChar : content.length;
        const squiggle = '~'.repeat(Math.max(0, Math.min(end, content.length) - firstChar));
        marks = squiggle === '' ? `${' '.repeat(firstChar)}^` : prefix + squiggle;
      }
    } else if (i === lastLine) {
      marks = '~'.repeat(Math.min(lastChar, content.length));
    } else {
      marks = '~'.repeat(content.length);
    }
    out.push(`${' '.repeat(gutterWidth)} ${marks}`.trimEnd());
  }
  return out;
}

/** One diagnostic as text (no trailing newline). `sourceText` is the text of `d.range.file`. */
export function formatDiagnostic(d: Diagnostic, sourceText?: string): string {
  const header = `${d.category} ${d.code}: ${d.message}`;
  const out = [d.range === null ? header : `${location(d.range)} - ${header}`];
  if (d.range !== null && sourceText !== undefined) {
    const span = codeSpan(d.range, sourceText);
    if (span.length > 0) out.push('', ...span);
  }
  for (const note of d.related) out.push(`  ${location(note.range)}: ${note.message}`);
  return out.join('\n');
}

/**
 * Several diagnostics, separated by blank lines (no trailing newline). `readSource`
 * gives the text of a file named in a range (relative to the project root), or
 * undefined when it cannot; each file is read once.
 */
export function formatDiagnostics(
  ds: readonly Diagnostic[],
  readSource: (file: string) => string | undefined,
): string {
  const cache = new Map<string, string | undefined>();
  const source = (file: string): string | undefined => {
    if (!cache.has(file)) cache.set(file, readSource(file));
    return cache.get(file);
  };
  return ds.map((d) => formatDiagnostic(d, d.range === null ? undefined : source(d.range.file))).join('\n\n');
}
