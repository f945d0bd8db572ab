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
 * End to end over real HTTP (issue #6): the shop's build served by `stopline serve` (the
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
 * Response has none). Then the server is stopped with SIGINT (Ctrl-C) and every process
 * group it started must be gone and every port it listened on free; a second server whose
 * stop crashes must end everything too, with exit 1 and SL5403.
 */

const fixtureDir = path.join(repoRoot, 'fixtures/shop');
const scratch = path.join(repoRoot, 'test/.tmp/serve/shop');
const dist = path.join(scratch, 'dist');
const state = path.join(scratch, 'state');
const config = readProjectConfig(fixtureDir);
const corpusFile = path.join(fixtureDir, 'requests.json');
const corpus = loadRequestCorpus(corpusFile);
const seedFile = path.join(fixtureDir, 'seed.json');
const TRANSPORT_HEADERS = new Set(['date', 'connection', 'keep-alive']);

let serve: ServeProcess | null = null;

beforeAll(async () => {
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.mkdirSync(scratch, { recursive: true });
  const built = await buildDirectory(fixtureDir, { out: dist, cacheDir: componentCacheDir });
  expect(built.status, JSON.stringify(built.diagnostics)).toBe('built');
  serve = await startServeProcess(['fixtures/shop', '--dist', dist, '--state', state, '--frozen-clock', String(ORIGINAL_CLOCK_START)]);
}, 600_000);

afterAll(async () => {
  if (serve !== null && serve.child.exitCode === null) {
    serve.child.kill('SIGINT');
    await serve.exited;
  }
});

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

describe('stopline serve: the shop over real HTTP behaves as the original', () => {
  it('serves the two server stops, the edge calling the origin through a forwarder', () => {
    expect([...serve!.stops.keys()]).toEqual(['edge', 'origin']);
    expect(serve!.forwarders).toHaveLength(1);
    expect(serve!.stdout()).toContain('edge → origin through');
  });

  it('answers health on every stop', async () => {
    for (const [stop, { url }] of serve!.stops) {
      const r = await fetch(`${url}/.well-known/stopline/health`);
      expect(r.status).toBe(200);
      expect(await r.json()).toEqual({ stop });
    }
  });

  it('refuses a forged dispatch call with the contract\'s status and rpc-error', async () => {
    const origin = serve!.stops.get('origin')!.url;
    const { plan } = planOnce('fixtures/shop');
    const segment = plan!.cuts[0]!.child;
    const unknown = await fetch(`${origin}/.well-known/stopline/dispatch/${encodeURIComponent('no-such-segment')}`, { method: 'POST', body: 'x' });
    expect([unknown.status, unknown.headers.get('stopline-rpc-error'), unknown.headers.get('content-type')]).toEqual([404, 'unknown-segment', 'application/json']);
    expect((await unknown.json()) as unknown).toMatchObject({ code: 'unknown-segment' });
    const bare = await fetch(`${origin}/.well-known/stopline/dispatch/${encodeURIComponent(segment)}`, { method: 'POST', body: '{}' });
    expect([bare.status, bare.headers.get('stopline-rpc-error')]).toEqual([401, 'unauthenticated']);
    await bare.text();
  });

  it.each(corpus.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const caseSeed = caseSeedFile(c, path.dirname(corpusFile), seedFile);
    const original = await runOriginal({ projectDir: fixtureDir, config, seedFile: caseSeed, entry: c.entry, ...caseInput(c) });
    await seedState(config, state, caseSeed);
    const response = await send(c, serve!.stops.get('edge')!.url);
    const answer = await answerOf(response, original);
    if (original.error !== undefined) {
      expect([answer.status, answer.entryError, answer.body]).toEqual([500, original.error.name, 'Internal Server Error']);
    } else {
      expect(answer.entryError).toBeNull();
      const want = [...original.headers].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      expect({ status: answer.status, headers: answer.headers, body: answer.body }).toEqual({ status: original.status, headers: want, body: original.body });
    }
    expect(await readState(config, state)).toEqual(original.stores);
  });

  it('ends every process it started and frees every port on Ctrl-C (SIGINT)', async () => {
    const s = serve!;
    expect([...s.stops.values()].every((x) => groupAlive(x.pgid))).toBe(true);
    s.child.kill('SIGINT');
    expect(await s.exited).toBe(0);
    expect(s.stdout()).toContain('stopped every stop');
    for (const { pgid } of s.stops.values()) expect(groupAlive(pgid)).toBe(false);
    for (const port of s.ports) expect(await portFree(port), `port ${port}`).toBe(true);
  }, 60_000);
});

describe('stopline serve when a stop crashes', () => {
  it('ends every other process, frees every port, and exits 1 with SL5403', async () => {
    const s = await startServeProcess(['fixtures/shop', '--dist', dist, '--state', path.join(scratch, 'state-crash')]);
    const origin = s.stops.get('origin')!;
    process.kill(-origin.pgid, 'SIGKILL');
    expect(await s.exited).toBe(1);
    expect(s.stderr()).toMatch(/error SL5403/);
    expect(s.stderr()).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
    for (const { pgid } of s.stops.values()) expect(groupAlive(pgid)).toBe(false);
    for (const port of s.ports) expect(await portFree(port), `port ${port}`).toBe(true);
  }, 300_000);
});
