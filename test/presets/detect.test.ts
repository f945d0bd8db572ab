import { describe, expect, it } from 'vitest';
import { detect, loadCase, type CaseOptions } from './harness.js';

const workers: CaseOptions = { types: ['@cloudflare/workers-types'] };
const dom: CaseOptions = { libs: ['lib.dom.d.ts', 'lib.dom.iterable.d.ts'] };

describe('detectPresets', () => {
  it('finds store presets from imports (subpaths too) and calls, at their first place, never fetch', () => {
    expect(detect(loadCase('detect/node'))).toEqual([
      { preset: 'drizzle', file: 'a.ts', line: 1, column: 25 }, // 'drizzle-orm/node-postgres'
      { preset: 'pg', file: 'a.ts', line: 2, column: 22 }, // b.ts imports pg again: not the first
      { preset: 'redis', file: 'b.ts', line: 2, column: 30 },
      { preset: 'deno-kv', file: 'c.ts', line: 3, column: 10 }, // kv.get(…): a global, no import
    ]);
  });

  it('finds global stores from handle types in an Env interface', () => {
    expect(detect(loadCase('detect/workers', workers))).toEqual([
      { preset: 'cloudflare-d1', file: 'env.ts', line: 3, column: 7 },
      { preset: 'cloudflare-kv', file: 'env.ts', line: 4, column: 10 },
    ]);
  });

  it('finds a library whose types are missing by its import', () => {
    expect(detect(loadCase('prisma/missing'))).toEqual([{ preset: 'prisma', file: 'handlers.ts', line: 2, column: 30 }]);
  });

  it('finds ambient modules and globals', () => {
    expect(detect(loadCase('fastly-kv/valid'))).toEqual([{ preset: 'fastly-kv', file: 'handlers.ts', line: 1, column: 25 }]);
    expect(detect(loadCase('web-storage/valid', dom))).toEqual([{ preset: 'web-storage', file: 'prefs.ts', line: 2, column: 17 }]);
  });

  it('finds nothing where no store library is used', () => {
    expect(detect(loadCase('node-server/valid'))).toEqual([]);
    expect(detect(loadCase('fetch/valid'))).toEqual([]);
  });
});
