import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleOptionsFor, bundleStop } from '../../codegen/bundle/index.js';
import { buildComponent } from '../../codegen/component/index.js';
import { pack } from '../../codegen/lower/link.js';
import { decodeCompletion, encodeCall } from '../../codegen/wire/index.js';
import { buildStops, STOP_DISABLED_FEATURES, type BuiltStop } from '../../src/build/stops.js';
import { stopWorld, writeStopWorld } from '../../codegen/component/world.js';
import { openLine } from '../../src/runtime/line/line.js';
import { runOnComponents } from '../../src/runtime/line/run-components.js';
import { wasiImports } from '../../src/runtime/line/wasi.js';
import { loadRuntimeConfig, ORIGINAL_CLOCK_START, runOriginal, type OriginalResult } from '../../src/runtime/original/index.js';
import { VirtualClock } from '../../src/runtime/stores/index.js';
import { componentCacheDir } from '../codegen/component.setup.js';
import { differentialFixture, expectRoundTrips, expectTraceMatchesPlan } from '../helpers/differential.js';
import { repoRoot } from '../helpers/graph.js';
import { projectSources } from '../helpers/sources.js';

/**
 * Configuration and secrets inside real components (test/cases/runtime/secrets): a project
 * whose edge reads SIGNING_KEY and JWT_SECRET from `process.env`, signs with node:crypto's
 * createHmac / createHash and jsonwebtoken, and whose client-arriving upload is signed at
 * the edge. Built with buildStops (bundles, componentize-js) and run on the line, against
 * the original program in Node with the same runtime.env:
 *   - every corpus request answers identically (HMACs, hashes, JWTs signed and verified
 *     inside the component equal Node's and the real jsonwebtoken's);
 *   - the values are read at run time from the host's configuration (another
 *     configuration, same component, other answers), never baked: neither secret is in
 *     any bundle or component;
 *   - a module-level read sees undefined inside the component (it runs at build time);
 *   - at an untrusted stop nothing is served; in the client world `process.env` is empty.
 */

const fixture = differentialFixture('test/cases/runtime/secrets', { seed: null });
const secrets = loadRuntimeConfig(fixture.dir);
const transpileCache = path.join(repoRoot, 'test/.tmp/line-transpiled');
let built: readonly BuiltStop[];

beforeAll(async () => {
  built = await fixture.build();
}, 900_000);

/**
 * ENGINE (as in components.test.ts): StarlingMonkey's `new Response(string)` sets
 * `content-length`, undici's does not; dropped only when it is exactly the body's UTF-8
 * length and the original response has none.
 */
function withoutDerivedContentLength(result: OriginalResult, original: OriginalResult): OriginalResult {
  if (result.body === null || original.headers.some(([name]) => name === 'content-length')) return result;
  const length = String(Buffer.byteLength(result.body));
  return { ...result, headers: result.headers.filter(([name, value]) => !(name === 'content-length' && value === length)) };
}

const stopsOf = (): { name: string; wasmPath: string }[] => built.flatMap((s) => (s.component ? [{ name: s.stop, wasmPath: s.component.wasmPath }] : []));

function components(entry: string, request: { method: string; url: string; headers?: Record<string, string>; body?: string }, extra: { runtimeConfig?: Record<string, string>; stops?: { name: string; wasmPath: string; trusted?: boolean }[] } = {}) {
  return runOnComponents({ projectDir: fixture.dir, config: fixture.config, entry, request, stops: extra.stops ?? stopsOf(), cacheDir: transpileCache, wasi: true, ...(extra.runtimeConfig ? { runtimeConfig: extra.runtimeConfig } : {}) });
}

