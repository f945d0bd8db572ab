import { decode, encode } from '../wire/index.js';
import { leadingKeyword } from '../../src/presets/sql-text.js';
import { MiniEmitter } from './events.js';
import { dispose, payloadOf, type SqlConnectionResource, type SqlErrorPayload, type SqlImport } from './imports.js';
import { ALREADY_RELEASED, COUNTED, MAX_SAFE, PG_TYPES, field, type Callback, type PgQueryResult } from '../../src/presets/calls/pg.js';
export type { PgFieldDef, PgQueryResult } from '../../src/presets/calls/pg.js';

/**
 * node-postgres (`pg`) inside a component, over `stopline:line/sql`: the call shapes of
 * the Node-side shim (src/runtime/shims/pg.ts), so the split program sees what the
 * original saw.
 *
 *   const pg = createPgModule({ sql, defaultStore: 'orders' });  // what `import … from 'pg'` gives
 *   await new pg.Pool().query('SELECT … WHERE id = $1', [7]);   // sql.query('orders', text, encode([7]))
 *   const client = await pool.connect();                        // sql.connect('orders'): a connection resource
 *   await client.query('BEGIN'); …; client.release();           // release drops the resource
 *
 * The store named in a call is a store name of stopline.yaml; a handle bound with
 * `bind(handle, store)` (the bundle does it for a store's `binding: src/db.ts#pool`) uses
 * that store, any other `defaultStore`. Transaction control (BEGIN/COMMIT/ROLLBACK) is sent
 * as SQL text on the connection, exactly as the shim sends it to the embedded store; the
 * resource's begin/commit/rollback are not used.
 *
 * What the host must give (the sql interface's contract): `params` and the result are wire
 * text (codegen/wire); the result decodes to `{ rows, rowCount, fields? }` where `fields`
 * (column names in order) is optional — without it the names of the first row are used, so
 * `rowMode: 'array'` on an empty result has no fields. Errors, as sql-error records:
 *   query-failed + code   → pg's DatabaseError with that code (the embedded store's
 *                           SqlError kinds sqlite/busy/params map here, with its sqlState);
 *   closed                → Error('Client was closed and is not queryable');
 *   anything else         → Error(message) (the store's 'usage' kind).
 * Values out as the shim gives them: bigints in the safe range as numbers, beyond as
 * strings; bytes stay Uint8Array (the guest has no Buffer).
 */

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

const CLOSED = 'Client was closed and is not queryable';
const POOL_ENDED = 'Cannot use a pool after calling end on the pool';

function fromStore(value: unknown): unknown {
  if (typeof value === 'bigint') return value >= -MAX_SAFE && value <= MAX_SAFE ? Number(value) : value.toString();
  return value;
}

interface StoreResult {
  rows: Record<string, unknown>[];
  rowCount: number;
  fields?: string[];
}

function storeResult(text: string): StoreResult {
  const raw = decode(text) as Partial<StoreResult> | null;
  if (raw === null || typeof raw !== 'object' || !Array.isArray(raw.rows) || typeof raw.rowCount !== 'number') {
    throw new Error('pg (stopline): the sql host answered with a malformed result');
  }
  return raw as StoreResult;
}

function toPgResult(text: string, result: StoreResult, rowMode: 'array' | undefined): PgQueryResult {
  const command = leadingKeyword(text);
  const fields = result.fields ?? Object.keys(result.rows[0] ?? {});
  const rows = result.rows.map((row) =>
    rowMode === 'array' ? fields.map((f) => fromStore(row[f] ?? null)) : Object.fromEntries(Object.entries(row).map(([k, v]) => [k, fromStore(v)])),
  );
  return { command, rowCount: COUNTED.has(command) ? result.rowCount : null, oid: null, rows, fields: fields.map(field), rowAsArray: rowMode === 'array' };
}

