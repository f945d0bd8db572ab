import { decode, encode } from '../../../codegen/wire/index.js';
import { leadingKeyword } from '../../presets/sql-text.js';
import { createConfigInterface } from './config.js';
import { kvValueBytes, openLocalStore, SqlError, storedKvValue, type KvStore, type KvView, type LocalStore, type SqlConnection, type SqlParams, type SqlResult, type SqlStore, type WebStorage } from '../stores/index.js';

/**
 * The host side of a stop's WIT imports (`codegen/wit/line.wit`), on the embedded stores,
 * in the shape jco's transpiled components take them with `instantiation: 'async'`.
 *
 * The import object (jco 1.35). The generated `.d.ts` names the keys with their version
 * (`'stopline:line/sql@0.1.0'`) but the generated JS reads them WITHOUT it
 * (`imports['stopline:line/sql']`), so `imports` carries both spellings of every key:
 *
 *   'stopline:line/link'             { call(stop, segment, payload): string }
 *   'stopline:line/sql'              { query(store, sql, params): string, connect(store): Connection, Connection }
 *   'stopline:line/client-local'     { get(area, key): string | undefined, set(area, key, value): void, remove(area, key): void, keys(area): string[] }
 *   'wasi:keyvalue/store'            { open(identifier): Bucket, Bucket }
 *   'wasi:keyvalue/atomics'          { increment(bucket: Bucket, key, delta: bigint): bigint }
 *   'wasi:config/store'              { get(key): string | undefined, getAll(): [string, string][] }
 *                                    (the deployment's configuration, to trusted stops only: config.ts)
 *
 * - Resources are classes given in the interface object (`Connection`, `Bucket`); the
 *   host creates the instances and the guest gets handles to them. When the guest drops
 *   an owned handle, jco calls the instance's `[Symbol.dispose]()`: a `Connection` then
 *   releases its SQL connection (rolling back an open transaction, as the WIT says).
 * - `result<T, E>`: returning a value is `ok`; `err(e)` is a throw of an object with an
 *   own `payload` property (jco's `getErrorPayload`), which the guest sees as an Error with
 *   `.payload = e`. Enums are strings (`'query-failed'`), variants `{ tag, val? }`,
 *   options `undefined` or the value, `u64` a bigint, `list<u8>` a Uint8Array.
 * - A host function must never throw anything else: jco rethrows a plain Error through the
 *   guest's frames to whoever called the export, and the instance traps on every later
 *   call (test/codegen/component.test.ts shows it). So every function here catches
 *   everything: the ones with a `result` return the failure as their `err`, the others
 *   (client-local `get`, `remove`, `keys`) fall back to none / nothing / [] and record the
 *   failure in `faults`.
 *
 * Where data lives: a KV bucket opened at a stop is the store's copy at that stop, or,
 * when the stop has none, the copy at the nearest stop on the line that has one (the
 * nearer one towards the client on a tie), as the in-process runner routes it
 * (`servingStop` overrides it). Every access goes through `around`, which is how the line
 * charges an access served at another stop one round trip and traces it (line.ts).
 * `increment` runs on the home copy: it is the one operation whose contract (atomic, no
 * lost update) a lagging replica cannot keep. Bytes written through `set` are stored as a
 * string when they are valid UTF-8 (the original program's KV shims store strings, and the
 * differential tests compare the stores' contents), else as bytes.
 */

export type StopName = string;

/** The stores a line's hosts serve, by store name (the shape of `OpenedStores`). */
export interface LineStores {
  readonly sql?: ReadonlyMap<string, SqlStore>;
  readonly kv?: ReadonlyMap<string, KvStore>;
  readonly local?: ReadonlyMap<string, LocalStore>;
}

export type RpcErrorCode = 'unknown-segment' | 'bad-payload' | 'unauthenticated' | 'unavailable' | 'timeout' | 'internal';
export interface RpcError {
  code: RpcErrorCode;
  message: string;
}

export type SqlErrorKind = 'no-such-store' | 'access-denied' | 'query-failed' | 'transaction-state' | 'closed' | 'other';
export interface WitSqlError {
  kind: SqlErrorKind;
  code?: string;
  message: string;
}

export type KvError = { tag: 'no-such-store' } | { tag: 'access-denied' } | { tag: 'other'; val: string };
export type StorageError = { tag: 'quota-exceeded' } | { tag: 'access-denied' } | { tag: 'other'; val: string };
export type Area = 'local' | 'session';

