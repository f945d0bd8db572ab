import { EventEmitter } from 'node:events';
import { SqlError, type SqlConnection, type SqlParams, type SqlResult, type SqlStore, type SqlValue } from '../stores/index.js';
import { leadingKeyword } from '../../presets/sql-text.js';
import { ALREADY_RELEASED, COUNTED, MAX_SAFE, PG_TYPES, field, type Callback, type PgQueryResult } from '../../presets/calls/pg.js';
export type { PgFieldDef, PgQueryResult } from '../../presets/calls/pg.js';

/**
 * node-postgres (`pg`) with its call shapes, on an embedded SQL store (src/runtime/stores/sql.ts).
 *
 *   const pg = createPgModule({ defaultStore: orders });   // what `import … from 'pg'` gives
 *   const pool = new pg.Pool({ max: 5 });                  // config accepted and ignored
 *   await pool.query('SELECT * FROM t WHERE id = $1', [7]);
 *   const client = await pool.connect();                    // a store connection
 *   await client.query('BEGIN'); …; await client.query('COMMIT'); client.release();
 *
 * Which store: a handle bound with `bindPgHandle` (the runner does it for a store's
 * `binding: src/db.ts#pool`) uses that store; any other uses `defaultStore` (the runner
 * gives the only pg store, when there is one). The store is looked up at each query, so a
 * module-level `new Pool()` can be bound after the program's modules have loaded.
 *
 * Every query runs synchronously when it is called (the embedded store is synchronous);
 * the returned promise is already settled. Results are pg's `{ command, rowCount, oid,
 * rows, fields, rowAsArray }`: `rowCount` is null for commands pg reports without a count
 * (BEGIN, CREATE…); `fields` are `{ name, … }` objects with type ids 0 (SQLite has no
 * column types to report). Values out: integers and reals as numbers, integers beyond
 * ±2^53 as strings (pg's int8), blobs as Buffers (bytea), text as strings. Config objects
 * (`{ text, values, rowMode: 'array' }`, what drizzle sends) and node-style callbacks
 * are accepted; submittables (pg-cursor, pg-query-stream) are not.
 *
 * Errors are rejections. A failure SQLite reports becomes a `DatabaseError` like
 * pg-protocol's (`name` 'error', `severity` 'ERROR', `code` the SQLSTATE when the store
 * knows it: 23505 unique, 23503 foreign key, 42P01 no such table, 08P01 wrong number of
 * values…); misuse (a released client) is a plain Error with pg's message.
 *
 * Where it differs from a Postgres server, because the store is one SQLite database:
 *   - SQL is SQLite's dialect;
 *   - one transaction at a time: a query from elsewhere while a client holds one fails
 *     with code 55P03 instead of waiting;
 *   - an error inside a transaction does not abort it (SQLite semantics);
 *   - `release()` of a client in a transaction rolls it back (pg would hand the client
 *     back to the pool still in the transaction);
 *   - several statements in one query text return the last result, not an array.
 */

/** pg-protocol's DatabaseError: what pg rejects with when the server reports an error. */
export class DatabaseError extends Error {
  override name = 'error';
  severity = 'ERROR';
  code: string | undefined;
  length: number;

  constructor(message: string, code: string | null) {
    super(message);
    this.code = code ?? undefined;
    this.length = message.length;
  }
}

export interface PgQueryConfig {
  readonly text: string;
  readonly values?: SqlParams;
  readonly rowMode?: 'array';
  readonly name?: string;
}

function fromStore(value: SqlValue): unknown {
  if (typeof value === 'bigint') return value >= -MAX_SAFE && value <= MAX_SAFE ? Number(value) : value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value);
  return value;
}

function toPgResult(text: string, result: SqlResult, rowMode: 'array' | undefined): PgQueryResult {
  const command = leadingKeyword(text);
  const rows = result.rows.map((row) => (rowMode === 'array' ? result.fields.map((f) => fromStore(row[f] ?? null)) : Object.fromEntries(Object.entries(row).map(([k, v]) => [k, fromStore(v)]))));
  return {
    command,
    rowCount: COUNTED.has(command) ? result.rowCount : null,
    oid: null,
    rows,
    fields: result.fields.map(field),
    rowAsArray: rowMode === 'array',
  };
}

