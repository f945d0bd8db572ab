import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleOptionsFor, bundleStop } from '../../codegen/bundle/index.js';
import { buildComponent, type BuiltComponent } from '../../codegen/component/index.js';
import { generate } from '../../codegen/index.js';
import { runOnComponents, type ComponentsResult } from '../../src/runtime/line/run-components.js';
import { loadRequestCorpus, readProjectConfig, runOriginal, type OriginalResult } from '../../src/runtime/original/index.js';
import { componentCacheDir } from '../codegen/component.setup.js';
import { repoRoot } from '../helpers/graph.js';
import { planOnce } from '../planner/plan-helpers.js';
import { projectSources } from '../helpers/sources.js';

/**
 * Semantic preservation on REAL components: every stop of the shop's split program is
 * bundled (codegen/bundle), built with componentize-js (cached in test/.tmp/component-cache)
 * and run on the local line (src/runtime/line) on the shop's stores, opened, seeded and
 * clocked as runOriginal does. Each corpus request enters `entry:<name>` at its arrival
 * stop; the response (or error) and the final stores must equal the original program's.
 *
 * The components are built with componentize-js's `clocks` feature and run with
 * `wasi: true`: the guest's `Date` reads `wasi:clocks/wall-clock`, which runOnComponents
 * feeds from the virtual clock (addToCart writes `updatedAt: Date.now()` into the cart).
 * Without it (every feature disabled) the guest's Date reads the real time.
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
 * ENGINE: error messages V8 and SpiderMonkey word differently. For these cases the error's
 * name and props are compared, and its message is checked against each engine's own
 * wording, instead of the two messages against each other.
 */
const ENGINE_MESSAGES: Readonly<Record<string, { readonly why: string; readonly original: RegExp; readonly components: RegExp }>> = {
  'addToCart/invalid-json': {
    why: 'JSON.parse SyntaxError: V8 "Expected double-quoted property name in JSON at position 16", SpiderMonkey "JSON.parse: end of data when property name was expected at line 1 column 17 of the JSON data"',
    original: /in JSON at position \d+/,
    components: /^JSON\.parse: .* at line \d+ column \d+ of the JSON data$/,
  },
};

/** No request of the corpus is left out. */
const EXCLUDED: Readonly<Record<string, string>> = {};


function report(what: string, values: Record<string, number | string | boolean>): void {
  // STOPLINE_COMPONENT_TIMES=1 npx vitest run test/runtime/components.test.ts
  if (process.env['STOPLINE_COMPONENT_TIMES']) console.log(`[components] ${what}: ${Object.entries(values).map(([k, v]) => `${k}=${v}`).join(' ')}`);
}

const dir = path.join(repoRoot, 'fixtures/shop');
const scratch = path.join(repoRoot, 'test/.tmp/components-test');
const transpileCache = path.join(repoRoot, 'test/.tmp/line-transpiled');
const config = readProjectConfig(dir);
const corpus = loadRequestCorpus(path.join(dir, 'requests.json'));
const seedFile = path.join(dir, 'seed.json');
const { plan, graph } = planOnce('fixtures/shop');
const built = new Map<string, BuiltComponent>();

beforeAll(async () => {
  const program = generate(plan!, graph!, projectSources(dir));
  expect(program.diagnostics).toEqual([]);
  fs.mkdirSync(scratch, { recursive: true });
  // One after the other: componentize-js peaks at ~0.8 GB a build.
  for (const s of program.stops) {
    const b = await bundleStop(s, bundleOptionsFor(config, s.stop));
    const source = path.join(scratch, `${s.stop}.js`);
    fs.writeFileSync(source, b.js);
    const c = await buildComponent({ source, witPath: path.join(repoRoot, 'codegen/wit'), worldName: b.world, cacheDir: componentCacheDir, disableFeatures: ['stdio', 'random', 'http', 'fetch-event'] });
    report(`build ${s.stop}`, { cached: c.cached, ms: Math.round(c.ms), bytes: c.bytes });
    built.set(s.stop, c);
  }
}, 600_000);

describe('the split shop on real components behaves as the original', () => {
  it('lists no exclusion for a request the corpus does not have', () => {
    const names = new Set(corpus.map((c) => c.name));
    for (const name of [...Object.keys(EXCLUDED), ...Object.keys(ENGINE_MESSAGES)]) expect(names.has(name), name).toBe(true);
  });

  const cases = corpus.filter((c) => EXCLUDED[c.name] === undefined);
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (name, c) => {
    const startedOriginal = performance.now();
    const original = await runOriginal({ projectDir: dir, config, seedFile, entry: c.entry, request: c.request });
    const originalMs = performance.now() - startedOriginal;
    const onComponents: ComponentsResult = await runOnComponents({
      projectDir: dir,
      config,
      seedFile,
      entry: c.entry,
      request: c.request,
      stops: [...built].map(([stop, b]) => ({ name: stop, wasmPath: b.wasmPath })),
      cacheDir: transpileCache,
      wasi: true,
    });
    const { trace, virtualMs, timings, ...raw } = onComponents;
    report(name, { originalMs: Math.round(originalMs), openLineMs: timings.openMs, invokeMs: timings.invokeMs, crossings: trace.length, virtualMs });
    let result = withoutDerivedContentLength(raw, original);

    const engine = ENGINE_MESSAGES[name];
    if (engine) {
      expect(original.error?.message).toMatch(engine.original);
      expect(result.error?.message).toMatch(engine.components);
      result = { ...result, error: { ...result.error!, message: original.error!.message } };
    }
    expect(result).toEqual(original);

    // The crossings are the plan's cuts the request's path enters, as in split.test.ts:
    // viewCart's loop when the cart has lines, checkout's whole handler always.
    const cutHeads = new Set(plan!.cuts.map((cut) => cut.child));
    for (const crossing of trace) expect(cutHeads.has(crossing.segment)).toBe(true);
    const expected = c.entry === 'checkout' ? 1 : c.name === 'viewCart/three-lines' || c.name === 'viewCart/dropped-product' ? 1 : 0;
    expect(trace.map((x) => `${x.from}→${x.to}:${x.outcome}`)).toEqual(Array.from({ length: expected }, () => 'edge→origin:ok'));
    // Each crossing costs the edge–origin round trip on the virtual clock.
    expect(virtualMs).toBe(expected * 2 * 70);
  });
});
