import { js, splitBinding, unavailableModule, WIT_IMPORTS, type StoreLowering } from './types.js';

/** mysql2/promise on `stopline:line/sql` (codegen/lower/mysql2.ts); module-level pools (`binding: src/db.ts#pool`) bound to their store. */
export const mysql2Lowering: StoreLowering = {
  preset: 'mysql2',
  lower(stores, ctx) {
    if (ctx.world !== 'server') return { modules: { 'mysql2/promise': unavailableModule('mysql2', 'a client stop has no SQL stores') } };
    const module = [
      `import * as sql from ${js(WIT_IMPORTS.sql)};`,
      `import { createMysql2LoweredModule } from ${js(ctx.lowering('mysql2'))};`,
      `const mysql = createMysql2LoweredModule({ sql, defaultStore: ${stores.length === 1 ? js(stores[0]!.name) : 'null'} });`,
      'export const { createPool, createConnection, format, escape, escapeId, raw, Types } = mysql;',
      'export const __stopline_bind = mysql.bind;',
      'export default mysql;',
    ].join('\n');
    const bindings = stores.flatMap((s) => {
      const parts = splitBinding(s.binding);
      if (parts === null || parts.member) return [];
      return [{ file: parts.file, name: parts.name, imports: ['import { __stopline_bind as __stopline_bind_mysql2 } from "mysql2/promise";'], statement: (handle: string) => `__stopline_bind_mysql2(${handle}, ${js(s.name)});` }];
    });
    return { modules: { 'mysql2/promise': module }, bindings };
  },
};
