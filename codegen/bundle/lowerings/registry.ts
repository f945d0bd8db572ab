import { drizzleLowering } from './drizzle.js';
import { expressLowering } from './express.js';
import { fastlyKvLowering } from './fastly-kv.js';
import { ioredisLowering } from './ioredis.js';
import { mysql2Lowering } from './mysql2.js';
import { pgLowering } from './pg.js';
import type { FrameworkLowering, StoreLowering } from './types.js';
import { webStorageLowering } from './web-storage.js';
import { workersKvLowering } from './workers-kv.js';

/**
 * The guest lowerings by preset. A store whose preset has none here cannot be used inside
 * a component: its library's import stays unresolved and the bundle reports it.
 * Adding one: a file in this folder exporting a `StoreLowering`, listed here.
 */
export const storeLowerings: ReadonlyMap<string, StoreLowering> = new Map(
  [pgLowering, drizzleLowering, ioredisLowering, mysql2Lowering, workersKvLowering, fastlyKvLowering, webStorageLowering].map((l) => [l.preset, l]),
);

/**
 * Lowerings of frameworks that are not stores (framework presets), by preset: applied to a
 * stop whose sources import one of the preset's `packages` (src/presets). Adding one: a
 * file in this folder exporting a `FrameworkLowering`, listed here. (Libraries that are
 * neither stores nor frameworks, such as node:crypto and jsonwebtoken, are in libraries.ts.)
 */
export const frameworkLowerings: ReadonlyMap<string, FrameworkLowering> = new Map([expressLowering].map((l) => [l.preset, l]));
