import { SqlError, type SqlConnection, type SqlResult, type SqlStore } from '../stores/index.js';
import { createMysql2Module, StoreFailure, type BackendSession, type Mysql2Module, type MysqlBackend, type StoreAnswer } from '../../presets/calls/mysql2.js';
export type { Mysql2Module } from '../../presets/calls/mysql2.js';

/**
 * `mysql2/promise` for the original program, on the embedded SQL stores: the shared
 * module (src/presets/calls/mysql2.ts: call shapes, formatting, column types, errors) over
 * a backend that runs each statement on a `SqlStore` by its store name. Bytes come out as
 * Buffers, as mysql2 gives them. The store's failures are handed to the module exactly as
 * the line host hands them to the guest lowering (src/runtime/line/host.ts `toWitSqlError`):
 * sqlite / params / busy → 'query-failed' with the store's SQLSTATE, usage →
 * 'transaction-state', closed → 'closed'; so both sides reject with the same mysql2 error.
 *
 *   const mysql = createMysql2ShimModule({ stores: new Map([['content', content]]), defaultStore: 'content' });
 *   const pool = mysql.createPool({ uri: process.env.DATABASE_URL });
 */

function answerOf(result: SqlResult): StoreAnswer {
  return { rows: result.rows, rowCount: result.rowCount, fields: result.fields, types: result.types, lastInsertRowid: result.lastInsertRowid };
}

function failureOf(error: unknown): unknown {
  if (!(error instanceof SqlError)) return error;
  switch (error.kind) {
    case 'sqlite':
    case 'params':
    case 'busy':
      return new StoreFailure('query-failed', error.sqlState, error.message);
    case 'usage':
      return new StoreFailure('transaction-state', error.sqlState, error.message);
    case 'closed':
      return new StoreFailure('closed', error.sqlState, error.message);
  }
}

function guarded<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw failureOf(error);
  }
}

export interface Mysql2ShimOptions {
  /** The SQL stores of the config's mysql2 stores, by store name. */
  readonly stores: ReadonlyMap<string, SqlStore>;
  /** The store of handles no binding names (the only mysql2 store, when there is one). */
  readonly defaultStore: string | null;
}

export function createMysql2ShimModule(options: Mysql2ShimOptions): Mysql2Module {
  const store = (name: string): SqlStore => {
    const s = options.stores.get(name);
    if (!s) throw new StoreFailure('other', null, `no SQL store named '${name}'`);
    return s;
  };
  const backend: MysqlBackend = {
    query: (name, text, params) => guarded(() => answerOf(store(name).query(text, params))),
    connect(name): BackendSession {
      const connection: SqlConnection = guarded(() => store(name).connect());
      return {
        query: (text, params) => guarded(() => answerOf(connection.query(text, params))),
        release: () => {
          if (!connection.released) connection.release();
        },
      };
    },
  };
  return createMysql2Module({ backend, defaultStore: options.defaultStore, toBytes: (bytes) => Buffer.from(bytes) });
}
