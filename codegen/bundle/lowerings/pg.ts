import type { StoreConfig } from '../../../src/config/index.js';
import { js, splitBinding, unavailableModule, WIT_IMPORTS, type LoweringContext, type StoreLowering } from './types.js';

/** The presets whose stores are reached through node-postgres: pg itself, and drizzle-orm's node-postgres driver. */
const PG_PRESETS = new Set(['pg', 'drizzle']);

/**
 * The lowered `pg` module of a stop: node-postgres on `stopline:line/sql`
 * (codegen/lower/pg.ts). The same text whichever preset asks for it, so pg and drizzle
 * stores share it: a handle no binding names uses the only SQL store reached through pg,
 * when there is exactly one.
 */
export function pgModuleSource(ctx: LoweringContext): string {
  if (ctx.world !== 'server') return unavailableModule('pg', 'a client stop has no SQL stores');
  const sql = ctx.stores.filter((s) => PG_PRESETS.has(s.preset));
  return [
    `import * as sql from ${js(WIT_IMPORTS.sql)};`,
    `import { createPgModule } from ${js(ctx.lowering('pg'))};`,
    `const pg = createPgModule({ sql, defaultStore: ${sql.length === 1 ? js(sql[0]!.name) : 'null'} });`,
    'export const { Pool, Client, DatabaseError, types, escapeIdentifier, escapeLiteral } = pg;',
    'export const __stopline_bind = pg.bind;',
    'export default pg;',
  ].join('\n');
}

/** A binding statement pointing `handle` (an expression) at `store`, through the pg module's bind. */
export function pgBindings(stores: readonly StoreConfig[], handleOf: (handle: string) => string) {
  return stores.flatMap((s) => {
    const parts = splitBinding(s.binding);
    if (parts === null || parts.member) return [];
    return [{ file: parts.file, name: parts.name, imports: ['import { __stopline_bind as __stopline_bind_pg } from "pg";'], statement: (handle: string) => `__stopline_bind_pg(${handleOf(handle)}, ${js(s.name)});` }];
  });
}

/** node-postgres on `stopline:line/sql` (codegen/lower/pg.ts); module-level pools bound to their store. */
export const pgLowering: StoreLowering = {
  preset: 'pg',
  lower(stores, ctx) {
    if (ctx.world !== 'server') return { modules: { pg: pgModuleSource(ctx) } };
    return { modules: { pg: pgModuleSource(ctx) }, bindings: pgBindings(stores, (h) => h) };
  },
};
