// The generated part of fixtures/pages/requests.json: request paths over the pages seed,
// drawn by fast-check from a fixed seed, so the same cases come out on every machine.
//
//   node scripts/pages-corpus.mjs     rewrites the `generated/…` cases of requests.json
//                                     (the hand-written cases are kept as they are)
//
// test/runtime/pages-components.test.ts checks that the committed cases are exactly what
// `generatedCases()` makes, so the file cannot drift from this script.
//
// Each case's `roundTrips` is derived by the plan's rule (fixtures/pages/baselines/report.md),
// not by running anything: a method other than GET/HEAD is answered (405) before any store
// is touched: 0; otherwise the key is page:v3:<normalised path> and the KV read is served by
// the edge replica: a seeded key is a hit at the edge: 0; any other key is a miss that enters
// the one cut (findPage … findAuthor at the origin) once, found or not (404): 1.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import fc from 'fast-check';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const corpusFile = path.join(root, 'fixtures/pages/requests.json');
const seedFile = path.join(root, 'fixtures/pages/seed.json');

export const GENERATOR_SEED = 20260101;
export const GENERATED = 16;

/** Paths the seed knows (pages, cached fragments) and some it does not. */
const BASES = ['/', '/about', '/legacy', '/guides/kv', '/orphan', '/drafts/next', '/empty', '/mixed-case', '/nope', '/guides', '/about/team'];

/** The program's own normalisation (src/index.ts normalisePath), restated for the rule. */
function normalise(pathname) {
  const trimmed = pathname.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed.toLowerCase();
}

function withCase(text, mask) {
  return [...text].map((ch, i) => (mask[i % mask.length] ? ch.toUpperCase() : ch)).join('');
}

export function generatedCases() {
  const seed = JSON.parse(fs.readFileSync(seedFile, 'utf8'));
  const cached = new Set(Object.keys(seed.kv.fragments));
  const request = fc.record({
    base: fc.constantFrom(...BASES),
    mask: fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }),
    slashes: fc.integer({ min: 0, max: 2 }),
    query: fc.option(fc.constantFrom('?preview=1', '?utm_source=x&y=%2F'), { nil: null }),
    method: fc.constantFrom('GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'PATCH'),
  });
  return fc.sample(request, { seed: GENERATOR_SEED, numRuns: GENERATED }).map((r, i) => {
    const pathname = `${withCase(r.base, r.mask)}${'/'.repeat(r.base === '/' ? 0 : r.slashes)}`;
    const url = new URL(`https://pages.example${pathname}${r.query ?? ''}`);
    const key = `page:v3:${normalise(url.pathname)}`;
    const read = r.method === 'GET' || r.method === 'HEAD';
    const hit = read && cached.has(key);
    const roundTrips = read && !hit ? 1 : 0;
    const about = !read ? `${r.method}: 405 before any store` : hit ? `${key} is cached: a hit at the edge` : `${key} is not cached: a miss through the origin cut`;
    return {
      name: `generated/${String(i + 1).padStart(2, '0')} ${r.method} ${url.pathname}${url.search}`,
      entry: 'fetch',
      about,
      request: { method: r.method, url: url.href },
      roundTrips: { 'edge-origin': roundTrips },
    };
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const corpus = JSON.parse(fs.readFileSync(corpusFile, 'utf8'));
  const kept = corpus.filter((c) => !c.name.startsWith('generated/'));
  fs.writeFileSync(corpusFile, `${JSON.stringify([...kept, ...generatedCases()], null, 2)}\n`);
  console.log(`${corpusFile}: ${kept.length} hand-written cases, ${GENERATED} generated`);
}
