import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRuntimeConfig, parseRuntimeConfig, RuntimeConfigError } from '../../src/runtime/original/index.js';
import { createConfigInterface } from '../../src/runtime/line/config.js';
import { createProcessGlobal } from '../../src/runtime/shims/process.js';

const root = path.resolve(import.meta.dirname, '../..');

function failure(text: string): { code: string; range: unknown } {
  try {
    parseRuntimeConfig(text);
  } catch (error) {
    expect(error).toBeInstanceOf(RuntimeConfigError);
    const d = (error as RuntimeConfigError).diagnostic;
    return { code: d.code, range: d.range };
  }
  throw new Error('parsed');
}

const at = (line: number, column: number, endColumn: number): unknown => ({ file: 'runtime.env', start: { line, column }, end: { line, column: endColumn } });

describe('runtime.env (src/runtime/original/runtime-config.ts)', () => {
  it('parses the dotenv subset: comments, export, unquoted, double and single quotes', () => {
    const text = [
      '# test values',
      '',
      'JWT_SECRET=conduit-test-key',
      '  export GREETING = "hi\\n\\"there\\"\\t\\\\"  # a comment',
      "PATTERN='a$b#c\\n'",
      'URL=postgres://u:p@db/x?sslmode=require # trailing',
      'EMPTY=',
      'HASH=a#b',
      'SPACES=  padded value  ',
    ].join('\r\n');
    expect(parseRuntimeConfig(text)).toEqual({
      JWT_SECRET: 'conduit-test-key',
      GREETING: 'hi\n"there"\t\\',
      PATTERN: 'a$b#c\\n',
      URL: 'postgres://u:p@db/x?sslmode=require',
      EMPTY: '',
      HASH: 'a#b',
      SPACES: 'padded value',
    });
  });

  it('rejects what it cannot read exactly, with SL1040 at the line and column', () => {
    expect(failure('A=1\nJWT_SECRET: abc')).toEqual({ code: 'SL1040', range: at(2, 1, 16) });
    expect(failure('1A=x')).toEqual({ code: 'SL1040', range: at(1, 1, 3) });
    expect(failure('export A-B=x')).toEqual({ code: 'SL1040', range: at(1, 8, 11) });
    expect(failure('A=1\n  A=2')).toEqual({ code: 'SL1040', range: at(2, 3, 4) });
    expect(failure('A="open')).toEqual({ code: 'SL1040', range: at(1, 3, 8) });
    expect(failure('A="x" y')).toEqual({ code: 'SL1040', range: at(1, 6, 8) });
    expect(failure('A="\\q"')).toEqual({ code: 'SL1040', range: at(1, 4, 6) });
  });

  it('loads <project>/runtime.env, and an empty configuration when there is none', () => {
    const dir = path.join(root, 'test/.tmp', `runtime-config-${process.pid}`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    try {
      expect(loadRuntimeConfig(dir)).toEqual({});
      fs.writeFileSync(path.join(dir, 'runtime.env'), 'KEY=value\n');
      expect(loadRuntimeConfig(dir)).toEqual({ KEY: 'value' });
      fs.writeFileSync(path.join(dir, 'runtime.env'), 'KEY value\n');
      expect(() => loadRuntimeConfig(dir)).toThrow(RuntimeConfigError);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the line host of wasi:config/store (src/runtime/line/config.ts)', () => {
  it('serves the configuration to a trusted stop, sorted, own string values only', () => {
    const values = Object.assign(Object.create({ INHERITED: 'no' }) as Record<string, string>, { B: '2', A: '1' });
    const config = createConfigInterface({ stop: 'edge', trusted: true, values });
    expect(config.get('A')).toBe('1');
    expect(config.get('INHERITED')).toBeUndefined();
    expect(config.get('toString')).toBeUndefined();
    expect(config.getAll()).toEqual([
      ['A', '1'],
      ['B', '2'],
    ]);
  });

  it('answers an untrusted stop with err(upstream), as jco expects an err: a thrown object with an own payload', () => {
    const config = createConfigInterface({ stop: 'client', trusted: false, values: { JWT_SECRET: 'x' } });
    for (const call of [() => config.get('JWT_SECRET'), () => config.getAll()]) {
      let thrown: unknown;
      try {
        call();
      } catch (error) {
        thrown = error;
      }
      expect(Object.prototype.hasOwnProperty.call(thrown, 'payload')).toBe(true);
      expect((thrown as { payload: unknown }).payload).toEqual({ tag: 'upstream', val: "stop 'client' is untrusted: no configuration or secret is served there" });
    }
  });
});

describe("the original program's process global (src/runtime/shims/process.ts)", () => {
  it('is the real process with env replaced by the runtime configuration', () => {
    const p = createProcessGlobal({ JWT_SECRET: 'from-runtime-env' });
    expect(p.env['JWT_SECRET']).toBe('from-runtime-env');
    expect(p.env['PATH']).toBeUndefined();
    expect(Object.keys(p.env)).toEqual(['JWT_SECRET']);
    expect(p.versions.node).toBe(process.versions.node);
    expect(typeof p.hrtime.bigint()).toBe('bigint');
    expect(p.cwd()).toBe(process.cwd());
    expect(() => {
      p.env['X'] = 'y';
    }).toThrow(TypeError);
  });
});
