import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bundleOptionsFor, bundleStop } from '../../codegen/bundle/bundle.js';
import { generate } from '../../codegen/outline/outline.js';
import { readProjectConfig } from '../../src/runtime/original/index.js';
import { repoRoot } from '../helpers/graph.js';
import { projectSources } from '../helpers/sources.js';
import { planOnce } from '../planner/plan-helpers.js';
import { normalizeTables } from '../../codegen/bundle/unicode-normalize.js';
import { createNormalize } from '../../codegen/lower/string-normalize.js';

/** The guest's String.prototype.normalize (StarlingMonkey has none) against Node's own. */
describe('String.prototype.normalize lowered from build-time tables', () => {
  const normalize = createNormalize(normalizeTables());

  it('decomposes every code point alone as Node does (NFD, NFKD)', () => {
    const differ: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      for (const form of ['NFD', 'NFKD'] as const) if (normalize(ch, form) !== ch.normalize(form)) differ.push(`${form} U+${cp.toString(16)}`);
    }
    expect(differ).toEqual([]);
  });

  it('orders runs of combining marks as Node does, in strings mixing letters, marks, Hangul and compatibility characters', () => {
    const pool = ['a', 'A', 'é', 'Å', 'ﬁ', '①', 'ǅ', '\u0301', '\u0316', '\u0334', '\u0345', '\u05b0', '\u0f73', '\u0344', '한', '\u1100', '\u1161', 'ẛ', '\u0323', '\u0307', 'ṩ', '𝐀', ' ', '-', '\u{1d15e}', '\u{1d165}', '\u{1d16d}'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pool), { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        expect([normalize(text, 'NFD'), normalize(text, 'NFKD')]).toEqual([text.normalize('NFD'), text.normalize('NFKD')]);
      }),
      { seed: 20260101, numRuns: 2000 },
    );
  });

  it('answers NFC and NFKC for text without composable characters, and throws for the rest', () => {
    for (const text of ['Hello there', '\u00a1ab \u00a9', '']) expect([normalize(text), normalize(text, 'NFKC')]).toEqual([text.normalize(), text.normalize('NFKC')]);
    expect(() => normalize('e\u0301')).toThrow(/NFC/);
    expect(() => normalize('caf\u00e9')).toThrow(/NFC/);
    expect(() => normalize('x', 'NFX')).toThrow(RangeError);
  });

  it('is small enough to ship: the tables as JSON', () => {
    expect(JSON.stringify(normalizeTables()).length).toBeLessThan(200_000);
  });

  it("is installed in a stop's bundle only where the code it keeps calls .normalize( (conduit's slugify at the origin), not elsewhere", async () => {
    const installs = async (fixture: string): Promise<[string, boolean][]> => {
      const dir = path.join(repoRoot, fixture);
      const { plan, graph } = planOnce(fixture);
      const config = readProjectConfig(dir);
      const program = generate(plan!, graph!, projectSources(fixture));
      const out: [string, boolean][] = [];
      for (const s of program.stops) {
        if (s.entries.length === 0 && s.dispatch.length === 0) continue;
        const b = await bundleStop(s, { ...bundleOptionsFor(config, s.stop), projectDir: dir });
        out.push([s.stop, b.js.includes('String.prototype.normalize') && /__stopline_installNormalize|installNormalize/.test(b.js)]);
      }
      return out;
    };
    // slugify runs at the origin only (createArticle, updateArticle): the edge keeps no call of it.
    expect(await installs('fixtures/conduit')).toEqual([['edge', false], ['origin', true]]);
    expect(await installs('fixtures/shop')).toEqual([['edge', false], ['origin', false]]);
  });
});
