import { describe, expect, it } from 'vitest';
import { accessesOf, analyzeCase, boundary, childrenOf, diags, graphOf, outline, segmentAt } from './helpers.js';

/**
 * Per-call-site inlining (case `inlining`): the service's own functions that do something
 * placement cares about (here: a pg query) are inlined at every call site; recursion and
 * calls deeper than `analysis.inlineDepth` become opaque segments carrying the callee's
 * accesses; pure helpers stay inside the statement that calls them.
 */
describe('inlining (case inlining)', () => {
  const graph = graphOf('inlining');
  const entry = 'compute';
  const at = (line: number, kind?: Parameters<typeof segmentAt>[4], nth = 0) => segmentAt(graph, entry, 'src/entry.ts', line, kind, nth);
  const helper = (line: number, kind?: Parameters<typeof segmentAt>[4], nth = 0) => segmentAt(graph, entry, 'src/helpers.ts', line, kind, nth);

  it('inlines every call site of the service\'s functions as its own call segment', () => {
    expect(outline(graph, entry)).toEqual([
      'body 4:63-13:2 ×1',
      // nameOf(1) and nameOf(double(2)): one call segment per site; the pure double() is no segment
      '  statement 5:3-5:33 ×1',
      '    call 5:23-5:32 ×1',
      '      statement src/helpers.ts:10:3-10:101 ×1',
      '      statement src/helpers.ts:11:3-11:30 ×1',
      '  statement 6:3-6:42 ×1',
      '    call 6:24-6:41 ×1',
      '      statement src/helpers.ts:10:3-10:101 ×1',
      '      statement src/helpers.ts:11:3-11:30 ×1',
      // pairOf(3, 4) calls nameOf twice: nested calls
      '  statement 7:3-7:35 ×1',
      '    call 7:22-7:34 ×1',
      '      statement src/helpers.ts:15:3-15:52 ×1',
      '        call src/helpers.ts:15:19-15:28 ×1',
      '          statement src/helpers.ts:10:3-10:101 ×1',
      '          statement src/helpers.ts:11:3-11:30 ×1',
      '        call src/helpers.ts:15:40-15:49 ×1',
      '          statement src/helpers.ts:10:3-10:101 ×1',
      '          statement src/helpers.ts:11:3-11:30 ×1',
      // ids.map((id) => titleOf(id)): the callback runs loopFactor times; titleOf is an arrow-function const
      '  statement 8:3-8:65 ×1',
      '    call 8:51-8:62 ×10',
      '      statement src/helpers.ts:18:63-18:95 ×10',
      '        call src/helpers.ts:18:70-18:80 ×10',
      '          statement src/helpers.ts:10:3-10:101 ×10',
      '          statement src/helpers.ts:11:3-11:30 ×10',
      '  statement 9:3-9:34 ×1',
      // repo.count(): a class method
      '  statement 10:3-10:36 ×1',
      '    call 10:23-10:35 ×1',
      '      statement src/helpers.ts:24:5-24:75 ×1',
      '      statement src/helpers.ts:25:5-25:33 ×1',
      // depth(users) calls itself: the inner call is opaque
      '  statement 11:3-11:37 ×1',
      '    call 11:24-11:36 ×1',
      '      statement src/helpers.ts:30:3-30:112 ×1',
      '      statement src/helpers.ts:31:3-31:42 ×1',
      '      statement src/helpers.ts:32:3-32:58 ×1',
      '        opaque src/helpers.ts:32:43-32:56 ×1',
      '  statement 12:3-12:77 ×1',
    ]);
  });

  it('the same helper called from two places gives two segments with different ids, down to the inlined statements', () => {
    const one = at(5, 'call');
    const two = at(6, 'call');
    expect([one.callee?.name, two.callee?.name]).toEqual(['nameOf', 'nameOf']);
    expect(one.callee?.range).toEqual(two.callee?.range);
    expect(one.id).not.toBe(two.id);
    const [queryOne] = childrenOf(graph, one);
    const [queryTwo] = childrenOf(graph, two);
    expect(queryOne?.label).toBe(queryTwo?.label);
    expect(queryOne?.id).not.toBe(queryTwo?.id);
    // every segment id of the entry is unique
    const ids = graph.segments.filter((s) => s.entry === entry).map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => id.startsWith('compute#'))).toBe(true);
  });

  it('each inlined copy of an access is its own access, counted with its call site', () => {
    expect(accessesOf(graph, helper(10, 'statement', 0))).toEqual(['pg read src/helpers.ts:10:26-10:100 ×1']);
    expect(accessesOf(graph, helper(10, 'statement', 4))).toEqual(['pg read src/helpers.ts:10:26-10:100 ×10']);
    expect(graph.accesses.filter((a) => a.entry === entry && a.range.start.line === 10)).toHaveLength(5);
  });

  it('a call segment takes the parameters in and gives the return value out', () => {
    expect(at(5, 'call').label).toBe('nameOf(1)');
    expect(boundary(at(5, 'call'))).toEqual({ in: ['id:value'], out: ['(return):value'], mutates: [], flow: ['awaits'], facts: [] });
    expect(boundary(at(7, 'call'))).toEqual({ in: ['a:value', 'b:value'], out: ['(return):value'], mutates: [], flow: ['awaits'], facts: [] });
    // the arrow function's expression body returns its value
    expect(boundary(helper(18, 'statement'))).toEqual({ in: ['id:value'], out: ['(return):value'], mutates: [], flow: ['returns', 'awaits'], facts: [] });
  });

  it('a pure helper adds its weight to the statement that calls it instead of a segment', () => {
    expect(at(6).children).toEqual([at(6, 'call').id]);
    expect(at(6).weight).toBeGreaterThan(at(5).weight);
  });

  it('a method call takes its receiver in as (this): an instance with methods cannot cross', () => {
    const call = at(10, 'call');
    expect(call.callee?.name).toBe('Repo.count');
    expect(boundary(call)).toEqual({
      in: ['(this):unserializable'], out: ['(return):value'], mutates: [], flow: ['awaits'], facts: ['no-cut SL3001 (this) 10:23-10:35'],
    });
    expect(boundary(helper(24))).toEqual({
      in: ['(this):unserializable'], out: ['result:value'], mutates: [], flow: ['awaits'], facts: ['no-cut SL3001 (this) 24:5-24:75'],
    });
    expect(boundary(at(9))).toEqual({ in: [], out: ['repo:unserializable'], mutates: [], flow: [], facts: ['no-cut SL3001 repo 9:3-9:34'] });
  });

  it('recursion is one opaque segment with SL3008 and the callee\'s accesses summarised on it', () => {
    const opaque = helper(32, 'opaque');
    expect(opaque.label).toBe('depth(parent)');
    expect(opaque.callee?.name).toBe('depth');
    expect(opaque.children).toEqual([]);
    expect(boundary(opaque)).toEqual({ in: ['id:value'], out: ['(return):value'], mutates: [], flow: [], facts: ['no-cut SL3008 32:43-32:56'] });
    expect(opaque.facts[0]?.related.map((r) => r.range.start.line)).toEqual([29]);
    expect(accessesOf(graph, opaque)).toEqual(['pg read src/helpers.ts:30:26-30:111 ×1']);
    // recursion is a fact, not a problem with the project
    expect(diags(analyzeCase('inlining').diagnostics)).toEqual(['SL2009 info src/helpers.ts:1:16-1:20']);
  });
});

