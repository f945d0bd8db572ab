import { decode, encode } from '../wire/index.js';
import { payloadOf, dispose, type SqlErrorPayload, type SqlImport } from './imports.js';
import { createMysql2Module, StoreFailure, type BackendSession, type Mysql2Module, type MysqlBackend, type StoreAnswer } from '../../src/presets/calls/mysql2.js';
export type { Mysql2Module } from '../../src/presets/calls/mysql2.js';

/**
 * `mysql2/promise` inside a component, over `stopline:line/sql`: the module shared with
 * the Node shim (src/presets/calls/mysql2.ts) on a backend that sends each statement to
 * the host, so the split program formats, converts and fails exactly as the original.
 *
 *   const mysql = createMysql2Module({ sql, defaultStore: 'content' });  // what `import … from 'mysql2/promise'` gives
 *   await mysql.createPool({ uri }).query('SELECT … WHERE path = ?', [p]);  // sql.query('content', 'SELECT … WHERE path = ?1', encode(['/…']))
 *   const conn = await pool.getConnection();                            // sql.connect('content'): a connection resource
 *
 * The host's answer (wire text) decodes to `{ rows, rowCount, fields, types,
 * lastInsertRowid }`: `types` are the result columns' declared types (how a DATETIME column
 * becomes a Date here as in Node). Its sql-error records become the module's failures:
 * query-failed + code (the store's SQLSTATE) → a mysql2 error with MySQL's code; closed →
 * closed; transaction-state, other → as such. Transaction words go to the connection as
 * SQL text (the host turns BEGIN/COMMIT/ROLLBACK into its begin/commit/rollback, with their
 * state checks; the module sends them only when MySQL would act). Bytes stay Uint8Array
 * (the guest has no Buffer).
 */

function isSqlError(p: unknown): p is SqlErrorPayload {
  return typeof p === 'object' && p !== null && typeof (p as SqlErrorPayload).kind === 'string' && typeof (p as SqlErrorPayload).message === 'string';
}

function failureOf(error: unknown): unknown {
  const p = payloadOf(error);
  if (!isSqlError(p)) return error;
  const kind = p.kind === 'query-failed' || p.kind === 'closed' || p.kind === 'transaction-state' ? p.kind : 'other';
  return new StoreFailure(kind, p.code ?? null, p.message);
}

function answerOf(text: string): StoreAnswer {
  const raw = decode(text) as Partial<StoreAnswer> | null;
  if (raw === null || typeof raw !== 'object' || !Array.isArray(raw.rows) || typeof raw.rowCount !== 'number') {
    throw new Error('mysql2 (stopline): the sql host answered with a malformed result');
  }
  return { rows: raw.rows, rowCount: raw.rowCount, lastInsertRowid: raw.lastInsertRowid ?? null, ...(raw.fields ? { fields: raw.fields } : {}), ...(raw.types ? { types: raw.types } : {}) };
}

function guarded<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw failureOf(error);
  }
}

export interface Mysql2LoweringOptions {
  readonly sql: SqlImport;
  /** The store of every handle no binding names; null: such a handle fails at its first query. */
  readonly defaultStore: string | null;
}

export function createMysql2LoweredModule(options: Mysql2LoweringOptions): Mysql2Module {
  const { sql } = options;
  const backend: MysqlBackend = {
    query: (store, text, params) => guarded(() => answerOf(sql.query(store, text, encode(params)))),
    connect(store): BackendSession {
      const connection = guarded(() => sql.connect(store));
      return {
        query: (text, params) => guarded(() => answerOf(connection.query(text, encode(params)))),
        release: () => dispose(connection),
      };
    },
  };
  return createMysql2Module({ backend, defaultStore: options.defaultStore, toBytes: (bytes) => bytes });
}
