import { describe, expect, it } from 'vitest';
import type { Diagnostic, Plan, SegmentGraph, SourceRange } from '../../src/ir/index.js';
import { plan as planGraph } from '../../planner/index.js';
import { planOnce } from '../planner/plan-helpers.js';

const at = (r: SourceRange | null): string => (r === null ? '' : `${r.file}:${r.start.line}:${r.start.column}-${r.end.line}:${r.end.column}`);
const shape = (d: Diagnostic): { code: string; range: string } => ({ code: d.code, range: at(d.range) });

/**
 * Every variable that carries a secret and crosses a cut towards an untrusted stop: a
 * live-in of a run placed there, or a live-out of a run handed back to a parent there.
 */
function secretCrossings(plan: Plan, graph: SegmentGraph, secret: ReadonlySet<string>): string[] {
  const trusted = new Map(plan.line.stops.map((s) => [s.name, s.trusted]));
  const segments = new Map(graph.segments.map((s) => [s.id, s]));
  const out: string[] = [];
  for (const cut of plan.cuts) {
    for (const id of cut.run) {
      const seg = segments.get(id)!;
      if (trusted.get(cut.to) === false) for (const v of seg.liveIn) if (secret.has(v)) out.push(`${v} → ${cut.to}`);
      if (trusted.get(cut.from) === false) for (const v of seg.liveOut) if (secret.has(v)) out.push(`${v} → ${cut.from}`);
    }
  }
  return out;
}

const secretsOf = (graph: SegmentGraph): Set<string> => new Set(graph.variables.filter((v) => v.secret === true).map((v) => v.id));

describe('secrets never cross towards an untrusted stop (test/cases/trust-secrets)', () => {
  const { graph, plan } = planOnce('test/cases/trust-secrets');

  it('finds the variables that carry a secret: direct reads, strings built from them, a helper\'s parameter; not an HMAC of one', () => {
    expect([...secretsOf(graph!)].sort()).toEqual([
      'key@src/secrets.ts:13:9', 'key@src/secrets.ts:27:9', 'key@src/secrets.ts:36:9', 'key@src/secrets.ts:41:30',
      'key@src/secrets.ts:5:9', 'line@src/secrets.ts:6:9', 'token@src/secrets.ts:21:9',
    ]);
  });

  it('keeps the key off the client: no planned cut carries a secret towards it', () => {
    expect(plan!.entries.filter((e) => e.status === 'planned').map((e) => e.name)).toEqual(['returnSecret', 'signDraft', 'throughHelper', 'throwSecret']);
    expect(secretCrossings(plan!, graph!, secretsOf(graph!))).toEqual([]);
    // signDraft reads the page at the client and signs at the edge: only the page's text goes out, only the HMAC comes back.
    expect(plan!.cuts.filter((c) => c.entry === 'signDraft').map((c) => [c.from, c.to, c.payload])).toEqual([['client', 'edge', ['text']], ['edge', 'client', ['shown']]]);
  });

  it('the same planner without the secret marks would ship the key to the client (the test can fail)', () => {
    const unmarked: SegmentGraph = {
      ...graph!,
      variables: graph!.variables.map(({ secret: _secret, ...v }) => v),
      segments: graph!.segments.map((s) => ({ ...s, facts: s.facts.filter((f) => f.code !== 'SL3016') })),
    };
    const leaky = planGraph(unmarked);
    expect(secretCrossings(leaky, graph!, secretsOf(graph!))).toContain('key@src/secrets.ts:13:9 → client');
  });

  it('refuses a secret in a value the client code would hold (SL4001 naming SL4302), in a returned payload or a thrown error (SL3017)', () => {
    expect(plan!.diagnostics.filter((d) => d.category === 'error').map(shape)).toEqual([
      { code: 'SL4001', range: 'src/secrets.ts:4:48-9:2' },
      { code: 'SL3017', range: 'src/secrets.ts:22:3-22:20' },
      { code: 'SL3017', range: 'src/secrets.ts:29:5-29:40' },
    ]);
    const refused = plan!.diagnostics.find((d) => d.code === 'SL4001')!;
    expect(refused.related.map((r) => at(r.range))).toContain('src/secrets.ts:8:3-8:87');
    // The thrown error and everything it crosses on its way up run at trusted stops.
    for (const s of plan!.segments.filter((s) => s.entry === 'throwSecret' && s.reasons.some((r) => r.code === 'SL3016'))) expect(s.stop).toBe('edge');
  });
});

describe('secrets on the fixtures', () => {
  for (const name of ['shop', 'pages', 'offload', 'conduit']) {
    it(`${name}: no cut carries a secret towards the client`, () => {
      const { graph, plan } = planOnce(`fixtures/${name}`);
      expect(secretCrossings(plan!, graph!, secretsOf(graph!))).toEqual([]);
      expect(plan!.diagnostics.filter((d) => d.code === 'SL3017')).toEqual([]);
    });
  }
});
