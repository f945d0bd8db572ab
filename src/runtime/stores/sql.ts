import { createRequire } from 'node:module';
import { leadingKeyword, scanParameters, type ParameterScan } from '../../presets/sql-text.js';
import { rewriteInsertDefaults, type ColumnDefaults } from './insert-defaults.js';
import { DeclaredTypes } from './sql-types.js';

/**
 * The embedded SQL store of the local line runtime: SQLite compiled to wasm (sql.js),
 * in memory, synchronous — host functions behind a component's SQL imports must answer
 * without awaiting.
 *
 *   const engine = await createSqlEngine();        // once: loads the wasm (async)
 *   const db = engine.openSqlStore({ name: 'db', seed: 'CREATE TABLE …' });
 *   db.query('SELECT * FROM users WHERE id = $1', [7]);   // synchronous from here on
 *
 * Parameters: pg's `$1, $2` (rewritten to SQLite's `?1, ?2`, so `$2` before `$1` binds
 * like pg), mysql2 / D1 / drizzle-sqlite's `?` and `?NNN`, given as an array; or named
 * `:name`, `@name`, `$name` given as an object whose keys include the prefix
 * (`{ ':id': 7 }`). The number of array values must equal the highest index the SQL
 * uses, as pg checks ("bind message supplies 1 parameters, but the statement requires
 * 2"); with values, the text must hold one statement. Without values it may hold several
 * (pg's simple query): they run in order and the last one's result is returned.
 *
 * Values in: null and undefined → NULL; numbers, strings; booleans → 1/0; bigint →
 * integer when it fits in a double exactly, text otherwise; Uint8Array (Buffer) → blob;
 * Date → ISO-8601 text; any other object or array → its JSON text (pg's rule for
 * objects; pg would write an array as a '{…}' literal). Values out: INTEGER → number,
 * or bigint beyond ±2^53; REAL → number; TEXT → string; BLOB → Uint8Array; NULL → null.
 *
 * Transactions: `connect()` gives a connection, like pg's pooled client; BEGIN, COMMIT,
 * ROLLBACK, SAVEPOINT and RELEASE through it behave as SQLite's do (mysql2's `START
 * TRANSACTION` is read as BEGIN). Limits, because it is one SQLite database in one
 * process, not a server with sessions:
 *   - one transaction at a time: while a connection holds one open, every query from
 *     anywhere else (the store itself or another connection) throws a SqlError of kind
 *     'busy' — there is no waiting (everything is synchronous) and no isolation between
 *     sessions to emulate;
 *   - `store.query()` is auto-commit: a call that leaves a transaction open (a bare
 *     BEGIN) is rolled back and throws kind 'usage' — use `connect()`;
 *   - `release()` with a transaction still open rolls it back (as pg does when it
 *     destroys a client);
 *   - an error inside a transaction does not abort it as pg does ("current transaction
 *     is aborted"): the failed statement is undone, the transaction stays usable, as in
 *     SQLite and MySQL.
 *
 * Column types: SQLite keeps a type per value, not per column, and knows no DATETIME. Each
 * result also carries `types`, the *declared* type of each result column (the type
 * written in CREATE TABLE, for a plain column reference; null for an expression), read
 * as SQLite computes it for a view (sql-types.ts). That is what a MySQL server's column
 * definitions tell mysql2, and how the mysql2 shim and lowering agree on which columns
 * are DATETIME / TIMESTAMP / DATE (given as Date), DECIMAL, JSON… (src/presets/calls/mysql2.ts).
 *
 * SQL is SQLite's dialect: no pg `::type` casts or `$$` quoting; mysql2's client-side
 * formatting (`??` identifiers, `SET ?` with an object, `IN (?)` with an array) is the
 * shims' job, not the store's. Foreign keys are enforced (PRAGMA foreign_keys = ON),
 * as in pg and MySQL/InnoDB. `random()` and `randomblob(n)` are replaced by a PRNG seeded
 * per store, so ORDER BY random() is reproducible (random() then returns a REAL with an
 * integral value). `now()` (Postgres' current timestamp, for column defaults such as
 * drizzle's `defaultNow()`: `DEFAULT (now())`) is the store's `now` option as ISO-8601 text
 * (`2026-01-01T00:00:00.000Z`, the form drizzle and the shims write a Date in); without
 * the option it is not defined. SQLite's date functions with 'now' and CURRENT_TIMESTAMP
 * still read the host's wall clock: sql.js gives no way to inject one, so fixtures should
 * not depend on them.
 *
 * `DEFAULT` as a value of INSERT … VALUES (Postgres and MySQL have it, drizzle writes it for
 * every column left out) is replaced by the column's default expression, or NULL
 * (insert-defaults.ts), before SQLite sees the text.
 */

