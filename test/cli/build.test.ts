import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseManifest, type Manifest } from '../../src/build/manifest.js';
import { run } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';
import { componentCacheDir } from '../codegen/component.setup.js';
import { copyFixture, stopline } from '../helpers/cli.js';

/**
 * `stopline build` and `stopline run` on a copy of the shop: dist/ as a user gets it, the
 * content-hash cache across builds (an unchanged stop is not rebuilt, a changed one is),
 * dist/ never half-written, and the built components answering a request on the local
 * line. Components are cached in test/.tmp/component-cache (shared with the other
 * component tests), so only the stop this test changes is built cold.
 */

interface Captured extends CliIO {
  out(): string;
  err(): string;
}

function io(cwd: string): Captured {
  let stdout = '';
  let stderr = '';
  return {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    cwd,
    env: {},
    out: () => stdout,
    err: () => stderr,
  };
}

const codes = (text: string): string[] => [...text.matchAll(/(?:^| )(?:error|warning) (SL\d{4})/gm)].map((m) => m[1]!);
const noStackTrace = (text: string): void => expect(text).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
const sha256 = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

let project: { dir: string; cleanup: () => void };
let dist: string;
const build = async (...extra: string[]): Promise<{ code: number; io: Captured }> => {
  const c = io(project.dir);
  const code = await run(['build', '.', '--out', dist, '--cache', componentCacheDir, ...extra], c);
  return { code, io: c };
};
const manifestOf = (dir: string = dist): Manifest => {
  const parsed = parseManifest(fs.readFileSync(path.join(dir, 'stopline.manifest.json'), 'utf8'));
  expect(parsed.error).toBeNull();
  return parsed.manifest!;
};

beforeAll(() => {
  project = copyFixture('shop');
  dist = path.join(project.dir, 'dist');
});
afterAll(() => project?.cleanup());

