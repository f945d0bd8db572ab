import { js, unavailableModule, WIT_IMPORTS, type StoreLowering } from './types.js';

/** `fastly:kv-store` on `wasi:keyvalue/store` (codegen/lower/fastly-kv.ts): `new KVStore('<name>')` opens the store of that name, one bucket each. */
export const fastlyKvLowering: StoreLowering = {
  preset: 'fastly-kv',
  lower(stores, ctx) {
    if (ctx.world !== 'server') return { modules: { 'fastly:kv-store': unavailableModule('fastly:kv-store', 'a client stop has no KV stores') } };
    const module = [
      `import * as keyvalue from ${js(WIT_IMPORTS.keyvalue)};`,
      `import { createFastlyKvLoweredModule } from ${js(ctx.lowering('fastly-kv'))};`,
      `const kv = createFastlyKvLoweredModule({ keyvalue, stores: ${JSON.stringify(stores.map((s) => s.name))} });`,
      'export const { KVStore } = kv;',
      'export default kv;',
    ].join('\n');
    return { modules: { 'fastly:kv-store': module } };
  },
};
