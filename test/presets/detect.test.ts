import { describe, expect, it } from 'vitest';
import { detect, loadCase, type CaseOptions } from './harness.js';

const workers: CaseOptions = { types: ['@cloudflare/workers-types'] };
const dom: CaseOptions = { libs: ['lib.dom.d.ts', 'lib.dom.iterable.d.ts'] };

describe('detectPresets', () => {
  it('finds the store presets the program calls, placed at their first import; never fetch', () => {
    expect(detect(loadCase('detect/node'))).toEqual([
      { preset: 'drizzle', file: 'a.ts', line: 1, column: 25 }, // 'drizzle-orm/node-postgres'; used: db.select()
      { preset: 'pg', file: 'a.ts', line: 2, column: 22 }, // called in b.ts, first imported here
      { preset: 'deno-kv', file: 'c.ts', line: 3, column: 10 }, // kv.get(…): a global, no import
      // redis (b.ts) is imported but never called; ioredis (d.ts) only as a type.
    ]);
  });

  it('does not count a library that is only handed to another (pg under drizzle)', () => {
    const loaded = loadCase('drizzle/valid');
    expect(detect(loaded).map((d) => d.preset)).toEqual(['drizzle']);
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
