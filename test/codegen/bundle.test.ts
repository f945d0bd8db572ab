import fs from 'node:fs';
import path from 'node:path';
import { ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { bundleOptionsFor, bundleStop, type StopBundle } from '../../codegen/bundle/index.js';
import { buildComponent, stopWorld, writeStopWorld } from '../../codegen/component/index.js';
import { SERVER_STOP_DISABLED_FEATURES } from '../../src/build/stops.js';
import { generate, LINK_FILE } from '../../codegen/index.js';
import { createDispatch, createFastlyKvLoweredModule, createKvNamespace, createLink, createMysql2LoweredModule, createPgModule, DISPOSE, type KeyvalueStoreImport, type PgQueryResult, type SqlConnectionResource, type SqlImport } from '../../codegen/lower/index.js';
import { decode, decodeCompletion, encode, encodeCall, encodeCompletion } from '../../codegen/wire/index.js';
import { readProjectConfig } from '../../src/runtime/original/index.js';
import { repoRoot } from '../helpers/graph.js';
import { planOnce } from '../planner/plan-helpers.js';
import { componentCacheDir } from './component.setup.js';
import { projectSources } from '../helpers/sources.js';


/** Module specifiers a bundle imports (static and dynamic). */
function importsOf(code: string): string[] {
  return ts.preProcessFile(code, true, true).importedFiles.map((f) => f.fileName).sort();
}

function syntaxErrors(code: string): string[] {
  const out = ts.transpileModule(code, { fileName: 'bundle.js', reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, allowJs: true } });
  return (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

const scratch = path.join(repoRoot, 'test/.tmp/bundle-test');

describe('bundling the shop per stop', () => {
  const { plan, graph } = planOnce('fixtures/shop');
  const program = generate(plan!, graph!, projectSources('fixtures/shop'));
  const config = readProjectConfig(path.join(repoRoot, 'fixtures/shop'));
  const bundles = new Map<string, StopBundle>();
  const bundleOf = async (stop: string): Promise<StopBundle> => {
    let b = bundles.get(stop);
    if (b === undefined) {
      const sources = program.stops.find((s) => s.stop === stop)!;
      b = await bundleStop(sources, bundleOptionsFor(config, stop));
      bundles.set(stop, b);
    }
    return b;
  };

  it('makes one ES module per stop whose only imports are WIT interfaces, and which parses', async () => {
    expect(program.diagnostics).toEqual([]);
    const witImports: Record<string, string[]> = {};
    for (const { stop } of program.stops) {
      const b = await bundleOf(stop);
      expect([stop, syntaxErrors(b.js)]).toEqual([stop, []]);
      witImports[stop] = [...new Set(importsOf(b.js))];
      for (const spec of witImports[stop]!) expect(spec).toMatch(/^(stopline:line\/[a-z-]+@0\.1\.0|wasi:(keyvalue|config)\/[a-z]+@0\.2\.0-draft|wasi:http\/types@0\.2\.10)$/);
      expect(b.js).toMatch(/export \{[^}]*\bdispatch\b[^}]*\}/);
      // Nothing of Node's: no node: modules, no require (devalue's Buffer branch is guarded by a `process.versions.node` test, and the prelude's `process` has no versions).
      expect(b.js).not.toMatch(/from "node:|require\(/);
      expect(b.js).not.toMatch(/process\.versions\s*=/);
    }
    expect(Object.fromEntries([...bundles].map(([s, b]) => [s, b.world]))).toEqual({ client: 'client', edge: 'server', origin: 'server' });
    // The client stop serves nothing here: only the link (and no configuration: process.env is
    // `{}` there). The edge reads carts (KV); its code never reaches the module-level pool of
    // src/db.ts, so the pool is not bound there and the edge does not import sql. The origin
    // runs the pg segments and checkout. Both server stops read process.env through
    // wasi:config/store, and are served over HTTP (wasi:http/types: the incoming-handler export).
    expect(witImports['client']).toEqual(['stopline:line/link@0.1.0']);
    expect(witImports['edge']).toEqual(['stopline:line/link@0.1.0', 'wasi:config/store@0.2.0-draft', 'wasi:http/types@0.2.10', 'wasi:keyvalue/store@0.2.0-draft']);
    expect(witImports['origin']).toEqual(['stopline:line/link@0.1.0', 'stopline:line/sql@0.1.0', 'wasi:config/store@0.2.0-draft', 'wasi:http/types@0.2.10', 'wasi:keyvalue/store@0.2.0-draft']);
    expect(bundles.get('edge')!.js).toMatch(/export \{[^}]*\bincomingHandler\b[^}]*\}/);
    expect(bundles.get('client')!.js).not.toContain('incomingHandler');
  });

  it('puts every outlined segment in the dispatch table of its stop and the entries at their arrival stop', async () => {
    for (const s of program.stops) {
      const b = await bundleOf(s.stop);
      expect(b.imports).toEqual([...new Set(importsOf(b.js))]);
      for (const d of s.dispatch) expect(b.js).toContain(JSON.stringify(d.segment));
      for (const e of s.entries) expect(b.js).toContain(`${JSON.stringify(e.name)}:`);
    }
    const origin = await bundleOf('origin');
    expect(origin.js).toContain('createPgModule');
    expect(origin.js).toContain('"CARTS": createKvNamespace');
    expect(origin.js).toMatch(/__stopline_bind\(.*"orders"\)/);
  });

  it('componentizes the origin stop for the server world', { timeout: 300_000 }, async () => {
    const origin = await bundleOf('origin');
    fs.mkdirSync(scratch, { recursive: true });
    const source = path.join(scratch, 'origin.js');
    fs.writeFileSync(source, origin.js);
    // The stop's own world (as buildStops makes it): the server world of codegen/wit has no wasi:http, which a server stop exports now.
    const world = stopWorld('origin', origin.imports, { http: true });
    writeStopWorld(world, path.join(scratch, 'origin-wit'));
    const built = await buildComponent({ source, witPath: path.join(scratch, 'origin-wit'), worldName: world.name, cacheDir: componentCacheDir, disableFeatures: SERVER_STOP_DISABLED_FEATURES });
    expect(built.bytes).toBeGreaterThan(1_000_000);
    if (process.env['STOPLINE_COMPONENT_TIMES']) console.log(`[bundle] origin: js=${origin.js.length}B cached=${built.cached} ms=${built.ms} wasm=${built.bytes}B`);
  });
});

