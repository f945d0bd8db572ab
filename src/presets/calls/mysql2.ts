import { MiniEmitter } from './events.js';
import { escapeId, formatQuery, mysqlString, prepareExecute, dateText, type BoundValue, type StoreStatement, type Timezone } from './mysql2-format.js';
import { castValue, columnType, fieldOf, MysqlType, type CastOptions, type MysqlField } from './mysql2-types.js';
export { MysqlType, type MysqlField } from './mysql2-types.js';
export type { BoundValue } from './mysql2-format.js';

/**
 * `mysql2/promise` with its call shapes over an abstract SQL backend: the whole module,
 * shared by the Node shim of the original program (src/runtime/shims/mysql2.ts: the
 * backend is the embedded SQL store) and the guest lowering inside a component
 * (codegen/lower/mysql2.ts: the backend is `stopline:line/sql`), so both sides format,
 * convert and fail identically. Plain web JavaScript.
 *
 *   const mysql = createMysql2Module({ backend, defaultStore: 'content', toBytes });
 *   const pool = mysql.createPool({ uri, connectionLimit: 4, dateStrings: false });
 *   const [rows, fields] = await pool.query('SELECT … WHERE path = ?', [path]);
 *   const [header] = await pool.execute('UPDATE … SET title = ? WHERE id = ?', ['x', 7]);  // ResultSetHeader
 *   const conn = await pool.getConnection(); await conn.beginTransaction(); …; await conn.commit(); conn.release();
 *   const c = await mysql.createConnection(config);   // one connection, until end()
 *   const stmt = await c.prepare('SELECT … WHERE id = ?'); await stmt.execute([7]);
 *
 * Which store: a handle (pool or connection) bound with `bind(handle, store)` (the runner
 * and the bundle do it for a store's `binding: src/db.ts#pool`) uses that store; any other
 * `defaultStore`. Connection options (host, uri, user, password, connectionLimit…) are
 * accepted and ignored; the ones that shape values are honoured: `timezone`
 * ['local'], `dateStrings`, `decimalNumbers`, `supportBigNumbers`, `bigNumberStrings`,
 * `jsonStrings`, `stringifyObjects`, `rowsAsArray` (also per query). `namedPlaceholders`,
 * `nestTables` and `typeCast` functions are refused with a TypeError rather than ignored.
 *
 * Formatting (`query` inlines values, `execute` binds them): mysql2-format.ts. Values out:
 * mysql2-types.ts (column types from the store's declared types: DATETIME → Date…).
 *
 * Results: a statement with result columns gives `[rows, fields]` (rows are plain objects,
 * or arrays with `rowsAsArray`; fields plain column definitions); any other gives
 * `[ResultSetHeader, undefined]`: `{ fieldCount: 0, affectedRows, insertId, info,
 * serverStatus, warningStatus: 0, changedRows }` as a plain object (mysql2's is a class
 * instance; a plain one crosses a cut). `insertId` is SQLite's last rowid after an INSERT,
 * 0 otherwise (MySQL gives 0 for a table without AUTO_INCREMENT; SQLite has a rowid);
 * `changedRows` equals `affectedRows` for UPDATE (SQLite counts matched rows, as mysql2's
 * default FOUND_ROWS flag makes MySQL do; it cannot tell which changed).
 *
 * Errors reject as mysql2's promise API rejects: an `Error` whose message is the failure's
 * and own `code`, `errno`, `sql`, `sqlState`, `sqlMessage`. The store's failures map to
 * MySQL's codes (UNIQUE → ER_DUP_ENTRY 1062 23000, NOT NULL → ER_BAD_NULL_ERROR 1048,
 * FOREIGN KEY → ER_NO_REFERENCED_ROW_2 1452 / ER_ROW_IS_REFERENCED_2 1451 for DELETE and
 * UPDATE, CHECK → ER_CHECK_CONSTRAINT_VIOLATED 3819, no table → ER_NO_SUCH_TABLE 1146
 * 42S02, no column → ER_BAD_FIELD_ERROR 1054 42S22, syntax → ER_PARSE_ERROR 1064 42000,
 * values for execute → ER_WRONG_ARGUMENTS 1210, busy → ER_LOCK_WAIT_TIMEOUT 1205, others
 * → ER_UNKNOWN_ERROR 1105 HY000); the message is SQLite's text, not MySQL's.
 *
 * Transactions: `beginTransaction`/`commit`/`rollback`, or the same words sent through
 * `query` on a connection, follow MySQL: COMMIT or ROLLBACK outside a transaction does
 * nothing, START TRANSACTION inside one commits it first. Releasing a connection with an
 * open transaction rolls it back (the store has one transaction at a time); a released or
 * ended connection refuses queries ("Can't add new command when connection is in closed
 * state"), where mysql2 would run them on the pooled connection.
 */

