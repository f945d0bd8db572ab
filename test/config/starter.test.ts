import { describe, expect, it } from 'vitest';
import { defaultLine, parseConfig, renderStarterConfig, type StarterInput } from '../../src/config/index.js';
import { presets } from '../../src/presets/index.js';
import { testPresets } from './test-presets.js';

const render = (input: StarterInput) => renderStarterConfig(input, { presets: testPresets });
const parse = (text: string) => parseConfig(text, 'stopline.yaml', { presets: testPresets });

const TYPICAL: StarterInput = {
  stores: [
    { name: 'orders', preset: 'pg' },
    { name: 'cache', preset: 'workers-kv' },
    { name: 'prefs', preset: 'local-storage' },
  ],
  entries: [
    { function: 'src/index.ts#fetch', arrives: 'edge', note: 'exported fetch handler' },
    { route: 'GET /cart/:id', arrives: 'edge', note: 'Hono route in src/app.ts:12' },
  ],
};

describe('renderStarterConfig', () => {
  it('round trips: the starter config parses back with no diagnostics', () => {
    const text = render(TYPICAL);
    const result = parse(text);
    expect(result.diagnostics).toEqual([]);
    const config = result.config;
    expect(config?.line).toEqual(defaultLine());
    expect(config?.stores.map(({ at: _at, ...s }) => s)).toEqual([
      { name: 'orders', preset: 'pg', consistency: 'strong', home: 'origin', replicas: [], binding: null, urlPrefix: null },
      { name: 'cache', preset: 'workers-kv', consistency: 'eventual', home: 'origin', replicas: ['edge'], binding: null, urlPrefix: null },
      { name: 'prefs', preset: 'local-storage', consistency: 'local', home: 'client', replicas: [], binding: null, urlPrefix: null },
    ]);
    expect(config?.entries.map(({ at: _at, ...e }) => e)).toEqual([
      { function: { file: 'src/index.ts', name: 'fetch' }, route: null, name: null, arrives: 'edge' },
      { function: null, route: { method: 'GET', path: '/cart/:id' }, name: null, arrives: 'edge' },
    ]);
    expect(config?.pins).toEqual([]);
    expect(config?.tsconfig).toBeNull();
  });

  it('writes the defaults explicitly and explains every key in comments', () => {
    const text = render(TYPICAL);
    for (const key of ['trusted', 'slowdown', 'latencyMs', 'bandwidthMbps', 'preset', 'consistency', 'home', 'replicas', 'binding', 'arrives', 'pins', 'loopFactor']) {
      expect(text).toMatch(new RegExp(`#.*\\b${key}\\b`));
    }
    expect(text).toContain('  - stop: client\n    trusted: false\n    slowdown: 4\n');
    expect(text).toContain('  - stop: origin\n    trusted: true\n    slowdown: 1\n    latencyMs: 70\n    bandwidthMbps: null\n');
    expect(text).toContain('  cache:\n    preset: workers-kv');
    expect(text).toContain('    replicas: [edge]\n');
    expect(text).toContain('# exported fetch handler');
  });

  it('round trips with nothing detected', () => {
    const text = render({ stores: [], entries: [] });
    const result = parse(text);
    expect(result.diagnostics).toEqual([]);
    expect(result.config?.stores).toEqual([]);
    expect(result.config?.entries).toEqual([]);
  });

  it('round trips a custom line, a tsconfig, bindings and a fetch store', () => {
    const text = render({
      tsconfig: 'tsconfig.app.json',
      line: {
        stops: [
          { name: 'browser', trusted: false, slowdown: 3, latencyMs: 0, bandwidthMbps: null },
          { name: 'pop', trusted: true, slowdown: 1, latencyMs: 8, bandwidthMbps: 50 },
          { name: 'shield', trusted: true, slowdown: 1, latencyMs: 12, bandwidthMbps: null },
          { name: 'dc', trusted: true, slowdown: 0.8, latencyMs: 60, bandwidthMbps: 1000 },
        ],
      },
      stores: [
        { name: 'orders', preset: 'pg', binding: './src/db.ts#orders' },
        { name: 'users', preset: 'pg', binding: 'src/db.ts#users' },
        { name: 'kv', preset: 'workers-kv', binding: 'src/env.ts#Env.KV' },
        { name: 'stripe', preset: 'fetch', urlPrefix: 'https://api.stripe.com/' },
        { name: 'true', preset: 'ioredis' },
      ],
      entries: [{ function: 'src/worker.ts#default', arrives: 'pop', note: 'default export\nwith a fetch method' }],
    });
    const result = parse(text);
    expect(result.diagnostics).toEqual([]);
    expect(result.config?.tsconfig).toBe('tsconfig.app.json');
    expect(result.config?.line.stops.map((s) => [s.name, s.trusted, s.slowdown, s.latencyMs, s.bandwidthMbps])).toEqual([
      ['browser', false, 3, 0, null],
      ['pop', true, 1, 8, 50],
      ['shield', true, 1, 12, null],
      ['dc', true, 0.8, 60, 1000],
    ]);
    expect(result.config?.stores.map((s) => [s.name, s.home, s.replicas, s.binding, s.urlPrefix])).toEqual([
      ['orders', 'dc', [], 'src/db.ts#orders', null],
      ['users', 'dc', [], 'src/db.ts#users', null],
      ['kv', 'dc', ['pop', 'shield'], 'src/env.ts#Env.KV', null],
      ['stripe', 'dc', [], null, 'https://api.stripe.com/'],
      ['true', 'dc', [], null, null],
    ]);
    expect(result.config?.entries.map((e) => [e.function, e.arrives])).toEqual([[{ file: 'src/worker.ts', name: 'default' }, 'pop']]);
  });

  it('writes what would not validate as comments with the reason, so it still round trips', () => {
    const text = render({
      stores: [
        { name: 'a', preset: 'pg' },
        { name: 'b', preset: 'pg' },
        { name: 'c', preset: 'pg', binding: 'src/db.ts#c' },
        { name: 'page', preset: 'dom' },
        { name: 'mystery', preset: 'mongo' },
        { name: 'api', preset: 'fetch' },
        { name: 'bad', preset: 'ioredis', binding: 'not a binding' },
      ],
      entries: [
        { function: 'src/h.ts#a', arrives: 'moon', note: 'arrives nowhere' },
        { function: 'src/h.ts', arrives: 'edge', note: 'not file#name' },
        { route: 'FETCH /x', arrives: 'edge', note: 'bad method' },
        { function: 'src/h.ts#b', route: 'GET /b', arrives: 'edge', note: 'both' },
        { arrives: 'edge', note: 'neither' },
      ],
    });
    const result = parse(text);
    expect(result.diagnostics).toEqual([]);
    expect(result.config?.stores.map((s) => [s.name, s.binding])).toEqual([
      ['c', 'src/db.ts#c'],
      ['bad', null],
    ]);
    expect(result.config?.entries).toEqual([]);
    expect(text).toContain('#   preset: mongo');
    expect(text).toContain('# - function: src/h.ts#a');
  });

  it('falls back to the default line when the given one cannot be written', () => {
    const text = render({
      line: { stops: [{ name: 'edge', trusted: true, slowdown: 1, latencyMs: 0, bandwidthMbps: null }, { name: 'edge', trusted: true, slowdown: 1, latencyMs: 5, bandwidthMbps: null }] },
      stores: [],
      entries: [],
    });
    const result = parse(text);
    expect(result.diagnostics).toEqual([]);
    expect(result.config?.line).toEqual(defaultLine());
  });
});

describe('renderStarterConfig with the preset registry', () => {
  it.skipIf(presets.length === 0)('round trips one store of every registered preset', () => {
    const input: StarterInput = {
      stores: presets.map((p) => ({ name: p.name.replace(/[^A-Za-z0-9]/g, '_'), preset: p.name })),
      entries: [{ function: 'src/index.ts#fetch', arrives: 'edge', note: 'exported fetch handler' }],
    };
    const text = renderStarterConfig(input);
    const result = parseConfig(text, 'stopline.yaml');
    expect(result.diagnostics).toEqual([]);
    const stores = presets.filter((p) => p.store !== null && p.capability === null && p.store.kind !== 'http');
    expect(result.config?.stores.map((s) => s.preset)).toEqual(stores.map((p) => p.name));
  });
});