describe('stopline build', () => {
  it('writes one component per stop that serves something, with its module, world, the plan and a manifest', { timeout: 300_000 }, async () => {
    const { code, io: c } = await build();
    // Warnings only: each host descriptor that cannot run as generated (test/deploy/descriptors.test.ts).
    expect(code).toBe(0);
    expect(new Set(codes(c.err()))).toEqual(new Set(['SL5301']));
    expect(c.err()).toMatch(/\n0 errors, \d+ warnings\n$/);
    expect(c.out()).toMatch(/^built dist \(the plan\)\n  client +nothing runs here: no component\n  edge +edge\/edge\.wasm/);
    const m = manifestOf();
    expect(m.schema).toBe('stopline.manifest/v1');
    expect(m.placement).toBe('plan');
    expect(m.stops.map((s) => [s.stop, s.trusted, s.component === null])).toEqual([['client', false, true], ['edge', true, false], ['origin', true, false]]);
    const [, edge, origin] = m.stops;
    expect(edge!.entries).toEqual(['addToCart', 'checkout', 'viewCart']);
    expect(edge!.segments).toEqual([]);
    expect(origin!.entries).toEqual([]);
    expect(origin!.segments).toEqual(['checkout#331491dcf8', 'viewCart#f26eb12861']);
    expect(m.entries.map((e) => [e.name, e.arrives, e.rootStop])).toEqual([['addToCart', 'edge', 'edge'], ['checkout', 'edge', 'origin'], ['viewCart', 'edge', 'edge']]);
    // The routes stopline.yaml gives next to `function:` (served there over HTTP).
    expect(m.entries.map((e) => e.route)).toEqual([{ method: 'POST', path: '/cart/items' }, { method: 'POST', path: '/checkout' }, { method: 'GET', path: '/cart' }]);
    for (const stop of [edge!, origin!]) {
      const comp = stop.component!;
      expect(sha256(path.join(dist, comp.path))).toBe(comp.sha256);
      expect(fs.statSync(path.join(dist, comp.path)).size).toBe(comp.bytes);
      expect(fs.existsSync(path.join(dist, comp.module))).toBe(true);
      // The world names exactly what the stop's code imports, and the component imports it (plus the engine's WASI).
      const world = fs.readFileSync(path.join(dist, comp.wit, 'world.wit'), 'utf8');
      expect(world).toContain(`world ${stop.stop} {`);
      for (const i of ['stopline:line/link@0.1.0', 'wasi:keyvalue/store@0.2.0-draft']) {
        expect(world).toContain(`import ${i};`);
        expect(stop.imports).toContain(i);
      }
      // Only the origin's code reaches the SQL store: the edge's world has no sql.
      expect(world.includes('import stopline:line/sql@0.1.0;')).toBe(stop.stop === 'origin');
      expect(stop.imports.includes('stopline:line/sql@0.1.0')).toBe(stop.stop === 'origin');
      expect(world).not.toContain('client-local');
      expect(stop.imports.some((i) => i.startsWith('wasi:clocks/wall-clock@'))).toBe(true);
      // Every server stop is also served over HTTP (issue #6).
      expect(stop.exports).toEqual(['stopline:line/dispatch@0.1.0', 'wasi:http/incoming-handler@0.2.10']);
      expect(world).toContain('export wasi:http/incoming-handler@0.2.10;');
      expect(fs.existsSync(path.join(dist, comp.wit, 'deps/line/line.wit'))).toBe(true);
    }
    // The stores each stop reaches, and through which interface: the carts at the edge; the orders at the origin.
    expect(edge!.stores).toEqual([{ store: 'carts', preset: 'cloudflare-kv', interface: 'wasi:keyvalue/store@0.2.0-draft' }]);
    expect(origin!.stores.map((s) => `${s.store} ${s.interface}`)).toEqual(['carts wasi:keyvalue/store@0.2.0-draft', 'orders stopline:line/sql@0.1.0']);
    expect(fs.readFileSync(path.join(dist, 'plan.json'), 'utf8')).toContain('"schema": "stopline.plan/v1"');
  });

  it('rebuilds nothing when nothing changed, and only the stop whose code changed', { timeout: 300_000 }, async () => {
    const before = manifestOf();
    const beforeText = fs.readFileSync(path.join(dist, 'stopline.manifest.json'), 'utf8');
    const again = await build();
    expect(again.code).toBe(0);
    expect(again.io.out()).toMatch(/edge\/edge\.wasm .*cached/);
    expect(again.io.out()).toMatch(/origin\/origin\.wasm .*cached/);
    // The same build, byte for byte: the manifest is stable.
    expect(fs.readFileSync(path.join(dist, 'stopline.manifest.json'), 'utf8')).toBe(beforeText);

    // priceLine runs only inside the origin's part of viewCart (and in checkout, whole at the
    // origin). A change no earlier run made (the components cache is shared across runs):
    const nonce = Date.now();
    const pricing = path.join(project.dir, 'src/pricing.ts');
    // (a call the bundler cannot fold away, with the same result)
    fs.writeFileSync(pricing, fs.readFileSync(pricing, 'utf8').replace('name: product.name,', `name: product.name.replace('~${nonce}', '~${nonce}'),`));
    const changed = await build();
    expect(changed.code).toBe(0);
    expect(changed.io.out()).toMatch(/edge\/edge\.wasm .*cached/);
    expect(changed.io.out()).toMatch(/origin\/origin\.wasm .*built in/);
    const after = manifestOf();
    const hashes = (m: Manifest, stop: string): string | undefined => m.stops.find((s) => s.stop === stop)?.component?.inputHash;
    expect(hashes(after, 'edge')).toBe(hashes(before, 'edge'));
    expect(hashes(after, 'origin')).not.toBe(hashes(before, 'origin'));
    expect(after.sourcesSha256).not.toBe(before.sourcesSha256);
  });

  it('never leaves a half-written dist: a failing build keeps the previous one whole', { timeout: 120_000 }, async () => {
    const before = fs.readFileSync(path.join(dist, 'stopline.manifest.json'), 'utf8');
    const handlers = path.join(project.dir, 'src/handlers.ts');
    const text = fs.readFileSync(handlers, 'utf8');
    fs.writeFileSync(handlers, text.replace('export async function viewCart(', 'export async function viewCart(('));
    try {
      const broken = await build();
      expect(broken.code).toBe(1);
      expect(codes(broken.io.err())).toContain('SL2001');
      noStackTrace(broken.io.err());
    } finally {
      fs.writeFileSync(handlers, text);
    }
    expect(fs.readFileSync(path.join(dist, 'stopline.manifest.json'), 'utf8')).toBe(before);
    expect(fs.readdirSync(project.dir).filter((f) => f.startsWith('.dist.'))).toEqual([]);
  });

  it('refuses to replace a folder that is not a stopline build, and leaves it as it is', async () => {
    const mine = path.join(project.dir, 'notes');
    fs.mkdirSync(mine);
    fs.writeFileSync(path.join(mine, 'todo.txt'), 'keep me');
    const c = io(project.dir);
    expect(await run(['build', '.', '--out', 'notes', '--cache', componentCacheDir], c)).toBe(2);
    expect(codes(c.err())).toEqual(['SL5102']);
    expect(fs.readdirSync(mine)).toEqual(['todo.txt']);
  });

  it('builds a baseline with --place-all: every entry whole at the origin, forwarded from the edge', { timeout: 300_000 }, async () => {
    const out = path.join(project.dir, 'dist-origin');
    const c = io(project.dir);
    expect(await run(['build', '.', '--out', out, '--cache', componentCacheDir, '--place-all', 'origin'], c)).toBe(0);
    const m = manifestOf(out);
    expect(m.placement).toEqual({ placeAll: 'origin' });
    expect(m.entries.every((e) => e.rootStop === 'origin')).toBe(true);
    const bad = io(project.dir);
    expect(await run(['build', '.', '--out', path.join(project.dir, 'dist-moon'), '--place-all', 'moon'], bad)).toBe(1);
    expect(new Set(codes(bad.err()))).toEqual(new Set(['SL4005']));
  });
});

