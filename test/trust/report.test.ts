import { describe, expect, it } from 'vitest';
import { planMarkdown } from '../../src/report/plan-markdown.js';
import { planHtml } from '../../src/report/plan-html.js';
import { sarifLog } from '../../src/report/sarif.js';
import { planOf } from '../planner/plan-helpers.js';

describe('the trust section of the reports (test/cases/trust)', () => {
  const plan = planOf('test/cases/trust');
  const flows = plan.diagnostics.filter((d) => d.code === 'SL4301');

  it('markdown: the trust model, the segments it keeps off the client, each unchecked flow with its path', () => {
    const md = planMarkdown(plan);
    const section = md.slice(md.indexOf('### Trust'), md.indexOf('### Diagnostics'));
    expect(section).toContain('SL3015');
    expect(section).toMatch(/\d+ segments kept off client \(\d+ by SL4102, \d+ by SL3015\); 6 unchecked flows into strong writes/);
    // Listed in order until the section's budget (it must fit a PR comment), then counted.
    const items = section.split('\n').filter((l) => l.startsWith('- `SL4301`'));
    const all = ['src/client.ts:15', 'src/orders.ts:12', 'src/orders.ts:31', 'src/orders.ts:59', 'src/routes.ts:9', 'src/routes.ts:29'];
    expect(items.map((l) => l.match(/\[([^\]]+)\]/)![1])).toEqual(all.slice(0, 4));
    expect(section).toContain('- … and 2 more');
    // The path of the second flow, step by step: the request, the variable, the written value.
    const second = section.split('\n- ')[2]!.split('\n').filter((l) => l.startsWith('  1. ')).map((l) => l.match(/\[([^\]]+)\]/)![1]);
    expect(second).toEqual(['src/orders.ts:11', 'src/orders.ts:11', 'src/orders.ts:12']);
  });

  it('HTML: the same section, with each path as an ordered list', () => {
    const html = planHtml(plan, new Map());
    const section = html.slice(html.indexOf('<section class="trust">'), html.indexOf('</section>', html.indexOf('<section class="trust">')));
    expect(section.match(/<code>SL4301<\/code>/g)).toHaveLength(6);
    expect(section.match(/<ol>/g)).toHaveLength(6);
  });

  it('SARIF: each unchecked flow has its path as a code flow and as related locations', () => {
    const log = sarifLog(flows, { toolVersion: 'test' });
    const results = log.runs[0]!.results!;
    expect(results).toHaveLength(6);
    for (const [i, r] of results.entries()) {
      const steps = r.codeFlows![0]!.threadFlows[0]!.locations.map((l) => l.location!.physicalLocation!.region!.startLine);
      expect(steps).toEqual(flows[i]!.related.map((n) => n.range.start.line));
      expect(r.relatedLocations).toHaveLength(flows[i]!.related.length);
      expect(r.level).toBe('warning');
    }
  });

  it('no trust section on a line without an untrusted stop', () => {
    const trusted = { ...plan, line: { stops: plan.line.stops.map((s) => ({ ...s, trusted: true })) }, diagnostics: [] };
    expect(planMarkdown(trusted)).not.toContain('### Trust');
    expect(planHtml(trusted, new Map())).not.toContain('<section class="trust">');
  });
});
