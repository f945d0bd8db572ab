import { describe, expect, it } from 'vitest';
import { analyzeCase, boundary, diags, graphOf, outline, segmentAt } from './helpers.js';

/**
 * Region tree shapes and execution counts (DESIGN.md, Analyzer and Cost model → counts).
 * Case `regions`: branches.ts (if/else, else-if, switch, bare block), loops.ts (every loop
 * form, literal trip counts, a labelled loop), tries.ts (try/catch/finally, try/finally).
 * Case `counts`: early return, validation throws, continue; with default settings and with
 * tuned.yaml (`loopFactor: 4`, `branchProbability: 0.25`).
 */
describe('region tree shapes (case regions)', () => {
  const graph = graphOf('regions');

  it('finds the three tagged entries and reports nothing', () => {
    expect(graph.entries.map((e) => `${e.name} ${e.source} ${e.arrives}`)).toEqual([
      'classify jsdoc edge',
      'guarded jsdoc edge',
      'loops jsdoc edge',
    ]);
    expect(diags(analyzeCase('regions').diagnostics)).toEqual([]);
  });

  it('if/else gives a branch with then/else blocks; else-if chains nest; switch has one block per clause', () => {
    expect(outline(graph, 'classify')).toEqual([
      'body 2:45-28:2 ×1',
      '  statement 3:3-3:22 ×1',
      // if (n > 10) { … } else { … }
      '  branch 4:3-8:4 ×1',
      '    block 4:15-6:4 ×0.5',
      '      statement 5:5-5:19 ×0.5',
      '    block 6:10-8:4 ×0.5',
      '      statement 7:5-7:21 ×0.5',
      // if (n === 1) …; else if (n === 2) …; else …: sides without braces are the statements themselves
      '  branch 9:3-11:23 ×1',
      '    statement 9:16-9:30 ×0.5',
      '    branch 10:8-11:23 ×0.5',
      '      statement 10:21-10:35 ×0.25',
      '      statement 11:8-11:23 ×0.25',
      // switch with four clauses (one of them empty): the count is split evenly
      '  branch 12:3-22:4 ×1',
      '    block 13:5-15:13 ×0.25',
      '      statement 14:7-14:20 ×0.25',
      '      statement 15:7-15:13 ×0.25',
      '    block 16:5-16:16 ×0.25',
      '    block 17:5-19:13 ×0.25',
      '      statement 18:7-18:20 ×0.25',
      '      statement 19:7-19:13 ×0.25',
      '    block 20:5-21:19 ×0.25',
      '      statement 21:7-21:19 ×0.25',
      // a bare { … } block
      '  block 23:3-26:4 ×1',
      '    statement 24:5-24:31 ×1',
      '    statement 25:5-25:31 ×1',
      '  statement 27:3-27:16 ×1',
    ]);
  });

  it('labels say what each segment is', () => {
    const at = (line: number, kind?: Parameters<typeof segmentAt>[4], nth = 0): string => segmentAt(graph, 'classify', 'src/branches.ts', line, kind, nth).label;
    expect(at(2)).toBe('classify()');
    expect(at(4)).toBe('if (n > 10)');
    expect(at(4, 'block')).toBe('then');
    expect(at(6)).toBe('else');
    expect(at(10)).toBe('if (n === 2)');
    expect(at(12)).toBe('switch (label)');
    expect([at(13), at(16), at(17), at(20)]).toEqual(["case 'one'", "case 'two'", "case 'many'", 'default']);
    expect(at(23)).toBe('block');
    expect(at(24)).toBe('const size = label.length;');
  });

  it('a break in a switch clause leaves the clause but not the switch', () => {
    const clause = segmentAt(graph, 'classify', 'src/branches.ts', 13, 'block');
    const sw = segmentAt(graph, 'classify', 'src/branches.ts', 12, 'branch');
    expect(clause.control.breaks).toEqual(['']);
    expect(sw.control.breaks).toEqual([]);
  });

  it('loop bodies run loopFactor times, or the literal trip count of a counted for', () => {
    expect(outline(graph, 'loops')).toEqual([
      'body 2:77-28:2 ×1',
      '  statement 3:3-3:17 ×1',
      // for (let i = 0; i < 64; i++) { … }
      '  loop 4:3-6:4 ×1',
      '    block 4:32-6:4 ×64',
      '      statement 5:5-5:16 ×64',
      // for (let i = 1; i <= 10; i++) …
      '  loop 7:3-7:44 ×1',
      '    statement 7:33-7:44 ×10',
      // for (let i = 0; i < 9; i += 2) …: 0 2 4 6 8
      '  loop 8:3-8:45 ×1',
      '    statement 8:34-8:45 ×5',
      // for (let i = 20; i > 0; i--) …
      '  loop 9:3-9:43 ×1',
      '    statement 9:32-9:43 ×20',
      // for (let i = 0; i < items.length; i++): the bound is not a literal
      '  loop 10:3-10:65 ×1',
      '    statement 10:42-10:65 ×10',
      // for…of
      '  loop 11:3-13:4 ×1',
      '    block 11:29-13:4 ×10',
      '      statement 12:5-12:19 ×10',
      // for…in
      '  loop 14:3-14:49 ×1',
      '    statement 14:26-14:49 ×10',
      // while
      '  loop 15:3-17:4 ×1',
      '    block 15:23-17:4 ×10',
      '      statement 16:5-16:16 ×10',
      // do … while
      '  loop 18:3-20:23 ×1',
      '    block 18:6-20:4 ×10',
      '      statement 19:5-19:13 ×10',
      // outer: for (const a of items) { for (const b of items) { … } }: the segment covers its label
      '  loop 21:3-26:4 ×1',
      '    block 21:33-26:4 ×10',
      '      loop 22:5-25:6 ×10',
      '        block 22:28-25:6 ×100',
      '          branch 23:7-23:35 ×100',
      '            statement 23:20-23:35 ×50',
      // after `continue outer` on the then side, only the else side's half reaches the next if
      '          branch 24:7-24:30 ×50',
      '            statement 24:18-24:30 ×25',
      '  statement 27:3-27:16 ×1',
    ]);
  });

  it('loop labels are the loop headers', () => {
    const at = (line: number): string => segmentAt(graph, 'loops', 'src/loops.ts', line).label;
    expect(at(4)).toBe('for (let i = 0; i < 64; i++)');
    expect(at(14)).toBe('for (const key in bag)');
    expect(at(15)).toBe('while (total > 100)');
    expect(at(18)).toBe('do');
    expect(at(21)).toBe('for (const a of items)');
    expect(segmentAt(graph, 'loops', 'src/loops.ts', 11, 'block').label).toBe('body');
  });

  it('break and continue of a labelled loop leave the inner loop, not the labelled one', () => {
    const outer = segmentAt(graph, 'loops', 'src/loops.ts', 21, 'loop');
    const outerBody = segmentAt(graph, 'loops', 'src/loops.ts', 21, 'block');
    const inner = segmentAt(graph, 'loops', 'src/loops.ts', 22, 'loop');
    expect(boundary(outer).flow).toEqual([]);
    expect(boundary(outerBody).flow).toEqual(['break:outer', 'continue:outer']);
    expect(boundary(inner).flow).toEqual(['break:outer', 'continue:outer']);
    expect(boundary(segmentAt(graph, 'loops', 'src/loops.ts', 23, 'statement')).flow).toEqual(['continue:outer']);
  });

  it('try/catch/finally: the catch block runs 5 % of the time, finally always', () => {
    expect(outline(graph, 'guarded')).toEqual([
      'body 2:47-17:2 ×1',
      '  statement 3:3-3:18 ×1',
      '  try 4:3-10:4 ×1',
      '    block 4:7-6:4 ×1',
      '      statement 5:5-5:41 ×1',
      '    block 6:15-8:4 ×0.05',
      '      statement 7:5-7:49 ×0.05',
      '    block 8:13-10:4 ×1',
      '      statement 9:5-9:17 ×1',
      '  try 11:3-15:4 ×1',
      '    block 11:7-13:4 ×1',
      '      statement 12:5-12:17 ×1',
      '    block 13:13-15:4 ×1',
      '      statement 14:5-14:17 ×1',
      '  statement 16:3-16:17 ×1',
    ]);
    const labels = [4, 6, 8].map((line) => segmentAt(graph, 'guarded', 'src/tries.ts', line, 'block').label);
    expect(labels).toEqual(['try', 'catch', 'finally']);
    // The catch variable is declared by the catch clause, outside the catch block.
    expect(boundary(segmentAt(graph, 'guarded', 'src/tries.ts', 6, 'block'))).toEqual({
      in: ['e:value', 'parsed:value'], out: ['parsed:value'], mutates: [], flow: [], facts: [],
    });
  });
});