/** What a backend answers for one statement. */
export interface StoreAnswer {
  readonly rows: readonly Record<string, unknown>[];
  readonly rowCount: number;
  /** Result column names in order; absent: those of the first row. */
  readonly fields?: readonly string[];
  /** Declared types of the result columns (src/runtime/stores/sql-types.ts); absent: none. */
  readonly types?: readonly (string | null)[];
  readonly lastInsertRowid: number | bigint | null;
}

export type StoreFailureKind = 'query-failed' | 'closed' | 'transaction-state' | 'other';

/** A backend's failure, normalised: `sqlState` is the store's SQLSTATE (pg's codes: 23505…). */
export class StoreFailure extends Error {
  override readonly name = 'StoreFailure';
  constructor(
    readonly kind: StoreFailureKind,
    readonly sqlState: string | null,
    message: string,
  ) {
    super(message);
  }
}

/** One connection of the backend (a transaction lives on it). */
export interface BackendSession {
  query(text: string, params: readonly BoundValue[]): StoreAnswer;
  release(): void;
}

export interface MysqlBackend {
  /** An auto-commit statement on `store`. */
  query(store: string, text: string, params: readonly BoundValue[]): StoreAnswer;
  connect(store: string): BackendSession;
}

export interface Mysql2ModuleOptions {
  readonly backend: MysqlBackend;
  /** The store of every handle no binding names; null: such a handle fails at its first query. */
  readonly defaultStore: string | null;
  /** Bytes as the program sees them: a Buffer in Node, the Uint8Array itself in a component. */
  readonly toBytes: (bytes: Uint8Array) => unknown;
}

// --- errors -------------------------------------------------------------------------

const MYSQL_ERRORS: Readonly<Record<string, readonly [code: string, errno: number, sqlState: string]>> = {
  '23505': ['ER_DUP_ENTRY', 1062, '23000'],
  '23502': ['ER_BAD_NULL_ERROR', 1048, '23000'],
  '23503': ['ER_NO_REFERENCED_ROW_2', 1452, '23000'],
  '23503/parent': ['ER_ROW_IS_REFERENCED_2', 1451, '23000'],
  '23514': ['ER_CHECK_CONSTRAINT_VIOLATED', 3819, 'HY000'],
  '42P01': ['ER_NO_SUCH_TABLE', 1146, '42S02'],
  '42703': ['ER_BAD_FIELD_ERROR', 1054, '42S22'],
  '42P07': ['ER_TABLE_EXISTS_ERROR', 1050, '42S01'],
  '42601': ['ER_PARSE_ERROR', 1064, '42000'],
  '08P01': ['ER_PARSE_ERROR', 1064, '42000'],
  '08P01/execute': ['ER_WRONG_ARGUMENTS', 1210, 'HY000'],
  '55P03': ['ER_LOCK_WAIT_TIMEOUT', 1205, 'HY000'],
};
const UNKNOWN_ERROR = ['ER_UNKNOWN_ERROR', 1105, 'HY000'] as const;

function firstWord(sql: string): string {
  return /^\s*(?:\/\*[\s\S]*?\*\/\s*|--[^\n]*\n\s*)*([A-Za-z]+)/.exec(sql)?.[1]?.toUpperCase() ?? '';
}

