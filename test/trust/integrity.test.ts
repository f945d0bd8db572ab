import { describe, expect, it } from 'vitest';
import type { Diagnostic, Plan, SourceRange, TrustFlow } from '../../src/ir/index.js';
import { planOnce, planOf, segmentAt } from '../planner/plan-helpers.js';

const at = (r: SourceRange): string => `${r.file}:${r.start.line}:${r.start.column}-${r.end.line}:${r.end.column}`;

/** A diagnostic as code, range and related ranges (never its text). */
const shape = (d: Diagnostic): { code: string; range: string; related: string[] } =>
  ({ code: d.code, range: d.range === null ? '' : at(d.range), related: d.related.map((r) => at(r.range)) });

/** A flow as its write, source kind, path ranges and check ranges. */
function flowShape(plan: Plan, flow: TrustFlow): { entry: string; write: string; source: string; path: string[]; checks: string[] } {
  const graph = planOnce(dirOf(plan)).graph!;
  const access = graph.accesses.find((a) => a.id === flow.access)!;
  return { entry: flow.entry, write: at(access.range), source: flow.source, path: flow.path.map((s) => at(s.range)), checks: flow.checks.map((c) => at(c.range)) };
}

const dirs = new Map<Plan, string>();
function dirOf(plan: Plan): string {
  return dirs.get(plan)!;
}
function load(dir: string): Plan {
  const plan = planOf(dir);
  dirs.set(plan, dir);
  return plan;
}

function flowsOf(plan: Plan): ReturnType<typeof flowShape>[] {
  return (planOnce(dirOf(plan)).graph!.flows ?? []).map((f) => flowShape(plan, f));
}

describe('integrity: untrusted values into strong writes (test/cases/trust)', () => {
  const plan = load('test/cases/trust');

  it('reports each unchecked flow once, at the write, with the data-flow path as related locations', () => {
    expect(plan.diagnostics.filter((d) => d.code === 'SL4301').map(shape)).toEqual([
      // client state, checked only at the client (the check is in a statement that reads the page)
      { code: 'SL4301', range: 'src/client.ts:15:9-15:76', related: ['src/client.ts:13:27-13:75', 'src/client.ts:13:20-13:76', 'src/client.ts:15:65-15:75', 'src/client.ts:14:7-14:67'] },
      // a request field straight into the write
      { code: 'SL4301', range: 'src/orders.ts:12:9-12:100', related: ['src/orders.ts:11:23-11:37', 'src/orders.ts:11:16-11:51', 'src/orders.ts:12:74-12:99'] },
      // through a pure helper, a variable, an inlined writer and a template string
      { code: 'SL4301', range: 'src/orders.ts:31:9-31:73', related: ['src/orders.ts:36:33-36:47', 'src/orders.ts:36:26-36:61', 'src/orders.ts:27:10-27:31', 'src/orders.ts:36:13-36:62', 'src/orders.ts:37:14-37:15', 'src/orders.ts:31:20-31:72'] },
      // through a spread
      { code: 'SL4301', range: 'src/orders.ts:59:9-59:74', related: ['src/orders.ts:57:23-57:37', 'src/orders.ts:57:16-57:51', 'src/orders.ts:58:15-58:40', 'src/orders.ts:59:62-59:73'] },
      // Express: a body field
      { code: 'SL4301', range: 'src/routes.ts:9:9-9:85', related: ['src/routes.ts:9:66-9:83', 'src/routes.ts:9:65-9:84'] },
      // Hono: the request body
      { code: 'SL4301', range: 'src/routes.ts:29:9-29:72', related: ['src/routes.ts:28:22-28:52', 'src/routes.ts:28:16-28:52', 'src/routes.ts:29:60-29:71'] },
    ]);
    expect(plan.diagnostics.find((d) => d.code === 'SL4301')?.category).toBe('warning');
  });

  it('finds the checked flows with their checks, and none where the value is recomputed from trusted data', () => {
    const checked = flowsOf(plan).filter((f) => ['checkedInline', 'validatorThrows', 'clientOrder', 'PUT /orders/:id'].includes(f.entry));
    expect(checked).toEqual([
      // an Express route parameter, tested before the write (the else side returns early)
      { entry: 'PUT /orders/:id', write: 'src/routes.ts:20:9-20:72', source: 'request', path: ['src/routes.ts:15:21-15:34', 'src/routes.ts:15:14-15:35', 'src/routes.ts:20:67-20:71'], checks: ['src/routes.ts:16:7-16:39'] },
      // a destructured field tested by an if-throw
      { entry: 'checkedInline', write: 'src/orders.ts:22:9-22:76', source: 'request', path: ['src/orders.ts:18:31-18:45', 'src/orders.ts:18:24-18:59', 'src/orders.ts:22:65-22:75'], checks: ['src/orders.ts:19:7-19:68'] },
      // a call-style argument at the client, tested by an if-throw that the planner keeps off the client
      { entry: 'clientOrder', write: 'src/client.ts:8:9-8:76', source: 'argument', path: ['src/client.ts:4:35-4:51', 'src/client.ts:8:65-8:75'], checks: ['src/client.ts:5:7-5:20'] },
      // a validating function that throws
      { entry: 'validatorThrows', write: 'src/orders.ts:51:9-51:82', source: 'request', path: ['src/orders.ts:49:24-49:38', 'src/orders.ts:49:17-49:52', 'src/orders.ts:51:65-51:81'], checks: ['src/orders.ts:50:18-50:32'] },
    ].sort((a, b) => (a.entry < b.entry ? -1 : 1)).map((f) => expect.objectContaining(f)));
    expect(flowsOf(plan).filter((f) => f.entry === 'recomputedPrice')).toEqual([]);
  });

  it('never places a decision of a strong write (its guard, the values written) on the client, and says why', () => {
    // clientOrder arrives at the client; its check and its write both leave it, kept off by SL3015.
    const check = segmentAt(plan, 'clientOrder', 'src/client.ts:5', 'branch');
    expect(check.stop).not.toBe('client');
    expect(check.reasons.find((r) => r.stop === 'client')?.code).toBe('SL3015');
    // uncheckedQuantity: the statement computing the written value may not run at the client either.
    const read = segmentAt(plan, 'uncheckedQuantity', 'src/orders.ts:11');
    expect(read.reasons.find((r) => r.stop === 'client')?.code).toBe('SL3015');
    // recomputedPrice: the price read from the catalogue is a decision too (a price), although no flow reaches it.
    const price = segmentAt(plan, 'recomputedPrice', 'src/orders.ts:67');
    expect(price.reasons.find((r) => r.stop === 'client')?.code).toBe('SL3015');
    // A statement that reads the page cannot leave the client: it is exempt, and its check does not count.
    const page = segmentAt(plan, 'pageOrder', 'src/client.ts:14', 'branch');
    expect(page.stop).toBe('client');
    expect(page.reasons.some((r) => r.code === 'SL3015')).toBe(false);
  });
});