describe('analysis.inlineDepth: 1 (case inlining, shallow.yaml)', () => {
  const graph = graphOf('inlining', 'shallow.yaml');
  const entry = 'compute';

  it('calls deeper than one level are opaque with SL3009, their accesses summarised', () => {
    expect(graph.settings.inlineDepth).toBe(1);
    expect(outline(graph, entry)).toEqual([
      'body 4:63-13:2 ×1',
      '  statement 5:3-5:33 ×1',
      '    call 5:23-5:32 ×1',
      '      statement src/helpers.ts:10:3-10:101 ×1',
      '      statement src/helpers.ts:11:3-11:30 ×1',
      '  statement 6:3-6:42 ×1',
      '    call 6:24-6:41 ×1',
      '      statement src/helpers.ts:10:3-10:101 ×1',
      '      statement src/helpers.ts:11:3-11:30 ×1',
      '  statement 7:3-7:35 ×1',
      '    call 7:22-7:34 ×1',
      '      statement src/helpers.ts:15:3-15:52 ×1',
      '        opaque src/helpers.ts:15:19-15:28 ×1',
      '        opaque src/helpers.ts:15:40-15:49 ×1',
      '  statement 8:3-8:65 ×1',
      '    call 8:51-8:62 ×10',
      '      statement src/helpers.ts:18:63-18:95 ×10',
      '        opaque src/helpers.ts:18:70-18:80 ×10',
      '  statement 9:3-9:34 ×1',
      '  statement 10:3-10:36 ×1',
      '    call 10:23-10:35 ×1',
      '      statement src/helpers.ts:24:5-24:75 ×1',
      '      statement src/helpers.ts:25:5-25:33 ×1',
      // recursion still reads as recursion
      '  statement 11:3-11:37 ×1',
      '    call 11:24-11:36 ×1',
      '      statement src/helpers.ts:30:3-30:112 ×1',
      '      statement src/helpers.ts:31:3-31:42 ×1',
      '      statement src/helpers.ts:32:3-32:58 ×1',
      '        opaque src/helpers.ts:32:43-32:56 ×1',
      '  statement 12:3-12:77 ×1',
    ]);
    const deep = segmentAt(graph, entry, 'src/helpers.ts', 18, 'opaque');
    expect(boundary(deep).facts).toEqual(['no-cut SL3009 18:70-18:80']);
    expect(accessesOf(graph, deep)).toEqual(['pg read src/helpers.ts:10:26-10:100 ×10']);
    expect(boundary(segmentAt(graph, entry, 'src/helpers.ts', 32, 'opaque')).facts).toEqual(['no-cut SL3008 32:43-32:56']);
    // depth overflow is a fact on the segment, not a diagnostic
    expect(diags(analyzeCase('inlining', 'shallow.yaml').diagnostics)).toEqual(['SL2009 info src/helpers.ts:1:16-1:20']);
  });
});
