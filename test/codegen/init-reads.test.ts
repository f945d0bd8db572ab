import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleOptionsFor, bundleStop } from '../../codegen/bundle/index.js';
import { initConfigReads } from '../../codegen/bundle/init-reads.js';
import { generate } from '../../codegen/index.js';
import { initConfigWarnings } from '../../src/build/stops.js';
import { readProjectConfig } from '../../src/runtime/original/index.js';
import { repoRoot } from '../helpers/graph.js';
import { projectSources } from '../helpers/sources.js';
import { planOnce } from '../planner/plan-helpers.js';

/** Module-level process.env reads (codegen/bundle/init-reads.ts): what runs at build time inside a component. */
describe('initConfigReads', () => {
  it('finds reads evaluated with the module, not those inside functions', () => {
    const text = [
      "const url = process.env.REDIS_URL ?? 'redis://localhost:6379';", // 1
      "export const db = { uri: process.env['DATABASE_URL'] };", // 2
      'const { A, B } = process.env;', // 3
      'export function later() { return process.env.LATER; }', // 4
      'const arrow = () => process.env.ARROW;', // 5
      'class Config {', // 6
      '  static port = Number(process.env.PORT);', // 7
      '  host = process.env.HOST;', // 8
      '  static { void process.env.STATIC_BLOCK; }', // 9
      '  get mode() { return process.env.MODE; }', // 10
      '}', // 11
      'export default process.env.DEFAULT;', // 12
      'const env = globalThis.process?.env;', // 13: not the `process` identifier's env member chain
    ].join('\n');
    const reads = initConfigReads('src/config.ts', text).map((r) => [r.key, r.range.start.line, r.range.start.column, r.range.end.line, r.range.end.column]);
    expect(reads).toEqual([
      ['REDIS_URL', 1, 13, 1, 34],
      ['DATABASE_URL', 2, 26, 2, 53],
      [null, 3, 18, 3, 29],
      ['PORT', 7, 24, 7, 40],
      ['STATIC_BLOCK', 9, 17, 9, 41],
      ['DEFAULT', 12, 16, 12, 35],
    ]);
  });
});

describe('initConfigReads with bound store handles', () => {
  it('leaves out the initialiser of a handle the lowering re-points at its store', () => {
    const text = "import { Pool } from 'pg';\nexport const pool = new Pool({ connectionString: process.env.DATABASE_URL });\nexport const other = process.env.OTHER;\n";
    expect(initConfigReads('src/db.ts', text, new Set(['pool'])).map((r) => r.key)).toEqual(['OTHER']);
    expect(initConfigReads('src/db.ts', text).map((r) => r.key)).toEqual(['DATABASE_URL', 'OTHER']);
  });
});

describe('SL5201 over a project (initConfigWarnings)', () => {
  it('the shop: its pool reads DATABASE_URL at module level, but the pool is a bound handle: no warning', async () => {
    const dir = path.join(repoRoot, 'fixtures/shop');
    const { plan, graph } = planOnce('fixtures/shop');
    const sources = projectSources('fixtures/shop');
    const config = readProjectConfig(dir);
    const program = generate(plan!, graph!, sources);
    const stops = await Promise.all(program.stops.map(async (s) => ({ stop: s.stop, sources: s, bundle: await bundleStop(s, { ...bundleOptionsFor(config, s.stop), projectDir: dir }), modulePath: null, world: null, witPath: null, component: null })));
    expect(stops.find((s) => s.stop === 'origin')!.bundle.files).toContain('src/db.ts');
    expect(sources.get('src/db.ts')).toContain('process.env.DATABASE_URL');
    expect(initConfigWarnings(stops, sources, config)).toEqual([]);
    const unbound = { ...config, stores: config.stores.map((s) => ({ ...s, binding: null })) };
    expect(initConfigWarnings(stops, sources, unbound).map((d) => [d.code, d.range?.file, d.range?.start.line])).toEqual([['SL5201', 'src/db.ts', 4]]);
  });
});
