import { pgBindings, pgModuleSource } from './pg.js';
import type { StoreLowering } from './types.js';

/**
 * drizzle-orm, bundled as it is (pure JavaScript, resolved from the project's
 * node_modules; rolldown keeps what the program uses), on the lowered `pg`: drizzle's
 * node-postgres driver imports `pg` (for `types`) and calls `client.query({ text, values,
 * rowMode: 'array', types })` on the Pool the program hands to `drizzle()`, which lands on
 * `stopline:line/sql`. The store's binding names the drizzle database (`src/db.ts#db`):
 * its `$client` is that Pool, bound to the store.
 */
export const drizzleLowering: StoreLowering = {
  preset: 'drizzle',
  lower(stores, ctx) {
    if (ctx.world !== 'server') return { modules: { pg: pgModuleSource(ctx) } };
    return { modules: { pg: pgModuleSource(ctx) }, bindings: pgBindings(stores, (db) => `${db}.$client`), bundled: ['drizzle-orm'] };
  },
};
