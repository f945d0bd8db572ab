import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultConfig, loadConfig } from '../../src/config/index.js';
import { at, yaml } from './helpers.js';
import { testPresets } from './test-presets.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stopline-config-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const write = (name: string, text: string): string => {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
};

describe('loadConfig', () => {
  it('a directory without stopline.yaml gets the default config and no diagnostics', () => {
    write('tsconfig.json', '{}');
    const result = loadConfig(dir);
    expect(result).toEqual({ config: defaultConfig(), diagnostics: [] });
  });

  it('reads stopline.yaml', () => {
    write('stopline.yaml', yaml('entries:', '  - function: src/h.ts#main', '    arrives: edge'));
    const result = loadConfig(dir, { presets: testPresets });
    expect(result.diagnostics).toEqual([]);
    expect(result.config?.file).toBe('stopline.yaml');
    expect(result.config?.entries[0]?.at?.file).toBe('stopline.yaml');
  });

  it('reads stopline.yml', () => {
    write('stopline.yml', yaml('pins: []'));
    const result = loadConfig(dir);
    expect(result.diagnostics).toEqual([]);
    expect(result.config?.file).toBe('stopline.yml');
  });

  it('with both stopline.yaml and stopline.yml, uses the first and warns about the second', () => {
    write('stopline.yaml', yaml('pins: []'));
    write('stopline.yml', yaml('nonsense: true'));
    const result = loadConfig(dir);
    expect(at(result.diagnostics)).toEqual([['SL1023', 1, 1, 1, 1]]);
    expect(result.diagnostics[0]?.range?.file).toBe('stopline.yml');
    expect(result.config?.file).toBe('stopline.yaml');
  });

  it('an explicit config file, absolute or relative to the current directory; ranges relative to the project', () => {
    const path = write('config/line.yaml', yaml('lines: []'));
    for (const configFile of [path, relative(process.cwd(), path)]) {
      const result = loadConfig(dir, { configFile });
      expect(at(result.diagnostics)).toEqual([['SL1002', 1, 1, 1, 6]]);
      expect(result.diagnostics[0]?.range?.file).toBe('config/line.yaml');
      expect(result.config).toBeNull();
    }
  });

  it('a missing explicit config file is SL1015', () => {
    const result = loadConfig(dir, { configFile: join(dir, 'nope.yaml') });
    expect(result.config).toBeNull();
    expect(result.diagnostics.map((d) => [d.code, d.range])).toEqual([['SL1015', null]]);
  });

  it('a missing project directory is SL1022', () => {
    const result = loadConfig(join(dir, 'missing'));
    expect(result.config).toBeNull();
    expect(result.diagnostics.map((d) => [d.code, d.range])).toEqual([['SL1022', null]]);
  });

  it('tsconfig is kept as written and must exist relative to the project directory (SL1014)', () => {
    write('stopline.yaml', yaml('tsconfig: ./tsconfig.app.json'));
    const missing = loadConfig(dir);
    expect(missing.config).toBeNull();
    expect(at(missing.diagnostics)).toEqual([['SL1014', 1, 11, 1, 30]]);

    write('tsconfig.app.json', '{}');
    const found = loadConfig(dir);
    expect(found.diagnostics).toEqual([]);
    expect(found.config?.tsconfig).toBe('./tsconfig.app.json');
  });

  it('a missing tsconfig is reported with the other problems', () => {
    write('stopline.yaml', yaml('tsconfig: tsconfig.build.json', 'analysis:', '  loopFactor: -1'));
    const result = loadConfig(dir);
    expect(at(result.diagnostics)).toEqual([
      ['SL1014', 1, 11, 1, 30],
      ['SL1003', 3, 15, 3, 17],
    ]);
  });
});
