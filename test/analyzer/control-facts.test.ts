import { describe, expect, it } from 'vitest';
import { analyzeCase, boundary, diags, flow, graphOf, outline, segmentAt, span } from './helpers.js';

/**
 * Non-local control flow (case `control`) and the facts found in a segment's own code
 * (case `facts`): secrets, client-only and server-only APIs, module-level mutable state,
 * constructs that defeat analysis.
 */
describe('control flow (case control)', () => {
  const graph = graphOf('control');
  const at = (line: number, kind?: Parameters<typeof segmentAt>[4]) => segmentAt(graph, 'control', 'src/control.ts', line, kind);

  it('analyses without diagnostics', () => {
    expect(diags(analyzeCase('control').diagnostics)).toEqual([]);
  });

  it('a throw caught inside the segment does not leave it; one that escapes does', () => {
    // try { if (items.length === 0) throw …; … } catch { … }
    expect(flow(at(8, 'try').control)).toEqual([]);
    expect(flow(at(8, 'block').control)).toEqual(['throws']);
    expect(flow(at(9, 'statement').control)).toEqual(['throws']);
    expect(flow(at(14, 'branch').control)).toEqual(['throws']);
    expect(flow(at(6).control)).toEqual(['returns', 'throws', 'awaits']);
  });

  it('break and continue leave a loop body but not the loop; a break to a labelled block stays inside it', () => {
    expect(flow(at(15, 'loop').control)).toEqual(['awaits']);
    expect(flow(at(15, 'block').control)).toEqual(['break:', 'continue:', 'awaits']);
    expect(flow(at(16, 'statement').control)).toEqual(['continue:']);
    expect(flow(at(17, 'statement').control)).toEqual(['break:']);
    expect(flow(at(18).control)).toEqual(['awaits']);
    // done: { if (sum > 10) break done; sum++; }
    expect(flow(at(20, 'block').control)).toEqual([]);
    expect(flow(at(21, 'branch').control)).toEqual(['break:done']);
  });

  it('a return inside try/finally leaves the try and carries (return)', () => {
    expect(boundary(at(24, 'try'))).toEqual({ in: ['sum:value'], out: ['sum:value', '(return):value'], mutates: [], flow: ['returns'], facts: [] });
    expect(boundary(at(26, 'block'))).toEqual({ in: ['sum:value'], out: ['sum:value'], mutates: [], flow: [], facts: [] });
  });

  it('counts: a caught throw comes back after the try; a break to a label reaches the code after the labelled block', () => {
    expect(outline(graph, 'control')).toEqual([
      'body 6:65-31:2 ×1',
      '  statement 7:3-7:15 ×1',
      '  try 8:3-13:4 ×1',
      '    block 8:7-11:4 ×1',
      '      branch 9:5-9:54 ×1',
      '        statement 9:29-9:54 ×0.05',
      '      statement 10:5-10:25 ×0.95',
      '    block 11:11-13:4 ×0.05',
      '      statement 12:5-12:14 ×0.05',
      // 0.95 through the try block + 0.05 through the catch block
      '  branch 14:3-14:49 ×1',
      '    statement 14:16-14:49 ×0.05',
      '  loop 15:3-19:4 ×0.95',
      '    block 15:29-19:4 ×9.5',
      '      branch 16:5-16:30 ×9.5',
      '        statement 16:21-16:30 ×4.75',
      '      branch 17:5-17:27 ×4.75',
      '        statement 17:21-17:27 ×2.375',
      '      statement 18:5-18:40 ×2.375',
      '  block 20:3-23:4 ×0.95',
      '    branch 21:5-21:30 ×0.95',
      '      statement 21:19-21:30 ×0.475',
      '    statement 22:5-22:11 ×0.475',
      // both the `break done` half and the fall-through half reach the try
      '  try 24:3-28:4 ×0.95',
      '    block 24:7-26:4 ×0.95',
      '      branch 25:5-25:29 ×0.95',
      '        statement 25:20-25:29 ×0.475',
      '    block 26:13-28:4 ×0.95',
      '      statement 27:5-27:11 ×0.95',
      '  statement 29:3-29:33 ×0.475',
      '    call 29:19-29:31 ×0.475',
      '      loop 2:3-2:52 ×0.475',
      '        statement 2:29-2:52 ×4.75',
      '  statement 30:3-30:27 ×0.475',
    ]);
  });

  it('awaits are flagged; a yield is flagged and forbids the cut (SL3012)', () => {
    expect(flow(at(18).control)).toEqual(['awaits']);
    const yielding = segmentAt(graph, 'control', 'src/control.ts', 2, 'statement');
    expect(boundary(yielding)).toEqual({ in: ['item:value'], out: [], mutates: [], flow: ['yields'], facts: ['no-cut SL3012 2:29-2:51'] });
    // the generator call itself yields, and hands back a generator that cannot cross
    expect(boundary(at(29, 'call'))).toEqual({
      in: ['items:value'], out: ['(return):unserializable'], mutates: [], flow: ['yields'], facts: ['no-cut SL3001 (return) 29:19-29:31'],
    });
  });
});

describe('own-code facts (case facts)', () => {
  const graph = graphOf('facts');
  const at = (line: number) => segmentAt(graph, 'facts', 'src/facts.ts', line);

  it('analyses without diagnostics', () => {
    expect(diags(analyzeCase('facts').diagnostics)).toEqual([]);
  });

  it('process.env is a secret, document a client-only API, fs a server-only API', () => {
    expect(boundary(at(9)).facts).toEqual(['secret SL3005 9:17-9:28']);
    expect(boundary(at(10)).facts).toEqual(['client-only SL3006 10:14-10:36', 'no-cut SL3001 el 10:3-10:45']);
    expect(boundary(at(11)).facts).toEqual(['server-only SL3007 11:17-11:32']);
  });

  it('module-level let and a mutated module-level const are module state, with a note at the declaration', () => {
    expect(boundary(at(12)).facts).toEqual(['module-state SL3004 counter 12:3-12:10']);
    expect(boundary(at(13)).facts).toEqual(['module-state SL3004 cache 13:3-13:8']);
    expect(at(12).facts[0]?.related.map((r) => `${r.range.file}:${span(r.range)}`)).toEqual(['src/facts.ts:3:5-3:16']);
    expect(at(13).facts[0]?.related.map((r) => `${r.range.file}:${span(r.range)}`)).toEqual(['src/facts.ts:4:7-4:40']);
  });

  it('reading a module-level const that the service mutates elsewhere is module state too; a const never mutated is not', () => {
    expect(boundary(at(14)).facts).toEqual(['module-state SL3004 cache 14:16-14:21']);
    expect(boundary(at(15)).facts).toEqual([]);
  });

  it('eval, new Function and dynamic import() defeat analysis (SL3011)', () => {
    expect(boundary(at(16)).facts).toEqual(['no-cut SL3011 16:15-16:28']);
    // a Function is a function value
    expect(boundary(at(17)).facts).toEqual(['no-cut SL3011 17:16-17:40', 'no-cut SL3014 make 17:3-17:41']);
    expect(boundary(at(18)).facts).toEqual(['no-cut SL3011 18:24-18:45']);
  });

  it('facts are about a segment\'s own code: the body that contains them has none', () => {
    expect(boundary(at(8)).facts).toEqual([]);
  });
});
