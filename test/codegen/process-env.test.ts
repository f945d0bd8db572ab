import { describe, expect, it } from 'vitest';
import { createProcessEnv } from '../../codegen/lower/process-env.js';
import type { ConfigStoreImport } from '../../codegen/lower/imports.js';

/** A wasi:config/store fake that counts calls, as the guest sees the import. */
function fakeConfig(values: Record<string, string>): ConfigStoreImport & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    get(key) {
      calls.push(`get ${key}`);
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : undefined;
    },
    getAll() {
      calls.push('getAll');
      return Object.entries(values).sort(([a], [b]) => (a < b ? -1 : 1));
    },
  };
}

describe('process.env inside a server stop (codegen/lower/process-env.ts)', () => {
  it('reads the configuration at each access, as strings, undefined for a missing name', () => {
    const values: Record<string, string> = { JWT_SECRET: 's3cret', PORT: '8080' };
    const config = fakeConfig(values);
    const env = createProcessEnv({ config, atRuntime: () => true });
    expect(env['JWT_SECRET']).toBe('s3cret');
    expect(env['MISSING']).toBeUndefined();
    values['JWT_SECRET'] = 'rotated';
    expect(env['JWT_SECRET']).toBe('rotated');
    expect(config.calls).toEqual(['get JWT_SECRET', 'get MISSING', 'get JWT_SECRET']);
    expect('PORT' in env).toBe(true);
    expect('NOPE' in env).toBe(false);
    expect(Object.keys(env)).toEqual(['JWT_SECRET', 'PORT']);
    expect({ ...env }).toEqual({ JWT_SECRET: 'rotated', PORT: '8080' });
    expect(JSON.stringify(env)).toBe('{"JWT_SECRET":"rotated","PORT":"8080"}');
    expect(Object.prototype.hasOwnProperty.call(env, 'PORT')).toBe(true);
    // Object.prototype's members stay reachable, as on Node's process.env.
    expect(typeof env.hasOwnProperty).toBe('function');
    expect(env.hasOwnProperty('PORT')).toBe(true);
    expect(String(env)).toBe('[object Object]');
  });

  it('is read-only: writes, deletes, definitions and freezing throw a TypeError', () => {
    const env = createProcessEnv({ config: fakeConfig({ A: '1' }), atRuntime: () => true });
    expect(() => {
      env['A'] = '2';
    }).toThrow(TypeError);
    expect(() => {
      delete env['A'];
    }).toThrow(TypeError);
    expect(() => Object.defineProperty(env, 'B', { value: 'x' })).toThrow(TypeError);
    expect(() => Object.freeze(env)).toThrow(TypeError);
    expect(env['A']).toBe('1');
  });

  it('calls no import while the module is evaluated at build time: reads give undefined', () => {
    const config = fakeConfig({ REDIS_URL: 'redis://prod:6379' });
    let running = false;
    const env = createProcessEnv({ config, atRuntime: () => running });
    expect(env['REDIS_URL'] ?? 'redis://localhost:6379').toBe('redis://localhost:6379');
    expect('REDIS_URL' in env).toBe(false);
    expect(Object.keys(env)).toEqual([]);
    expect(config.calls).toEqual([]);
    running = true;
    expect(env['REDIS_URL']).toBe('redis://prod:6379');
    expect(config.calls).toEqual(['get REDIS_URL']);
  });

  it('a failing configuration store is an Error naming the variable, never a silent undefined', () => {
    const failing: ConfigStoreImport = {
      get() {
        throw Object.assign(new Error('err'), { payload: { tag: 'upstream', val: "stop 'client' is untrusted" } });
      },
      getAll() {
        throw Object.assign(new Error('err'), { payload: { tag: 'io', val: 'vault unreachable' } });
      },
    };
    const env = createProcessEnv({ config: failing, atRuntime: () => true });
    expect(() => env['JWT_SECRET']).toThrow(/JWT_SECRET.*upstream: stop 'client' is untrusted/);
    expect(() => Object.keys(env)).toThrow(/io: vault unreachable/);
  });
});