/** What a link answers: the target's result, as a value (never a throw). */
export type LinkOutcome = { ok: true; value: string } | { ok: false; error: RpcError };

export interface StopHostOptions {
  /** the stop the component runs at */
  readonly stop: StopName;
  /** every stop of the line, client first: for the nearest copy of a KV store */
  readonly line: readonly StopName[];
  readonly stores: LineStores;
  /** store names this stop may use (SQL and KV); absent: all of them */
  readonly access?: readonly string[];
  /** whose web storage client-local reads and writes (default 'client') */
  readonly clientId?: string;
  /** the local store behind area `local` (default: the first of `stores.local`) */
  readonly localStore?: string;
  /** how `link.call` reaches another stop; must not throw (a throw becomes an `internal` err) */
  readonly link: (stop: StopName, segment: string, payload: string) => LinkOutcome;
  /**
   * Runs one store access of the guest (`run`), so the line can charge it: one call per
   * SQL statement (`query`, a connection's `query`/`begin`/`commit`/`rollback`) and per KV
   * operation (`get`, `set`, `delete`, `exists`, one page of `listKeys`, `increment`).
   * Absent: accesses cost nothing. Must return what `run` returns (or throw what it throws).
   */
  readonly around?: <T>(access: StoreAccess, run: () => T) => T;
  /** The stop whose copy of a KV store this stop's buckets use (default: `nearestCopy`). */
  readonly servingStop?: (store: string) => StopName | undefined;
  /** Whether the stop is trusted: only then does `wasi:config/store` serve the configuration (default false). */
  readonly trusted?: boolean;
  /** The deployment's configuration (the guest's `process.env`), served to a trusted stop (default: none). */
  readonly config?: Readonly<Record<string, string>>;
}

/** One store access of a guest, as `around` sees it. */
export interface StoreAccess {
  readonly store: string;
  readonly kind: 'sql' | 'kv';
  readonly op: 'read' | 'write';
  /** Served by the store's home whatever copies it has (an atomic increment). */
  readonly atHome?: boolean;
}

/** A failure a host function without a `result` could not report to the guest. */
export interface HostFault {
  readonly stop: StopName;
  readonly fn: string;
  readonly message: string;
}

export interface StopHost {
  /** the import object for a transpiled component's `instantiate(getCoreModule, imports)` */
  readonly imports: Record<string, Record<string, unknown>>;
  readonly faults: readonly HostFault[];
  /** SQL connections the guest holds and has not dropped */
  readonly openConnections: number;
  /** releases every connection still held (rolling back open transactions) */
  close(): void;
}

/** An `err` for jco: an object with an own `payload` property. */
class WitErr extends Error {
  readonly payload: unknown;
  constructor(payload: unknown) {
    super(typeof payload === 'object' && payload !== null && 'message' in payload ? String(payload.message) : JSON.stringify(payload));
    this.name = 'WitErr';
    this.payload = payload;
  }
}

const symbolDispose: symbol = (Symbol as unknown as { dispose?: symbol }).dispose ?? Symbol.for('dispose');

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs `fn`; a `WitErr` passes through, anything else becomes `err(toErr(error))`. */
function guarded<T>(fn: () => T, toErr: (error: unknown) => unknown): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof WitErr) throw error;
    let payload: unknown;
    try {
      payload = toErr(error);
    } catch (inner) {
      payload = { code: 'internal', message: messageOf(inner) };
    }
    throw new WitErr(payload);
  }
}

// --- SQL ---------------------------------------------------------------------------------

function sqlErr(kind: SqlErrorKind, message: string, code?: string | null): WitSqlError {
  return code ? { kind, code, message } : { kind, message };
}

/** A store's failure as the WIT's sql-error: SQLSTATE in `code` when the store knows it. */
export function toWitSqlError(error: unknown): WitSqlError {
  if (error instanceof WitErr) return error.payload as WitSqlError;
  if (error instanceof SqlError) {
    switch (error.kind) {
      case 'sqlite':
      case 'params':
      case 'busy':
        return sqlErr('query-failed', error.message, error.sqlState);
      case 'closed':
        return sqlErr('closed', error.message, error.sqlState);
      case 'usage':
        return sqlErr('transaction-state', error.message, error.sqlState);
    }
  }
  return sqlErr('other', messageOf(error));
}