/** mysql2's promise rejection for a failure of `statement`. */
export function mysqlError(failure: StoreFailure, statement: StoreStatement, kind: 'query' | 'execute'): Error {
  if (failure.kind === 'closed') return Object.assign(new Error("Can't add new command when connection is in closed state"), { fatal: false });
  const word = firstWord(statement.sql);
  const state = failure.sqlState ?? '';
  const key = state === '23503' && (word === 'DELETE' || word === 'UPDATE') ? '23503/parent' : state === '08P01' && kind === 'execute' ? '08P01/execute' : state;
  const [code, errno, sqlState] = MYSQL_ERRORS[key] ?? UNKNOWN_ERROR;
  return Object.assign(new Error(failure.message), { code, errno, sql: statement.sql, sqlState, sqlMessage: failure.message });
}

// --- options ------------------------------------------------------------------------

interface ValueOptions extends Omit<CastOptions, 'toBytes'> {
  readonly stringifyObjects: boolean;
  readonly rowsAsArray: boolean;
}

const DEFAULTS: ValueOptions = {
  timezone: 'local',
  dateStrings: false,
  decimalNumbers: false,
  supportBigNumbers: false,
  bigNumberStrings: false,
  jsonStrings: false,
  stringifyObjects: false,
  rowsAsArray: false,
};

function valueOptions(config: Record<string, unknown>, base: ValueOptions = DEFAULTS): ValueOptions {
  if (config['namedPlaceholders'] === true) throw new TypeError('mysql2 (stopline): namedPlaceholders is not supported; use ? placeholders');
  if (config['nestTables'] !== undefined && config['nestTables'] !== false) throw new TypeError('mysql2 (stopline): nestTables is not supported (the store does not report result columns\' tables)');
  if (typeof config['typeCast'] === 'function') throw new TypeError('mysql2 (stopline): typeCast functions are not supported');
  const bool = (k: keyof ValueOptions): boolean => (config[k] === undefined ? (base[k] as boolean) : Boolean(config[k]));
  const dateStrings = config['dateStrings'];
  return {
    timezone: typeof config['timezone'] === 'string' ? config['timezone'] : base.timezone,
    dateStrings: dateStrings === undefined ? base.dateStrings : Array.isArray(dateStrings) ? dateStrings.map(String) : Boolean(dateStrings),
    decimalNumbers: bool('decimalNumbers'),
    supportBigNumbers: bool('supportBigNumbers'),
    bigNumberStrings: bool('bigNumberStrings'),
    jsonStrings: bool('jsonStrings'),
    stringifyObjects: bool('stringifyObjects'),
    rowsAsArray: bool('rowsAsArray'),
  };
}

function configObject(config: unknown): Record<string, unknown> {
  if (typeof config === 'string') return { uri: config };
  return typeof config === 'object' && config !== null ? { ...(config as Record<string, unknown>) } : {};
}

// --- results ------------------------------------------------------------------------

export interface ResultSetHeader {
  readonly fieldCount: 0;
  readonly affectedRows: number;
  readonly insertId: number;
  readonly info: string;
  readonly serverStatus: number;
  readonly warningStatus: 0;
  readonly changedRows: number;
}

export type QueryResult = [unknown[], MysqlField[]] | [ResultSetHeader, undefined];

const SERVER_STATUS_IN_TRANS = 1;
const SERVER_STATUS_AUTOCOMMIT = 2;

