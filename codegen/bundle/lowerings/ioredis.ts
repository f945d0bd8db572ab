import { js, splitBinding, unavailableModule, WIT_IMPORTS, type StoreLowering } from './types.js';

/** ioredis on `wasi:keyvalue/store` (codegen/lower/ioredis.ts), one bucket per store, named as the store; module-level clients bound to their store. */
export const ioredisLowering: StoreLowering = {
  preset: 'ioredis',
  lower(stores, ctx) {
    if (ctx.world !== 'server') return { modules: { ioredis: unavailableModule('ioredis', 'a client stop has no Redis stores') } };
    const module = [
      `import * as keyvalue from ${js(WIT_IMPORTS.keyvalue)};`,
      `import { createIoredisModule } from ${js(ctx.lowering('ioredis'))};`,
      `const ioredis = createIoredisModule({ keyvalue, defaultStore: ${stores.length === 1 ? js(stores[0]!.name) : 'null'} });`,
      'export const { Redis, ReplyError } = ioredis;',
      'export const __stopline_bind = ioredis.bind;',
      'export default ioredis.Redis;',
    ].join('\n');
    const bindings = stores.flatMap((s) => {
      const parts = splitBinding(s.binding);
      if (parts === null || parts.member) return [];
      return [{ file: parts.file, name: parts.name, imports: ['import { __stopline_bind as __stopline_bind_ioredis } from "ioredis";'], statement: (handle: string) => `__stopline_bind_ioredis(${handle}, ${js(s.name)});` }];
    });
    return { modules: { ioredis: module }, bindings };
  },
};
