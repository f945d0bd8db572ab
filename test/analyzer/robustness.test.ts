import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeDirectory } from '../../src/analyze-project.js';
import type { SegmentGraph } from '../../src/ir/index.js';
import { analyzeCase, boundary, caseDir, diags, graphOf, outline } from './helpers.js';

/**
 * Bad or unusual input still gives a graph (DESIGN.md, Trust and reliability), and the
 * same input always gives the same graph, with ids that survive edits elsewhere.
 */
describe('broken and unusual projects', () => {
  it('a syntax error is SL2001 at its exact range, and the analysis still returns a graph', () => {
    const { graph, diagnostics } = analyzeCase('syntax-error');
    expect(diags(diagnostics)).toEqual(['SL2001 error src/broken.ts:3:23-3:24']);
    expect(graph?.entries.map((e) => e.name)).toEqual(['broken']);
    expect(outline(graphOf('syntax-error'), 'broken')).toEqual([
      'body 2:43-5:2 ×1',
      '  statement 3:3-3:24 ×1',
      '  statement 4:3-4:18 ×1',
    ]);
  });

  it('calls through a module that does not exist are SL2002 warnings, not errors', () => {
    const { graph, diagnostics } = analyzeCase('missing-module');
    expect(diags(diagnostics)).toEqual([
      // connect()
      'SL2002 warning src/uses.ts:6:14-6:21',
      // db.find(id): db came from the unresolved module
      'SL2002 warning src/uses.ts:7:21-7:28',
      // helper(row) from './nowhere.js'
      'SL2002 warning src/uses.ts:8:10-8:16',
    ]);
    expect(diagnostics.some((d) => d.category === 'error')).toBe(false);
    expect(graph && outline(graph, 'uses')).toEqual([
      'body 5:57-9:2 ×1',
      '  statement 6:3-6:24 ×1',
      '  statement 7:3-7:33 ×1',
      '  statement 8:3-8:22 ×1',
    ]);
  });

  it('a tsconfig with moduleResolution node and baseUrl (TS6 deprecations) still analyses, and baseUrl imports resolve', () => {
    const { graph, diagnostics } = analyzeCase('legacy-tsconfig');
    expect(diags(diagnostics)).toEqual([]);
    expect(graph && outline(graph, 'handler')).toEqual([
      'body 4:47-6:2 ×1',
      '  statement 5:3-5:22 ×1',
    ]);
  });

  it('a project without tsconfig.json (and without stopline.yaml) analyses with the defaults', () => {
    const { graph, diagnostics, config } = analyzeCase('no-tsconfig');
    expect(fs.existsSync(path.join(caseDir('no-tsconfig'), 'tsconfig.json'))).toBe(false);
    expect(diags(diagnostics)).toEqual([]);
    expect(config?.file).toBeNull();
    expect(graph?.entries.map((e) => `${e.name} ${e.arrives}`)).toEqual(['plain origin']);
    expect(graph && outline(graph, 'plain')).toEqual([
      'body 2:53-5:2 ×1',
      '  statement 3:3-3:21 ×1',
      '  statement 4:3-4:18 ×1',
    ]);
    expect(graph && boundary(graph.segments[2]!)).toEqual({ in: ['sum:value'], out: ['(return):value'], mutates: [], flow: ['returns'], facts: [] });
  });
});

describe('determinism and stable ids', () => {
  it('analysing twice gives byte-identical graphs', () => {
    for (const name of ['regions', 'inlining', 'values']) {
      const first = analyzeDirectory(caseDir(name));
      const second = analyzeDirectory(caseDir(name));
      expect(first.graph).not.toBeNull();
      expect(JSON.stringify(second.graph)).toBe(JSON.stringify(first.graph));
    }
  });

  const copies: string[] = [];
  afterAll(() => {
    for (const dir of copies) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Segment ids by entry, kind and start position (edits below keep every start in place). */
  function idsByPlace(graph: SegmentGraph): Map<string, string> {
    return new Map(graph.segments.map((s) => [`${s.entry} ${s.kind} ${s.range.file}:${s.range.start.line}:${s.range.start.column}`, s.id]));
  }

  it('editing one statement changes only its id and its descendants\' ids', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stopline-ids-'));
    copies.push(dir);
    fs.cpSync(caseDir('regions'), dir, { recursive: true });
    const before = analyzeDirectory(dir).graph;
    const edit = (file: string, from: string, to: string): void => {
      const full = path.join(dir, file);
      const text = fs.readFileSync(full, 'utf8');
      expect(text).toContain(from);
      fs.writeFileSync(full, text.replace(from, to));
    };
    // a leaf statement inside a bare block, and a loop header (the loop has a body block and a statement)
    edit('src/branches.ts', 'const size = label.length;', 'const size = label.length + 1;');
    edit('src/loops.ts', 'for (let i = 0; i < 64; i++) {', 'for (let i = 0; i < 65; i++) {');
    const after = analyzeDirectory(dir).graph;
    expect(before && after).toBeTruthy();
    if (!before || !after) return;
    const a = idsByPlace(before);
    const b = idsByPlace(after);
    expect([...b.keys()]).toEqual([...a.keys()]);
    const changed = [...a.keys()].filter((k) => a.get(k) !== b.get(k));
    expect(changed).toEqual([
      'classify statement src/branches.ts:24:5',
      'loops loop src/loops.ts:4:3',
      'loops block src/loops.ts:4:32',
      'loops statement src/loops.ts:5:5',
    ]);
    // the edit shows in the counts too
    expect(outline(after, 'loops').slice(2, 5)).toEqual(['  loop 4:3-6:4 ×1', '    block 4:32-6:4 ×65', '      statement 5:5-5:16 ×65']);
  });
});
