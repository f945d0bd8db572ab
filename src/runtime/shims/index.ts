/**
 * Library shims for the original (unsplit) program: small objects with the call shapes of
 * the libraries the presets recognise, backed by the embedded stores, synchronous
 * underneath and returning promises where the real library does. One file per library
 * (`pg.ts`, `cloudflare-kv.ts`, `web-storage.ts`) holds the shim itself and knows nothing
 * of configs; the table below says, per preset, how a store of the config becomes part
 * of the program's world (a module, a global, an `env` binding; see `world.ts`).
 *
 * Adding a library (mysql2, ioredis, fastly:kv-store…): write `<library>.ts` with a
 * factory over the store interface (`SqlStore`, `KvView`, `LocalStore`), then add a
 * `StoreShim` here: `install` puts the factory's result into `world.modules` under the
 * import specifier (`'mysql2/promise'`, `'fastly:kv-store'`), `world.globals` or
 * `world.env`, and pushes a `ShimBinding` for stores whose `binding` names a
 * module-level handle the program constructs itself.
 */
import { createKvNamespace } from './cloudflare-kv.js';
import { createDrizzleBinding } from './drizzle.js';
import { bindRedisHandle, createIoredisModule } from './ioredis.js';
import { createFastlyKvShimModule } from './fastly-kv.js';
import { createMysql2ShimModule } from './mysql2.js';
import { bindPgHandle, createPgModule } from './pg.js';
import { createWebStorage } from './web-storage.js';
import { nearestCopy, splitBinding, type OpenStore, type ShimBinding, type StoreShim } from './world.js';

export { createClockedDate } from './date.js';
export { createKvNamespace, KvNamespaceShim, type KvGetType, type KvListOptions, type KvListResult, type KvPutOptions } from './cloudflare-kv.js';
export { bindPgHandle, createPgModule, DatabaseError, PgClient, PgPool, PgPoolClient, type PgModule, type PgModuleOptions, type PgQueryResult } from './pg.js';
export { createWebStorage } from './web-storage.js';
export { bindRedisHandle, createIoredisModule, type IoredisModule, type IoredisModuleOptions } from './ioredis.js';
export { createFastlyKvShimModule, KVStoreEntry, type FastlyKvModule, type FastlyKVStore, type KvListPage } from './fastly-kv.js';
export { createMysql2ShimModule, type Mysql2Module, type Mysql2ShimOptions } from './mysql2.js';
export { emptyWorld, nearestCopy, splitBinding, type OpenStore, type ShimBinding, type ShimContext, type ShimWorld, type StoreShim } from './world.js';

/** Module-level handle bindings (`src/db.ts#pool`) of `stores`, attached with `attach`. */
function handleBindings(stores: readonly OpenStore[], attach: (value: unknown, store: OpenStore) => boolean): ShimBinding[] {
  return stores.flatMap((store) => {
    const parts = store.config.binding === null ? null : splitBinding(store.config.binding);
    if (!parts || parts.member) return [];
    return [{ file: parts.file, name: parts.name, store: store.config.name, attach: (value: unknown) => attach(value, store) }];
  });
}

/** `env.CARTS`: the binding's property (`src/types.ts#Env.CARTS`), else the store's name upper-cased (wrangler's convention). */
export function envBindingName(store: OpenStore): string {
  const parts = store.config.binding === null ? null : splitBinding(store.config.binding);
  if (parts) return parts.name;
  return store.config.name.toUpperCase().replace(/[^A-Z0-9_$]/g, '_');
}

const pgShim: StoreShim = {
  preset: 'pg',
  install(world, stores) {
    const sql = stores.flatMap((s) => (s.kind === 'sql' ? [s] : []));
    world.modules.set('pg', createPgModule({ defaultStore: sql.length === 1 && sql[0] ? sql[0].store : null }));
    world.bindings.push(...handleBindings(sql, (value, store) => store.kind === 'sql' && bindPgHandle(value, store.store)));
  },
};

