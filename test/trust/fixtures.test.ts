import { describe, expect, it } from 'vitest';
import type { SourceRange } from '../../src/ir/index.js';
import { planOnce } from '../planner/plan-helpers.js';

const at = (r: SourceRange): string => `${r.file}:${r.start.line}:${r.start.column}-${r.end.line}:${r.end.column}`;

/**
 * The integrity report on the fixtures: every flow of an untrusted value into a strong
 * write, with its path and checks, as each fixture's EXPECTED.md ("Trust") lists them.
 * All are checked at a trusted stop, so no fixture has an SL4301.
 */
const expected: Record<string, unknown[]> = {
  shop: [
    {
      entry: 'checkout', write: 'src/handlers.ts:61:25-64:6', source: 'request',
      path: [
        'src/handlers.ts:50:30-50:62',
        'src/http.ts:23:10-23:16',
        'src/handlers.ts:50:18-50:63',
        'src/handlers.ts:63:7-63:25',
      ],
      checks: ['src/http.ts:20:7-20:47'],
    },
    {
      entry: 'checkout', write: 'src/handlers.ts:67:29-70:8', source: 'request',
      path: [
        'src/handlers.ts:50:30-50:62',
        'src/http.ts:23:10-23:16',
        'src/handlers.ts:50:18-50:63',
        'src/handlers.ts:51:36-51:42',
        'src/cart.ts:11:10-11:55',
        'src/handlers.ts:51:16-51:43',
        'src/handlers.ts:66:24-66:34',
        'src/handlers.ts:69:9-69:40',
      ],
      checks: ['src/http.ts:20:7-20:47'],
    },
    {
      entry: 'checkout', write: 'src/handlers.ts:76:13-79:8', source: 'request',
      path: [
        'src/handlers.ts:50:30-50:62',
        'src/http.ts:23:10-23:16',
        'src/handlers.ts:50:18-50:63',
        'src/handlers.ts:51:36-51:42',
        'src/cart.ts:11:10-11:55',
        'src/handlers.ts:51:16-51:43',
        'src/handlers.ts:66:24-66:34',
        'src/handlers.ts:75:36-75:40',
        'src/pricing.ts:7:10-13:4',
        'src/handlers.ts:75:26-75:50',
        'src/handlers.ts:78:9-78:83',
      ],
      checks: ['src/http.ts:20:7-20:47'],
    },
  ],
  conduit: [
    {
      entry: 'POST /api/articles', write: 'src/articles.ts:56:27-57:22', source: 'request',
      path: [
        'src/routes.ts:11:33-11:41',
        'src/validation.ts:55:32-55:36',
        'src/validation.ts:15:28-15:123',
        'src/validation.ts:19:10-19:44',
        'src/validation.ts:55:17-55:37',
        'src/validation.ts:57:25-57:36',
        'src/validation.ts:33:29-33:34',
        'src/validation.ts:29:10-29:22',
        'src/validation.ts:33:16-33:42',
        'src/validation.ts:37:10-37:14',
        'src/validation.ts:56:10-61:4',
        'src/routes.ts:11:17-11:42',
        'src/routes.ts:12:45-12:50',
        'src/articles.ts:58:13-58:101',
      ],
      checks: ['src/validation.ts:15:28-15:69', 'src/validation.ts:16:7-16:54', 'src/validation.ts:23:7-23:26', 'src/validation.ts:26:7-26:55', 'src/validation.ts:34:7-34:25'],
    },
    {
      entry: 'POST /api/articles', write: 'src/tags.ts:12:11-12:26', source: 'request',
      path: [
        'src/routes.ts:11:33-11:41',
        'src/validation.ts:55:32-55:36',
        'src/validation.ts:15:28-15:123',
        'src/validation.ts:19:10-19:44',
        'src/validation.ts:55:17-55:37',
        'src/validation.ts:57:25-57:36',
        'src/validation.ts:33:29-33:34',
        'src/validation.ts:29:10-29:22',
        'src/validation.ts:33:16-33:42',
        'src/validation.ts:37:10-37:14',
        'src/validation.ts:56:10-61:4',
        'src/routes.ts:11:17-11:42',
        'src/routes.ts:12:45-12:50',
        'src/articles.ts:60:32-60:45',
        'src/tags.ts:11:22-11:29',
        'src/tags.ts:12:34-12:42',
      ],
      checks: ['src/validation.ts:15:28-15:69', 'src/validation.ts:16:7-16:54', 'src/validation.ts:23:7-23:26', 'src/validation.ts:26:7-26:55', 'src/validation.ts:34:7-34:25'],
    },
    {
      entry: 'PUT /api/articles/:slug', write: 'src/articles.ts:80:9-81:22', source: 'request',
      path: [
        'src/routes.ts:18:39-18:47',
        'src/validation.ts:65:32-65:36',
        'src/validation.ts:15:28-15:123',
        'src/validation.ts:19:10-19:44',
        'src/validation.ts:65:17-65:37',
        'src/validation.ts:67:25-67:36',
        'src/validation.ts:29:10-29:22',
        'src/validation.ts:66:10-71:4',
        'src/routes.ts:18:19-18:48',
        'src/routes.ts:19:62-19:69',
        'src/articles.ts:82:10-88:6',
      ],
      checks: ['src/validation.ts:15:28-15:69', 'src/validation.ts:16:7-16:54', 'src/validation.ts:23:7-23:26', 'src/validation.ts:26:7-26:55'],
    },
    {
      entry: 'PUT /api/articles/:slug', write: 'src/tags.ts:12:11-12:26', source: 'request',
      path: [
        'src/routes.ts:18:39-18:47',
        'src/validation.ts:65:32-65:36',
        'src/validation.ts:15:28-15:123',
        'src/validation.ts:19:10-19:44',
        'src/validation.ts:65:17-65:37',
        'src/validation.ts:67:25-67:36',
        'src/validation.ts:29:10-29:22',
        'src/validation.ts:66:10-71:4',
        'src/routes.ts:18:19-18:48',
        'src/routes.ts:19:62-19:69',
        'src/articles.ts:92:34-92:49',
        'src/tags.ts:11:22-11:29',
        'src/tags.ts:12:34-12:42',
      ],
      checks: ['src/validation.ts:15:28-15:69', 'src/validation.ts:16:7-16:54', 'src/validation.ts:23:7-23:26', 'src/validation.ts:26:7-26:55', 'src/articles.ts:90:7-90:36'],
    },
  ],
  pages: [],
  offload: [],
};

