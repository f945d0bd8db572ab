import { beforeAll, describe, expect, it } from 'vitest';
import { differentialFixture, expectRoundTrips, expectTraceMatchesPlan } from '../helpers/differential.js';

/**
 * The client component's `document` (codegen/lower/dom.ts over stopline:line/client-dom)
 * and `localStorage` (over client-local) on a REAL component, against the original
 * program's shims on the same simulated page (src/runtime/page): a client entry that reads
 * an element found by a selector and by id, and counts visits in web storage. Results,
 * errors (the selector SyntaxError, the simulated page's limits) and the final stores
 * must be equal.
 */
const fixture = differentialFixture('test/cases/runtime/client-page', { seed: null });

/** What each case must answer, derived by hand from the page in requests.json (every case counts its first visit). */
const reading = (found: boolean, value: unknown, text: string | null, byId: string | null): unknown => ({ found, value, text, byId, visits: 1 });
const EXPECTED: Readonly<Record<string, { value?: unknown; error?: unknown }>> = {
  'readPage/input-by-id': { value: reading(true, 'ada.png', '', 'Upload') },
  'readPage/first-by-tag': { value: reading(true, 'typed', 'default', 'Box text') },
  'readPage/tag-and-id': { value: reading(true, 'ada.png', '', null) },
  'readPage/no-match': { value: reading(false, null, null, 'Upload') },
  'readPage/no-value-property': { value: reading(true, { $undefined: true }, 'Box text', 'Upload') },
  'readPage/empty-page': { value: reading(false, null, null, null) },
  'readPage/invalid-selector': { error: { name: 'SyntaxError', message: "Failed to execute 'querySelector' on 'Document': The provided selector is empty.", props: {} } },
  'readPage/selector-beyond-the-simulated-page': { error: { name: 'TypeError', message: "stopline's simulated page answers the selectors tag, #id and tag#id only, not 'div > #name'", props: {} } },
  'readPage/number-valued-element': { error: { name: 'TypeError', message: "the value of a <li> is a number; stopline's client-dom carries string values only", props: {} } },
};

beforeAll(() => fixture.build(), 600_000);

describe('the client page lowering on a real component behaves as the original', () => {
  it('builds only the client: the whole entry runs there', async () => {
    const stops = await fixture.build();
    expect(stops.map((s) => [s.stop, s.component !== null])).toEqual([['client', true], ['edge', false]]);
    const client = stops[0]!;
    expect(client.bundle!.imports).toEqual(['stopline:line/client-dom@0.1.0', 'stopline:line/client-local@0.1.0', 'stopline:line/link@0.1.0']);
  });

  it.each(fixture.cases())('%s', async (_name, c) => {
    const { original, components, result } = await fixture.run(c);
    expect(result).toEqual(original);
    const want = EXPECTED[c.name];
    expect(want, c.name).toBeDefined();
    expect({ value: original.value, error: original.error }).toEqual({ value: want!.value, error: want!.error });
    // A selector error ends the call before the visit is counted; reading an <li>'s value fails after it.
    const counted = want!.error === undefined || c.name === 'readPage/number-valued-element';
    expect(original.stores.local['prefs']).toEqual(counted ? [{ client: 'ada', entries: [['visits', '1']] }] : []);
    expectTraceMatchesPlan(fixture.plan, c.entry, components);
    expectRoundTrips(fixture.plan, components, c.roundTrips ?? {});
  });
});