/** A value as SQLite returns it. */
export type SqlValue = number | bigint | string | Uint8Array | null;
/** A value a caller may bind; see the module comment for the conversions. */
export type SqlParam = SqlValue | boolean | undefined | Date | object;
export type SqlParams = readonly SqlParam[] | Readonly<Record<string, SqlParam>>;
export type SqlRow = Record<string, SqlValue>;

/** pg-like result; `lastInsertRowid` also serves mysql2's `insertId` and D1's `meta.last_row_id`. */
export interface SqlResult {
  readonly rows: SqlRow[];
  /** Rows returned for a statement with result columns, else rows changed (INSERT/UPDATE/DELETE), else 0. */
  readonly rowCount: number;
  /** Result column names, in order (duplicates kept; in `rows` the last one wins, as in pg). */
  readonly fields: string[];
  /** The declared type of each result column (`DATETIME`, `VARCHAR(80)`), as in CREATE TABLE; null for an expression. */
  readonly types: (string | null)[];
  /** SQLite's last_insert_rowid() after a statement that changed rows; null otherwise. */
  readonly lastInsertRowid: number | bigint | null;
}

export type SqlErrorKind =
  /** SQLite rejected the SQL or a constraint failed: the message is SQLite's. */
  | 'sqlite'
  /** Another connection holds the transaction. */
  | 'busy'
  /** Wrong number or shape of parameter values. */
  | 'params'
  /** The store is closed or the connection released. */
  | 'closed'
  /** A misuse: a transaction left open by `store.query()`. */
  | 'usage';

export class SqlError extends Error {
  override readonly name = 'SqlError';
  readonly kind: SqlErrorKind;
  /** The store's name. */
  readonly store: string;
  /**
   * The SQLSTATE pg would report for the same failure when it is clear which
   * (23505 unique, 23502 not null, 23503 foreign key, 23514 check, 42P01 no such table,
   * 42703 no such column, 42P07 table exists, 42601 syntax, 08P01 parameter count);
   * null otherwise. For shims that must give pg's `err.code` or mysql2's codes.
   */
  readonly sqlState: string | null;

  constructor(kind: SqlErrorKind, store: string, message: string, sqlState: string | null = null) {
    super(message);
    this.kind = kind;
    this.store = store;
    this.sqlState = sqlState;
  }
}

export interface SqlQueryable {
  query(sql: string, params?: SqlParams): SqlResult;
}

export interface SqlConnection extends SqlQueryable {
  /** 1, 2, … in the order connections were made on this store. */
  readonly id: number;
  /** Whether this connection holds an open transaction. */
  readonly inTransaction: boolean;
  readonly released: boolean;
  /** Ends the connection; rolls back a transaction left open. Releasing twice throws. */
  release(): void;
}

export interface SqlTableDump {
  readonly table: string;
  /** Every row, ordered by all columns in turn (SQLite's ordering and the columns' collations). */
  readonly rows: SqlRow[];
}

export interface SqlStore extends SqlQueryable {
  readonly name: string;
  /** Whether some connection holds an open transaction. */
  readonly inTransaction: boolean;
  /** Runs a script (several statements, no parameters), e.g. a seed; throws on the first error. */
  exec(sql: string): void;
  connect(): SqlConnection;
  /** Every table (not sqlite_* ones) by name, with its rows sorted; throws 'busy' while a transaction is open. */
  dump(): SqlTableDump[];
  /**
   * The database as SQLite file bytes (open a store on them with `data`), for a store kept
   * in a file (`stopline serve`). Ends this store (sql.js reopens the database and frees
   * its prepared statements): open a new one from the bytes to go on. Throws 'busy' while a
   * transaction is open.
   */
  exportAndClose(): Uint8Array;
  close(): void;
}