function toResult(answer: StoreAnswer, statement: StoreStatement, options: ValueOptions, cast: CastOptions, schema: string, inTransaction: boolean): QueryResult {
  const names = answer.fields ?? Object.keys(answer.rows[0] ?? {});
  if (names.length > 0) {
    const types = names.map((name, i) => columnType(answer.types?.[i] ?? null, answer.rows.map((r) => r[name])));
    const rows = answer.rows.map((row) => {
      if (options.rowsAsArray) return names.map((name, i) => castValue(row[name], types[i]!, cast));
      const out: Record<string, unknown> = {};
      names.forEach((name, i) => {
        out[name] = castValue(row[name], types[i]!, cast);
      });
      return out;
    });
    return [rows, names.map((name, i) => fieldOf(name, types[i]!, schema))];
  }
  const word = firstWord(statement.sql);
  const affectedRows = answer.rowCount;
  const id = answer.lastInsertRowid;
  const insertId = (word === 'INSERT' || word === 'REPLACE') && id !== null ? Number(id) : 0;
  const info = word === 'UPDATE' ? `Rows matched: ${affectedRows}  Changed: ${affectedRows}  Warnings: 0` : '';
  const serverStatus = SERVER_STATUS_AUTOCOMMIT | (inTransaction ? SERVER_STATUS_IN_TRANS : 0);
  return [{ fieldCount: 0, affectedRows, insertId, info, serverStatus, warningStatus: 0, changedRows: word === 'UPDATE' ? affectedRows : 0 }, undefined];
}

// --- events ---------------------------------------------------------------------------

// --- the module -----------------------------------------------------------------------

interface QueryArgs {
  readonly sql: string;
  readonly values: unknown;
  readonly options: ValueOptions;
}

function queryArgs(first: unknown, second: unknown, base: ValueOptions): QueryArgs {
  if (typeof first === 'string') return { sql: first, values: second, options: base };
  if (typeof first === 'object' && first !== null && typeof (first as { sql?: unknown }).sql === 'string') {
    const o = first as Record<string, unknown>;
    return { sql: o['sql'] as string, values: second !== undefined ? second : o['values'], options: valueOptions(o, base) };
  }
  throw new TypeError('mysql2 (stopline): a query is a SQL string or an options object with `sql`');
}

const TRANSACTION_TEXT = /^\s*(begin(?:\s+work)?|start\s+transaction|commit(?:\s+work)?|rollback(?:\s+work)?)\s*;?\s*$/i;

export interface Mysql2Module {
  createPool(config?: unknown): object;
  createConnection(config?: unknown): Promise<object>;
  format(sql: string, values?: unknown, stringifyObjects?: boolean, timezone?: Timezone): string;
  escape(value: unknown): string;
  escapeId(value: unknown): string;
  raw(sql: string): { toSqlString(): string };
  readonly Types: typeof MysqlType;
  /** Points a pool or connection of this module at a store; false when `handle` is not one. */
  bind(handle: unknown, store: string): boolean;
}

