import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDirectory } from '../../src/build/build-project.js';
import { caseInput, caseSeedFile, loadRequestCorpus, ORIGINAL_CLOCK_START, readProjectConfig, runOriginal, type OriginalResult, type RequestCase } from '../../src/runtime/original/index.js';
import { portFree } from '../../src/serve/serve.js';
import { readState, seedState } from '../../src/serve/state.js';
import { componentCacheDir } from '../codegen/component.setup.js';
import { repoRoot } from '../helpers/graph.js';
import { planOnce } from '../planner/plan-helpers.js';
import { groupAlive, startServeProcess, type ServeProcess } from './serve-process.js';

/**
 * End to end over real HTTP (issue #6): the shop's (and conduit's) build served by `stopline serve` (the
 * real CLI, a child process: every server stop a `jco serve` process of its own, the edge
 * calling the origin over HTTP through a forwarder adding the line's 70 ms each way,
 * calls sealed with a per-run key). Every request of the shop's corpus goes to the arrival
 * stop (the edge) as a real HTTP request at the entry's route (`route:` next to
 * `function:` in fixtures/shop/stopline.yaml), and must give the original program's
 * response and leave the original's stores:
 *
 * - before each case the state folder is written fresh from the case's seed (the stops'
 *   processes reopen a store whose file changed: src/serve/state.ts), as `runOriginal`
 *   starts each case on freshly seeded stores;
 * - the stops' wall clock is frozen at the original's clock (`--frozen-clock`): the shop
 *   writes `Date.now()` into carts, and the original's clock does not move while it runs;
 * - a request whose original entry threw answers 500 with `stopline-entry-error: <the
 *   error's name>` (http-serve.ts: the message is never sent).
 *
 * What is not compared byte for byte, and why: the HTTP server's own headers (`date`,
 * `connection`, `keep-alive`), and `content-length` when it is exactly the body's length
 * and the original response has none (an HTTP/1.1 answer carries its length; undici's
 * Response has none), and a HEAD answer's `content-length`, which the wasi:http adapter
 * leaves out (http-wasi.ts: the host would hold the empty body to that length). Then the server is stopped with SIGINT (Ctrl-C) and every process
 * group it started must be gone and every port it listened on free; a second server whose
 * stop crashes must end everything too, with exit 1 and SL5403.
 */

const TRANSPORT_HEADERS = new Set(['date', 'connection', 'keep-alive']);

/** The HTTP answer as `runOriginal` reports a response: status, headers (sorted, transport headers out), body; or the entry's error name. */
async function answerOf(response: Response, original: OriginalResult): Promise<{ status: number; headers: [string, string][]; body: string; entryError: string | null }> {
  const body = await response.text();
  const headers: [string, string][] = [];
  response.headers.forEach((value, name) => {
    if (TRANSPORT_HEADERS.has(name)) return;
    if (name === 'content-length' && value === String(Buffer.byteLength(body)) && !original.headers.some(([n]) => n === 'content-length')) return;
    if (name === 'stopline-entry-error') return;
    headers.push([name, value]);
  });
  headers.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { status: response.status, headers, body, entryError: response.headers.get('stopline-entry-error') };
}

function send(c: RequestCase, base: string): Promise<Response> {
  const request = c.request!;
  const url = new URL(request.url);
  return fetch(`${base}${url.pathname}${url.search}`, { method: request.method, headers: { ...request.headers }, ...(request.body === undefined ? {} : { body: request.body }) });
}

/** A fixture's build served by the real CLI for the tests of one describe block, and its corpus checked against the original over HTTP. */
function servedFixture(name: string) {
  const fixtureDir = path.join(repoRoot, 'fixtures', name);
  const scratch = path.join(repoRoot, 'test/.tmp/serve', name);
  const dist = path.join(scratch, 'dist');
  const state = path.join(scratch, 'state');
  const config = readProjectConfig(fixtureDir);
  const corpusFile = path.join(fixtureDir, 'requests.json');
  const corpus = loadRequestCorpus(corpusFile);
  const seedFile = path.join(fixtureDir, 'seed.json');
  const served = {
    fixtureDir,
    scratch,
    dist,
    config,
    corpus,
    serve: null as ServeProcess | null,
    async start(): Promise<void> {
      fs.rmSync(scratch, { recursive: true, force: true });
      fs.mkdirSync(scratch, { recursive: true });
      const built = await buildDirectory(fixtureDir, { out: dist, cacheDir: componentCacheDir });
      expect(built.status, JSON.stringify(built.diagnostics)).toBe('built');
      served.serve = await startServeProcess([`fixtures/${name}`, '--dist', dist, '--state', state, '--frozen-clock', String(ORIGINAL_CLOCK_START)]);
    },
    async stop(): Promise<void> {
      const s = served.serve;
      if (s !== null && s.child.exitCode === null) {
        s.child.kill('SIGINT');
        await s.exited;
      }
    },
    /** One case: the original on freshly seeded stores, then the same request over HTTP on freshly seeded state. */
    async check(c: RequestCase): Promise<void> {
      const caseSeed = caseSeedFile(c, path.dirname(corpusFile), fs.existsSync(seedFile) ? seedFile : null);
      const original = await runOriginal({ projectDir: fixtureDir, config, seedFile: caseSeed, entry: c.entry, ...caseInput(c) });
      await seedState(config, state, caseSeed);
      const manifest = JSON.parse(fs.readFileSync(path.join(dist, 'stopline.manifest.json'), 'utf8')) as { entries: { name: string; arrives: string }[] };
      const arrival = manifest.entries.find((e) => e.name === c.entry)!.arrives;
      const response = await send(c, served.serve!.stops.get(arrival)!.url);
      const answer = await answerOf(response, original);
      if (original.error !== undefined) {
        expect([answer.status, answer.entryError, answer.body]).toEqual([500, original.error.name, 'Internal Server Error']);
      } else {
        expect(answer.entryError).toBeNull();
        // HEAD: the answer has no content-length (the adapter leaves out a length the body sent does not have: a wasi:http host holds the body to it).
        const want = [...original.headers].filter(([n]) => !(c.request!.method === 'HEAD' && n === 'content-length')).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        expect({ status: answer.status, headers: answer.headers, body: answer.body }).toEqual({ status: original.status, headers: want, body: original.body });
      }
      expect(await readState(config, state)).toEqual(original.stores);
    },
  };
  return served;
}

