import { js, splitBinding, WIT_IMPORTS, type StoreLowering } from './types.js';

/** Cloudflare Workers KV bindings (`env.CARTS`) as namespaces on `wasi:keyvalue/store`, one bucket per store, named as the store. */
export const workersKvLowering: StoreLowering = {
  preset: 'cloudflare-kv',
  lower(stores, ctx) {
    if (ctx.world !== 'server') return {};
    return {
      env: {
        imports: [`import * as keyvalue from ${js(WIT_IMPORTS.keyvalue)};`, `import { createKvNamespace } from ${js(ctx.lowering('workers-kv'))};`],
        entries: stores.map((s) => [envBindingName(s.binding, s.name), `createKvNamespace(keyvalue, ${js(s.name)})`] as const),
      },
    };
  },
};

/** `env.CARTS`: the binding's property (`src/types.ts#Env.CARTS`), else the store's name upper-cased (wrangler's convention). */
export function envBindingName(binding: string | null, store: string): string {
  const parts = splitBinding(binding);
  return parts ? parts.name : store.toUpperCase().replace(/[^A-Z0-9_$]/g, '_');
}
