import { js, splitBinding, unavailableModule, WIT_IMPORTS, type StoreLowering } from './types.js';

/** node-postgres on `stopline:line/sql` (codegen/lower/pg.ts); module-level pools bound to their store. */
export const pgLowering: StoreLowering = {
  preset: 'pg',
  lower(stores, ctx) {
    if (ctx.world !== 'server') return { modules: { pg: unavailableModule('pg', 'a client stop has no SQL stores') } };
    const pgModule = [
      `import * as sql from ${js(WIT_IMPORTS.sql)};`,
      `import { createPgModule } from ${js(ctx.lowering('pg'))};`,
      `const pg = createPgModule({ sql, defaultStore: ${stores.length === 1 ? js(stores[0]!.name) : 'null'} });`,
      'export const { Pool, Client, DatabaseError, types, escapeIdentifier, escapeLiteral } = pg;',
      'export const __stopline_bind = pg.bind;',
      'export default pg;',
    ].join('\n');
    const bindings = stores.flatMap((s) => {
      const parts = splitBinding(s.binding);
      if (parts === null || parts.member) return [];
      return [{ file: parts.file, name: parts.name, imports: ['import { __stopline_bind as __stopline_bind_pg } from "pg";'], statement: (handle: string) => `__stopline_bind_pg(${handle}, ${js(s.name)});` }];
    });
    return { modules: { pg: pgModule }, bindings };
  },
};