function decodeParams(params: string): SqlParams | undefined {
  if (params === '') return undefined;
  let value: unknown;
  try {
    value = decode(params);
  } catch (error) {
    throw new WitErr(sqlErr('other', `the parameters are not in the wire format: ${messageOf(error)}`));
  }
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object') throw new WitErr(sqlErr('other', `the parameters must decode to an array or an object, got ${typeof value}`));
  return value as SqlParams;
}

function encodeResult(result: SqlResult): string {
  return encode({ rows: result.rows, rowCount: result.rowCount, fields: result.fields, types: result.types, lastInsertRowid: result.lastInsertRowid });
}

const TRANSACTION_WORD = /^\s*(begin|commit|end|rollback|start\s+transaction)\b/i;

/** SELECT/WITH/EXPLAIN/SHOW/VALUES… read; anything else may write. */
function sqlOp(sql: string): StoreAccess['op'] {
  return /^(select|with|explain|show|values|pragma|table)$/.test(leadingKeyword(sql).toLowerCase()) ? 'read' : 'write';
}

type Around = <T>(access: StoreAccess, run: () => T) => T;
const uncharged: Around = (_access, run) => run();

/** The `connection` resource: one SQL connection of the store, for transactions. */
export class Connection {
  #connection: SqlConnection | null;
  readonly #onRelease: (c: Connection) => void;
  readonly #store: string;
  readonly #around: Around;

  /** @internal made by the host only */
  constructor(connection: SqlConnection, onRelease: (c: Connection) => void, store = '', around: Around = uncharged) {
    this.#connection = connection;
    this.#onRelease = onRelease;
    this.#store = store;
    this.#around = around;
  }

  #charged<T>(op: StoreAccess['op'], run: () => T): T {
    return this.#around({ store: this.#store, kind: 'sql', op }, run);
  }

  #open(): SqlConnection {
    if (!this.#connection || this.#connection.released) throw new WitErr(sqlErr('closed', 'the connection was released'));
    return this.#connection;
  }

  query(sql: string, params: string): string {
    return this.#charged(sqlOp(sql), () =>
      guarded(() => {
        const conn = this.#open();
        // BEGIN/COMMIT/ROLLBACK go through begin/commit/rollback, so the state checks hold.
        if (TRANSACTION_WORD.test(sql)) {
          const word = (sql.trim().split(/\s+/)[0] ?? '').toLowerCase();
          if (word === 'begin' || word === 'start') this.#begin();
          else if (word === 'rollback') this.#rollback();
          else this.#commit();
          return encode({ rows: [], rowCount: 0, fields: [], types: [], lastInsertRowid: null });
        }
        return encodeResult(conn.query(sql, decodeParams(params)));
      }, toWitSqlError),
    );
  }

  begin(): void {
    this.#charged('write', () => this.#begin());
  }

  commit(): void {
    this.#charged('write', () => this.#commit());
  }

  rollback(): void {
    this.#charged('write', () => this.#rollback());
  }

  #begin(): void {
    guarded(() => {
      const conn = this.#open();
      if (conn.inTransaction) throw new WitErr(sqlErr('transaction-state', 'begin: this connection already has an open transaction', '25001'));
      conn.query('BEGIN');
    }, toWitSqlError);
  }

  #commit(): void {
    guarded(() => {
      const conn = this.#open();
      if (!conn.inTransaction) throw new WitErr(sqlErr('transaction-state', 'commit: there is no transaction in progress', '25P01'));
      conn.query('COMMIT');
    }, toWitSqlError);
  }

  #rollback(): void {
    guarded(() => {
      const conn = this.#open();
      if (!conn.inTransaction) throw new WitErr(sqlErr('transaction-state', 'rollback: there is no transaction in progress', '25P01'));
      conn.query('ROLLBACK');
    }, toWitSqlError);
  }

  /** Called by jco when the guest drops its handle; never throws. */
  release(): void {
    const conn = this.#connection;
    this.#connection = null;
    if (!conn) return;
    try {
      if (!conn.released) conn.release();
    } catch {
      // released already, or the store is closed: nothing is held any more
    }
    this.#onRelease(this);
  }

  [symbolDispose](): void {
    this.release();
  }
}

// --- KV ----------------------------------------------------------------------------------

const LIST_PAGE = 1000;
const U64_MAX = (1n << 64n) - 1n;

const bytesOf = kvValueBytes;
const storedValue = storedKvValue;

