import { js, WIT_IMPORTS, type StoreLowering } from './types.js';

/** The `localStorage` global on `stopline:line/client-local`, at a client stop only. */
export const webStorageLowering: StoreLowering = {
  preset: 'web-storage',
  lower(_stores, ctx) {
    if (ctx.world !== 'client') return {};
    return {
      prelude: [
        `import * as clientLocal from ${js(WIT_IMPORTS.clientLocal)};`,
        `import { createWebStorage } from ${js(ctx.lowering('web-storage'))};`,
        'globalThis.localStorage = createWebStorage(clientLocal, "local");',
      ],
    };
  },
};
