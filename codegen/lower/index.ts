// Guest-side lowerings: the libraries' call shapes inside a component, on the WIT imports
// of stopline:line and wasi:keyvalue. Bundled into every stop by codegen/bundle.
export { createPgModule, DatabaseError, type PgModule, type PgModuleOptions, type PgQueryResult } from './pg.js';
export { createKvNamespace, KvNamespace, base64url, fromBase64url, type KvGetType, type KvListOptions, type KvListResult, type KvPutOptions } from './workers-kv.js';
export { createWebStorage, LoweredStorage } from './web-storage.js';
export { createMysql2LoweredModule, type Mysql2LoweringOptions } from './mysql2.js';
export { createFastlyKvLoweredModule, KVStoreEntry, type FastlyKvLoweringOptions, type FastlyKvModule, type FastlyKVStore, type KvListPage } from './fastly-kv.js';
export {
  createDispatch,
  createLink,
  ENTRY_PREFIX,
  StoplineRpcError,
  pack,
  packRecord,
  RpcFailure,
  unpack,
  unpackRecord,
  type Dispatch,
  type DispatchOptions,
  type EntryHandler,
  type LinkCompletion,
  type LinkImpl,
  type OutlinedFunction,
} from './link.js';
export { MiniEmitter } from './events.js';
export { AuthFailure, configKeys, createLinkAuth, LINK_KEY, LINK_KEY_PREVIOUS, type LinkAuth, type LinkAuthOptions, type LinkKeys } from './rpc-auth.js';
export { checkLiveIns } from './rpc-guard.js';
export * from './imports.js';
