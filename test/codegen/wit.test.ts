import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { types as witTypes } from '@bytecodealliance/jco';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The stopline:line WIT package (codegen/wit) parses and resolves, deps/ included, and jco
 * generates guest types from it: that runs wit-parser's full resolution (packages, `use`,
 * `include`, foreign imports from deps/keyvalue) for each world.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const witDir = path.join(root, 'codegen/wit');

const decoder = new TextDecoder();
let tmp: string;

async function guestTypes(world: string, dir = witDir): Promise<Map<string, string>> {
  const files = await witTypes(dir, { worldName: world, guest: true, quiet: true });
  return new Map(Object.entries(files).map(([name, bytes]) => [name.replace(/\\/g, '/'), decoder.decode(bytes)]));
}

/** Interfaces a world's guest imports and exports, read off jco's world declaration file. */
function worldSurface(files: Map<string, string>, world: string): { imports: string[]; exports: string[] } {
  const text = files.get(`${world}.d.ts`);
  if (text === undefined) throw new Error(`no ${world}.d.ts among ${[...files.keys()].join(', ')}`);
  const grab = (kind: string): string[] =>
    [...text.matchAll(new RegExp(`// ${kind} ([\\w:/.@-]+)`, 'g'))].map((m) => m[1]!).sort();
  return { imports: grab('import'), exports: grab('export') };
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stopline-wit-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('stopline:line WIT', () => {
  it('the vendored wasi:keyvalue keeps its provenance header and the upstream interfaces', () => {
    const store = fs.readFileSync(path.join(witDir, 'deps/keyvalue/store.wit'), 'utf8');
    const atomic = fs.readFileSync(path.join(witDir, 'deps/keyvalue/atomic.wit'), 'utf8');
    const pkg = fs.readFileSync(path.join(witDir, 'deps/keyvalue/package.wit'), 'utf8');
    expect(store).toMatch(/WebAssembly\/wasi-keyvalue.*v0\.2\.0-draft/);
    expect(store).toMatch(/License Agreement/);
    expect(pkg).toContain('package wasi:keyvalue@0.2.0-draft;');
    for (const fn of ['open:', 'get:', 'set:', 'delete:', 'exists:', 'list-keys:']) expect(store).toContain(fn);
    expect(atomic).toContain('increment: func(bucket: borrow<bucket>, key: string, delta: u64) -> result<u64, error>;');
  });

  it('the vendored wasi:config keeps its provenance header and the upstream store interface', () => {
    const store = fs.readFileSync(path.join(witDir, 'deps/config/store.wit'), 'utf8');
    const world = fs.readFileSync(path.join(witDir, 'deps/config/world.wit'), 'utf8');
    expect(store).toMatch(/WebAssembly\/wasi-config.*v0\.2\.0-draft/);
    expect(store).toMatch(/License Agreement/);
    expect(world).toContain('package wasi:config@0.2.0-draft;');
    expect(store).toMatch(/variant error \{[\s\S]*upstream\(string\),[\s\S]*io\(string\),/);
    expect(store).toMatch(/get: func\(\s*\/\/\/ A string key to fetch\s*key: string\s*\) -> result<option<string>, error>;/);
    expect(store).toContain('get-all: func() -> result<list<tuple<string, string>>, error>;');
  });

  it('every world resolves and has the imports its role needs', async () => {
    const line = (i: string): string => `stopline:line/${i}@0.1.0`;
    const kv = ['wasi:keyvalue/atomics@0.2.0-draft', 'wasi:keyvalue/store@0.2.0-draft'];
    // Configuration and secrets only in the trusted world: `client` must not import wasi:config.
    const config = 'wasi:config/store@0.2.0-draft';
    const expected: Record<string, string[]> = {
      'stop-core': [line('link'), line('types')],
      client: [line('client-dom'), line('client-local'), line('link'), line('types')],
      server: [line('link'), line('sql'), line('types'), ...kv, config],
      stop: [line('client-dom'), line('client-local'), line('link'), line('sql'), line('types'), ...kv, config],
    };
    for (const [world, imports] of Object.entries(expected)) {
      const surface = worldSurface(await guestTypes(world), world);
      expect(surface, world).toEqual({ imports: [...imports].sort(), exports: [line('dispatch')] });
    }
  });

  it('the guest types of the stop world declare invoke, link.call and the data interfaces', async () => {
    const files = await guestTypes('stop');
    const outDir = path.join(tmp, 'stop');
    for (const [name, text] of files) {
      fs.mkdirSync(path.dirname(path.join(outDir, name)), { recursive: true });
      fs.writeFileSync(path.join(outDir, name), text);
    }
    const read = (name: string): string => fs.readFileSync(path.join(outDir, 'interfaces', name), 'utf8');
    expect(read('stopline-line-dispatch.d.ts')).toContain('export function invoke(segment: string, payload: string): string;');
    expect(read('stopline-line-link.d.ts')).toContain('export function call(stop: string, segment: string, payload: string): string;');
    const sql = read('stopline-line-sql.d.ts');
    expect(sql).toContain('export function query(store: string, sql: string, params: string): string;');
    expect(sql).toContain('export function connect(store: string): Connection;');
    expect(sql).toMatch(/class Connection[\s\S]*begin\(\): void;[\s\S]*commit\(\): void;[\s\S]*rollback\(\): void;/);
    const local = read('stopline-line-client-local.d.ts');
    for (const sig of [
      'export function get(area: Area, key: string): string | undefined;',
      'export function set(area: Area, key: string, value: string): void;',
      'export function remove(area: Area, key: string): void;',
      'export function keys(area: Area): Array<string>;',
    ]) {
      expect(local).toContain(sig);
    }
    const dom = read('stopline-line-client-dom.d.ts');
    for (const sig of [
      'export function querySelector(selectors: string): Element | undefined;',
      'export function getElementById(id: string): Element | undefined;',
      'value(): string | undefined;',
      'textContent(): string;',
    ]) {
      expect(dom).toContain(sig);
    }
    expect(read('stopline-line-types.d.ts')).toMatch(/export interface RpcError \{\s*code: RpcErrorCode,\s*message: string,/);
    const store = read('wasi-keyvalue-store.d.ts');
    expect(store).toContain('export function open(identifier: string): Bucket;');
    expect(store).toMatch(/listKeys\(cursor: bigint \| undefined\): KeyResponse;/);
    expect(read('wasi-keyvalue-atomics.d.ts')).toContain('export function increment(bucket: Bucket, key: string, delta: bigint): bigint;');
    const config = read('wasi-config-store.d.ts');
    expect(config).toContain('export function get(key: string): string | undefined;');
    expect(config).toContain('export function getAll(): Array<[string, string]>;');
    expect(config).toMatch(/export type Error = ErrorUpstream \| ErrorIo;/);

    // The generated declarations type-check, and a guest written against them compiles.
    const guest = path.join(outDir, 'guest.ts');
    fs.writeFileSync(
      guest,
      [
        '/// <reference path="./stop.d.ts" />',
        "import { call } from 'stopline:line/link@0.1.0';",
        "import { connect } from 'stopline:line/sql@0.1.0';",
        "import { open } from 'wasi:keyvalue/store@0.2.0-draft';",
        "import { increment } from 'wasi:keyvalue/atomics@0.2.0-draft';",
        "import { get } from 'stopline:line/client-local@0.1.0';",
        "import { get as configGet, getAll } from 'wasi:config/store@0.2.0-draft';",
        "import type * as Stop from 'stopline:line/stop@0.1.0';",
        'export const dispatch: typeof Stop.dispatch = {',
        '  invoke(segment: string, payload: string): string {',
        "    const hits: bigint = increment(open('cache'), segment, 1n);",
        "    const conn = connect('main');",
        '    conn.begin();',
        "    conn.commit();",
        "    const url: string | undefined = configGet('DATABASE_URL');",
        "    const all: Array<[string, string]> = getAll();",
        "    return call('origin', segment, payload + String(hits) + (get('local', 'k') ?? '') + (url ?? '') + all.length);",
        '  },',
        '};',
      ].join('\n'),
    );
    const program = ts.createProgram([guest], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.esnext.d.ts'],
      types: [],
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);
  });

  it('a broken package is rejected (the check is not vacuous)', async () => {
    const broken = path.join(tmp, 'broken');
    fs.cpSync(witDir, broken, { recursive: true });
    const line = path.join(broken, 'line.wit');
    fs.writeFileSync(line, fs.readFileSync(line, 'utf8').replace('import wasi:keyvalue/store@0.2.0-draft;', 'import wasi:keyvalue/stor@0.2.0-draft;'));
    await expect(guestTypes('server', broken)).rejects.toThrow(/stor/);
    fs.rmSync(path.join(broken, 'deps'), { recursive: true });
    await expect(guestTypes('stop-core', broken)).rejects.toThrow(/keyvalue/);
  });

  it('the server world needs the vendored wasi:config (the check is not vacuous)', async () => {
    const broken = path.join(tmp, 'no-config');
    fs.cpSync(witDir, broken, { recursive: true });
    fs.rmSync(path.join(broken, 'deps/config'), { recursive: true });
    await expect(guestTypes('server', broken)).rejects.toThrow(/wasi:config@0\.2\.0-draft/);
  });
});
