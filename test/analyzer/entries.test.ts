import { describe, expect, it } from 'vitest';
import type { SegmentGraph } from '../../src/ir/index.js';
import { analyzeCase, boundary, diags, graphOf, outline, segment, segmentAt, where } from './helpers.js';

/**
 * Entries (DESIGN.md, Analyzer): stopline.yaml functions and route overrides, JSDoc tags,
 * Workers fetch handlers, Hono and Express routes, and what goes wrong with each.
 */
function entries(graph: SegmentGraph): string[] {
  return graph.entries.map((e) => {
    const route = e.route ? ` ${e.route.method} ${e.route.path}` : '';
    return `${e.name} | ${e.source} → ${e.arrives} | ${e.handler.name} ${where(e.handler.range)}${route}`;
  });
}

describe('config entries and @stopline tags (case entries-tags)', () => {
  const graph = graphOf('entries-tags');

  it('finds config functions (with their name), tagged functions, arrow consts and methods', () => {
    expect(entries(graph)).toEqual([
      'Admin.audit | jsdoc → client | Admin.audit src/api.ts:31:3-33:4',
      'listPage | config → edge | list src/api.ts:1:1-3:2',
      'ping | jsdoc → edge | ping src/api.ts:27:21-27:41',
      'report | jsdoc → origin | report src/api.ts:6:1-8:2',
    ]);
  });

  it('the root segment is the handler\'s body; an arrow\'s expression body is its one statement', () => {
    const root = segment(graph, graph.entries.find((e) => e.name === 'listPage')?.root ?? '');
    expect([root.kind, root.label, root.parent, root.count]).toEqual(['body', 'list()', null, 1]);
    expect(outline(graph, 'ping')).toEqual(['body 27:35-27:41 ×1', '  statement 27:35-27:41 ×1']);
    expect(boundary(segmentAt(graph, 'ping', 'src/api.ts', 27, 'statement'))).toEqual({
      in: [], out: ['(return):value'], mutates: [], flow: ['returns'], facts: [],
    });
  });

  it('a tag naming an unknown stop is an error, a malformed tag a warning, a missing file or function a config error', () => {
    expect(diags(analyzeCase('entries-tags').diagnostics)).toEqual([
      'SL2006 error src/api.ts:10:5-10:25',
      'SL2007 warning src/api.ts:15:5-15:20',
      'SL2007 warning src/api.ts:22:4-22:24',
      'SL1009 error stopline.yaml:5:15-5:34',
      'SL1010 error stopline.yaml:7:15-7:33',
    ]);
  });
});

describe('Workers fetch handlers (case entries-workers)', () => {
  const graph = graphOf('entries-workers');

  it('finds `export default { fetch }` and addEventListener(\'fetch\', …); two entries named fetch get their file as a prefix', () => {
    expect(entries(graph)).toEqual([
      'src/module.ts#fetch | fetch-handler → edge | fetch src/module.ts:1:1-4:2',
      'src/service.ts#fetch | fetch-handler → edge | <anonymous> src/service.ts:1:27-3:2',
    ]);
    expect(diags(analyzeCase('entries-workers').diagnostics)).toEqual([]);
  });

  it('the Request and the FetchEvent are request-scoped values, not blockers', () => {
    expect(boundary(segmentAt(graph, 'src/module.ts#fetch', 'src/module.ts', 1))).toEqual({
      in: ['request:request'], out: [], mutates: [], flow: ['returns'], facts: [],
    });
    expect(boundary(segmentAt(graph, 'src/service.ts#fetch', 'src/service.ts', 2))).toEqual({
      in: ['event:request'], out: [], mutates: [], flow: [], facts: [],
    });
  });
});

describe('Hono routes (case entries-hono)', () => {
  const graph = graphOf('entries-hono');

  it('finds app.get/app.post routes; a config route overrides the name and the arrival stop', () => {
    expect(entries(graph)).toEqual([
      'GET /ping | hono → edge | <anonymous> src/app.ts:21:18-21:39 GET /ping',
      'POST /items | hono → edge | <anonymous> src/app.ts:17:28-20:2 POST /items',
      'hello | hono → origin | greet src/app.ts:11:1-14:2 GET /hello',
    ]);
  });

  it('a config route that matches no registration is SL1050 at its value', () => {
    expect(diags(analyzeCase('entries-hono').diagnostics)).toEqual(['SL1050 error stopline.yaml:5:12-5:25']);
  });

  it('middleware is inlined before the handler', () => {
    expect(outline(graph, 'POST /items')).toEqual([
      'body 17:41-20:2 ×1',
      '  call 5:1-9:2 ×1',
      '    statement 6:3-6:30 ×1',
      '    statement 7:3-7:16 ×1',
      '    statement 8:3-8:52 ×1',
      '  statement 18:3-18:53 ×1',
      '  statement 19:3-19:46 ×1',
    ]);
    const mw = segmentAt(graph, 'POST /items', 'src/app.ts', 5, 'call');
    expect(mw.callee?.name).toBe('timing');
    // the Context is request-scoped; `next` is a function value
    expect(boundary(mw)).toEqual({
      in: ['c:request', 'next:unserializable'], out: [], mutates: [], flow: ['awaits'], facts: ['no-cut SL3014 next 5:1-9:2'],
    });
    expect(boundary(segmentAt(graph, 'POST /items', 'src/app.ts', 19))).toEqual({
      in: ['body:value', 'c:request'], out: ['(return):request'], mutates: [], flow: ['returns'], facts: [],
    });
  });
});

describe('Express routes (case entries-express)', () => {
  const graph = graphOf('entries-express');

  it('finds router.post and app.get routes; app.use and app.listen are not routes', () => {
    expect(entries(graph)).toEqual([
      'GET /health | express → edge | <anonymous> src/server.ts:19:20-21:2 GET /health',
      'POST /orders | express → edge | <anonymous> src/server.ts:14:37-17:2 POST /orders',
    ]);
    expect(diags(analyzeCase('entries-express').diagnostics)).toEqual([]);
  });

  it('router.post(\'/orders\', mw, handler) inlines the middleware first', () => {
    expect(outline(graph, 'POST /orders')).toEqual([
      'body 14:70-17:2 ×1',
      '  call 6:1-12:2 ×1',
      '    branch 7:3-10:4 ×1',
      '      block 7:31-10:4 ×0.5',
      '        statement 8:5-8:27 ×0.5',
      '        statement 9:5-9:12 ×0.5',
      '    statement 11:3-11:10 ×0.5',
      '  statement 15:3-15:40 ×1',
      '  statement 16:3-16:23 ×1',
    ]);
    expect(boundary(segmentAt(graph, 'POST /orders', 'src/server.ts', 15))).toEqual({
      in: ['req:request'], out: ['total:value'], mutates: [], flow: [], facts: [],
    });
  });
});

describe('no entries (case no-entries)', () => {
  it('warns with SL2004 and gives an empty graph', () => {
    const { graph, diagnostics } = analyzeCase('no-entries');
    expect(diags(diagnostics)).toEqual(['SL2004 warning -']);
    expect(graph?.entries).toEqual([]);
    expect(graph?.segments).toEqual([]);
    expect(graph?.stats).toEqual({ files: 1, lines: 4, segments: 0, accesses: 0 });
  });
});