const shop = servedFixture('shop');

describe('stopline serve: the shop over real HTTP behaves as the original', () => {
  beforeAll(() => shop.start(), 600_000);
  afterAll(() => shop.stop());

  it('serves the two server stops, the edge calling the origin through a forwarder', () => {
    expect([...shop.serve!.stops.keys()]).toEqual(['edge', 'origin']);
    expect(shop.serve!.forwarders).toHaveLength(1);
    expect(shop.serve!.stdout()).toContain('edge → origin through');
  });

  it('answers health on every stop', async () => {
    for (const [stop, { url }] of shop.serve!.stops) {
      const r = await fetch(`${url}/.well-known/stopline/health`);
      expect(r.status).toBe(200);
      expect(await r.json()).toEqual({ stop });
    }
  });

  it('refuses a forged dispatch call with the contract\'s status and rpc-error', async () => {
    const origin = shop.serve!.stops.get('origin')!.url;
    const { plan } = planOnce('fixtures/shop');
    const segment = plan!.cuts[0]!.child;
    const unknown = await fetch(`${origin}/.well-known/stopline/dispatch/${encodeURIComponent('no-such-segment')}`, { method: 'POST', body: 'x' });
    expect([unknown.status, unknown.headers.get('stopline-rpc-error'), unknown.headers.get('content-type')]).toEqual([404, 'unknown-segment', 'application/json']);
    expect((await unknown.json()) as unknown).toMatchObject({ code: 'unknown-segment' });
    const bare = await fetch(`${origin}/.well-known/stopline/dispatch/${encodeURIComponent(segment)}`, { method: 'POST', body: '{}' });
    expect([bare.status, bare.headers.get('stopline-rpc-error')]).toEqual([401, 'unauthenticated']);
    await bare.text();
  });

  it.each(shop.corpus.map((c) => [c.name, c] as const))('%s', (_name, c) => shop.check(c));

  it('ends every process it started and frees every port on Ctrl-C (SIGINT)', async () => {
    const s = shop.serve!;
    expect([...s.stops.values()].every((x) => groupAlive(x.pgid))).toBe(true);
    s.child.kill('SIGINT');
    expect(await s.exited).toBe(0);
    expect(s.stdout()).toContain('stopped every stop');
    for (const { pgid } of s.stops.values()) expect(groupAlive(pgid)).toBe(false);
    for (const port of s.ports) expect(await portFree(port), `port ${port}`).toBe(true);
  }, 60_000);
});

const conduit = servedFixture('conduit');

describe('stopline serve: conduit (Express routes found in code, drizzle over pg, ioredis, JWT) over real HTTP behaves as the original', () => {
  beforeAll(() => conduit.start(), 600_000);
  afterAll(() => conduit.stop());

  it.each(conduit.corpus.map((c) => [c.name, c] as const))('%s', (_name, c) => conduit.check(c));
});

describe('stopline serve when a stop crashes', () => {
  it('ends every other process, frees every port, and exits 1 with SL5403', async () => {
    const s = await startServeProcess(['fixtures/shop', '--dist', shop.dist, '--state', path.join(shop.scratch, 'state-crash')]);
    const origin = s.stops.get('origin')!;
    process.kill(-origin.pgid, 'SIGKILL');
    expect(await s.exited).toBe(1);
    expect(s.stderr()).toMatch(/error SL5403/);
    expect(s.stderr()).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
    for (const { pgid } of s.stops.values()) expect(groupAlive(pgid)).toBe(false);
    for (const port of s.ports) expect(await portFree(port), `port ${port}`).toBe(true);
  }, 300_000);
});
