import { beforeAll, describe, expect, it } from 'vitest';
import type { OriginalResult } from '../../src/runtime/original/index.js';
import { differentialFixture, expectRoundTrips, expectTraceMatchesPlan } from '../helpers/differential.js';

/**
 * Semantic preservation on REAL components: every stop of the shop's split program is
 * bundled (codegen/bundle), built with componentize-js (cached in test/.tmp/component-cache)
 * and run on the local line (src/runtime/line) on the shop's stores, opened, seeded and
 * clocked as runOriginal does (test/helpers/differential.ts). Each corpus request enters `entry:<name>` at its arrival
 * stop; the response (or error) and the final stores must equal the original program's.
 *
 * The components are built with componentize-js's `clocks` feature and run with
 * `wasi: true`: the guest's `Date` reads `wasi:clocks/wall-clock`, which runOnComponents
 * feeds from the virtual clock (addToCart writes `updatedAt: Date.now()` into the cart).
 * Without it (every feature disabled) the guest's Date reads the real time.
 *
 * Every place this test does not compare byte for byte, and why:
 */

/**
 * ENGINE: StarlingMonkey's `new Response(string)` sets `content-length`; undici's does not.
 * Dropped from the components' headers only when it is exactly the body's UTF-8 length,
 * and only when the original response has no content-length of its own.
 */
function withoutDerivedContentLength(result: OriginalResult, original: OriginalResult): OriginalResult {
  if (result.body === null || original.headers.some(([name]) => name === 'content-length')) return result;
  const length = String(Buffer.byteLength(result.body));
  return { ...result, headers: result.headers.filter(([name, value]) => !(name === 'content-length' && value === length)) };
}

/**
 * ENGINE: error messages V8 and SpiderMonkey word differently. For these cases the error's
 * name and props are compared, and its message is checked against each engine's own
 * wording, instead of the two messages against each other.
 */
const ENGINE_MESSAGES: Readonly<Record<string, { readonly why: string; readonly original: RegExp; readonly components: RegExp }>> = {
  'addToCart/invalid-json': {
    why: 'JSON.parse SyntaxError: V8 "Expected double-quoted property name in JSON at position 16", SpiderMonkey "JSON.parse: end of data when property name was expected at line 1 column 17 of the JSON data"',
    original: /in JSON at position \d+/,
    components: /^JSON\.parse: .* at line \d+ column \d+ of the JSON data$/,
  },
};

/** No request of the corpus is left out. */
const EXCLUDED: Readonly<Record<string, string>> = {};


function report(what: string, values: Record<string, number | string | boolean>): void {
  // STOPLINE_COMPONENT_TIMES=1 npx vitest run test/runtime/components.test.ts
  if (process.env['STOPLINE_COMPONENT_TIMES']) console.log(`[components] ${what}: ${Object.entries(values).map(([k, v]) => `${k}=${v}`).join(' ')}`);
}

const fixture = differentialFixture('fixtures/shop');

beforeAll(async () => {
  for (const s of await fixture.build()) if (s.component) report(`build ${s.stop}`, { cached: s.component.cached, ms: Math.round(s.component.ms), bytes: s.component.bytes });
}, 600_000);

describe('the split shop on real components behaves as the original', () => {
  it('lists no exclusion for a request the corpus does not have', () => {
    const names = new Set(fixture.corpus.map((c) => c.name));
    for (const name of [...Object.keys(EXCLUDED), ...Object.keys(ENGINE_MESSAGES)]) expect(names.has(name), name).toBe(true);
  });

  it('builds a component only for the stops that serve something: the client serves nothing here', async () => {
    const stops = await fixture.build();
    expect(stops.map((s) => [s.stop, s.component !== null])).toEqual([['client', false], ['edge', true], ['origin', true]]);
  });

  const cases = fixture.cases().filter(([name]) => EXCLUDED[name] === undefined);
  it.each(cases)('%s', async (name, c) => {
    const startedOriginal = performance.now();
    const { original, components, result: raw } = await fixture.run(c);
    report(name, { originalMs: Math.round(performance.now() - startedOriginal), openLineMs: components.timings.openMs, invokeMs: components.timings.invokeMs, crossings: components.trace.length, virtualMs: components.virtualMs });
    let result = withoutDerivedContentLength(raw, original);

    const engine = ENGINE_MESSAGES[name];
    if (engine) {
      expect(original.error?.message).toMatch(engine.original);
      expect(result.error?.message).toMatch(engine.components);
      result = { ...result, error: { ...result.error!, message: original.error!.message } };
    }
    expect(result).toEqual(original);

    // Every crossing is one the plan makes, and the path's round trips are the ones the
    // corpus derived from the plan: viewCart's loop when the cart has lines, checkout whole.
    expectTraceMatchesPlan(fixture.plan, c.entry, components);
    expect(c.roundTrips).toBeDefined();
    expectRoundTrips(fixture.plan, components, c.roundTrips!);
    // Each crossing costs the edge–origin round trip on the virtual clock.
    expect(components.virtualMs).toBe((c.roundTrips!['edge-origin'] ?? 0) * 2 * 70);
  });
});
