/**
 * The embedded stores of the local line runtime: synchronous (component imports cannot
 * await), deterministic, and on an injected clock. SQL on SQLite (sql.js), eventually
 * consistent KV with a home copy and lagging replicas, client-local Web Storage, and the
 * seed files that fill them.
 */
export { VirtualClock, type Clock } from './clock.js';
export {
  createSqlEngine,
  SqlError,
  type SqlConnection,
  type SqlEngine,
  type SqlErrorKind,
  type SqlParam,
  type SqlParams,
  type SqlQueryable,
  type SqlResult,
  type SqlRow,
  type SqlStore,
  type SqlStoreOptions,
  type SqlTableDump,
  type SqlValue,
} from './sql.js';
export { kvValueBytes, openKvStore, storedKvValue, type KvEntry, type KvStore, type KvStoreOptions, type KvValue, type KvView } from './kv.js';
export { openLocalStore, type LocalClientDump, type LocalStore, type LocalStoreOptions, type WebStorage } from './local.js';
export {
  applySeed,
  loadSeedFile,
  parseSeed,
  seedPathText,
  type ParseSeedOptions,
  type SeedError,
  type SeedErrorCode,
  type SeedPath,
  type SeedResult,
  type SeedTargets,
  type StoreSeed,
} from './seed.js';
