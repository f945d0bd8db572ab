import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { buildComponent, ComponentBuildError, hashComponentInput, transpileComponent } from '../../codegen/component/index.js';
import { componentCacheDir, tinyBuildInput, tinyFixtureDir } from './component.setup.js';

/**
 * The component build step on a real component (test/cases/codegen/tiny): componentize-js
 * builds it (globalSetup, cached), jco transpiles it, Node runs it, and every answer
 * goes through a host function behind the imported WIT interface.
 */
const root = path.resolve(import.meta.dirname, '../..');
const scratch = path.join(root, 'test/.tmp/component-test', `${process.pid}`);
const hostModule = path.join(tinyFixtureDir, 'host.js');

afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
  if (fs.readdirSync(path.dirname(scratch)).length === 0) fs.rmdirSync(path.dirname(scratch));
});

/**
 * The WebAssembly global, typed here: the project's lib is ES2023 without DOM, and
 * @types/node 20 does not declare it.
 */
type CoreModule = object;
const { WebAssembly: wasm } = globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<CoreModule> } };

/** What the transpiled ESM module exports for the world `tiny`. */
interface TinyModule {
  dispatch: { invoke(segment: string, payload: string): string };
}

/** What the transpiled module exports with `instantiation: 'async'`. */
interface TinyFactory {
  instantiate(
    getCoreModule: (name: string) => Promise<CoreModule>,
    imports: { 'stopline:tiny/link': { call(stop: string, payload: string): string } },
  ): Promise<TinyModule>;
}

function ms(start: number): number {
  return Math.round((performance.now() - start) * 10) / 10;
}

function report(what: string, values: Record<string, number | string | boolean>): void {
  // Timings for BENCHMARKS.md: STOPLINE_COMPONENT_TIMES=1 npx vitest run test/codegen/
  if (process.env['STOPLINE_COMPONENT_TIMES']) console.log(`[component] ${what}: ${Object.entries(values).map(([k, v]) => `${k}=${v}`).join(' ')}`);
}

describe('a real tiny component', () => {
  const built = inject('tinyComponent');

  it('is a component file in the cache, named by its input hash', async () => {
    expect(built.hash).toBe(await hashComponentInput(tinyBuildInput()));
    expect(built.wasmPath).toBe(path.join(componentCacheDir, `${built.hash}.wasm`));
    const bytes = fs.readFileSync(built.wasmPath);
    expect(bytes.length).toBe(built.bytes);
    expect([...bytes.subarray(0, 8)]).toEqual([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]);
    report('build (globalSetup)', { cached: built.cached, ms: built.ms, bytes: built.bytes });
  });

  it('answers through the host module mapped onto its import (ESM output)', async () => {
    const outDir = path.join(scratch, 'esm');
    let start = performance.now();
    const out = await transpileComponent(built.wasmPath, outDir, {
      name: 'tiny',
      map: { 'stopline:tiny/link': pathToFileURL(hostModule).href },
    });
    const transpileMs = ms(start);
    expect(out.entry).toBe(path.join(outDir, 'tiny.js'));
    expect(out.files).toContain(path.join(outDir, 'tiny.core.wasm'));
    expect(fs.readFileSync(out.entry, 'utf8')).toContain(pathToFileURL(hostModule).href);

    start = performance.now();
    const tiny = (await import(pathToFileURL(out.entry).href)) as TinyModule;
    const loadMs = ms(start);
    start = performance.now();
    const answer = tiny.dispatch.invoke('seg-1', 'hello');
    const firstCallMs = ms(start);
    // The guest wraps in edge<…>; only the host upper-cases and prefixes the stop.
    expect(answer).toBe('edge<origin:seg-1:HELLO>');
    expect(tiny.dispatch.invoke('s2', 'ünï€ode ✓')).toBe('edge<origin:s2:ÜNÏ€ODE ✓>');

    start = performance.now();
    for (let i = 0; i < 100; i++) tiny.dispatch.invoke('seg', `p${i}`);
    report('esm', { transpileMs, loadMs, firstCallMs, callMs: ms(start) / 100 });
  });

  it('takes its host per instance with instantiation: async (how a runtime wires link.call)', async () => {
    const outDir = path.join(scratch, 'instantiate');
    const out = await transpileComponent(built.wasmPath, outDir, { name: 'tiny', instantiation: 'async' });
    const factory = (await import(pathToFileURL(out.entry).href)) as TinyFactory;
    const compiled = new Map<string, CoreModule>();
    let start = performance.now();
    const getCoreModule = async (name: string): Promise<CoreModule> => {
      let mod = compiled.get(name);
      if (!mod) {
        mod = await wasm.compile(fs.readFileSync(path.join(outDir, name)));
        compiled.set(name, mod);
      }
      return mod;
    };
    const seen: string[] = [];
    const a = await factory.instantiate(getCoreModule, {
      'stopline:tiny/link': { call: (stop, payload) => (seen.push(`a:${stop}`), `A(${JSON.parse(payload).payload})`) },
    });
    const firstMs = ms(start);
    start = performance.now();
    const b = await factory.instantiate(getCoreModule, {
      'stopline:tiny/link': { call: (stop, payload) => (seen.push(`b:${stop}`), `B(${JSON.parse(payload).payload})`) },
    });
    const secondMs = ms(start);
    expect(a.dispatch.invoke('x', 'one')).toBe('edge<A(one)>');
    expect(b.dispatch.invoke('x', 'two')).toBe('edge<B(two)>');
    expect(seen).toEqual(['a:origin', 'b:origin']);
    report('instantiate', { compileAndInstantiateMs: firstMs, instantiateMs: secondMs });
  });

  it('lets a host throw through to the caller once, then the instance is dead (a runtime must not throw from an import)', async () => {
    const outDir = path.join(scratch, 'instantiate');
    const factory = (await import(pathToFileURL(path.join(outDir, 'tiny.js')).href)) as TinyFactory;
    const getCoreModule = async (name: string) => wasm.compile(fs.readFileSync(path.join(outDir, name)));
    let down = true;
    const linkDown = new RangeError('link down');
    const instance = await factory.instantiate(getCoreModule, {
      'stopline:tiny/link': {
        call: () => {
          if (down) throw linkDown;
          return 'up';
        },
      },
    });
    // The host's own exception object unwinds through the guest's frames...
    expect(() => instance.dispatch.invoke('x', 'y')).toThrow(linkDown);
    // ...and leaves the guest's state torn: every later call traps. Errors must cross
    // imports as values (a WIT result), or the instance must be replaced.
    down = false;
    expect(() => instance.dispatch.invoke('x', 'y')).toThrow(/unreachable/);
  });
});