function isSqlError(p: unknown): p is SqlErrorPayload {
  return typeof p === 'object' && p !== null && typeof (p as SqlErrorPayload).kind === 'string' && typeof (p as SqlErrorPayload).message === 'string';
}

function toPgError(error: unknown): Error {
  const payload = payloadOf(error);
  if (isSqlError(payload)) {
    if (payload.kind === 'query-failed') return new DatabaseError(payload.message, payload.code ?? null);
    if (payload.kind === 'closed') return new Error(CLOSED);
    return new Error(payload.message);
  }
  return error instanceof Error ? error : new Error(String(error));
}

interface ParsedQuery {
  readonly text: string;
  readonly values: unknown[] | undefined;
  readonly rowMode: 'array' | undefined;
  readonly callback: Callback | undefined;
}

function parseQueryArgs(args: readonly unknown[]): ParsedQuery {
  const [first, second, third] = args;
  const callback = [third, second].find((a): a is Callback => typeof a === 'function');
  const values = Array.isArray(second) ? (second as unknown[]) : undefined;
  if (typeof first === 'string') return { text: first, values, rowMode: undefined, callback };
  if (typeof first === 'object' && first !== null) {
    if (typeof (first as { submit?: unknown }).submit === 'function') {
      throw new TypeError('pg (stopline): submittable queries (pg-cursor, pg-query-stream) are not supported');
    }
    const config = first as { text?: unknown; values?: unknown; rowMode?: unknown };
    if (typeof config.text !== 'string') throw new TypeError('Client was passed a null or undefined query');
    return { text: config.text, values: values ?? (Array.isArray(config.values) ? config.values : undefined), rowMode: config.rowMode === 'array' ? 'array' : undefined, callback };
  }
  throw new TypeError('Client was passed a null or undefined query');
}

/** Runs a query now (the import is synchronous) and settles the promise, or calls back in a microtask. */
function runQuery(args: readonly unknown[], run: (text: string, params: string) => string): Promise<PgQueryResult> | undefined {
  let parsed: ParsedQuery;
  try {
    parsed = parseQueryArgs(args);
  } catch (error) {
    return Promise.reject(error as Error);
  }
  let outcome: { ok: true; result: PgQueryResult } | { ok: false; error: Error };
  try {
    outcome = { ok: true, result: toPgResult(parsed.text, storeResult(run(parsed.text, encode(parsed.values ?? []))), parsed.rowMode) };
  } catch (error) {
    outcome = { ok: false, error: toPgError(error) };
  }
  const { callback } = parsed;
  if (callback) {
    queueMicrotask(() => (outcome.ok ? callback(null, outcome.result) : callback(outcome.error)));
    return undefined;
  }
  return outcome.ok ? Promise.resolve(outcome.result) : Promise.reject(outcome.error);
}

export interface PgModuleOptions {
  readonly sql: SqlImport;
  /** The store of every handle no binding names; null: such a handle fails at its first query. */
  readonly defaultStore: string | null;
}

export interface PgModule {
  readonly Pool: new (config?: unknown) => object;
  readonly Client: new (config?: unknown) => object;
  readonly DatabaseError: typeof DatabaseError;
  readonly types: typeof PG_TYPES;
  escapeIdentifier(name: string): string;
  escapeLiteral(text: string): string;
  /** Points a Pool or Client of this module at a store; false when `handle` is not one. */
  bind(handle: unknown, store: string): boolean;
}