describe('integrity on the fixtures', () => {
  for (const [name, flows] of Object.entries(expected)) {
    it(`${name}: the flows into strong writes, their paths and checks; none unchecked`, () => {
      const { graph, plan } = planOnce(`fixtures/${name}`);
      const accesses = new Map(graph!.accesses.map((a) => [a.id, a]));
      expect((graph!.flows ?? []).map((f) => ({
        entry: f.entry, write: at(accesses.get(f.access)!.range), source: f.source,
        path: f.path.map((s) => at(s.range)), checks: f.checks.map((c) => at(c.range)),
      }))).toEqual(flows);
      expect(plan!.diagnostics.filter((d) => d.code === 'SL4301')).toEqual([]);
      // Every check of every flow runs at a trusted stop, and no decision of a strong write runs at the client.
      const stopOf = new Map(plan!.segments.map((s) => [s.id, s.stop]));
      for (const f of graph!.flows ?? []) for (const c of f.checks) expect(stopOf.get(c.segment)).not.toBe('client');
      for (const s of plan!.segments) if (s.reasons.some((r) => r.code === 'SL3015' || r.code === 'SL4102')) expect(s.stop).not.toBe('client');
    });
  }
});

describe('decisions of strong writes on the fixtures (SL3015)', () => {
  it('conduit: the authorisation checks (the middleware\'s token checks, the author check) never run at the client, and say so', () => {
    const { plan } = planOnce('fixtures/conduit');
    const reasonAt = (entry: string, file: string, line: number): string | undefined =>
      plan!.segments.find((s) => s.entry === entry && s.file === file && s.start.line === line)?.reasons.find((r) => r.stop === 'client')?.code;
    for (const entry of ['POST /api/articles', 'PUT /api/articles/:slug']) {
      expect(reasonAt(entry, 'src/auth.ts', 30)).toBe('SL3015'); // if (token === null)
      expect(reasonAt(entry, 'src/auth.ts', 44)).toBe('SL3015'); // if (typeof id !== 'number' || …)
    }
    expect(reasonAt('PUT /api/articles/:slug', 'src/articles.ts', 70)).toBe('SL3015'); // if (current.authorId !== userId)
    // GET routes write nothing strong: their code is free to move.
    expect(plan!.segments.filter((s) => s.entry.startsWith('GET ')).some((s) => s.reasons.some((r) => r.code === 'SL3015'))).toBe(false);
  });

  it('shop: checkout\'s price and quantity come from the database and the cart, computed off the client', () => {
    const { plan } = planOnce('fixtures/shop');
    const at = (line: number): string | undefined => plan!.segments.find((s) => s.entry === 'checkout' && s.file === 'src/handlers.ts' && s.start.line === line)?.reasons.find((r) => r.stop === 'client')?.code;
    expect([at(50), at(71), at(72), at(75)]).toEqual(['SL3015', 'SL3015', 'SL3015', 'SL3015']);
  });
});