describe('secrets and signing inside components', () => {
  it('the runtime.env values are the ones the tests expect', () => {
    expect(Object.keys(secrets).sort()).toEqual(['JWT_SECRET', 'SIGNING_KEY']);
    expect(secrets['JWT_SECRET']).toBe('sl-jwt-secret 7b3e!ü');
  });

  it.each(fixture.cases())('%s: the same answer as the original program', async (_name, c) => {
    const r = await fixture.run(c);
    expect(withoutDerivedContentLength(r.result, r.original)).toEqual(r.original);
    expectTraceMatchesPlan(fixture.plan, c.entry, r.components);
    if (c.roundTrips) expectRoundTrips(fixture.plan, r.components, c.roundTrips);
  });

  it('an HMAC, a hash and a JWT made inside the edge component equal what Node and jsonwebtoken make', async () => {
    const r = await components('issue', { method: 'POST', url: 'https://secrets.example/tokens', body: 'grace' });
    expect(r.status).toBe(200);
    const body = JSON.parse(r.body!) as { signature: string; fingerprint: string; token: string; configured: string[] };
    expect(body.signature).toBe(crypto.createHmac('sha256', secrets['SIGNING_KEY']!).update('grace:v1').digest('hex'));
    expect(body.fingerprint).toBe(crypto.createHash('sha512').update('grace').digest('base64url'));
    expect(body.configured).toEqual(['JWT_SECRET', 'SIGNING_KEY']);
    const iat = ORIGINAL_CLOCK_START / 1000;
    expect(jwt.verify(body.token, secrets['JWT_SECRET']!, { clockTimestamp: iat })).toEqual({ sub: 'grace', scope: ['read'], iat, exp: iat + 3600, iss: 'secrets-fixture', jti: body.fingerprint.slice(0, 12) });
    expect(body.token).toBe(jwt.sign({ sub: 'grace', scope: ['read'], iat }, secrets['JWT_SECRET']!, { expiresIn: '1h', issuer: 'secrets-fixture', jwtid: body.fingerprint.slice(0, 12) }));
  });

  it('a JWT is verified inside the component: claims, or the library’s error class and message', async () => {
    const iat = ORIGINAL_CLOCK_START / 1000;
    const good = jwt.sign({ sub: 'ada', iat }, secrets['JWT_SECRET']!, { expiresIn: 60, issuer: 'secrets-fixture' });
    const ok = await components('check', { method: 'GET', url: 'https://secrets.example/me', headers: { authorization: `Bearer ${good}` } });
    expect(JSON.parse(ok.body!)).toEqual({ ok: true, claims: { sub: 'ada', iat, exp: iat + 60, iss: 'secrets-fixture' } });
    const old = jwt.sign({ sub: 'ada', iat: iat - 120 }, secrets['JWT_SECRET']!, { expiresIn: 60, issuer: 'secrets-fixture' });
    const expired = await components('check', { method: 'GET', url: 'https://secrets.example/me', headers: { authorization: `Bearer ${old}` } });
    expect(expired.status).toBe(401);
    expect(JSON.parse(expired.body!)).toEqual({ ok: false, name: 'TokenExpiredError', message: 'jwt expired', expiredAt: new Date((iat - 60) * 1000).toISOString(), isJwtError: true });
  });

  it('reads the configuration at run time: the same components under another deployment answer with its values', async () => {
    const other = { SIGNING_KEY: 'another-deployment-key', JWT_SECRET: 'another-jwt-secret', EXTRA: '1' };
    const r = await components('issue', { method: 'POST', url: 'https://secrets.example/tokens', body: 'ada' }, { runtimeConfig: other });
    const body = JSON.parse(r.body!) as { signature: string; token: string; configured: string[] };
    expect(body.signature).toBe(crypto.createHmac('sha256', other.SIGNING_KEY).update('ada:v1').digest('hex'));
    expect(body.configured).toEqual(['EXTRA', 'JWT_SECRET', 'SIGNING_KEY']);
    expect(() => jwt.verify(body.token, other.JWT_SECRET, { clockTimestamp: ORIGINAL_CLOCK_START / 1000 })).not.toThrow();
    const none = await components('issue', { method: 'POST', url: 'https://secrets.example/tokens', body: 'ada' }, { runtimeConfig: {} });
    expect([none.status, JSON.parse(none.body!)]).toEqual([500, { error: 'not configured' }]);
  });

  it('a module-level read sees undefined inside the component (evaluated at build time), the value in Node', async () => {
    const request = { method: 'GET', url: 'https://secrets.example/module-level' };
    const original = await runOriginal({ projectDir: fixture.dir, config: fixture.config, entry: 'moduleLevel', request });
    expect(JSON.parse(original.body!)).toEqual({ moduleLevel: secrets['SIGNING_KEY'], same: true });
    const split = await components('moduleLevel', request);
    expect(JSON.parse(split.body!)).toEqual({ moduleLevel: 'unset-at-module-level', same: false });
  });

  it('buildStops warns of the module-level read (SL5201 at its range), and of nothing else', async () => {
    const r = await buildStops({ projectDir: fixture.dir, config: fixture.config, plan: fixture.plan, graph: fixture.graph, sources: projectSources(fixture.dir), cacheDir: componentCacheDir, workDir: path.join(repoRoot, 'test/.tmp/differential/secrets') });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.diagnostics.map((d) => ({ code: d.code, category: d.category, range: d.range }))).toEqual([
      { code: 'SL5201', category: 'warning', range: { file: 'src/tokens.ts', start: { line: 9, column: 26 }, end: { line: 9, column: 49 } } },
    ]);
    // Every stop's bundle lists the project files whose top level its component evaluates.
    expect(r.stops.find((s) => s.stop === 'edge')!.bundle!.files).toEqual(['src/sign.ts', 'src/tokens.ts', 'src/upload.ts']);
    expect(r.stops.find((s) => s.stop === 'client')!.bundle!.files).toEqual(['src/upload.ts']);
  });

  it('an untrusted stop is served no configuration: a read fails loudly inside the guest', async () => {
    const stops = stopsOf().map((s) => (s.name === 'edge' ? { ...s, trusted: false } : s));
    const r = await components('issue', { method: 'POST', url: 'https://secrets.example/tokens', body: 'ada' }, { stops });
    expect(r.error).toEqual({ name: 'Error', message: "process.env: cannot read 'SIGNING_KEY' from the configuration store (upstream: stop 'edge' is untrusted: no configuration or secret is served there)", props: {} });
  });

  it('no secret value is in any bundle or component (and the search does find the code’s own strings)', () => {
    const needles = Object.values(secrets).flatMap((v) => [Buffer.from(v, 'utf8'), Buffer.from(v, 'utf16le'), Buffer.from(v, 'latin1')]);
    let searched = 0;
    for (const s of built) {
      if (!s.bundle || !s.component) continue;
      const js = Buffer.from(s.bundle.js, 'utf8');
      const wasm = fs.readFileSync(s.component.wasmPath);
      for (const needle of needles) {
        expect(js.indexOf(needle), `${s.stop} bundle`).toBe(-1);
        expect(wasm.indexOf(needle), `${s.stop} component`).toBe(-1);
      }
      searched += 1;
    }
    expect(searched).toBe(2);
    // The search works on these bytes: a string literal of the program is found in the edge's snapshot.
    const edge = built.find((s) => s.stop === 'edge')!;
    expect(fs.readFileSync(edge.component!.wasmPath).indexOf(Buffer.from('unset-at-module-level'))).toBeGreaterThan(-1);
    expect(edge.bundle!.js).toContain('unset-at-module-level');
  });

  it('the client stop is built for the client world: no wasi:config import, process.env empty', async () => {
    const client = built.find((s) => s.stop === 'client')!;
    expect(client.bundle!.world).toBe('client');
    expect(client.bundle!.imports).toEqual(['stopline:line/link@0.1.0']);
    const edge = built.find((s) => s.stop === 'edge')!;
    expect(edge.bundle!.imports).toContain('wasi:config/store@0.2.0-draft');

    // A probe that reads process.env, added by hand at the client (the planner never places a
    // secret read there), built for the client world and run with a configuration on offer.
    const probe = 'export async function probe(_request: Request): Promise<Response> {\n  const env = process.env;\n  return new Response(JSON.stringify({ process: typeof process, signingKey: env.SIGNING_KEY ?? null, keys: Object.keys(env) }));\n}\n';
    const sources = { ...client.sources, files: [...client.sources.files, { path: 'src/probe.ts', text: probe }], entries: [...client.sources.entries, { name: 'probe', file: 'src/probe.ts', exportName: 'probe' }] };
    const bundle = await bundleStop(sources, { ...bundleOptionsFor(fixture.config, 'client'), projectDir: fixture.dir });
    expect(bundle.world).toBe('client');
    const dir = path.join(repoRoot, 'test/.tmp/secrets-probe');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'client.js'), bundle.js);
    // Built for its own world (exactly its bundle's imports), as buildStops builds every stop.
    const world = stopWorld('client', bundle.imports);
    writeStopWorld(world, path.join(dir, 'wit'));
    const component = await buildComponent({ source: path.join(dir, 'client.js'), witPath: path.join(dir, 'wit'), worldName: world.name, cacheDir: componentCacheDir, disableFeatures: STOP_DISABLED_FEATURES });
    const clock = new VirtualClock(ORIGINAL_CLOCK_START);
    const line = await openLine({ stops: [{ name: 'client', wasmPath: component.wasmPath, trusted: true }], stores: {}, clock, hopLatencyMs: 0, cacheDir: transpileCache, extraImports: wasiImports(clock), runtimeConfig: secrets });
    try {
      const request = new Request('https://secrets.example/probe');
      const payload = encodeCall({ segment: 'entry:probe', liveIns: { args: [await pack(request, {}), await pack({}, {})] } });
      const r = line.invoke('client', 'entry:probe', payload);
      expect(r.ok).toBe(true);
      const completion = decodeCompletion(r.ok ? r.value : '');
      expect(completion.kind).toBe('return');
      const response = (completion as { value: { __stopline_response: { body: string } } }).value.__stopline_response;
      expect(JSON.parse(response.body)).toEqual({ process: 'object', signingKey: null, keys: [] });
    } finally {
      line.close();
    }
  }, 300_000);
});