export interface SqlStoreOptions {
  readonly name: string;
  /** SQL run when the store opens; an error in it throws from `openSqlStore`. */
  readonly seed?: string;
  /** The database to open, as SQLite file bytes (`exportAndClose`); default: a new empty one. */
  readonly data?: Uint8Array;
  /** Seed of the PRNG behind random() and randomblob(); default 0. */
  readonly randomSeed?: number;
  /** What SQL's `now()` reads, in ms since the epoch (the runtime's clock); absent: no `now()`. */
  readonly now?: () => number;
}

export interface SqlEngine {
  /** SQLite's version, e.g. "3.54.1". */
  readonly sqliteVersion: string;
  openSqlStore(options: SqlStoreOptions): SqlStore;
}

// --- sql.js, typed by hand: the parts used here, as sql.js 1.16 has them -----------

type BindValue = number | string | Uint8Array | null;
type Bindings = BindValue[] | Record<string, BindValue>;

interface SqlJsStatement {
  bind(values?: Bindings): boolean;
  step(): boolean;
  get(params: null, config: { useBigInt: true }): (number | bigint | string | Uint8Array | null)[];
  getColumnNames(): string[];
  getSQL(): string;
  reset(): boolean;
  free(): boolean;
}

interface SqlJsDatabase {
  run(sql: string): SqlJsDatabase;
  exec(sql: string): { columns: string[]; values: (number | string | Uint8Array | null)[][] }[];
  prepare(sql: string): SqlJsStatement;
  iterateStatements(sql: string): Iterable<SqlJsStatement>;
  getRowsModified(): number;
  create_function(name: string, fn: (...args: never[]) => number | string | Uint8Array | null): SqlJsDatabase;
  close(): void;
  export(): Uint8Array;
}

interface SqlJsStatic {
  Database: new (data?: Uint8Array) => SqlJsDatabase;
}

type InitSqlJs = (config?: Record<string, unknown>) => Promise<SqlJsStatic>;

let loading: Promise<SqlJsStatic> | null = null;

function loadSqlJs(): Promise<SqlJsStatic> {
  if (!loading) {
    // sql.js is CommonJS; it finds dist/sql-wasm.wasm next to itself.
    const init = createRequire(import.meta.url)('sql.js') as InitSqlJs;
    loading = init().catch((error: unknown) => {
      loading = null;
      throw error;
    });
  }
  return loading;
}

/** Loads SQLite's wasm (once per process; later calls reuse it). Stores opened from the engine are synchronous. */
export async function createSqlEngine(): Promise<SqlEngine> {
  const sqlJs = await loadSqlJs();
  const probe = new sqlJs.Database();
  let sqliteVersion: string;
  try {
    const stmt = probe.prepare('SELECT sqlite_version()');
    stmt.step();
    sqliteVersion = String(stmt.get(null, { useBigInt: true })[0]);
    stmt.free();
  } finally {
    probe.close();
  }
  return {
    sqliteVersion,
    openSqlStore: (options) => new EmbeddedSqlStore(new sqlJs.Database(options.data), options),
  };
}

// --- the store -------------------------------------------------------------------

const TRANSACTION_CONTROL = new Set(['BEGIN', 'COMMIT', 'END', 'ROLLBACK', 'SAVEPOINT', 'RELEASE']);
const START_TRANSACTION = /^\s*start\s+transaction\s*;?\s*$/i;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

const SQL_STATES: readonly (readonly [RegExp, string])[] = [
  [/^UNIQUE constraint failed/, '23505'],
  [/^NOT NULL constraint failed/, '23502'],
  [/^FOREIGN KEY constraint failed/, '23503'],
  [/^CHECK constraint failed/, '23514'],
  [/^no such table/, '42P01'],
  [/^no such column/, '42703'],
  [/^table .* already exists/, '42P07'],
  [/syntax error|^unrecognized token|^incomplete input/, '42601'],
];