/** The `mysql2/promise` module over `options.backend`; see the module comment. */
export function createMysql2Module(options: Mysql2ModuleOptions): Mysql2Module {
  const { backend } = options;
  const stores = new WeakMap<object, { store: string | null }>();
  const storeOf = (handle: object): string => {
    const store = stores.get(handle)?.store ?? options.defaultStore;
    if (store === null) throw new Error('mysql2 (stopline): this pool or connection is bound to no SQL store (several mysql2 stores: give each a `binding` in stopline.yaml)');
    return store;
  };
  const castOf = (o: ValueOptions): CastOptions => ({ ...o, toBytes: options.toBytes });

  /** Runs one statement and settles like mysql2's promise API (synchronously settled). */
  const run = (kind: 'query' | 'execute', args: QueryArgs, send: (s: StoreStatement) => StoreAnswer, schema: string, inTransaction: () => boolean): Promise<QueryResult> => {
    let statement: StoreStatement;
    try {
      statement = kind === 'query' ? formatQuery(args.sql, args.values, args.options) : prepareExecute(args.sql, args.values, args.options);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    try {
      return Promise.resolve(toResult(send(statement), statement, args.options, castOf(args.options), schema, inTransaction()));
    } catch (error) {
      if (error instanceof StoreFailure) return Promise.reject(mysqlError(error, statement, kind));
      return Promise.reject(error as Error);
    }
  };

  /** One backend session with MySQL's transaction rules, opened at its first statement. */
  class Session {
    #session: BackendSession | null = null;
    #closed = false;
    #inTransaction = false;
    readonly #open: () => BackendSession;
    constructor(open: () => BackendSession) {
      this.#open = open;
    }
    get inTransaction(): boolean {
      return this.#inTransaction;
    }
    get closed(): boolean {
      return this.#closed;
    }
    send(statement: StoreStatement): StoreAnswer {
      if (this.#closed) throw new StoreFailure('closed', null, 'closed');
      const s = (this.#session ??= this.#open());
      const control = statement.params.length === 0 ? TRANSACTION_TEXT.exec(statement.text)?.[1]?.toLowerCase() : undefined;
      if (control === undefined) return s.query(statement.text, statement.params);
      const empty: StoreAnswer = { rows: [], rowCount: 0, fields: [], lastInsertRowid: null };
      if (control.startsWith('begin') || control.startsWith('start')) {
        if (this.#inTransaction) s.query('COMMIT', []);
        s.query('BEGIN', []);
        this.#inTransaction = true;
      } else if (this.#inTransaction) {
        s.query(control.startsWith('commit') ? 'COMMIT' : 'ROLLBACK', []);
        this.#inTransaction = false;
      }
      return empty;
    }
    close(): void {
      const s = this.#session;
      this.#session = null;
      this.#closed = true;
      this.#inTransaction = false;
      s?.release();
    }
  }

  const control = (session: Session, word: string): Promise<void> => {
    try {
      session.send({ text: word, params: [], sql: word });
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof StoreFailure ? mysqlError(error, { text: word, params: [], sql: word }, 'query') : (error as Error));
    }
  };

  class Connection extends MiniEmitter {
    readonly config: Record<string, unknown>;
    readonly #options: ValueOptions;
    readonly #session: Session;
    readonly #onRelease: ((c: Connection) => void) | null;

    constructor(config: Record<string, unknown>, options: ValueOptions, session: Session, onRelease: ((c: Connection) => void) | null) {
      super();
      this.config = config;
      this.#options = options;
      this.#session = session;
      this.#onRelease = onRelease;
    }

    query(sql: unknown, values?: unknown): Promise<QueryResult> {
      return this.#statement('query', sql, values);
    }

    execute(sql: unknown, values?: unknown): Promise<QueryResult> {
      return this.#statement('execute', sql, values);
    }

    #statement(kind: 'query' | 'execute', sql: unknown, values: unknown): Promise<QueryResult> {
      let args: QueryArgs;
      try {
        args = queryArgs(sql, values, this.#options);
      } catch (error) {
        return Promise.reject(error as Error);
      }
      return run(kind, args, (s) => this.#session.send(s), String(this.config['database'] ?? ''), () => this.#session.inTransaction);
    }

    /** `const stmt = await conn.prepare(sql); await stmt.execute(values); await stmt.close()`: execute of the same SQL. */
    prepare(sql: unknown): Promise<{ readonly query: string; execute(values?: unknown): Promise<QueryResult>; close(): Promise<void> }> {
      const text = typeof sql === 'object' && sql !== null ? (sql as { sql?: unknown }).sql : sql;
      if (typeof text !== 'string') return Promise.reject(new TypeError('mysql2 (stopline): prepare takes a SQL string or { sql }'));
      let closed = false;
      return Promise.resolve({
        query: text,
        execute: (values?: unknown) => (closed ? Promise.reject(new Error('Statement is closed')) : this.execute(text, values)),
        close: () => {
          closed = true;
          return Promise.resolve();
        },
      });
    }

    beginTransaction(): Promise<void> {
      return control(this.#session, 'START TRANSACTION');
    }
    commit(): Promise<void> {
      return control(this.#session, 'COMMIT');
    }
    rollback(): Promise<void> {
      return control(this.#session, 'ROLLBACK');
    }
    ping(): Promise<void> {
      return this.#session.closed ? Promise.reject(new Error("Can't add new command when connection is in closed state")) : Promise.resolve();
    }
    /** A pooled connection goes back to its pool (an open transaction is rolled back). */
    release(): void {
      if (this.#session.closed) return;
      this.#session.close();
      this.#onRelease?.(this);
    }
    end(): Promise<void> {
      this.release();
      return Promise.resolve();
    }
    destroy(): void {
      this.release();
    }
    escape(value: unknown): string {
      return escapeValue(value, this.#options.timezone);
    }
    escapeId(value: unknown): string {
      return escapeId(value);
    }
    format(sql: string, values?: unknown): string {
      return formatQuery(sql, values, this.#options).sql;
    }
  }

  class Pool extends MiniEmitter {
    readonly config: Record<string, unknown>;
    readonly #options: ValueOptions;
    #ended = false;

    constructor(config: Record<string, unknown>) {
      super();
      this.config = config;
      this.#options = valueOptions(config);
      stores.set(this, { store: null });
    }

    #closed(): Error | null {
      return this.#ended ? new Error('Pool is closed.') : null;
    }

    query(sql: unknown, values?: unknown): Promise<QueryResult> {
      return this.#statement('query', sql, values);
    }

    execute(sql: unknown, values?: unknown): Promise<QueryResult> {
      return this.#statement('execute', sql, values);
    }

    #statement(kind: 'query' | 'execute', sql: unknown, values: unknown): Promise<QueryResult> {
      const closed = this.#closed();
      if (closed) return Promise.reject(closed);
      let args: QueryArgs;
      let store: string;
      try {
        args = queryArgs(sql, values, this.#options);
        store = storeOf(this);
      } catch (error) {
        return Promise.reject(error as Error);
      }
      return run(kind, args, (s) => backend.query(store, s.text, s.params), String(this.config['database'] ?? ''), () => false);
    }

    getConnection(): Promise<Connection> {
      const closed = this.#closed();
      if (closed) return Promise.reject(closed);
      let connection: Connection;
      try {
        const session = backend.connect(storeOf(this));
        connection = new Connection(this.config, this.#options, new Session(() => session), (c) => this.emit('release', c));
      } catch (error) {
        return Promise.reject(error instanceof StoreFailure ? Object.assign(new Error(error.message), { code: 'ER_UNKNOWN_ERROR', errno: 1105, sqlState: 'HY000', sqlMessage: error.message }) : (error as Error));
      }
      this.emit('connection', connection);
      this.emit('acquire', connection);
      return Promise.resolve(connection);
    }

    releaseConnection(connection: Connection): void {
      connection.release();
    }

    end(): Promise<void> {
      this.#ended = true;
      return Promise.resolve();
    }

    escape(value: unknown): string {
      return escapeValue(value, this.#options.timezone);
    }
    escapeId(value: unknown): string {
      return escapeId(value);
    }
    format(sql: string, values?: unknown): string {
      return formatQuery(sql, values, this.#options).sql;
    }
  }

  return {
    createPool: (config?: unknown) => new Pool(configObject(config)),
    createConnection(config?: unknown): Promise<object> {
      const c = configObject(config);
      try {
        // Connected at its first statement, so a `binding` can point it at its store after the program loaded.
        const connection: Connection = new Connection(c, valueOptions(c), new Session(() => backend.connect(storeOf(connection))), null);
        stores.set(connection, { store: null });
        return Promise.resolve(connection);
      } catch (error) {
        return Promise.reject(error as Error);
      }
    },
    format: (sql, values, stringifyObjects = false, timezone = 'local') => formatQuery(sql, values, { timezone, stringifyObjects }).sql,
    escape: (value) => escapeValue(value, 'local'),
    escapeId,
    raw: (sql) => ({ toSqlString: () => sql }),
    Types: MysqlType,
    bind(handle, store) {
      const entry = typeof handle === 'object' && handle !== null ? stores.get(handle) : undefined;
      if (!entry) return false;
      entry.store = store;
      return true;
    },
  };
}

/** mysql2's `escape` (a value as a MySQL literal). */
function escapeValue(value: unknown, timezone: Timezone): string {
  if (value instanceof Date) {
    const text = dateText(value, timezone);
    return text === null ? 'NULL' : mysqlString(text);
  }
  return formatQuery('?', [value], { timezone, stringifyObjects: false }).sql;
}