describe('execution counts (case counts)', () => {
  it('code after an early return runs with the miss count, (1 − p)', () => {
    const graph = graphOf('counts');
    expect(graph.settings).toEqual({ loopFactor: 10, branchProbability: 0.5, inlineDepth: 8, inlineBudget: 4000 });
    expect(outline(graph, 'lookup')).toEqual([
      'body 2:75-9:2 ×1',
      '  statement 3:3-3:25 ×1',
      '  branch 4:3-6:4 ×1',
      '    block 4:26-6:4 ×0.5',
      '      statement 5:5-5:16 ×0.5',
      '  statement 7:3-7:38 ×0.5',
      '  statement 8:3-8:19 ×0.5',
    ]);
  });

  it('a validation throw is unlikely: the throwing side gets 0.05, the code after it 0.95', () => {
    expect(outline(graphOf('counts'), 'validate')).toEqual([
      'body 12:49-19:2 ×1',
      '  branch 13:3-15:4 ×1',
      '    block 13:27-15:4 ×0.05',
      '      statement 14:5-14:30 ×0.05',
      '  statement 16:3-16:27 ×0.95',
      '  branch 17:3-17:56 ×0.95',
      '    statement 17:24-17:56 ×0.0475',
      '  statement 18:3-18:16 ×0.9025',
    ]);
  });

  it('continue splits a loop body; an else side that throws makes the then side likely', () => {
    expect(outline(graphOf('counts'), 'scan')).toEqual([
      'body 22:47-34:2 ×1',
      '  statement 23:3-23:16 ×1',
      '  loop 24:3-27:4 ×1',
      '    block 24:29-27:4 ×10',
      '      branch 25:5-25:31 ×10',
      '        statement 25:22-25:31 ×5',
      '      statement 26:5-26:12 ×5',
      '  branch 28:3-32:4 ×1',
      '    block 28:17-30:4 ×0.95',
      '      statement 29:5-29:14 ×0.95',
      '    block 30:10-32:4 ×0.05',
      '      statement 31:5-31:37 ×0.05',
      '  statement 33:3-33:15 ×0.95',
    ]);
  });

  it('analysis.loopFactor and analysis.branchProbability from the config change the counts', () => {
    const graph = graphOf('counts', 'tuned.yaml');
    expect(diags(analyzeCase('counts', 'tuned.yaml').diagnostics)).toEqual([]);
    expect(graph.settings).toEqual({ loopFactor: 4, branchProbability: 0.25, inlineDepth: 8, inlineBudget: 4000 });
    expect(outline(graph, 'lookup')).toEqual([
      'body 2:75-9:2 ×1',
      '  statement 3:3-3:25 ×1',
      '  branch 4:3-6:4 ×1',
      '    block 4:26-6:4 ×0.25',
      '      statement 5:5-5:16 ×0.25',
      '  statement 7:3-7:38 ×0.75',
      '  statement 8:3-8:19 ×0.75',
    ]);
    expect(outline(graph, 'scan')).toEqual([
      'body 22:47-34:2 ×1',
      '  statement 23:3-23:16 ×1',
      '  loop 24:3-27:4 ×1',
      '    block 24:29-27:4 ×4',
      '      branch 25:5-25:31 ×4',
      '        statement 25:22-25:31 ×1',
      '      statement 26:5-26:12 ×3',
      // error paths keep their 5 %, whatever the configured probability
      '  branch 28:3-32:4 ×1',
      '    block 28:17-30:4 ×0.95',
      '      statement 29:5-29:14 ×0.95',
      '    block 30:10-32:4 ×0.05',
      '      statement 31:5-31:37 ×0.05',
      '  statement 33:3-33:15 ×0.95',
    ]);
  });
});