describe('the component cache', () => {
  const built = inject('tinyComponent');

  it('returns the cached file for unchanged inputs, and rebuilds when one byte of the source changes', { timeout: 300_000 }, async () => {
    const again = await buildComponent(tinyBuildInput());
    expect(again).toMatchObject({ cached: true, hash: built.hash, wasmPath: built.wasmPath, bytes: built.bytes });
    expect(again.ms).toBeLessThan(1000);

    const dir = path.join(scratch, 'changed');
    fs.mkdirSync(dir, { recursive: true });
    const original = fs.readFileSync(path.join(tinyFixtureDir, 'guest.js'), 'utf8');
    const changedSource = path.join(dir, 'guest.js');
    const changed = original.replace('edge<', 'edgE<');
    expect(changed.length).toBe(original.length);
    fs.writeFileSync(changedSource, changed);
    // A cache of its own, so the rebuild really happens on every run.
    const cacheDir = path.join(dir, 'cache');
    const rebuilt = await buildComponent(tinyBuildInput(cacheDir, changedSource));
    expect(rebuilt.cached).toBe(false);
    expect(rebuilt.hash).not.toBe(built.hash);
    expect(rebuilt.wasmPath).toBe(path.join(cacheDir, `${rebuilt.hash}.wasm`));
    expect(fs.readdirSync(cacheDir)).toEqual([`${rebuilt.hash}.wasm`]);

    const outDir = path.join(dir, 'esm');
    const out = await transpileComponent(rebuilt.wasmPath, outDir, { name: 'tiny', map: { 'stopline:tiny/link': pathToFileURL(hostModule).href } });
    const tiny = (await import(pathToFileURL(out.entry).href)) as TinyModule;
    expect(tiny.dispatch.invoke('seg-1', 'hello')).toBe('edgE<origin:seg-1:HELLO>');

    const cachedAgain = await buildComponent(tinyBuildInput(cacheDir, changedSource));
    expect(cachedAgain).toMatchObject({ cached: true, hash: rebuilt.hash });
    report('cache', { cachedMs: again.ms, coldMs: rebuilt.ms, cachedAgainMs: cachedAgain.ms, bytes: rebuilt.bytes });
  });

  it('keys on the inputs: source bytes and name, WIT bytes, world, features; not on folders or feature order', async () => {
    const base = tinyBuildInput();
    const hash = await hashComponentInput(base);
    const dir = path.join(scratch, 'keys');
    fs.mkdirSync(path.join(dir, 'moved'), { recursive: true });
    fs.cpSync(path.join(tinyFixtureDir, 'wit'), path.join(dir, 'wit'), { recursive: true });
    fs.copyFileSync(base.source, path.join(dir, 'moved', 'guest.js'));
    fs.copyFileSync(base.source, path.join(dir, 'moved', 'other.js'));

    expect(await hashComponentInput({ ...base, disableFeatures: [...(base.disableFeatures ?? [])].reverse() })).toBe(hash);
    expect(await hashComponentInput({ ...base, witPath: path.join(dir, 'wit') })).toBe(hash);
    expect(await hashComponentInput({ ...base, witPath: path.join(dir, 'wit', 'tiny.wit') })).toBe(hash);
    expect(await hashComponentInput({ ...base, source: path.join(dir, 'moved', 'guest.js') })).toBe(hash);
    expect(await hashComponentInput({ ...base, cacheDir: dir })).toBe(hash);

    expect(await hashComponentInput({ ...base, source: path.join(dir, 'moved', 'other.js') })).not.toBe(hash);
    expect(await hashComponentInput({ ...base, worldName: 'other' })).not.toBe(hash);
    expect(await hashComponentInput({ ...base, disableFeatures: ['stdio'] })).not.toBe(hash);
    const witFile = path.join(dir, 'wit', 'tiny.wit');
    fs.writeFileSync(witFile, fs.readFileSync(witFile, 'utf8').replace('payload: string) -> string;', 'payload: string)  -> string;'));
    expect(await hashComponentInput({ ...base, witPath: path.join(dir, 'wit') })).not.toBe(hash);
    fs.mkdirSync(path.join(dir, 'wit', 'deps', 'extra'), { recursive: true });
    fs.copyFileSync(path.join(tinyFixtureDir, 'wit', 'tiny.wit'), path.join(dir, 'wit', 'deps', 'extra', 'x.wit'));
    const withDeps = await hashComponentInput({ ...base, witPath: path.join(dir, 'wit') });
    fs.rmSync(path.join(dir, 'wit', 'deps'), { recursive: true });
    expect(await hashComponentInput({ ...base, witPath: path.join(dir, 'wit') })).not.toBe(withDeps);
  });

  it('fails with typed errors and leaves no file behind', { timeout: 120_000 }, async () => {
    const dir = path.join(scratch, 'errors');
    const cacheDir = path.join(dir, 'cache');
    fs.mkdirSync(dir, { recursive: true });
    const kind = async (input: Parameters<typeof buildComponent>[0]): Promise<string> => {
      try {
        await buildComponent(input);
        return 'built';
      } catch (e) {
        expect(e).toBeInstanceOf(ComponentBuildError);
        return (e as ComponentBuildError).kind;
      }
    };

    expect(await kind({ ...tinyBuildInput(cacheDir), disableFeatures: ['sockets' as never] })).toBe('invalid-option');
    expect(await kind(tinyBuildInput(cacheDir, path.join(dir, 'missing.js')))).toBe('input-missing');
    expect(await kind({ ...tinyBuildInput(cacheDir), witPath: path.join(dir, 'no-wit') })).toBe('input-missing');

    const broken = path.join(dir, 'broken.js');
    fs.writeFileSync(broken, 'export const dispatch = { invoke(segment, payload) { return ; ');
    expect(await kind(tinyBuildInput(cacheDir, broken))).toBe('componentize-failed');

    // A guest that throws while wizer snapshots it: the message names the guest's line.
    const throws = path.join(dir, 'throws.js');
    fs.writeFileSync(throws, "console.log('said at init');\nthrow new TypeError('boom at init');\nexport const dispatch = {};\n");
    const error = await buildComponent({ ...tinyBuildInput(cacheDir, throws), disableFeatures: ['random', 'clocks', 'http', 'fetch-event'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComponentBuildError);
    expect((error as ComponentBuildError).kind).toBe('componentize-failed');
    expect((error as ComponentBuildError).message).toMatch(/throws\.js:2:\d+ TypeError: boom at init$/);
    expect((error as ComponentBuildError).detail).toContain('said at init');

    // Killed mid-build: neither a cache entry nor a temporary file remains.
    const slow = path.join(dir, 'slow.js');
    fs.writeFileSync(slow, fs.readFileSync(path.join(tinyFixtureDir, 'guest.js'), 'utf8').replace('edge<', 'slow<'));
    expect(await kind({ ...tinyBuildInput(cacheDir, slow), timeoutMs: 2000 })).toBe('timeout');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1000);
    expect(await kind({ ...tinyBuildInput(cacheDir, slow), signal: controller.signal })).toBe('aborted');

    expect(fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir) : []).toEqual([]);
  });
});