const mysql2Shim: StoreShim = {
  preset: 'mysql2',
  install(world, stores) {
    const sql = stores.flatMap((s) => (s.kind === 'sql' ? [s] : []));
    const mysql = createMysql2ShimModule({ stores: new Map(sql.map((s) => [s.config.name, s.store])), defaultStore: sql.length === 1 && sql[0] ? sql[0].config.name : null });
    // `import mysql from 'mysql2/promise'` and `import { createPool } from 'mysql2/promise'`.
    world.modules.set('mysql2/promise', { ...mysql, default: mysql });
    world.bindings.push(...handleBindings(sql, (value, store) => mysql.bind(value, store.config.name)));
  },
};

const cloudflareKvShim: StoreShim = {
  preset: 'cloudflare-kv',
  install(world, stores, context) {
    for (const s of stores) {
      if (s.kind !== 'kv') continue;
      world.env[envBindingName(s)] = createKvNamespace(s.store.at(nearestCopy(s.store, context.stop, context.stops)));
    }
  },
};

const fastlyKvShim: StoreShim = {
  preset: 'fastly-kv',
  install(world, stores, context) {
    // `new KVStore('fragments')` opens the store of that name, at the copy nearest the stop.
    const views = new Map(stores.flatMap((s) => (s.kind === 'kv' ? [[s.config.name, s.store.at(nearestCopy(s.store, context.stop, context.stops))] as const] : [])));
    world.modules.set('fastly:kv-store', createFastlyKvShimModule(views));
  },
};

const webStorageShim: StoreShim = {
  preset: 'web-storage',
  install(world, stores, context) {
    const local = stores.flatMap((s) => (s.kind === 'local' ? [s] : []));
    if (local.length > 1) {
      throw new Error(`web-storage shim: ${local.length} web-storage stores (${local.map((s) => s.config.name).join(', ')}); the original program has one localStorage`);
    }
    if (local[0]) world.globals.set('localStorage', createWebStorage(local[0].store, context.clientId));
  },
};

/**
 * drizzle-orm: the REAL drizzle (from the project's node_modules) on the pg shim. Its
 * node-postgres driver calls `client.query({ text, values, rowMode: 'array', types })` on
 * the Pool the program hands to `drizzle()`; the binding names the drizzle database
 * (`src/db.ts#db`), whose `$client` is that Pool.
 */
const drizzleShim: StoreShim = {
  preset: 'drizzle',
  install(world, stores) {
    const sql = stores.flatMap((s) => (s.kind === 'sql' ? [s] : []));
    if (!world.modules.has('pg')) world.modules.set('pg', createPgModule({ defaultStore: sql.length === 1 && sql[0] ? sql[0].store : null }));
    world.bindings.push(...handleBindings(sql, (value, store) => store.kind === 'sql' && createDrizzleBinding(value, (client) => bindPgHandle(client, store.store))));
  },
};

/** ioredis on a KV store's copy at the stop (the nearest copy when the stop has none). */
const ioredisShim: StoreShim = {
  preset: 'ioredis',
  install(world, stores, context) {
    const kv = stores.flatMap((s) => (s.kind === 'kv' ? [s] : []));
    const view = (s: (typeof kv)[number]) => s.store.at(nearestCopy(s.store, context.stop, context.stops));
    world.modules.set('ioredis', createIoredisModule({ defaultStore: kv.length === 1 && kv[0] ? view(kv[0]) : null }));
    world.bindings.push(...handleBindings(kv, (value, store) => store.kind === 'kv' && bindRedisHandle(value, view(store))));
  },
};

/** The shims by preset name. */
export const storeShims: ReadonlyMap<string, StoreShim> = new Map([pgShim, drizzleShim, mysql2Shim, cloudflareKvShim, fastlyKvShim, ioredisShim, webStorageShim].map((s) => [s.preset, s]));