function toPgError(error: unknown): Error {
  if (!(error instanceof SqlError)) return error instanceof Error ? error : new Error(String(error));
  if (error.kind === 'closed') return new Error('Client was closed and is not queryable');
  if (error.kind === 'usage') return new Error(error.message);
  return new DatabaseError(error.message, error.sqlState);
}

interface ParsedQuery {
  readonly text: string;
  readonly values: SqlParams | undefined;
  readonly rowMode: 'array' | undefined;
  readonly callback: Callback | undefined;
}

function parseQueryArgs(args: readonly unknown[]): ParsedQuery {
  const [first, second, third] = args;
  const callback = [third, second].find((a): a is Callback => typeof a === 'function');
  const values = Array.isArray(second) ? (second as SqlParams) : undefined;
  if (typeof first === 'string') return { text: first, values, rowMode: undefined, callback };
  if (typeof first === 'object' && first !== null) {
    if (typeof (first as { submit?: unknown }).submit === 'function') {
      throw new TypeError('pg shim: submittable queries (pg-cursor, pg-query-stream) are not supported');
    }
    const config = first as Partial<PgQueryConfig>;
    if (typeof config.text !== 'string') throw new TypeError('Client was passed a null or undefined query');
    return { text: config.text, values: values ?? config.values, rowMode: config.rowMode === 'array' ? 'array' : undefined, callback };
  }
  throw new TypeError('Client was passed a null or undefined query');
}

/** Runs a query on `target` now and settles the promise (or calls back on the next tick). */
function runQuery(args: readonly unknown[], target: () => { query(sql: string, params?: SqlParams): SqlResult }): Promise<PgQueryResult> | undefined {
  let parsed: ParsedQuery;
  try {
    parsed = parseQueryArgs(args);
  } catch (error) {
    return Promise.reject(error as Error);
  }
  let outcome: { ok: true; result: PgQueryResult } | { ok: false; error: Error };
  try {
    outcome = { ok: true, result: toPgResult(parsed.text, target().query(parsed.text, parsed.values), parsed.rowMode) };
  } catch (error) {
    outcome = { ok: false, error: toPgError(error) };
  }
  const { callback } = parsed;
  if (callback) {
    process.nextTick(() => (outcome.ok ? callback(null, outcome.result) : callback(outcome.error)));
    return undefined;
  }
  return outcome.ok ? Promise.resolve(outcome.result) : Promise.reject(outcome.error);
}

// --- which store -------------------------------------------------------------------

/** Every Pool and Client made by a pg shim, with the store a binding gave it. */
const handles = new WeakMap<object, { store: SqlStore | null }>();

/**
 * Points a Pool or Client made by a pg shim at `store` (the runner does it for a store's
 * `binding`). Returns false when `handle` is not one.
 */
export function bindPgHandle(handle: unknown, store: SqlStore): boolean {
  const entry = typeof handle === 'object' && handle !== null ? handles.get(handle) : undefined;
  if (!entry) return false;
  entry.store = store;
  return true;
}

export interface PgModuleOptions {
  /** The store of every handle no binding names; null: such a handle fails at its first query. */
  readonly defaultStore: SqlStore | null;
}

function storeOf(handle: object, options: PgModuleOptions): SqlStore {
  const store = handles.get(handle)?.store ?? options.defaultStore;
  if (!store) throw new Error('pg shim: this Pool/Client is bound to no SQL store (several pg stores: give each a `binding` in stopline.yaml)');
  return store;
}

// --- Pool, PoolClient, Client ------------------------------------------------------

/** What `pool.connect()` resolves to: one store connection. */
export class PgPoolClient extends EventEmitter {
  readonly #connection: SqlConnection;
  readonly #onRelease: (client: PgPoolClient) => void;
  #released = false;

  /** @internal */
  constructor(connection: SqlConnection, onRelease: (client: PgPoolClient) => void) {
    super();
    this.#connection = connection;
    this.#onRelease = onRelease;
  }