describe('the guest lowerings on fake WIT imports', () => {
  it('pg: Pool.query and PoolClient go through sql with wire-encoded params and rows; sql errors become DatabaseError', async () => {
    const calls: string[] = [];
    const disposed: string[] = [];
    const answer = (rows: Record<string, unknown>[]) => encode({ rows, rowCount: rows.length });
    const sql: SqlImport = {
      query(store, text, params) {
        calls.push(`${store}:${text}:${JSON.stringify(decode(params))}`);
        if (text.startsWith('BAD')) throw Object.assign(new Error('err'), { payload: { kind: 'query-failed', code: '23505', message: 'duplicate key' } });
        return answer([{ id: 7n, name: 'x' }]);
      },
      connect(store) {
        return {
          query: (text) => (calls.push(`conn ${store}:${text}`), answer([])),
          begin() {},
          commit() {},
          rollback() {},
          [DISPOSE]: () => disposed.push(store),
        } as SqlConnectionResource;
      },
    };
    const pg = createPgModule({ sql, defaultStore: 'orders' });
    const pool = new pg.Pool({ max: 5 }) as unknown as { query(t: string, p?: unknown[]): Promise<PgQueryResult>; connect(): Promise<{ query(t: string): Promise<PgQueryResult>; release(): void }> };
    const result = await pool.query('SELECT id, name FROM products WHERE id = $1', [7]);
    expect(result).toMatchObject({ command: 'SELECT', rowCount: 1, rows: [{ id: 7, name: 'x' }], fields: [{ name: 'id' }, { name: 'name' }] });
    const error = await pool.query('BAD INSERT').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(pg.DatabaseError);
    expect(error).toMatchObject({ name: 'error', code: '23505', message: 'duplicate key' });
    const client = await pool.connect();
    expect(await client.query('BEGIN')).toMatchObject({ command: 'BEGIN', rowCount: null });
    client.release();
    expect(() => client.release()).toThrow(/already been released/);
    expect(calls).toEqual(['orders:SELECT id, name FROM products WHERE id = $1:[7]', 'orders:BAD INSERT:[]', 'conn orders:BEGIN']);
    expect(disposed).toEqual(['orders']);
  });

  it('Workers KV: strings as UTF-8 bytes in one bucket per store, json/text reads, list by prefix with cursors', async () => {
    const data = new Map<string, Uint8Array>();
    const opened: string[] = [];
    const store: KeyvalueStoreImport = {
      open(id) {
        opened.push(id);
        return {
          get: (k) => data.get(k),
          set: (k, v) => void data.set(k, v),
          delete: (k) => void data.delete(k),
          exists: (k) => data.has(k),
          // Two pages, to exercise the cursor loop.
          listKeys: (cursor) => {
            const keys = [...data.keys()];
            return cursor === undefined ? { keys: keys.slice(0, 1), cursor: 1n } : { keys: keys.slice(1) };
          },
        };
      },
    };
    const kv = createKvNamespace(store, 'carts');
    await kv.put('cart:ada', JSON.stringify({ lines: [1] }), { expirationTtl: 3600 });
    await kv.put('cart:bob', 'ünï');
    await kv.put('other', 'x');
    expect(await kv.get('cart:ada', 'json')).toEqual({ lines: [1] });
    expect(await kv.get('cart:bob')).toBe('ünï');
    expect(await kv.get('missing', 'json')).toBeNull();
    await expect(kv.put('k', 'v', { expirationTtl: 10 })).rejects.toThrow(/at least 60/);
    const page = await kv.list({ prefix: 'cart:', limit: 1 });
    expect(page).toEqual({ list_complete: false, keys: [{ name: 'cart:ada' }], cursor: Buffer.from('cart:ada').toString('base64url'), cacheStatus: null });
    expect(await kv.list({ prefix: 'cart:', cursor: page.list_complete ? null : page.cursor })).toEqual({ list_complete: true, keys: [{ name: 'cart:bob' }], cacheStatus: null });
    await kv.delete('cart:bob');
    expect(await kv.get('cart:bob')).toBeNull();
    expect(opened).toEqual(['carts']);
  });

  it('dispatch runs a segment and answers a completion; the link rethrows a throw completion with its class', async () => {
    const env = { CARTS: 'kv' };
    const dispatch = createDispatch({
      env,
      segments: {
        double: async (liveIns) => ({ kind: 'return', value: (liveIns['n'] as number) * 2, liveOuts: { sawEnv: liveIns['e'] === env } }),
        boom: async () => {
          throw new RangeError('too far');
        },
      },
      entries: { hello: async (request) => new Response(`hi ${(request as Request).headers.get('x-user-id')}`, { status: 201 }) },
    });
    const link = createLink({ env, link: { call: () => { throw new Error('unused'); } } });
    expect(link.handle('env')).toBe(env);
    const call = (segment: string, liveIns: Record<string, unknown>) => dispatch.invoke(segment, encodeCall({ segment, liveIns }));
    expect(decodeCompletion(await call('double', { n: 21, e: { __stopline_handle: 'env' } }))).toEqual({ kind: 'return', value: 42, liveOuts: { sawEnv: true } });
    const thrown = decodeCompletion(await call('boom', {}));
    expect(thrown.kind === 'throw' && thrown.error).toBeInstanceOf(RangeError);
    await expect(call('nope', {})).rejects.toMatchObject({ payload: { code: 'unknown-segment' } });
    await expect(dispatch.invoke('double', 'garbage')).rejects.toMatchObject({ payload: { code: 'bad-payload' } });
    const request = { __stopline_request: { method: 'GET', url: 'https://shop.test/cart', headers: [['x-user-id', 'ada']], body: null } };
    expect(decodeCompletion(await call('entry:hello', { args: [request, { __stopline_handle: 'env' }] }))).toEqual({
      kind: 'return',
      value: { __stopline_response: { status: 201, headers: [['content-type', 'text/plain;charset=UTF-8']], body: 'hi ada' } },
      liveOuts: {},
    });

    const remote = createLink({ env, link: { call: (_stop, segment, payload) => { void segment; void payload; return encodeCompletion({ kind: 'throw', error: new TypeError('remote'), liveOuts: {} }); } } });
    await expect(remote.call('origin', 'x', { a: 1 })).rejects.toThrow(TypeError);
    const down = createLink({ env, link: { call: () => { throw Object.assign(new Error('x'), { payload: { code: 'unavailable', message: 'no route' } }); } } });
    await expect(down.call('origin', 'x', {})).rejects.toMatchObject({ name: 'StoplineRpcError', code: 'unavailable', stop: 'origin', segment: 'x' });
  });
});

