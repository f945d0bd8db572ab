import { describe, expect, it } from 'vitest';
import { analyzeCase, diags, graphOf, outline, segmentAt, span, treeOf } from './helpers.js';

/**
 * Pins from stopline.yaml (case `pins`): `function:` pins every call of the function,
 * `at: file:line` the outermost segments starting on that line; targets that do not exist
 * are errors, targets no entry reaches are warnings.
 */
describe('pins (case pins)', () => {
  const graph = graphOf('pins');
  const pinned = (): string[] =>
    treeOf(graph, 'handle').flatMap((s) => s.facts.filter((f) => f.kind === 'pin').map((f) => `${s.kind} ${span(s.range)} ${f.code} @${f.stop}`));

  it('pins each call segment of a `function:` target and the outermost segments of an `at:` line', () => {
    expect(pinned()).toEqual([
      // const first = record(kind);
      'call 15:17-15:29 SL3010 @origin',
      // const size = first.length; const twice = size * 2;  (two statements start on line 16)
      'statement 16:3-16:29 SL3010 @edge',
      'statement 16:30-16:53 SL3010 @edge',
      // if (size > 3) { … }: the branch, not its then block
      'branch 17:3-19:4 SL3010 @client',
      // return record(shout(first)); shout's own line 10 is pinned, record is pinned
      'statement 10:3-10:29 SL3010 @origin',
      'call 18:12-18:32 SL3010 @origin',
    ]);
  });

  it('pinned functions are segments even when they do nothing else placement cares about', () => {
    expect(outline(graph, 'handle')).toEqual([
      'body 14:46-21:2 ×1',
      '  statement 15:3-15:30 ×1',
      '    call 15:17-15:29 ×1',
      '      statement 2:3-2:28 ×1',
      '  statement 16:3-16:29 ×1',
      '  statement 16:30-16:53 ×1',
      '  branch 17:3-19:4 ×1',
      '    block 17:17-19:4 ×0.5',
      '      statement 18:5-18:33 ×0.5',
      '        call 18:19-18:31 ×0.5',
      '          statement 10:3-10:29 ×0.5',
      '        call 18:12-18:32 ×0.5',
      '          statement 2:3-2:28 ×0.5',
      '  statement 20:3-20:29 ×0.5',
    ]);
  });

  it('a pin fact points at the segment and, as a related note, at the pin in stopline.yaml', () => {
    const fact = segmentAt(graph, 'handle', 'src/audit.ts', 16, 'statement').facts.find((f) => f.kind === 'pin');
    expect(fact && { range: span(fact.range), variable: fact.variable, related: fact.related.map((r) => `${r.range.file}:${span(r.range)}`) }).toEqual({
      range: '16:3-16:29', variable: null, related: ['stopline.yaml:4:9-4:24'],
    });
  });

  it('missing targets are SL1011 errors; targets no entry reaches are SL1051 warnings', () => {
    expect(diags(analyzeCase('pins').diagnostics)).toEqual([
      // function: src/audit.ts#unused
      'SL1051 warning stopline.yaml:10:15-10:34',
      // function: src/audit.ts#missing
      'SL1011 error stopline.yaml:12:15-12:35',
      // at: src/nowhere.ts:3
      'SL1011 error stopline.yaml:14:9-14:25',
      // at: src/audit.ts:99 (the file has 21 lines)
      'SL1011 error stopline.yaml:16:9-16:24',
      // at: src/audit.ts:4 (an empty line: no segment starts there)
      'SL1051 warning stopline.yaml:18:9-18:23',
    ]);
  });
});
