import { describe, expect, it } from 'vitest';
import { diagnostic, formatDiagnostic, formatDiagnostics } from '../../src/diagnostics/index.js';
import type { Diagnostic, SourceRange } from '../../src/ir/index.js';

const r = (file: string, line: number, column: number, endLine: number, endColumn: number): SourceRange => ({
  file,
  start: { line, column },
  end: { line: endLine, column: endColumn },
});

/** A diagnostic with a fixed message, so these tests do not depend on catalog wording. */
const d = (range: SourceRange | null, related: Diagnostic['related'] = []): Diagnostic => ({
  code: 'SL2001',
  category: 'error',
  message: 'Syntax error: expression expected',
  range,
  related,
});

const SOURCE = ['import x from "y";', '', 'const a = ;', '\tif (a) {', '    b();', '  }', 'done();', 'more();', 'end();'].join('\n');

describe('formatDiagnostic', () => {
  it('location, category, code, message; then the line with the range underlined', () => {
    expect(formatDiagnostic(d(r('src/x.ts', 3, 7, 3, 8)), SOURCE)).toBe(
      ['src/x.ts:3:7 - error SL2001: Syntax error: expression expected', '', '3 const a = ;', '        ~'].join('\n'),
    );
  });

  it('a zero-width range is marked with ^', () => {
    expect(formatDiagnostic(d(r('src/x.ts', 3, 11, 3, 11)), SOURCE)).toBe(
      ['src/x.ts:3:11 - error SL2001: Syntax error: expression expected', '', '3 const a = ;', '            ^'].join('\n'),
    );
  });

  it('tabs are shown as one space so the marks line up', () => {
    expect(formatDiagnostic(d(r('src/x.ts', 4, 2, 4, 4)), SOURCE).split('\n').slice(2)).toEqual(['4  if (a) {', '   ~~']);
  });

  it('a range over several lines underlines each of them; the gutter fits the widest number', () => {
    const text = Array.from({ length: 12 }, (_, i) => `line${i + 1}`).join('\n');
    expect(formatDiagnostic(d(r('a.ts', 9, 3, 10, 4)), text).split('\n').slice(2)).toEqual([
      ' 9 line9',
      '     ~~~',
      '10 line10',
      '   ~~~',
    ]);
  });

  it('a range of five lines or more shows the first two and the last two', () => {
    expect(formatDiagnostic(d(r('src/x.ts', 3, 1, 8, 5)), SOURCE).split('\n').slice(2)).toEqual([
      '3 const a = ;',
      '  ~~~~~~~~~~~',
      '4  if (a) {',
      '  ~~~~~~~~~',
      '...',
      '7 done();',
      '  ~~~~~~~',
      '8 more();',
      '  ~~~~',
    ]);
  });

  it('an end at the start of the next line ends on the line before', () => {
    expect(formatDiagnostic(d(r('src/x.ts', 7, 1, 8, 1)), SOURCE).split('\n').slice(2)).toEqual(['7 done();', '  ~~~~~~~']);
  });

  it('related notes are indented under the diagnostic', () => {
    const text = formatDiagnostic(d(r('src/x.ts', 3, 7, 3, 8), [{ message: 'first declared here', range: r('src/y.ts', 1, 1, 1, 4) }]), SOURCE);
    expect(text.split('\n').at(-1)).toBe('  src/y.ts:1:1: first declared here');
  });

  it('without source text, or with a range outside it, only the header (and notes)', () => {
    expect(formatDiagnostic(d(r('src/x.ts', 3, 7, 3, 8)))).toBe('src/x.ts:3:7 - error SL2001: Syntax error: expression expected');
    expect(formatDiagnostic(d(r('src/x.ts', 30, 1, 30, 2)), SOURCE)).toBe('src/x.ts:30:1 - error SL2001: Syntax error: expression expected');
  });

  it('a diagnostic without a range has no location', () => {
    expect(formatDiagnostic({ ...diagnostic('SL1022', null, { dir: 'x' }), message: 'Project directory not found: x' })).toBe(
      'error SL1022: Project directory not found: x',
    );
  });

  it('warnings and infos say so', () => {
    expect(formatDiagnostic({ ...d(null), category: 'warning' })).toMatch(/^warning SL2001: /);
    expect(formatDiagnostic({ ...d(null), category: 'info' })).toMatch(/^info SL2001: /);
  });
});

describe('formatDiagnostics', () => {
  it('separates diagnostics by a blank line and reads each file once', () => {
    const reads: string[] = [];
    const readSource = (file: string) => {
      reads.push(file);
      return file === 'src/x.ts' ? SOURCE : undefined;
    };
    const text = formatDiagnostics([d(r('src/x.ts', 3, 7, 3, 8)), d(r('src/x.ts', 7, 1, 7, 5)), d(r('gone.ts', 1, 1, 1, 2)), d(null)], readSource);
    expect(text).toBe(
      [
        'src/x.ts:3:7 - error SL2001: Syntax error: expression expected',
        '',
        '3 const a = ;',
        '        ~',
        '',
        'src/x.ts:7:1 - error SL2001: Syntax error: expression expected',
        '',
        '7 done();',
        '  ~~~~',
        '',
        'gone.ts:1:1 - error SL2001: Syntax error: expression expected',
        '',
        'error SL2001: Syntax error: expression expected',
      ].join('\n'),
    );
    expect(reads).toEqual(['src/x.ts', 'gone.ts']);
  });

  it('nothing to report is the empty string', () => {
    expect(formatDiagnostics([], () => undefined)).toBe('');
  });
});