function kvOther(error: unknown): KvError {
  if (error instanceof WitErr) return error.payload as KvError;
  return { tag: 'other', val: messageOf(error) };
}

/** The `bucket` resource: a KV store's copy at one stop. */
export class Bucket {
  readonly store: KvStore;
  readonly view: KvView;
  readonly #around: Around;

  /** @internal made by the host only */
  constructor(store: KvStore, view: KvView, around: Around = uncharged) {
    this.store = store;
    this.view = view;
    this.#around = around;
  }

  /** @internal one access of this bucket's store, charged by the line */
  charged<T>(op: StoreAccess['op'], run: () => T, atHome = false): T {
    return this.#around({ store: this.store.name, kind: 'kv', op, ...(atHome ? { atHome } : {}) }, run);
  }

  get(key: string): Uint8Array | undefined {
    return this.charged('read', () =>
      guarded(() => {
        const value = this.view.get(key);
        return value === undefined ? undefined : bytesOf(value);
      }, kvOther),
    );
  }

  set(key: string, value: Uint8Array): void {
    this.charged('write', () => guarded(() => this.view.set(key, storedValue(value)), kvOther));
  }

  delete(key: string): void {
    this.charged('write', () => guarded(() => this.view.delete(key), kvOther));
  }

  exists(key: string): boolean {
    return this.charged('read', () => guarded(() => this.view.has(key), kvOther));
  }

  /** Pages of 1000 keys, sorted; the cursor is the offset of the next page. */
  listKeys(cursor: bigint | undefined): { keys: string[]; cursor?: bigint } {
    return this.charged('read', () => this.#listKeys(cursor));
  }

  #listKeys(cursor: bigint | undefined): { keys: string[]; cursor?: bigint } {
    return guarded(() => {
      const all = this.view.list();
      const start = cursor === undefined ? 0 : Number(cursor);
      const keys = all.slice(start, start + LIST_PAGE);
      const next = start + LIST_PAGE;
      return next < all.length ? { keys, cursor: BigInt(next) } : { keys };
    }, kvOther);
  }

  [symbolDispose](): void {
    // a view holds nothing
  }
}

// --- the host ----------------------------------------------------------------------------

