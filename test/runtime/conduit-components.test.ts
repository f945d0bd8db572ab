import { beforeAll, describe, expect, it } from 'vitest';
import { generatedCases } from '../../scripts/conduit-corpus.mjs';
import { differentialFixture, expectRoundTrips, expectTraceMatchesPlan } from '../helpers/differential.js';

/**
 * Semantic preservation of conduit (Express 5, drizzle-orm over pg, ioredis, jsonwebtoken)
 * on REAL components: the plan's split program bundled per stop (the Express lowering
 * serves the routes; drizzle runs as it is on the pg lowering; ioredis on wasi:keyvalue;
 * jsonwebtoken and node:crypto lowered), built with componentize-js and run on the local
 * line against the original program on real Express over node:http
 * (test/helpers/differential.ts). Every case of fixtures/conduit/requests.json (hand-written
 * edge cases for every route, and the `generated/…` cases of scripts/conduit-corpus.mjs)
 * must give the original's response — status, headers (Express's ETag included), body —
 * and final stores, with every crossing one the plan explains and the round trips the
 * corpus derived from the plan.
 *
 * The plan moves Express's `req`/`res` across cuts (POST's run carries `res` to the origin;
 * PUT forwards the whole route with `req` and `res`): they cross as data and come back as
 * effects (codegen/lower/express-crossing.ts).
 *
 * `guestClock: 'request'`: the components' `Date` and the SQL store's `now()` read the
 * request's arrival time, as the original program's clock does (it never moves while a
 * request runs); the articles written after a crossing carry the same timestamps.
 *
 * Every place this test does not compare byte for byte, and why: none. The engine
 * differences met on the way are lowered instead of tolerated: StarlingMonkey has no Unicode
 * property data (path-to-regexp's `\p{ID_Start}`: codegen/bundle/unicode-properties.ts) and
 * no `String.prototype.normalize` (slugify's NFKD: codegen/bundle/unicode-normalize.ts).
 */

/** No request of the corpus is left out. */
const EXCLUDED: Readonly<Record<string, string>> = {};

const fixture = differentialFixture('fixtures/conduit', { guestClock: 'request' });

beforeAll(async () => {
  await fixture.build();
}, 900_000);

describe('the split conduit on real components behaves as the original', () => {
  it('has the hand-written cases and exactly the generated ones scripts/conduit-corpus.mjs makes (fast-check, fixed seed)', () => {
    const generated = fixture.corpus.filter((c) => c.name.startsWith('generated/'));
    expect(generated).toEqual(generatedCases());
    expect(fixture.corpus.length - generated.length).toBeGreaterThanOrEqual(40);
    for (const name of Object.keys(EXCLUDED)) expect(fixture.corpus.some((c) => c.name === name), name).toBe(true);
  });

  it('builds components for the edge and the origin only: the client serves nothing', async () => {
    const stops = await fixture.build();
    expect(stops.map((s) => [s.stop, s.component !== null])).toEqual([['client', false], ['edge', true], ['origin', true]]);
  });

  const cases = fixture.cases().filter(([name]) => EXCLUDED[name] === undefined);
  it.each(cases)('%s', async (_name, c) => {
    const { original, components, result } = await fixture.run(c);
    expect(result).toEqual(original);
    expectTraceMatchesPlan(fixture.plan, c.entry, components);
    expect(c.roundTrips).toBeDefined();
    expectRoundTrips(fixture.plan, components, c.roundTrips!);
    // Each crossing costs the edge–origin round trip on the virtual clock.
    expect(components.virtualMs).toBe((c.roundTrips!['edge-origin'] ?? 0) * 2 * 70);
  });
});
