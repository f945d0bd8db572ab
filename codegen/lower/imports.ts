/**
 * The WIT imports as componentize-js gives them to the guest (checked against
 * `jco types codegen/wit --world-name stop --guest`): one ES module per interface,
 *
 *   stopline:line/link@0.1.0          call(stop, segment, payload) → string
 *   stopline:line/sql@0.1.0           query(store, sql, params) → string, connect(store) → Connection
 *   stopline:line/client-local@0.1.0  get/set/remove/keys(area, …)
 *   stopline:line/client-dom@0.1.0    querySelector(selectors), getElementById(id) → Element
 *   wasi:keyvalue/store@0.2.0-draft   open(identifier) → Bucket
 *   wasi:config/store@0.2.0-draft     get(key) → string | undefined, getAll() → [key, value][]
 *
 * A `result<T, E>` import returns T, or throws an Error whose `payload` is E (a record or a
 * `{ tag, val? }` variant). Resources have `[Symbol.dispose]()`, which drops the handle.
 *
 * The lowerings take these modules as arguments (structural types below) instead of
 * importing them, so the same code runs in a component (the bundle's entry passes the
 * real imports) and in Node against fakes (tests).
 *
 * Plain JavaScript only: everything in codegen/lower runs inside a component
 * (StarlingMonkey): no Node APIs, no Buffer, no process.
 */

export interface LinkImport {
  call(stop: string, segment: string, payload: string): string;
}

export type SqlErrorKind = 'no-such-store' | 'access-denied' | 'query-failed' | 'transaction-state' | 'closed' | 'other';

/** The `payload` of an error thrown by a `sql` import. */
export interface SqlErrorPayload {
  kind: SqlErrorKind;
  code?: string;
  message: string;
}

export interface SqlConnectionResource {
  query(sql: string, params: string): string;
  begin(): void;
  commit(): void;
  rollback(): void;
}

export interface SqlImport {
  query(store: string, sql: string, params: string): string;
  connect(store: string): SqlConnectionResource;
}

export interface KeyResponse {
  keys: string[];
  cursor?: bigint;
}

export interface BucketResource {
  get(key: string): Uint8Array | undefined;
  set(key: string, value: Uint8Array): void;
  delete(key: string): void;
  exists(key: string): boolean;
  listKeys(cursor: bigint | undefined): KeyResponse;
}

export interface KeyvalueStoreImport {
  open(identifier: string): BucketResource;
}

export type StorageArea = 'local' | 'session';

export interface ClientLocalImport {
  get(area: StorageArea, key: string): string | undefined;
  set(area: StorageArea, key: string, value: string): void;
  remove(area: StorageArea, key: string): void;
  keys(area: StorageArea): string[];
}

/** `stopline:line/client-dom`'s `element` resource, as the guest holds it. */
export interface DomElementResource {
  /** Throws an Error whose `payload` is a `DomErrorPayload`. */
  value(): string | undefined;
  textContent(): string;
}

export type DomErrorPayload = { tag: 'syntax'; val: string } | { tag: 'unsupported'; val: string };

export interface ClientDomImport {
  /** Throws an Error whose `payload` is a `DomErrorPayload`. */
  querySelector(selectors: string): DomElementResource | undefined;
  getElementById(id: string): DomElementResource | undefined;
}

/** `wasi:config/store`: the deployment's configuration and secrets (server stops only). */
export interface ConfigStoreImport {
  get(key: string): string | undefined;
  getAll(): [string, string][];
}

/** The `payload` of an error thrown by a `wasi:config/store` import. */
export type ConfigErrorPayload = { tag: 'upstream'; val: string } | { tag: 'io'; val: string };

/** The `payload` of an error an import threw, if it has one. */
export function payloadOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'payload' in error ? (error as { payload: unknown }).payload : undefined;
}

/** jco's `Symbol.dispose || Symbol.for('dispose')`: the method that drops a resource handle. */
export const DISPOSE: symbol = (Symbol as unknown as { dispose?: symbol }).dispose ?? Symbol.for('dispose');

/** Drops a resource handle (no-op when it has no dispose method, e.g. a fake in tests). */
export function dispose(resource: object): void {
  const fn = (resource as Record<symbol, unknown>)[DISPOSE];
  if (typeof fn === 'function') (fn as () => void).call(resource);
}