describe('bundling pages per stop (mysql2/promise, fastly:kv-store, `export default { fetch }`)', () => {
  const { plan, graph } = planOnce('fixtures/pages');
  const program = generate(plan!, graph!, projectSources('fixtures/pages'));
  const config = readProjectConfig(path.join(repoRoot, 'fixtures/pages'));
  const bundleOf = (stop: string): Promise<StopBundle> => bundleStop(program.stops.find((s) => s.stop === stop)!, bundleOptionsFor(config, stop));

  it('replaces both libraries by their lowerings, binds the pool to its store, and serves fetch as a method of its object', async () => {
    expect(program.diagnostics).toEqual([]);
    const edge = await bundleOf('edge');
    const origin = await bundleOf('origin');
    for (const b of [edge, origin]) expect(syntaxErrors(b.js)).toEqual([]);
    // The edge reads and writes the KV and never reaches the pool's module: no sql import, no mysql2.
    expect(importsOf(edge.js)).toEqual(['stopline:line/link@0.1.0', 'wasi:config/store@0.2.0-draft', 'wasi:http/types@0.2.10', 'wasi:keyvalue/store@0.2.0-draft']);
    expect(edge.js).not.toContain('createMysql2LoweredModule');
    expect(importsOf(origin.js)).toEqual(['stopline:line/link@0.1.0', 'stopline:line/sql@0.1.0', 'wasi:config/store@0.2.0-draft', 'wasi:http/types@0.2.10', 'wasi:keyvalue/store@0.2.0-draft']);
    expect(origin.js).toContain('createMysql2LoweredModule({');
    // The module-level pool (inlined by rolldown where nothing else names it) is bound to `content`.
    expect(origin.js).toMatch(/__stopline_bind\w*\((pool|mysql\.createPool\(\{[^}]*\}\)), "content"\);/);
    expect(edge.js).toContain('createFastlyKvLoweredModule({');
    expect(edge.js).toContain('stores: ["fragments"]');
    // The entry is `default.fetch`, called on `default` (its `this`).
    const served = /"fetch": \(\.\.\.args\) => (\w+)\.fetch\.apply\((\w+), args\)/.exec(edge.js);
    expect(served?.[1]).toBeDefined();
    expect(served?.[2]).toBe(served?.[1]);
    expect(origin.js).not.toContain('"fetch": (...args)');
  });

  it('calls a method entry with its object as `this` (a bundle run in Node on fake imports)', async () => {
    const link = program.stops[0]!.files.find((f) => f.path === LINK_FILE)!;
    const bundle = await bundleStop(
      {
        stop: 'edge',
        files: [{ path: 'src/index.ts', text: "export default {\n  greeting: 'hello from this',\n  async fetch(request: Request): Promise<Response> {\n    return new Response(`${this.greeting} ${new URL(request.url).pathname}`);\n  },\n};\n" }, link],
        dispatch: [],
        entries: [{ name: 'fetch', file: 'src/index.ts', exportName: 'default', member: ['fetch'] }],
      },
      { world: 'server', stores: [] },
    );
    const fakes: Record<string, unknown> = { 'stopline:line/link@0.1.0': { call: () => { throw new Error('no link'); } } };
    const key = `__stoplineFakes${Date.now()}`;
    (globalThis as Record<string, unknown>)[key] = fakes;
    const code = bundle.js.replace(/import \* as (\w+) from "([^"]+)";/g, (_m, id: string, spec: string) => `const ${id} = globalThis[${JSON.stringify(key)}][${JSON.stringify(spec)}];`);
    const { dispatch } = (await import(`data:text/javascript,${encodeURIComponent(code)}`)) as { dispatch: { invoke(segment: string, payload: string): Promise<string> } };
    const request = { __stopline_request: { method: 'GET', url: 'https://pages.example/about', headers: [], body: null } };
    const answer = decodeCompletion(await dispatch.invoke('entry:fetch', encodeCall({ segment: 'entry:fetch', liveIns: { args: [request, { __stopline_handle: 'env' }] } })));
    expect(answer).toMatchObject({ kind: 'return', value: { __stopline_response: { status: 200, body: 'hello from this /about' } } });
  });
});

