import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { copyFixture, scratchProject, stopline } from '../helpers/cli.js';

interface JsonDiagnostic { code: string; category: string; file: string | null; line: number | null; column: number | null }
interface JsonAccess { store: string; op: string; file: string; line: number; column: number; entry: string }
interface AnalysisOutput { schema: string; accesses: JsonAccess[]; diagnostics: JsonDiagnostic[]; entries: { name: string }[] }

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

function noStackTrace(text: string): void {
  expect(text).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
}

describe('stopline analyze', () => {
  it('prints the summary of the example service and exits 0', () => {
    const run = stopline(['analyze', 'fixtures/shop']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('entry viewCart  (config, arrives at edge)');
    expect(run.stdout).toContain('▸ read  orders');
    expect(run.stderr).toContain('0 errors, 0 warnings');
  });

  it('prints JSON with flat access and diagnostic locations', () => {
    const run = stopline(['analyze', 'fixtures/shop', '--json']);
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout) as AnalysisOutput;
    expect(out.schema).toBe('stopline.graph/v1');
    expect(out.accesses.filter((a) => a.entry === 'viewCart').map((a) => `${a.store} ${a.op} ${a.file}:${a.line}:${a.column}`)).toEqual([
      'carts read src/cart.ts:10:24',
      'orders read src/handlers.ts:17:28',
    ]);
    expect(out.diagnostics).toEqual([]);
  });

  it('writes the graph with --out and stays byte-identical across runs', () => {
    const { dir, cleanup } = scratchProject({});
    cleanups.push(cleanup);
    const a = path.join(dir, 'a.json');
    const b = path.join(dir, 'b.json');
    expect(stopline(['analyze', 'fixtures/pages', '--out', a]).status).toBe(0);
    expect(stopline(['analyze', 'fixtures/pages', '--out', b, '--json']).status).toBe(0);
    expect(fs.readFileSync(a, 'utf8')).toBe(fs.readFileSync(b, 'utf8'));
  });

  it('exits 2 with a located diagnostic on a broken config, and no stack trace', () => {
    const { dir, cleanup } = copyFixture('shop', ['stopline.yaml']);
    cleanups.push(cleanup);
    fs.writeFileSync(path.join(dir, 'stopline.yaml'), 'line:\n  - stop: client\n  - stop: edge\n    latencyMs: 20\nstores:\n  orders:\n    preset: postgres\n');
    const run = stopline(['analyze', dir, '--json']);
    expect(run.status).toBe(2);
    const out = JSON.parse(run.stdout) as AnalysisOutput;
    expect(out.diagnostics.map((d) => `${d.code} ${d.file}:${d.line}:${d.column}`)).toEqual(['SL1005 stopline.yaml:7:13']);
    const human = stopline(['analyze', dir]);
    expect(human.status).toBe(2);
    expect(human.stderr).toContain('SL1005');
    noStackTrace(human.stderr);
  });

  it('exits 2 when the config names code that does not exist, pointing into stopline.yaml', () => {
    const { dir, cleanup } = copyFixture('shop', ['stopline.yaml']);
    cleanups.push(cleanup);
    fs.writeFileSync(path.join(dir, 'stopline.yaml'), [
      'stores:',
      '  orders:',
      '    preset: pg',
      '    binding: src/db.ts#nopool',
      'entries:',
      '  - function: src/handlers.ts#viewCart',
      '    arrives: edge',
      '  - function: src/handlers.ts#noSuchHandler',
      '    arrives: edge',
      '',
    ].join('\n'));
    const run = stopline(['analyze', dir, '--json']);
    expect(run.status).toBe(2);
    const out = JSON.parse(run.stdout) as AnalysisOutput;
    expect(out.diagnostics.filter((d) => d.category === 'error').map((d) => `${d.code} ${d.file}:${d.line}:${d.column}`)).toEqual([
      'SL1013 stopline.yaml:2:3',
      'SL1010 stopline.yaml:8:15',
    ]);
  });

  it('exits 1 when the project has a syntax error, and still reports the rest', () => {
    const { dir, cleanup } = scratchProject({
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, module: 'ESNext', moduleResolution: 'Bundler', types: [] }, include: ['src'] }),
      'src/handler.ts': '/** @stopline entry edge */\nexport async function handle(id: string) {\n  const x = (id;\n  return x;\n}\n',
    });
    cleanups.push(cleanup);
    const run = stopline(['analyze', dir, '--json']);
    expect(run.status).toBe(1);
    const out = JSON.parse(run.stdout) as AnalysisOutput;
    expect(out.diagnostics.map((d) => `${d.code} ${d.category} ${d.file}:${d.line}:${d.column}`)).toContain('SL2001 error src/handler.ts:3:16');
    expect(out.entries.map((e) => e.name)).toEqual(['handle']);
    noStackTrace(stopline(['analyze', dir]).stderr);
  });

  it('exits 2 on usage errors', () => {
    expect(stopline(['analyze', '--no-such-flag']).status).toBe(2);
    expect(stopline(['frobnicate']).status).toBe(2);
    const missing = stopline(['analyze', 'does/not/exist', '--json']);
    expect(missing.status).toBe(2);
    expect((JSON.parse(missing.stdout) as AnalysisOutput).diagnostics.map((d) => d.code)).toEqual(['SL1022']);
  });

  it('prints its version and help', () => {
    const version = stopline(['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = stopline(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('analyze');
    expect(help.stdout).toContain('init');
  });
});

describe('stopline init', () => {
  it('writes a starter config from detected libraries and entries, and never overwrites it', () => {
    const { dir, cleanup } = copyFixture('conduit', ['stopline.yaml']);
    cleanups.push(cleanup);
    const first = stopline(['init', dir]);
    expect(first.status).toBe(0);
    const file = path.join(dir, 'stopline.yaml');
    const written = fs.readFileSync(file, 'utf8');
    const loaded = loadConfig(dir);
    expect(loaded.diagnostics.filter((d) => d.category === 'error')).toEqual([]);
    expect(loaded.config?.stores.map((s) => s.preset).sort()).toEqual(expect.arrayContaining(['drizzle', 'ioredis']));
    expect(written).toContain('POST /api/articles');

    const second = stopline(['init', dir]);
    expect(second.status).toBe(2);
    expect(second.stderr).toContain('SL1020');
    expect(fs.readFileSync(file, 'utf8')).toBe(written);
  });

  it('proposes exported functions that reach stores when no entry is declared', () => {
    const { dir, cleanup } = copyFixture('shop', ['stopline.yaml']);
    cleanups.push(cleanup);
    expect(stopline(['init', dir]).status).toBe(0);
    const loaded = loadConfig(dir);
    expect(loaded.diagnostics.filter((d) => d.category === 'error')).toEqual([]);
    expect(loaded.config?.entries.map((e) => `${e.function?.file}#${e.function?.name} ${e.arrives}`)).toEqual([
      'src/handlers.ts#viewCart edge',
      'src/handlers.ts#addToCart edge',
      'src/handlers.ts#checkout edge',
    ]);
    expect(loaded.config?.stores.map((s) => s.preset).sort()).toEqual(['cloudflare-kv', 'pg']);
  });
});