function sqliteError(store: string, error: unknown): SqlError {
  if (error instanceof SqlError) return error;
  // sql.js throws Error(sqlite3_errmsg) and, for API misuse, plain strings.
  const message = error instanceof Error ? error.message : String(error);
  const state = SQL_STATES.find(([pattern]) => pattern.test(message))?.[1] ?? null;
  return new SqlError('sqlite', store, message, state);
}

function toBindValue(value: unknown, store: string, where: string): BindValue {
  switch (typeof value) {
    case 'undefined':
      return null;
    case 'string':
    case 'number':
      return value;
    case 'boolean':
      return value ? 1 : 0;
    case 'bigint':
      return value >= -MAX_SAFE && value <= MAX_SAFE ? Number(value) : value.toString();
    case 'object':
      if (value === null) return null;
      if (value instanceof Uint8Array) return new Uint8Array(value);
      if (value instanceof Date) return value.toISOString();
      return JSON.stringify(value);
    default:
      throw new SqlError('params', store, `Cannot bind a ${typeof value} as ${where}`);
  }
}

function fromSqlite(value: number | bigint | string | Uint8Array | null | undefined): SqlValue {
  if (typeof value === 'bigint') return value >= -MAX_SAFE && value <= MAX_SAFE ? Number(value) : value;
  return value ?? null;
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A small deterministic PRNG (splitmix32) for random() and randomblob(). */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const EMPTY: SqlResult = Object.freeze({ rows: [], rowCount: 0, fields: [], types: [], lastInsertRowid: null }) as SqlResult;

/** Who runs a query: the store itself (auto-commit) or one of its connections. */
type Source = 'store' | Connection;

class Connection implements SqlConnection {
  readonly id: number;
  #released = false;

  constructor(
    private readonly store: EmbeddedSqlStore,
    id: number,
  ) {
    this.id = id;
  }

  get inTransaction(): boolean {
    return this.store.owner === this;
  }

  get released(): boolean {
    return this.#released;
  }

  query(sql: string, params?: SqlParams): SqlResult {
    if (this.#released) throw new SqlError('closed', this.store.name, `Connection ${this.id} of store '${this.store.name}' was released`);
    return this.store.run(this, sql, params);
  }

  release(): void {
    if (this.#released) throw new SqlError('closed', this.store.name, `Connection ${this.id} of store '${this.store.name}' was already released`);
    this.#released = true;
    this.store.releaseConnection(this);
  }
}

class EmbeddedSqlStore implements SqlStore {
  readonly name: string;
  /** The connection holding the open transaction, if any. */
  owner: Connection | null = null;
  #db: SqlJsDatabase | null;
  #counters: SqlJsStatement;
  #connections = 0;
  readonly #types = new DeclaredTypes();

  constructor(db: SqlJsDatabase, options: SqlStoreOptions) {
    this.name = options.name;
    this.#db = db;
    try {
      db.run('PRAGMA foreign_keys = ON');
      const next = prng(options.randomSeed ?? 0);
      // A 53-bit signed integral value: as close to SQLite's 64-bit random() as a double gets.
      db.create_function('random', () => (next() & 0x1fffff) * 2 ** 32 + next() - 2 ** 52);
      db.create_function('randomblob', (n: number | null) => {
        const bytes = new Uint8Array(Math.max(1, Math.trunc(n ?? 1)));
        for (let i = 0; i < bytes.length; i++) bytes[i] = next() & 0xff;
        return bytes;
      });
      const now = options.now;
      if (now !== undefined) db.create_function('now', () => new Date(now()).toISOString());
      this.#counters = db.prepare('SELECT total_changes(), last_insert_rowid()');
      if (options.seed !== undefined) this.exec(options.seed);
    } catch (error) {
      db.close();
      this.#db = null;
      throw sqliteError(this.name, error);
    }
  }

  get inTransaction(): boolean {
    return this.owner !== null;
  }

  query(sql: string, params?: SqlParams): SqlResult {
    return this.run('store', sql, params);
  }

  exec(sql: string): void {
    this.run('store', sql, undefined);
  }

  connect(): SqlConnection {
    this.#open();
    this.#connections += 1;
    return new Connection(this, this.#connections);
  }

  exportAndClose(): Uint8Array {
    const db = this.#open();
    if (this.owner) throw this.#busy('exportAndClose()');
    this.#counters.free();
    const bytes = db.export();
    this.close();
    return bytes;
  }

  dump(): SqlTableDump[] {
    const db = this.#open();
    if (this.owner) throw this.#busy('dump()');
    const tables = this.#select(db, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name");
    return tables.map(([table]) => {
      const name = String(table);
      const probe = db.prepare(`SELECT * FROM ${quoteIdent(name)}`);
      const count = probe.getColumnNames().length;
      probe.free();
      const order = Array.from({ length: count }, (_, i) => String(i + 1)).join(', ');
      const stmt = db.prepare(`SELECT * FROM ${quoteIdent(name)}${order ? ` ORDER BY ${order}` : ''}`);
      try {
        const fields = stmt.getColumnNames();
        const rows: SqlRow[] = [];
        while (stmt.step()) rows.push(rowOf(fields, stmt.get(null, { useBigInt: true })));
        return { table: name, rows };
      } finally {
        stmt.free();
      }
    });
  }

  close(): void {
    if (!this.#db) return;
    this.#db.close(); // also frees prepared statements
    this.#db = null;
    this.owner = null;
  }

  /** @internal */
  releaseConnection(connection: Connection): void {
    if (this.owner !== connection || !this.#db) return;
    this.owner = null;
    this.#db.run('ROLLBACK');
  }

  /** @internal Runs `sql` for `source`. */
  run(source: Source, sql: string, params: SqlParams | undefined): SqlResult {
    const db = this.#open();
    if (typeof sql !== 'string') throw new SqlError('usage', this.name, `SQL must be a string, got ${typeof sql}`);
    if (this.owner && this.owner !== source) throw this.#busy(source === 'store' ? 'store.query()' : `connection ${source.id}`);
    const scan = scanParameters(START_TRANSACTION.test(sql) ? 'BEGIN' : rewriteInsertDefaults(sql, this.#schema(db)));
    const bindings = this.#bindings(scan, params);

    let result = EMPTY;
    let failure: unknown = null;
    let transactionMayHaveChanged = false;
    try {
      for (const stmt of db.iterateStatements(scan.text)) {
        if (TRANSACTION_CONTROL.has(leadingKeyword(stmt.getSQL()))) transactionMayHaveChanged = true;
        result = this.#execute(stmt, bindings);
      }
    } catch (error) {
      failure = error;
      transactionMayHaveChanged = true; // SQLite may roll back on some errors (ON CONFLICT ROLLBACK, out of memory)
    }
    if (transactionMayHaveChanged) {
      const open = this.#transactionOpen(db);
      if (open && source === 'store') {
        db.run('ROLLBACK');
        this.owner = null;
        failure ??= new SqlError('usage', this.name, `store.query() left a transaction open on store '${this.name}'; it was rolled back. Use connect() for transactions`);
      } else {
        this.owner = open && source !== 'store' ? source : null;
      }
    }
    if (failure !== null) throw sqliteError(this.name, failure);
    return result;
  }

  #open(): SqlJsDatabase {
    if (!this.#db) throw new SqlError('closed', this.name, `Store '${this.name}' is closed`);
    return this.#db;
  }

  /** Column names and defaults from SQLite's own schema, for `DEFAULT` in INSERT … VALUES. */
  #schema(db: SqlJsDatabase): ColumnDefaults {
    const info = (table: string): SqlValue[][] => {
      try {
        return this.#select(db, `PRAGMA table_info(${quoteIdent(table)})`);
      } catch {
        return [];
      }
    };
    return {
      columns: (table) => {
        const rows = info(table);
        return rows.length === 0 ? null : rows.map((r) => String(r[1]));
      },
      defaultOf: (table, column) => {
        const row = info(table).find((r) => String(r[1]).toLowerCase() === column.toLowerCase());
        return row === undefined || row[4] === null ? null : String(row[4]);
      },
    };
  }

  #busy(who: string): SqlError {
    const holder = this.owner ? `connection ${this.owner.id}` : 'a connection';
    return new SqlError('busy', this.name, `database is locked: ${holder} holds an open transaction on store '${this.name}' (${who} cannot run until it ends; the embedded store runs one transaction at a time)`, '55P03');
  }

  #bindings(scan: ParameterScan, params: SqlParams | undefined): Bindings | null {
    if (params !== undefined && params !== null && typeof params !== 'object') {
      throw new SqlError('params', this.name, `Parameter values must be an array or an object, got ${typeof params}`);
    }
    if (params === undefined || params === null || Array.isArray(params)) {
      const values: readonly unknown[] = (params as readonly unknown[] | null | undefined) ?? [];
      if (scan.named && values.length > 0) throw new SqlError('params', this.name, 'The SQL uses named parameters: give their values as an object');
      if (values.length > 0 && scan.statements > 1) throw new SqlError('params', this.name, 'cannot insert multiple commands into a prepared statement', '42601');
      if (values.length !== scan.positional) {
        throw new SqlError('params', this.name, `bind message supplies ${values.length} parameters, but the statement requires ${scan.positional}`, '08P01');
      }
      return values.length > 0 ? values.map((v, i) => toBindValue(v, this.name, `parameter ${i + 1}`)) : null;
    }
    if (scan.positional > 0) throw new SqlError('params', this.name, 'The SQL uses positional parameters: give their values as an array');
    if (scan.statements > 1) throw new SqlError('params', this.name, 'cannot insert multiple commands into a prepared statement', '42601');
    const named: Record<string, BindValue> = {};
    for (const [key, value] of Object.entries(params as Readonly<Record<string, unknown>>)) named[key] = toBindValue(value, this.name, `parameter ${key}`);
    return named;
  }

  #execute(stmt: SqlJsStatement, bindings: Bindings | null): SqlResult {
    const [totalBefore] = this.#readCounters();
    if (bindings) stmt.bind(bindings);
    const fields = stmt.getColumnNames();
    const rows: SqlRow[] = [];
    while (stmt.step()) rows.push(rowOf(fields, stmt.get(null, { useBigInt: true })));
    const [totalAfter, lastId] = this.#readCounters();
    const changed = totalAfter !== totalBefore;
    const db = this.#db as SqlJsDatabase;
    const rowsModified = changed ? db.getRowsModified() : 0;
    return {
      rows,
      rowCount: fields.length > 0 ? rows.length : rowsModified,
      fields,
      types: this.#types.of(db, stmt.getSQL(), fields.length),
      lastInsertRowid: changed ? lastId : null,
    };
  }

  #readCounters(): [SqlValue, number | bigint | null] {
    const stmt = this.#counters;
    try {
      stmt.step();
      const [total, lastId] = stmt.get(null, { useBigInt: true });
      const id = fromSqlite(lastId);
      return [fromSqlite(total), typeof id === 'number' || typeof id === 'bigint' ? id : null];
    } finally {
      stmt.reset();
    }
  }

  /** SQLite can say whether a transaction is open only by refusing a nested BEGIN. */
  #transactionOpen(db: SqlJsDatabase): boolean {
    try {
      db.run('BEGIN');
    } catch {
      return true;
    }
    db.run('ROLLBACK');
    return false;
  }

  #select(db: SqlJsDatabase, sql: string): SqlValue[][] {
    const stmt = db.prepare(sql);
    try {
      const rows: SqlValue[][] = [];
      while (stmt.step()) rows.push(stmt.get(null, { useBigInt: true }).map(fromSqlite));
      return rows;
    } finally {
      stmt.free();
    }
  }
}

function rowOf(fields: readonly string[], values: readonly (number | bigint | string | Uint8Array | null)[]): SqlRow {
  // fromEntries defines own properties, so a column named __proto__ stays a column.
  return Object.fromEntries(fields.map((field, i) => [field, fromSqlite(values[i])]));
}