  query(...args: unknown[]): Promise<PgQueryResult> | undefined {
    return runQuery(args, () => {
      if (this.#released) throw new Error('Client was closed and is not queryable');
      return this.#connection;
    });
  }

  /** Gives the connection back; a transaction still open is rolled back. pg throws on a second release. */
  release(_destroy?: boolean | Error): void {
    if (this.#released) throw new Error(ALREADY_RELEASED);
    this.#released = true;
    this.#connection.release();
    this.#onRelease(this);
  }
}

/** pg's `Pool`; each pg shim module has its own subclass bound to its options. */
export abstract class PgPool extends EventEmitter {
  readonly options: Readonly<Record<string, unknown>>;
  ending = false;
  ended = false;
  readonly #module: PgModuleOptions;
  #checkedOut = 0;

  constructor(module: PgModuleOptions, config: unknown) {
    super();
    this.#module = module;
    this.options = typeof config === 'object' && config !== null ? { ...(config as Record<string, unknown>) } : {};
    handles.set(this, { store: null });
  }

  get totalCount(): number {
    return this.#checkedOut;
  }
  get idleCount(): number {
    return 0;
  }
  get waitingCount(): number {
    return 0;
  }
  get expiredCount(): number {
    return 0;
  }

  query(...args: unknown[]): Promise<PgQueryResult> | undefined {
    return runQuery(args, () => {
      if (this.ending) throw new Error('Cannot use a pool after calling end on the pool');
      return storeOf(this, this.#module);
    });
  }

  connect(callback?: (error: Error | null, client?: PgPoolClient, done?: () => void) => void): Promise<PgPoolClient> | undefined {
    let client: PgPoolClient;
    try {
      if (this.ending) throw new Error('Cannot use a pool after calling end on the pool');
      client = new PgPoolClient(storeOf(this, this.#module).connect(), (c) => {
        this.#checkedOut -= 1;
        this.emit('release', undefined, c);
      });
    } catch (error) {
      if (callback) {
        process.nextTick(() => callback(error as Error));
        return undefined;
      }
      return Promise.reject(error as Error);
    }
    this.#checkedOut += 1;
    this.emit('connect', client);
    this.emit('acquire', client);
    if (callback) {
      process.nextTick(() => callback(null, client, () => client.release()));
      return undefined;
    }
    return Promise.resolve(client);
  }

  end(): Promise<void> {
    this.ending = true;
    this.ended = true;
    return Promise.resolve();
  }
}

/** pg's standalone `Client`: one store connection from `connect()` to `end()`. */
export abstract class PgClient extends EventEmitter {
  #connection: SqlConnection | null = null;
  #ended = false;
  readonly #module: PgModuleOptions;

  constructor(module: PgModuleOptions, _config: unknown) {
    super();
    this.#module = module;
    handles.set(this, { store: null });
  }

  connect(callback?: (error: Error | null) => void): Promise<void> | undefined {
    let failure: Error | null = null;
    if (this.#connection || this.#ended) failure = new Error('Client has already been connected. You cannot reuse a client.');
    else {
      try {
        this.#connection = storeOf(this, this.#module).connect();
      } catch (error) {
        failure = error as Error;
      }
    }
    if (callback) {
      process.nextTick(() => callback(failure));
      return undefined;
    }
    return failure ? Promise.reject(failure) : Promise.resolve();
  }

  query(...args: unknown[]): Promise<PgQueryResult> | undefined {
    return runQuery(args, () => {
      if (!this.#connection || this.#ended) throw new Error(this.#ended ? 'Client was closed and is not queryable' : 'pg shim: query before connect() (pg would queue it until the client connects)');
      return this.#connection;
    });
  }

  end(): Promise<void> {
    if (this.#connection && !this.#ended) this.#connection.release();
    this.#ended = true;
    return Promise.resolve();
  }
}

export interface PgModule {
  readonly Pool: new (config?: unknown) => PgPool;
  readonly Client: new (config?: unknown) => PgClient;
  readonly DatabaseError: typeof DatabaseError;
  readonly types: typeof PG_TYPES;
  escapeIdentifier(name: string): string;
  escapeLiteral(text: string): string;
}

/** The `pg` module: `Pool`, `Client`, `DatabaseError`, `types`, `escapeIdentifier`, `escapeLiteral`. */
export function createPgModule(options: PgModuleOptions): PgModule {
  class Pool extends PgPool {
    constructor(config?: unknown) {
      super(options, config);
    }
  }
  class Client extends PgClient {
    constructor(config?: unknown) {
      super(options, config);
    }
  }
  return {
    Pool,
    Client,
    DatabaseError,
    // Type parsers do not apply: values come out of SQLite already typed.
    types: PG_TYPES,
    escapeIdentifier: (name) => `"${name.replaceAll('"', '""')}"`,
    escapeLiteral: (text) => `'${text.replaceAll("'", "''")}'`,
  };
}
