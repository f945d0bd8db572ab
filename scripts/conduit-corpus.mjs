// The generated part of fixtures/conduit/requests.json: requests to conduit's four Express
// routes, drawn by fast-check from a fixed seed, so the same cases come out on every machine.
//
//   node scripts/conduit-corpus.mjs   rewrites the `generated/…` cases of requests.json
//                                     (the hand-written cases are kept as they are)
//
// test/runtime/conduit-components.test.ts checks that the committed cases are exactly what
// `generatedCases()` makes, so the file cannot drift from this script.
//
// Tokens are signed here with jsonwebtoken (HS256) and the fixture's runtime.env secret,
// issued at the runners' clock start (2026-01-01T00:00:00Z): `valid` for an hour,
// `expired` an hour before the start, `forged` with another secret.
//
// Each case's `roundTrips` is derived by the plan's rule (fixtures/conduit/baselines/report.md),
// not by running anything: GET /api/articles/:slug enters its one cut (getArticle at the
// origin) whenever the route matches: 1. POST /api/articles authenticates and validates at
// the edge, then enters its one cut (createArticle … res.json at the origin): 1, or 0 when
// requireAuth or the validation answers first (restated below). PUT /api/articles/:slug moves
// whole to the origin (the request itself crosses, requireAuth with it): 1 whenever the route
// matches. GET /api/tags reads the tag cache at the edge replica: a hit 0, a miss reads the
// tags at the origin: 1.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import fc from 'fast-check';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const corpusFile = path.join(root, 'fixtures/conduit/requests.json');
const jwt = createRequire(path.join(root, 'package.json'))('jsonwebtoken');

export const GENERATOR_SEED = 20260105;
export const GENERATED = 24;
const ORIGIN = 'https://conduit.example';
const START = Date.UTC(2026, 0, 1) / 1000;

function secret() {
  const line = fs.readFileSync(path.join(root, 'fixtures/conduit/runtime.env'), 'utf8').split('\n').find((l) => l.startsWith('JWT_SECRET='));
  return line.slice('JWT_SECRET='.length).trim();
}

/** A token for user `id` (seed: 1 ada, 2 bob, 3 cyd): `valid`, `expired` or `forged`. */
export function token(kind, id, username) {
  if (kind === 'expired') return jwt.sign({ id, username, iat: START - 7200 }, secret(), { expiresIn: 3600 });
  return jwt.sign({ id, username, iat: START }, kind === 'forged' ? 'not-the-secret' : secret(), { expiresIn: 3600 });
}

const USERS = [[1, 'ada'], [2, 'bob'], [3, 'cyd']];
/** Seeded slugs and their authors (fixtures/conduit/seed.sql); `missing` is none. */
const SLUGS = [['welcome-to-conduit', 1], ['drizzle-on-the-edge', 2], ['no-tags-here', 1], ['missing', null]];
const TITLES = ['Hello there', 'Welcome to Conduit', 'Drizzle on the edge', 'Ça va, Élodie?', '  spaced  out  ', 'Crème brûlée 101', 'Hello there', '', '日本語のタイトル'];
const TAGS = ['edge', 'news', 'Intro', ' orm ', 'fresh', 'x', '', 'ÉTÉ'];

function json(method, url, auth, body) {
  return { method, url: `${ORIGIN}${url}`, headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) }, body: JSON.stringify(body) };
}

/** The program's own validation (src/validation.ts), restated for the rule: does parseNewArticle accept it? */
function validNew(article) {
  const text = (v) => typeof v === 'string' && v.trim() !== '';
  if (!text(article.title) || !text(article.description) || !text(article.body)) return false;
  if (article.tagList === undefined) return true;
  const names = new Set(article.tagList.map((t) => t.trim().toLowerCase()).filter((t) => t !== ''));
  return names.size <= 10;
}

export function generatedCases() {
  const auth = fc.record({ kind: fc.constantFrom('valid', 'valid', 'valid', 'expired', 'forged', 'none'), user: fc.constantFrom(...USERS), scheme: fc.constantFrom('Token', 'Bearer') });
  const article = fc.record(
    { title: fc.constantFrom(...TITLES), description: fc.constantFrom('d', 'About it', 'About it', ' '), body: fc.constantFrom('b', 'Text <b>bold</b> & more'), tagList: fc.array(fc.constantFrom(...TAGS), { maxLength: 4 }) },
    { requiredKeys: [] },
  );
  const request = fc.record({ route: fc.constantFrom('get', 'post', 'post', 'put', 'put', 'tags'), auth, article, slug: fc.constantFrom(...SLUGS), cached: fc.boolean() });
  return fc.sample(request, { seed: GENERATOR_SEED, numRuns: GENERATED }).map((r, i) => {
    const n = String(i + 1).padStart(2, '0');
    const header = r.auth.kind === 'none' ? null : `${r.auth.scheme} ${token(r.auth.kind, r.auth.user[0], r.auth.user[1])}`;
    const who = r.auth.kind === 'none' ? 'no token' : `${r.auth.kind} token of ${r.auth.user[1]}`;
    if (r.route === 'get') {
      return { name: `generated/${n} GET ${r.slug[0]}`, entry: 'GET /api/articles/:slug', about: 'the route matches: one cut', request: { method: 'GET', url: `${ORIGIN}/api/articles/${r.slug[0]}` }, roundTrips: { 'edge-origin': 1 } };
    }
    if (r.route === 'tags') {
      return {
        name: `generated/${n} GET tags ${r.cached ? 'cached' : 'cold'}`,
        entry: 'GET /api/tags',
        about: r.cached ? 'the edge replica holds the list: a hit' : 'an empty cache: a miss reads the origin',
        ...(r.cached ? { seed: 'seed-tags-cached.json' } : {}),
        request: { method: 'GET', url: `${ORIGIN}/api/tags` },
        roundTrips: { 'edge-origin': r.cached ? 0 : 1 },
      };
    }
    if (r.route === 'post') {
      const crosses = r.auth.kind === 'valid' && validNew(r.article);
      return {
        name: `generated/${n} POST ${who}`,
        entry: 'POST /api/articles',
        about: crosses ? 'authenticated and valid: one cut' : 'answered at the edge by requireAuth or the validation',
        request: json('POST', '/api/articles', header, { article: r.article }),
        roundTrips: { 'edge-origin': crosses ? 1 : 0 },
      };
    }
    return {
      name: `generated/${n} PUT ${r.slug[0]} ${who}`,
      entry: 'PUT /api/articles/:slug',
      about: 'the route moves whole: one crossing',
      request: json('PUT', `/api/articles/${r.slug[0]}`, header, { article: r.article }),
      roundTrips: { 'edge-origin': 1 },
    };
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const corpus = fs.existsSync(corpusFile) ? JSON.parse(fs.readFileSync(corpusFile, 'utf8')) : [];
  const kept = corpus.filter((c) => !c.name.startsWith('generated/'));
  fs.writeFileSync(corpusFile, `${JSON.stringify([...kept, ...generatedCases()], null, 2)}\n`);
  console.log(`${corpusFile}: ${kept.length} hand-written cases, ${GENERATED} generated`);
}
