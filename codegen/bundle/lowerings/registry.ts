import { fastlyKvLowering } from './fastly-kv.js';
import { mysql2Lowering } from './mysql2.js';
import { pgLowering } from './pg.js';
import type { StoreLowering } from './types.js';
import { webStorageLowering } from './web-storage.js';
import { workersKvLowering } from './workers-kv.js';

/**
 * The guest lowerings by preset. A store whose preset has none here cannot be used inside
 * a component: its library's import stays unresolved and the bundle reports it.
 * Adding one: a file in this folder exporting a `StoreLowering`, listed here.
 */
export const storeLowerings: ReadonlyMap<string, StoreLowering> = new Map(
  [pgLowering, mysql2Lowering, workersKvLowering, fastlyKvLowering, webStorageLowering].map((l) => [l.preset, l]),
);