/** The stop with a copy of `store` nearest to `stop` on the line (ties: towards the client). */
export function nearestCopy(store: KvStore, stop: StopName, line: readonly StopName[]): StopName {
  const holders = [store.home, ...store.replicas];
  if (holders.includes(stop)) return stop;
  const at = line.indexOf(stop);
  const position = (s: StopName): number => {
    const i = line.indexOf(s);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const distance = (s: StopName): number => (at < 0 ? position(s) : Math.abs(position(s) - at));
  const sorted = [...holders].sort((a, b) => distance(a) - distance(b) || position(a) - position(b));
  return sorted[0] ?? store.home;
}

export function createStopHost(options: StopHostOptions): StopHost {
  const { stop, stores } = options;
  const faults: HostFault[] = [];
  const connections = new Set<Connection>();
  const allowed = (name: string): boolean => options.access === undefined || options.access.includes(name);
  const clientId = options.clientId ?? 'client';
  const localName = options.localStore ?? [...(stores.local?.keys() ?? [])][0];
  const session = openLocalStore({ name: `${stop}:session` });

  const sqlStore = (name: string): SqlStore => {
    const store = stores.sql?.get(name);
    if (!store) throw new WitErr(sqlErr('no-such-store', `no SQL store named '${name}'`));
    if (!allowed(name)) throw new WitErr(sqlErr('access-denied', `stop '${stop}' may not use the SQL store '${name}'`));
    return store;
  };

  const around: Around = options.around ?? uncharged;
  const sql = {
    Connection,
    query(store: string, text: string, params: string): string {
      return guarded(() => {
        const target = sqlStore(store);
        return around({ store, kind: 'sql', op: sqlOp(text) }, () => guarded(() => encodeResult(target.query(text, decodeParams(params))), toWitSqlError));
      }, toWitSqlError);
    },
    connect(store: string): Connection {
      return guarded(() => {
        const connection = new Connection(sqlStore(store).connect(), (c) => connections.delete(c), store, around);
        connections.add(connection);
        return connection;
      }, toWitSqlError);
    },
  };

  const kvStore = {
    Bucket,
    open(identifier: string): Bucket {
      return guarded(() => {
        const store = stores.kv?.get(identifier);
        if (!store) throw new WitErr({ tag: 'no-such-store' } satisfies KvError);
        if (!allowed(identifier)) throw new WitErr({ tag: 'access-denied' } satisfies KvError);
        return new Bucket(store, store.at(options.servingStop?.(identifier) ?? nearestCopy(store, stop, options.line)), around);
      }, kvOther);
    },
  };

  const atomics = {
    increment(bucket: Bucket, key: string, delta: bigint): bigint {
      return guarded(() => {
        if (!(bucket instanceof Bucket)) throw new WitErr({ tag: 'other', val: 'not a bucket of this host' } satisfies KvError);
        return bucket.charged('write', () => incrementAtHome(bucket, key, delta), true);
      }, kvOther);
    },
  };

  const incrementAtHome = (bucket: Bucket, key: string, delta: bigint): bigint =>
    guarded(() => {
      const home = bucket.store.at(bucket.store.home);
      const current = home.get(key);
      let value = 0n;
      if (current !== undefined) {
        const text = typeof current === 'string' ? current : storedValue(current);
        if (typeof text !== 'string' || !/^\s*\d+\s*$/.test(text)) {
          throw new WitErr({ tag: 'other', val: `the value of '${key}' is not an unsigned integer` } satisfies KvError);
        }
        value = BigInt(text.trim());
      }
      const next = value + BigInt(delta);
      if (next > U64_MAX) throw new WitErr({ tag: 'other', val: `incrementing '${key}' overflows u64` } satisfies KvError);
      home.set(key, next.toString());
      return next;
    }, kvOther);

  const fault = (fn: string, error: unknown): void => {
    faults.push({ stop, fn, message: messageOf(error) });
  };
  const area = (which: Area): WebStorage | null => {
    if (which === 'session') return session.forClient(clientId);
    const store = localName === undefined ? undefined : stores.local?.get(localName);
    return store ? store.forClient(clientId) : null;
  };
  const clientLocal = {
    get(which: Area, key: string): string | undefined {
      try {
        return area(which)?.getItem(key) ?? undefined;
      } catch (error) {
        fault('client-local.get', error);
        return undefined;
      }
    },
    set(which: Area, key: string, value: string): void {
      guarded(
        () => {
          const storage = area(which);
          if (!storage) throw new WitErr({ tag: 'access-denied' } satisfies StorageError);
          storage.setItem(key, value);
        },
        (error): StorageError => (error instanceof Error && error.name === 'QuotaExceededError' ? { tag: 'quota-exceeded' } : { tag: 'other', val: messageOf(error) }),
      );
    },
    remove(which: Area, key: string): void {
      try {
        area(which)?.removeItem(key);
      } catch (error) {
        fault('client-local.remove', error);
      }
    },
    keys(which: Area): string[] {
      try {
        const storage = area(which);
        if (!storage) return [];
        const keys: string[] = [];
        for (let i = 0; i < storage.length; i++) {
          const key = storage.key(i);
          if (key !== null) keys.push(key);
        }
        return keys;
      } catch (error) {
        fault('client-local.keys', error);
        return [];
      }
    },
  };

  const link = {
    call(target: string, segment: string, payload: string): string {
      return guarded(
        () => {
          const outcome = options.link(target, segment, payload);
          if (!outcome.ok) throw new WitErr(outcome.error);
          return outcome.value;
        },
        (error): RpcError => ({ code: 'internal', message: `link to '${target}': ${messageOf(error)}` }),
      );
    },
  };

  const interfaces: Record<string, Record<string, unknown>> = {
    'stopline:line/link': link,
    'stopline:line/sql': sql,
    'stopline:line/client-local': clientLocal,
    'stopline:line/types': {},
    'wasi:keyvalue/store': kvStore,
    'wasi:keyvalue/atomics': atomics,
    'wasi:config/store': createConfigInterface({ stop, trusted: options.trusted ?? false, values: options.config ?? {} }) as unknown as Record<string, unknown>,
  };
  const imports: Record<string, Record<string, unknown>> = {};
  for (const [name, value] of Object.entries(interfaces)) {
    imports[name] = value;
    imports[`${name}@${name.startsWith('wasi:') ? '0.2.0-draft' : '0.1.0'}`] = value;
  }

  return {
    imports,
    faults,
    get openConnections() {
      return connections.size;
    },
    close() {
      for (const c of [...connections]) c.release();
    },
  };
}
