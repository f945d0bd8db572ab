import { leadingKeyword, replaceParameters } from '../../presets/sql-text.js';

/**
 * The declared types of a statement's result columns, as SQLite's
 * `sqlite3_column_decltype` gives them: the type written in CREATE TABLE for a result
 * column that is a plain column reference (through joins, subqueries, CTEs and
 * UNION's first arm), null for an expression (`max(d)`, `d || ''`, `1`).
 *
 * sql.js exports no decltype, so the type is read the way SQLite computes it for a view:
 * the statement (its parameters replaced by NULL, which changes no result column's type)
 * becomes a TEMP view, `PRAGMA temp.table_info` reads its columns' types, and the view is
 * dropped. Only SELECT / WITH / VALUES statements can be views; anything else (PRAGMA,
 * INSERT … RETURNING) has no declared types. Answers are cached per statement text and
 * schema version.
 *
 * SQLite has no DATETIME: this is how a SQL shim (mysql2) learns that a column was
 * declared DATETIME and gives it as a Date, as the MySQL server's column definition tells
 * mysql2. Inside a transaction the view is created and dropped within it; it leaves
 * nothing behind either way.
 */

/** The part of sql.js's Database this needs. */
export interface DeclTypeDatabase {
  run(sql: string): unknown;
  exec(sql: string): { columns: string[]; values: unknown[][] }[];
}

const PROBE = '__stopline_decltype_probe';
const VIEWABLE = new Set(['SELECT', 'WITH', 'VALUES']);

export class DeclaredTypes {
  readonly #cache = new Map<string, (string | null)[]>();
  #schemaVersion: unknown = null;

  /** Declared types of `statement`'s `columns` result columns (nulls where unknown). */
  of(db: DeclTypeDatabase, statement: string, columns: number): (string | null)[] {
    const none = (): (string | null)[] => Array.from({ length: columns }, () => null);
    if (columns === 0 || !VIEWABLE.has(leadingKeyword(statement))) return none();
    const version = db.exec('PRAGMA schema_version')[0]?.values[0]?.[0] ?? null;
    if (version !== this.#schemaVersion) {
      this.#cache.clear();
      this.#schemaVersion = version;
    }
    const cached = this.#cache.get(statement);
    if (cached && cached.length === columns) return cached;
    let types = none();
    try {
      db.run(`DROP VIEW IF EXISTS temp.${PROBE}`);
      db.run(`CREATE TEMP VIEW ${PROBE} AS ${replaceParameters(statement.trim().replace(/;\s*$/, ''), 'NULL')}`);
      try {
        const info = db.exec(`PRAGMA temp.table_info(${PROBE})`)[0];
        const typeAt = info?.columns.indexOf('type') ?? -1;
        const read = (info?.values ?? []).map((row) => {
          const t = typeAt >= 0 ? row[typeAt] : null;
          return typeof t === 'string' && t !== '' ? t : null;
        });
        if (read.length === columns) types = read;
      } finally {
        db.run(`DROP VIEW IF EXISTS temp.${PROBE}`);
      }
    } catch {
      // Not compilable as a view (a construct views refuse): no declared types.
    }
    this.#cache.set(statement, types);
    return types;
  }
}
