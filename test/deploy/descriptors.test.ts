import fs from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { buildDirectory, type BuildResult } from '../../src/build/build-project.js';
import { parseManifest } from '../../src/build/manifest.js';
import { componentCacheDir } from '../codegen/component.setup.js';
import { repoRoot } from '../helpers/graph.js';

/**
 * `stopline build` writes spin.toml, wadm.yaml and fastly.toml next to each server stop's
 * component (src/deploy). On the shop (function entries) and conduit (Express routes),
 * built for real (components cached in test/.tmp/component-cache): the files parse with
 * the TOML and YAML libraries and name the right component file, routes, KV stores,
 * outbound hosts and configuration keys; every descriptor that cannot run as generated
 * says so at its head and is one SL5301 warning of the build, at that line.
 */

type Toml = Record<string, unknown>;
const dists: string[] = [];
const builds = new Map<string, BuildResult>();

async function buildFixture(name: string): Promise<BuildResult> {
  const out = fs.mkdtempSync(path.join(repoRoot, 'test/.tmp', `deploy-${name}-`));
  dists.push(out);
  const result = await buildDirectory(path.join(repoRoot, 'fixtures', name), { out, cacheDir: componentCacheDir });
  expect(result.status).toBe('built');
  return result;
}

const read = (result: BuildResult, file: string): string => fs.readFileSync(path.join(result.out, file), 'utf8');
const toml = (result: BuildResult, file: string): Toml => parseToml(read(result, file)) as Toml;
const yaml = (result: BuildResult, file: string): Toml => parseYaml(read(result, file)) as Toml;
const at = (value: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], value);

beforeAll(async () => {
  builds.set('shop', await buildFixture('shop'));
  builds.set('conduit', await buildFixture('conduit'));
}, 600_000);
afterAll(() => {
  for (const d of dists) fs.rmSync(d, { recursive: true, force: true });
});

