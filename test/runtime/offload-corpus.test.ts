import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRequestCorpus } from '../../src/runtime/original/index.js';
import { repoRoot } from '../helpers/graph.js';
import { GENERATED_PREFIX, generatedOffloadCases } from '../helpers/offload-generated.js';

/**
 * fixtures/offload/requests.json: hand-written cases, then the generated ones of
 * test/helpers/offload-generated.ts, which must be exactly what the generator makes (they
 * cannot drift or be edited by hand). To rewrite them after changing the generator:
 *   STOPLINE_WRITE_OFFLOAD_CORPUS=1 npx vitest run test/runtime/offload-corpus.test.ts
 */
const file = path.join(repoRoot, 'fixtures/offload/requests.json');

describe('the offload corpus', () => {
  it('ends with the generated cases, as the seeded generator makes them', () => {
    if (process.env['STOPLINE_WRITE_OFFLOAD_CORPUS']) {
      const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as { name: string }[];
      const hand = raw.filter((c) => !c.name.startsWith(GENERATED_PREFIX));
      fs.writeFileSync(file, `${JSON.stringify([...hand, ...generatedOffloadCases()], null, 2)}\n`);
    }
    const corpus = loadRequestCorpus(file);
    const generated = corpus.filter((c) => c.name.startsWith(GENERATED_PREFIX));
    expect(generated).toEqual(generatedOffloadCases());
    expect(corpus.slice(corpus.length - generated.length)).toEqual(generated);
    expect(corpus.length - generated.length).toBeGreaterThanOrEqual(12);
  });
});
