import { describe, expect, it } from 'vitest';
import { generate } from '../../codegen/index.js';
import { planOnce } from '../planner/plan-helpers.js';
import { projectSources } from '../helpers/sources.js';

/**
 * Client-only APIs inside the client component (codegen/outline/client-apis.ts): the DOM
 * subset and web storage are lowered, anything else is a codegen diagnostic at the use —
 * SL5020 for an API with no lowering, SL5021 for a lowered element used other than by
 * reading value / textContent — so no split program runs on a DOM that is not there.
 */
const at = (d: { code: string; range: { file: string; start: { line: number; column: number }; end: { line: number; column: number } } | null }): (string | number)[] => [
  d.code,
  d.range!.file,
  d.range!.start.line,
  d.range!.start.column,
  d.range!.end.line,
  d.range!.end.column,
];

describe('client-only APIs in the client component', () => {
  it('reports every use outside the lowered subset, by code and range, and accepts the subset', () => {
    const dir = 'test/cases/codegen/client-dom';
    const { plan, graph } = planOnce(dir);
    const split = generate(plan!, graph!, projectSources(dir));
    expect(split.diagnostics.map(at)).toEqual([
      // field.value = name: a write the page would not see
      ['SL5021', 'src/page.ts', 18, 3, 18, 14],
      // keep(field): the element escapes into a function
      ['SL5021', 'src/page.ts', 19, 8, 19, 13],
      // field.focus(): a member the lowering has not (the analyzer's SL3006 at the same place is not repeated)
      ['SL5021', 'src/page.ts', 20, 3, 20, 14],
      // sessionStorage: web storage is lowered as localStorage only
      ['SL5020', 'src/page.ts', 21, 17, 21, 31],
      // document.title, window.innerWidth: no lowering
      ['SL5020', 'src/page.ts', 22, 3, 22, 17],
      ['SL5020', 'src/page.ts', 23, 17, 23, 34],
      // (document.querySelector('#note') as HTMLElement).dataset
      ['SL5021', 'src/page.ts', 24, 16, 24, 72],
    ]);
    // Lines 11–17 are the subset: getElementById(…)?.textContent, querySelector(…) kept in a
    // const, compared with null, its value read; localStorage with a web-storage store.
  });

  it('accepts the offload fixture, whose DOM use is the subset', () => {
    const { plan, graph } = planOnce('fixtures/offload');
    expect(generate(plan!, graph!, projectSources('fixtures/offload')).diagnostics).toEqual([]);
  });
});