describe('the pages lowerings on fake WIT imports', () => {
  it('mysql2: statements go to sql.query with ?N parameters as wire values; declared DATETIME columns come back as Dates; sql errors become mysql2 errors', async () => {
    const calls: string[] = [];
    const sql: SqlImport = {
      query(store, text, params) {
        calls.push(`${store}|${text}|${JSON.stringify(decode(params))}`);
        if (text.startsWith('INSERT')) throw Object.assign(new Error('x'), { payload: { kind: 'query-failed', code: '23505', message: 'UNIQUE constraint failed: pages.path' } });
        return encode({ rows: [{ id: 1n, updated_at: '2025-11-03 09:30:00' }], rowCount: 1, fields: ['id', 'updated_at'], types: ['INTEGER', 'DATETIME'], lastInsertRowid: null });
      },
      connect(store) {
        return { query: (text: string) => (calls.push(`conn ${store}|${text}`), encode({ rows: [], rowCount: 0, fields: [], types: [], lastInsertRowid: null })), begin() {}, commit() {}, rollback() {}, [DISPOSE]: () => calls.push(`dropped ${store}`) } as SqlConnectionResource;
      },
    };
    const mysql = createMysql2LoweredModule({ sql, defaultStore: 'content' });
    const pool = mysql.createPool({ timezone: 'Z' }) as { query(s: string, v?: unknown[]): Promise<[unknown, unknown]>; getConnection(): Promise<{ beginTransaction(): Promise<void>; commit(): Promise<void>; release(): void }> };
    const [rows] = await pool.query('SELECT id, updated_at FROM pages WHERE path = ? AND published = ?', ['/a', true]);
    expect(rows).toEqual([{ id: 1, updated_at: new Date(Date.UTC(2025, 10, 3, 9, 30)) }]);
    await expect(pool.query('INSERT INTO pages (path) VALUES (?)', ["/a'"])).rejects.toMatchObject({ code: 'ER_DUP_ENTRY', errno: 1062, sqlState: '23000', sql: "INSERT INTO pages (path) VALUES ('/a\\'')" });
    const conn = await pool.getConnection();
    await conn.beginTransaction();
    await conn.commit();
    conn.release();
    expect(calls).toEqual([
      'content|SELECT id, updated_at FROM pages WHERE path = ?1 AND published = ?2|["/a",1]',
      'content|INSERT INTO pages (path) VALUES (?1)|["/a\'"]',
      'conn content|BEGIN',
      'conn content|COMMIT',
      'dropped content',
    ]);
  });

  it('fastly:kv-store: one bucket per store, opened once by its name; metadata travels in the value', async () => {
    const data = new Map<string, Uint8Array>();
    const opened: string[] = [];
    const keyvalue: KeyvalueStoreImport = {
      open(id) {
        opened.push(id);
        return { get: (k) => data.get(k), set: (k, v) => void data.set(k, v), delete: (k) => void data.delete(k), exists: (k) => data.has(k), listKeys: () => ({ keys: [...data.keys()] }) };
      },
    };
    const { KVStore } = createFastlyKvLoweredModule({ keyvalue, stores: ['fragments'] });
    const store = new KVStore('fragments');
    await store.put('page:/', '<p>x</p>', { ttl: 300 });
    await store.put('meta', 'body', { metadata: 'v3' });
    expect(new TextDecoder().decode(data.get('page:/'))).toBe('<p>x</p>');
    expect((await store.get('meta'))!.metadataText()).toBe('v3');
    expect(await (await store.get('page:/'))!.text()).toBe('<p>x</p>');
    expect((await store.list({ prefix: 'page:' })).list).toEqual(['page:/']);
    expect(opened).toEqual(['fragments']);
    expect(() => new KVStore('carts')).toThrow(/No KVStore named 'carts'/);
  });
});