describe('descriptors of the shop (function entries, KV at both stops, SQL at the origin)', () => {
  it('lists them in the manifest with what each server stop needs from a host', () => {
    const b = builds.get('shop')!;
    const m = parseManifest(read(b, 'stopline.manifest.json')).manifest!;
    expect(m.stops.map((s) => [s.stop, s.host ?? null])).toEqual([
      ['client', null],
      ['edge', { calls: ['origin'], config: ['STOPLINE_LINK_KEY', 'STOPLINE_LINK_KEY_PREVIOUS', 'STOPLINE_ADDR_ORIGIN'], outbound: [], descriptors: ['edge/spin.toml', 'edge/wadm.yaml', 'edge/fastly.toml'] }],
      ['origin', { calls: [], config: ['STOPLINE_LINK_KEY', 'STOPLINE_LINK_KEY_PREVIOUS'], outbound: [], descriptors: ['origin/spin.toml', 'origin/wadm.yaml', 'origin/fastly.toml'] }],
    ]);
    // The client stop runs in a browser (and here nothing runs there): no folder, no descriptor.
    expect(fs.existsSync(path.join(b.out, 'client'))).toBe(false);
  });

  it('spin.toml: the component, a trigger per entry and the contract paths, KV stores, outbound stops, variables', () => {
    const b = builds.get('shop')!;
    const edge = toml(b, 'edge/spin.toml');
    expect(edge.spin_manifest_version).toBe(2);
    expect(at(edge, 'application', 'name')).toBe('stopline-edge');
    expect((edge.trigger as { http: Toml[] }).http).toEqual(
      // The shop's function entries carry their routes (`route:` next to `function:` in stopline.yaml).
      ['/cart/items', '/checkout', '/cart', '/.well-known/stopline/dispatch/...', '/.well-known/stopline/health'].map((route) => ({ route, component: 'edge' })),
    );
    expect(at(edge, 'component', 'edge')).toEqual({
      description: "stopline stop 'edge'",
      source: 'edge.wasm',
      allowed_outbound_hosts: ['{{ stopline_addr_origin }}'],
      key_value_stores: ['carts'],
      variables: { stopline_link_key: '{{ stopline_link_key }}', stopline_addr_origin: '{{ stopline_addr_origin }}' },
    });
    expect(edge.variables).toEqual({ stopline_link_key: { required: true, secret: true }, stopline_addr_origin: { required: true } });

    const origin = toml(b, 'origin/spin.toml');
    expect((origin.trigger as { http: Toml[] }).http.map((t) => t.route)).toEqual(['/.well-known/stopline/dispatch/...', '/.well-known/stopline/health']);
    expect(at(origin, 'component', 'origin', 'source')).toBe('origin.wasm');
    expect(at(origin, 'component', 'origin', 'allowed_outbound_hosts')).toEqual([]);
    expect(at(origin, 'component', 'origin', 'key_value_stores')).toEqual(['carts']);
    expect(Object.keys(origin.variables as Toml)).toEqual(['stopline_link_key']);
  });

  it('wadm.yaml: the component from its file with its named config, linked to the HTTP server, a KV provider and (where it calls) an HTTP client', () => {
    const b = builds.get('shop')!;
    const edge = yaml(b, 'edge/wadm.yaml');
    expect([edge.apiVersion, edge.kind, at(edge, 'metadata', 'name')]).toEqual(['core.oam.dev/v1beta1', 'Application', 'stopline-edge']);
    const components = at(edge, 'spec', 'components') as Toml[];
    expect(components.map((c) => [c.name, c.type])).toEqual([['edge', 'component'], ['httpserver', 'capability'], ['keyvalue', 'capability'], ['httpclient', 'capability']]);
    expect(components[0]!.properties).toEqual({ image: 'file://./edge.wasm', config: [{ name: 'stopline-edge' }] });
    const links = (components[0]!.traits as Toml[]).filter((t) => t.type === 'link').map((t) => t.properties as Toml);
    expect(links.map((l) => [at(l, 'target', 'name'), l.namespace, l.package, l.interfaces])).toEqual([
      ['keyvalue', 'wasi', 'keyvalue', ['store', 'atomics']],
      ['httpclient', 'wasi', 'http', ['outgoing-handler']],
    ]);
    const server = (components[1]!.traits as Toml[])[0]!.properties as Toml;
    expect([at(server, 'target', 'name'), server.interfaces, at(server, 'source', 'config')]).toEqual(['edge', ['incoming-handler'], [{ name: 'stopline-edge-http', properties: { address: '127.0.0.1:8101' } }]]);
    expect(read(b, 'edge/wadm.yaml')).toContain('# Configuration first (the component reads it through wasi:config/store): wash config put stopline-edge STOPLINE_LINK_KEY=… STOPLINE_ADDR_ORIGIN=http://127.0.0.1:8102\n');

    const origin = yaml(b, 'origin/wadm.yaml');
    expect((at(origin, 'spec', 'components') as Toml[]).map((c) => c.name)).toEqual(['origin', 'httpserver', 'keyvalue']);
  });

  it('fastly.toml: the package, backends for the stops it calls, KV stores and a config store in [local_server] and [setup]', () => {
    const b = builds.get('shop')!;
    const edge = toml(b, 'edge/fastly.toml');
    expect([edge.manifest_version, edge.name, edge.language]).toEqual([3, 'stopline-edge', 'other']);
    expect(edge.local_server).toEqual({
      backends: { stopline_origin: { url: 'http://127.0.0.1:8102' } },
      kv_stores: { carts: [] },
      config_stores: { stopline_edge: { format: 'inline-toml', contents: { STOPLINE_ADDR_ORIGIN: 'http://127.0.0.1:8102' } } },
    });
    expect(Object.keys(at(edge, 'setup', 'kv_stores') as Toml)).toEqual(['carts']);
    expect(Object.keys(at(edge, 'setup', 'config_stores', 'stopline_edge', 'items') as Toml)).toEqual(['STOPLINE_LINK_KEY', 'STOPLINE_ADDR_ORIGIN']);
    const origin = toml(b, 'origin/fastly.toml');
    expect(at(origin, 'local_server', 'backends')).toBeUndefined();
    expect(Object.keys(at(origin, 'setup', 'config_stores', 'stopline_origin', 'items') as Toml)).toEqual(['STOPLINE_LINK_KEY']);
  });

  it('says where a host cannot run the component: a CANNOT RUN comment per problem, one SL5301 per descriptor at the first', () => {
    const b = builds.get('shop')!;
    const deploy = b.diagnostics.filter((d) => d.code.startsWith('SL53'));
    const expected = ['edge', 'origin'].flatMap((stop) =>
      ['spin.toml', 'wadm.yaml', 'fastly.toml'].flatMap((file) => {
        const lines = read(b, `${stop}/${file}`).split('\n');
        const first = lines.findIndex((l) => l.startsWith('# CANNOT RUN AS GENERATED: '));
        return first < 0 ? [] : [{ code: 'SL5301', file: path.join(b.out, stop, file), line: first + 1 }];
      }),
    );
    expect(deploy.map((d) => ({ code: d.code, file: d.range!.file, line: d.range!.start.line }))).toEqual(expected);
    // The SQL store: no host implements stopline:line/sql, whatever else changes.
    for (const file of ['spin.toml', 'wadm.yaml', 'fastly.toml']) expect(read(b, `origin/${file}`)).toMatch(/^# CANNOT RUN AS GENERATED: .*stopline:line\/sql@0\.1\.0 \(stopline's own SQL interface/m);
    for (const file of ['spin.toml', 'wadm.yaml', 'fastly.toml']) expect(read(b, `edge/${file}`)).not.toContain('stopline:line/sql');
    // Spin reads no upper-case configuration key; wasmCloud and Fastly do.
    expect(read(b, 'edge/spin.toml')).toMatch(/^# CANNOT RUN AS GENERATED: Spin cannot hand configuration keys STOPLINE_LINK_KEY, STOPLINE_LINK_KEY_PREVIOUS, STOPLINE_ADDR_ORIGIN to the component/m);
    expect(read(b, 'edge/wadm.yaml')).not.toContain('configuration keys');
    // Spin's wasi:keyvalue and wasi:config are other pre-release versions than the component's.
    expect(read(b, 'edge/spin.toml')).toMatch(/wasi:keyvalue\/store@0\.2\.0-draft \(Spin implements wasi:keyvalue@0\.2\.0-draft2/);
    expect(read(b, 'edge/wadm.yaml')).not.toContain('wasi:keyvalue');
  });
});

describe('descriptors of conduit (Express routes, a process.env secret, SQL and KV at both stops)', () => {
  it('routes the Express paths (one Spin trigger per path, methods in the comment), and asks for JWT_SECRET', () => {
    const b = builds.get('conduit')!;
    const m = parseManifest(read(b, 'stopline.manifest.json')).manifest!;
    expect(m.stops.map((s) => s.host?.config ?? null)).toEqual([
      null,
      ['STOPLINE_LINK_KEY', 'STOPLINE_LINK_KEY_PREVIOUS', 'STOPLINE_ADDR_ORIGIN', 'JWT_SECRET'],
      ['STOPLINE_LINK_KEY', 'STOPLINE_LINK_KEY_PREVIOUS', 'JWT_SECRET'],
    ]);
    const edge = toml(b, 'edge/spin.toml');
    expect((edge.trigger as { http: Toml[] }).http.map((t) => t.route)).toEqual(['/api/articles/:slug', '/api/tags', '/api/articles', '/.well-known/stopline/dispatch/...', '/.well-known/stopline/health']);
    expect(at(edge, 'component', 'edge', 'key_value_stores')).toEqual(['tagcache']);
    expect(edge.variables).toEqual({ stopline_link_key: { required: true, secret: true }, stopline_addr_origin: { required: true }, jwt_secret: { required: true, secret: true } });
    expect(at(edge, 'component', 'edge', 'variables')).toEqual({ stopline_link_key: '{{ stopline_link_key }}', stopline_addr_origin: '{{ stopline_addr_origin }}', jwt_secret: '{{ jwt_secret }}' });

    expect(read(b, 'edge/wadm.yaml')).toContain('# Routes (address mode: every path at 127.0.0.1:8101 reaches the component, which routes them): GET /api/articles/:slug, GET /api/tags, POST /api/articles, PUT /api/articles/:slug, POST /.well-known/stopline/dispatch/*, GET /.well-known/stopline/health\n');
    const fastly = toml(b, 'origin/fastly.toml');
    expect(Object.keys(at(fastly, 'setup', 'config_stores', 'stopline_origin', 'items') as Toml)).toEqual(['STOPLINE_LINK_KEY', 'JWT_SECRET']);
    expect(at(fastly, 'local_server', 'kv_stores')).toEqual({ tagcache: [] });
    // Both stops reach the SQL store: no descriptor runs there as generated.
    for (const stop of ['edge', 'origin']) for (const file of ['spin.toml', 'wadm.yaml', 'fastly.toml']) expect(read(b, `${stop}/${file}`)).toContain('stopline:line/sql@0.1.0 (stopline');
    expect(b.diagnostics.filter((d) => d.code === 'SL5301').length).toBe(6);
  });
});