/** The `pg` module: `Pool`, `Client`, `DatabaseError`, `types`, `escapeIdentifier`, `escapeLiteral`. */
export function createPgModule(options: PgModuleOptions): PgModule {
  const { sql } = options;
  const stores = new WeakMap<object, { store: string | null }>();
  const storeOf = (handle: object): string => {
    const store = stores.get(handle)?.store ?? options.defaultStore;
    if (store === null) throw new Error('pg (stopline): this Pool/Client is bound to no SQL store (several pg stores: give each a `binding` in stopline.yaml)');
    return store;
  };

  class PoolClient extends MiniEmitter {
    readonly #connection: SqlConnectionResource;
    readonly #onRelease: (client: PoolClient) => void;
    #released = false;

    constructor(connection: SqlConnectionResource, onRelease: (client: PoolClient) => void) {
      super();
      this.#connection = connection;
      this.#onRelease = onRelease;
    }

    query(...args: unknown[]): Promise<PgQueryResult> | undefined {
      return runQuery(args, (text, params) => {
        if (this.#released) throw new Error(CLOSED);
        return this.#connection.query(text, params);
      });
    }

    /** Drops the connection resource: the host rolls back a transaction still open. */
    release(_destroy?: boolean | Error): void {
      if (this.#released) throw new Error(ALREADY_RELEASED);
      this.#released = true;
      dispose(this.#connection);
      this.#onRelease(this);
    }
  }

  class Pool extends MiniEmitter {
    readonly options: Readonly<Record<string, unknown>>;
    ending = false;
    ended = false;
    #checkedOut = 0;

    constructor(config?: unknown) {
      super();
      this.options = typeof config === 'object' && config !== null ? { ...(config as Record<string, unknown>) } : {};
      stores.set(this, { store: null });
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
      return runQuery(args, (text, params) => {
        if (this.ending) throw new Error(POOL_ENDED);
        return sql.query(storeOf(this), text, params);
      });
    }

    connect(callback?: (error: Error | null, client?: PoolClient, done?: () => void) => void): Promise<PoolClient> | undefined {
      let client: PoolClient;
      try {
        if (this.ending) throw new Error(POOL_ENDED);
        client = new PoolClient(sql.connect(storeOf(this)), (c) => {
          this.#checkedOut -= 1;
          this.emit('release', undefined, c);
        });
      } catch (error) {
        const failure = toPgError(error);
        if (callback) {
          queueMicrotask(() => callback(failure));
          return undefined;
        }
        return Promise.reject(failure);
      }
      this.#checkedOut += 1;
      this.emit('connect', client);
      this.emit('acquire', client);
      if (callback) {
        queueMicrotask(() => callback(null, client, () => client.release()));
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

  class Client extends MiniEmitter {
    #connection: SqlConnectionResource | null = null;
    #ended = false;

    constructor(_config?: unknown) {
      super();
      stores.set(this, { store: null });
    }

    connect(callback?: (error: Error | null) => void): Promise<void> | undefined {
      let failure: Error | null = null;
      if (this.#connection || this.#ended) failure = new Error('Client has already been connected. You cannot reuse a client.');
      else {
        try {
          this.#connection = sql.connect(storeOf(this));
        } catch (error) {
          failure = toPgError(error);
        }
      }
      if (callback) {
        queueMicrotask(() => callback(failure));
        return undefined;
      }
      return failure ? Promise.reject(failure) : Promise.resolve();
    }

    query(...args: unknown[]): Promise<PgQueryResult> | undefined {
      return runQuery(args, (text, params) => {
        if (!this.#connection || this.#ended) throw new Error(this.#ended ? CLOSED : 'pg (stopline): query before connect() (pg would queue it until the client connects)');
        return this.#connection.query(text, params);
      });
    }

    end(): Promise<void> {
      if (this.#connection && !this.#ended) dispose(this.#connection);
      this.#ended = true;
      return Promise.resolve();
    }
  }

  return {
    Pool,
    Client,
    DatabaseError,
    types: PG_TYPES,
    escapeIdentifier: (name) => `"${name.replaceAll('"', '""')}"`,
    escapeLiteral: (text) => `'${text.replaceAll("'", "''")}'`,
    bind(handle, store) {
      const entry = typeof handle === 'object' && handle !== null ? stores.get(handle) : undefined;
      if (!entry) return false;
      entry.store = store;
      return true;
    },
  };
}
