import { beforeAll, describe, expect, it } from 'vitest';
import type { OriginalResult, RequestCase } from '../../src/runtime/original/index.js';
import { generatedCases } from '../../scripts/pages-corpus.mjs';
import { differentialFixture, expectRoundTrips, expectTraceMatchesPlan } from '../helpers/differential.js';

/**
 * Semantic preservation of the pages fixture on REAL components (test/helpers/differential.ts):
 * a Fastly-style `export default { fetch }` service, rendered pages in a Fastly KV store
 * (`fastly:kv-store`, eventual, home at the origin, replica at the edge), content in MySQL
 * (`mysql2/promise`, strong, at the origin). The plan keeps the KV read, the rendering and
 * the KV write at the edge and runs the miss path (findPage, the 404 branch, listBlocks,
 * findAuthor) at the origin as one cut.
 *
 * Each request of fixtures/pages/requests.json (hand-written edge cases, then the
 * `generated/…` cases of scripts/pages-corpus.mjs) runs on the original program in Node
 * (`runOriginal`, through the mysql2 and fastly:kv-store shims) and on the edge and origin
 * components (through the mysql2 and fastly-kv lowerings), each from the seed: responses,
 * errors and final stores (KV replication settled) must be equal; every crossing must be
 * the plan's cut; the round trips the corpus derived from the plan must be the ones made.
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
 * TIME ZONE: mysql2 reads a DATETIME in its `timezone` option, 'local' by default (the
 * fixture's pool keeps it): the engine's local zone. A component has no time zone (WASI
 * gives none: StarlingMonkey's local time is UTC); the original program's is the Node
 * process's. So this file pins the process to UTC before any Date is made — the pages
 * render `updated_at` as a UTC day, and '2025-12-31 23:59:59.500' would otherwise fall on
 * another day east of UTC. The test below checks that the pin took.
 */
process.env['TZ'] = 'UTC';

const fixture = differentialFixture('fixtures/pages');

/**
 * What each case must answer, so that both programs failing alike cannot pass: a method
 * other than GET/HEAD is 405 with `allow`; no round trip means a cache hit; one means a
 * miss, which renders the page (and the edge wrote exactly the body under its key) or is
 * the 404 of a path without a published page.
 */
function expectOutcome(c: RequestCase, original: OriginalResult): void {
  const header = (name: string) => original.headers.find(([n]) => n === name)?.[1];
  const request = c.request;
  if (request === undefined) throw new Error(`${c.name}: pages' cases are HTTP requests`);
  expect(original.error).toBeUndefined();
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    expect([original.status, header('allow')]).toEqual([405, 'GET, HEAD']);
    return;
  }
  if (c.roundTrips?.['edge-origin'] === 0) {
    expect([original.status, header('x-cache')]).toEqual([200, 'HIT']);
    return;
  }
  if (c.name.startsWith('404/')) expect(original.status).toBe(404);
  if (original.status === 404) {
    expect(original.body).toBe('not found');
    return;
  }
  expect([original.status, header('x-cache')]).toEqual([200, 'MISS']);
  const path = new URL(request.url).pathname.replace(/\/+$/, '').toLowerCase() || '/';
  expect(original.stores.kv['fragments']?.find(([key]) => key === `page:v3:${path}`)?.[1]).toBe(original.body);
}

beforeAll(async () => {
  await fixture.build();
}, 600_000);

describe('the split pages service on real components behaves as the original', () => {
  it('runs with the process in UTC, as the components are', () => {
    expect(new Date(2026, 0, 1).getTime()).toBe(Date.UTC(2026, 0, 1));
  });

  it('has the hand-written cases and exactly the generated ones scripts/pages-corpus.mjs makes (fast-check, fixed seed)', () => {
    const generated = fixture.corpus.filter((c) => c.name.startsWith('generated/'));
    expect(generated).toEqual(generatedCases());
    expect(fixture.corpus.length - generated.length).toBe(20);
  });

  it('builds components for the edge (the entry, rendering, the KV) and the origin (the miss path); the client serves nothing', async () => {
    const stops = await fixture.build();
    expect(stops.map((s) => [s.stop, s.component !== null])).toEqual([['client', false], ['edge', true], ['origin', true]]);
    // The edge never reaches the content database (the miss path is the origin's): no sql import.
    // Both are server stops, served over HTTP too (wasi:http/types: the incoming-handler export).
    expect(stops.find((s) => s.stop === 'edge')?.bundle?.imports).toEqual(['stopline:line/link@0.1.0', 'wasi:config/store@0.2.0-draft', 'wasi:http/types@0.2.10', 'wasi:keyvalue/store@0.2.0-draft']);
    expect(stops.find((s) => s.stop === 'origin')?.bundle?.imports).toEqual(['stopline:line/link@0.1.0', 'stopline:line/sql@0.1.0', 'wasi:config/store@0.2.0-draft', 'wasi:http/types@0.2.10', 'wasi:keyvalue/store@0.2.0-draft']);
  });

  it.each(fixture.cases())('%s', async (_name, c) => {
    const { original, components, result: raw } = await fixture.run(c);
    const result = withoutDerivedContentLength(raw, original);
    expect(result).toEqual(original);
    expectOutcome(c, original);
    expectTraceMatchesPlan(fixture.plan, c.entry, components);
    expect(c.roundTrips).toBeDefined();
    expectRoundTrips(fixture.plan, components, c.roundTrips!);
    // Each crossing costs the edge–origin round trip (2 × 60 ms) on the virtual clock.
    expect(components.virtualMs).toBe((c.roundTrips!['edge-origin'] ?? 0) * 2 * 60);
  });
});