describe('stopline run', () => {
  it('runs a corpus request through the built components: the response, the virtual latency, the crossing', async () => {
    const c = io(project.dir);
    expect(await run(['run', '.', '--case', 'viewCart/three-lines', '--json'], c)).toBe(0);
    const out = JSON.parse(c.out()) as { status: number; body: string; virtualMs: number; roundTrips: Record<string, number>; trace: { kind: string; from: string; to: string }[]; seed: string };
    expect(out.status).toBe(200);
    expect(JSON.parse(out.body)).toMatchObject({ itemCount: 7, totalCents: 15000 });
    expect(out.virtualMs).toBe(140);
    expect(out.roundTrips).toEqual({ 'client-edge': 0, 'edge-origin': 1 });
    expect(out.trace.map((x) => `${x.kind} ${x.from}→${x.to}`)).toEqual(['link edge→origin']);
    expect(out.seed).toBe('seed.json');
  });

  it('prints the response and the trace for a request given as JSON, through the binary', () => {
    const request = JSON.stringify({ method: 'POST', url: 'https://shop.example/checkout', headers: { 'x-user-id': 'ada' } });
    const r = stopline(['run', project.dir, '--entry', 'checkout', '--request', request, '--trace']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^checkout {2}POST https:\/\/shop\.example\/checkout {2}\(arrives at edge\)\n201 /);
    expect(r.stdout).toContain('virtual latency 140 ms · round trips client-edge 0 · edge-origin 1');
    expect(r.stdout).toMatch(/\+0 ms {2}edge → origin {2}checkout#331491dcf8 {2}\d+ B → ← \d+ B {2}140 ms/);
  });

  it('says what is wrong with a bad request, an unknown entry, a tampered component; exit 2, no stack trace', async () => {
    const bad = io(project.dir);
    expect(await run(['run', '.', '--entry', 'viewCart', '--request', '{"method":"get"}'], bad)).toBe(2);
    expect(codes(bad.err())).toEqual(['SL5107']);
    const unknown = io(project.dir);
    expect(await run(['run', '.', '--entry', 'nope', '--request', '{"method":"GET","url":"https://x.example/"}'], unknown)).toBe(2);
    expect(codes(unknown.err())).toEqual(['SL5106']);

    const wasm = path.join(dist, 'edge/edge.wasm');
    const original = fs.readFileSync(wasm);
    fs.writeFileSync(wasm, Buffer.concat([original, Buffer.from([0])]));
    try {
      const tampered = io(project.dir);
      expect(await run(['run', '.', '--case', 'viewCart/three-lines'], tampered)).toBe(2);
      expect(codes(tampered.err())).toEqual(['SL5104']);
      noStackTrace(tampered.err());
    } finally {
      fs.writeFileSync(wasm, original);
    }
  });

  it('warns when the build is older than the sources, and still runs it', async () => {
    const pricing = path.join(project.dir, 'src/pricing.ts');
    const text = fs.readFileSync(pricing, 'utf8');
    fs.writeFileSync(pricing, `${text}\n// edited after the build\n`);
    try {
      const c = io(project.dir);
      expect(await run(['run', '.', '--case', 'addToCart/new-cart'], c)).toBe(0);
      expect(codes(c.err())).toEqual(['SL5105']);
    } finally {
      fs.writeFileSync(pricing, text);
    }
  });
});

describe('stopline build and run with a client stop (offload)', () => {
  let offload: { dir: string; cleanup: () => void };
  beforeAll(() => {
    offload = copyFixture('offload');
  });
  afterAll(() => offload?.cleanup());

  it('emits the client stop for browsers (stopline-client.js next to the transpiled component) and runs a call-style case', { timeout: 300_000 }, async () => {
    const out = path.join(offload.dir, 'dist');
    const b = io(offload.dir);
    expect(await run(['build', '.', '--out', out, '--cache', componentCacheDir], b)).toBe(0);
    const manifest = manifestOf(out);
    const client = manifest.stops.find((s) => s.stop === 'client')!;
    expect(client.component?.browser).toBe('client/browser/stopline-client.js');
    const module = fs.readFileSync(path.join(out, client.component!.browser!), 'utf8');
    // one module for the page: its only import is the transpiled component beside it
    expect([...module.matchAll(/^import .* from ['"]([^'"]+)['"]/gm)].map((m) => m[1])).toEqual(['./client.js']);
    expect(module).toMatch(/export \{[^}]*loadClient/);
    expect(fs.existsSync(path.join(out, 'client/browser/client.js'))).toBe(true);
    expect(manifest.stops.filter((s) => s.stop !== 'client').every((s) => s.component === null || s.component.browser === null)).toBe(true);

    const r = io(offload.dir);
    expect(await run(['run', '.', '--case', 'prepareUpload/first-upload', '--json'], r)).toBe(0);
    const outcome = JSON.parse(r.out()) as { stop: string; error?: unknown; roundTrips: Record<string, number> };
    expect(outcome.stop).toBe('client');
    expect(outcome.error).toBeUndefined();
    expect(outcome.roundTrips['client-edge']).toBe(1);
  });
});
