/**
 * mysql2's placeholders and values, turned into a statement for the embedded SQL store
 * (SQLite): shared by the Node shim (src/runtime/shims/mysql2.ts) and the guest lowering
 * (codegen/lower/mysql2.ts), so both send the store the same text and values. Plain web
 * JavaScript (no Buffer): it runs in Node and in StarlingMonkey.
 *
 * `query(sql, values)`: mysql2 formats client-side (its `format`, sql-escaper): `?` takes
 * the next value as a literal, `??` as an identifier, a run of three or more `?` is left
 * alone; placeholders inside '…' and "…" strings (backslash escapes), `…` identifiers,
 * `#`, `-- ` and `/* *\/` comments are text; values beyond the placeholders are ignored
 * and placeholders beyond the values stay `?`. Here every scalar a value expands to is
 * BOUND as a SQLite parameter (`?N`) instead of inlined as a MySQL literal: SQLite reads
 * neither MySQL's backslash escapes nor `true`, so inlining would change the values.
 * The expansions are mysql2's:
 *   - null / undefined → NULL; booleans → 1 / 0 (MySQL's TRUE / FALSE); numbers, bigints,
 *     strings as they are; a Date → 'YYYY-MM-DD HH:MM:SS.mmm' in the `timezone` option
 *     ('local', 'Z', '+HH:MM'; an invalid Date → NULL); bytes (Buffer, Uint8Array) → a blob;
 *   - an array → a list `?1, ?2` (nested arrays and Sets → `(…), (…)`, for `VALUES ?`);
 *   - an object (or Map) right after SET / ON DUPLICATE KEY UPDATE → `` `k` = ?1, … ``
 *     (function-valued keys skipped); elsewhere its String() (mysql2's rule since it
 *     moved to sql-escaper), or always with `stringifyObjects`;
 *   - an object with `toSqlString()` (mysql2's `raw`) → its text, as is;
 *   - `??` → `` `name` ``, `` `t`.`c` `` (dots split, backticks doubled), arrays joined.
 * `sql` in the result is the text mysql2 would have sent MySQL (values inlined as MySQL
 * literals): what an error's `sql` property shows.
 *
 * `execute(sql, values)` is a server-side prepared statement: values are never inlined;
 * `?` are parameters; values must be an array without undefined or functions (mysql2's
 * TypeErrors); Dates → the same text as above; arrays and plain objects → JSON text;
 * bytes → a blob; booleans → 1 / 0; anything else → its toString().
 *
 * Where this differs from mysql2 with a MySQL server: the SQL is SQLite's dialect (the
 * store's); a placeholder left without a value reaches SQLite as a parameter without a
 * value (an error either way, with another code); `namedPlaceholders` is not supported.
 */

export type Timezone = string;

/** A value bound to the store: what the embedded SQL store accepts. */
export type BoundValue = null | number | bigint | string | Uint8Array;

export interface StoreStatement {
  /** SQLite text with `?N` parameters. */
  readonly text: string;
  readonly params: BoundValue[];
  /** What mysql2 would have sent a MySQL server (for errors' `sql`). */
  readonly sql: string;
}

// --- the SQL around placeholders --------------------------------------------------

/** End (exclusive) of a quoted string starting at `i` with `quote`, backslash escapes honoured. */
function stringEnd(sql: string, i: number, quote: string): number {
  for (let j = i + 1; j < sql.length; j++) {
    if (sql[j] === '\\') j++;
    else if (sql[j] === quote) {
      if (sql[j + 1] === quote) j++;
      else return j + 1;
    }
  }
  return sql.length;
}

/** End of the text starting at `i` that cannot hold a placeholder (string, identifier, comment), or -1. */
function skipContext(sql: string, i: number): number {
  const c = sql[i];
  if (c === "'" || c === '"') return stringEnd(sql, i, c);
  if (c === '`') {
    for (let j = i + 1; j < sql.length; j++) {
      if (sql[j] === '`') {
        if (sql[j + 1] === '`') j++;
        else return j + 1;
      }
    }
    return sql.length;
  }
  if (c === '#' || (c === '-' && sql[i + 1] === '-' && (i + 2 >= sql.length || (sql.charCodeAt(i + 2) <= 32)))) {
    const nl = sql.indexOf('\n', i);
    return nl < 0 ? sql.length : nl + 1;
  }
  if (c === '/' && sql[i + 1] === '*' && sql[i + 2] !== '!' && sql[i + 2] !== '+') {
    const end = sql.indexOf('*/', i + 2);
    return end < 0 ? sql.length : end + 2;
  }
  return -1;
}

/** Positions and lengths of placeholder runs (`?`, `??`, `???…`), in order. */
function placeholders(sql: string): { at: number; length: number }[] {
  const out: { at: number; length: number }[] = [];
  for (let i = 0; i < sql.length; ) {
    const skip = skipContext(sql, i);
    if (skip >= 0) {
      i = skip;
      continue;
    }
    if (sql[i] === '?') {
      let j = i;
      while (sql[j] === '?') j++;
      out.push({ at: i, length: j - i });
      i = j;
      continue;
    }
    i++;
  }
  return out;
}

const TERMINATORS = new Set(['where', 'order', 'group', 'having', 'limit', 'union', 'returning', 'into', 'for', 'lock', 'offset', 'window', 'procedure', 'on']);

/**
 * Whether the placeholder at `at` stands in a SET assignment list (`SET ?`, `SET a = 1, ?`,
 * `ON DUPLICATE KEY UPDATE ?`): the nearest SET / KEY UPDATE before it with only a
 * comma-separated list (no clause keyword, no `;`) in between, and `?` after a word or a comma.
 */
function inSetList(sql: string, at: number): boolean {
  let before = at - 1;
  while (before >= 0 && /\s/.test(sql[before] as string)) before--;
  if (before < 0 || !/[A-Za-z,]/.test(sql[before] as string)) return false;
  // Words outside strings and comments, up to the placeholder.
  const words: { word: string; at: number }[] = [];
  for (let i = 0; i < at; ) {
    const skip = skipContext(sql, i);
    if (skip >= 0) {
      i = skip;
      continue;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i, Math.min(at, i + 64)));
    if (m && (i === 0 || !/[A-Za-z0-9_]/.test(sql[i - 1] as string))) {
      words.push({ word: m[0].toLowerCase(), at: i });
      i += m[0].length;
      continue;
    }
    i++;
  }
  let start = -1;
  for (let w = words.length - 1; w >= 0; w--) {
    const { word } = words[w]!;
    if (word === 'set' || (word === 'update' && words[w - 1]?.word === 'key')) {
      start = words[w]!.at + word.length;
      break;
    }
  }
  if (start < 0) return false;
  let depth = 0;
  let last = '';
  for (let i = start; i < at; ) {
    const skip = skipContext(sql, i);
    if (skip >= 0) {
      i = skip;
      last = 'x';
      continue;
    }
    const c = sql[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return false;
    else if (depth === 0 && c === ';') return false;
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i, at));
    if (m) {
      if (depth === 0 && TERMINATORS.has(m[0].toLowerCase())) return false;
      i += m[0].length;
      last = 'x';
      continue;
    }
    last = depth === 0 && c === ',' ? ',' : 'x';
    i++;
  }
  return depth === 0 && (last === '' || last === ',');
}

// --- values ------------------------------------------------------------------------

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Minutes east of UTC for a `timezone` option other than 'local'; null when unreadable. */
function offsetMinutes(timezone: Timezone): number | null {
  if (timezone === 'Z') return 0;
  const m = /([+\-\s])(\d\d):?(\d\d)?/.exec(timezone);
  if (!m) return null;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + (m[3] ? Number(m[3]) : 0));
}

/** A Date as mysql2 writes it: 'YYYY-MM-DD HH:MM:SS.mmm' in `timezone`; null for an invalid Date. */
export function dateText(date: Date, timezone: Timezone): string | null {
  if (Number.isNaN(date.getTime())) return null;
  let d = date;
  const local = timezone === 'local';
  if (!local) {
    const offset = offsetMinutes(timezone);
    d = new Date(date.getTime() + (offset ?? 0) * 60_000);
  }
  const [y, mo, day, h, mi, s, ms] = local
    ? [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds()]
    : [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()];
  return `${pad(y, 4)}-${pad(mo, 2)}-${pad(day, 2)} ${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${pad(ms, 3)}`;
}

const isDate = (v: unknown): v is Date => Object.prototype.toString.call(v) === '[object Date]';
const isBytes = (v: unknown): v is Uint8Array => v instanceof Uint8Array;
const hasSqlString = (v: unknown): v is { toSqlString(): unknown } => typeof v === 'object' && v !== null && typeof (v as { toSqlString?: unknown }).toSqlString === 'function';
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Set) && !(v instanceof Map);

/** A MySQL string literal as mysql2 escapes it (backslash escapes). */
export function mysqlString(text: string): string {
  return `'${text.replace(/[\0\b\t\n\r\x1a"'\\]/g, (c) => ({ '\0': '\\0', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\x1a': '\\Z', '"': '\\"', "'": "\\'", '\\': '\\\\' })[c] ?? c)}'`;
}

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** `` `name` `` / `` `t`.`c` `` as mysql2's escapeId writes it. */
export function escapeId(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => escapeId(v)).join(', ');
  const id = String(value);
  const quoted = id.replace(/`/g, '``');
  if (id.includes('->')) return `\`${quoted}\``;
  return `\`${quoted.replace(/\./g, '`.`')}\``;
}

/** Builds the store text and the MySQL text side by side. */
class Writer {
  text = '';
  sql = '';
  readonly params: BoundValue[] = [];
  constructor(readonly timezone: Timezone) {}

  raw(text: string): void {
    this.text += text;
    this.sql += text;
  }

  bind(value: BoundValue, literal: string): void {
    this.params.push(value);
    this.text += `?${this.params.length}`;
    this.sql += literal;
  }

  /** One scalar (or raw / stringified object) value. */
  scalar(value: unknown, stringifyObjects: boolean): void {
    if (value === undefined || value === null) return this.bind(null, 'NULL');
    switch (typeof value) {
      case 'boolean':
        return this.bind(value ? 1 : 0, value ? 'true' : 'false');
      case 'number':
        return this.bind(value, String(value));
      case 'bigint':
        return this.bind(value, String(value));
      case 'string':
        return this.bind(value, mysqlString(value));
      case 'object': {
        if (isDate(value)) {
          const text = dateText(value, this.timezone);
          return text === null ? this.bind(null, 'NULL') : this.bind(text, mysqlString(text));
        }
        if (Array.isArray(value) || value instanceof Set) return this.list([...(value as Iterable<unknown>)]);
        if (isBytes(value)) return this.bind(new Uint8Array(value), `X'${hex(value)}'`);
        if (hasSqlString(value)) return this.raw(String(value.toSqlString()));
        if (!stringifyObjects && (isRecord(value) || value instanceof Map)) return this.assignments(value);
        return this.bind(String(value), mysqlString(String(value)));
      }
      default:
        return this.bind(String(value), mysqlString(String(value)));
    }
  }

  list(values: readonly unknown[]): void {
    values.forEach((v, i) => {
      if (i > 0) this.raw(', ');
      if (Array.isArray(v) || v instanceof Set) {
        this.raw('(');
        this.list([...(v as Iterable<unknown>)]);
        this.raw(')');
      } else this.scalar(v, true);
    });
  }

  assignments(object: Record<string, unknown> | Map<unknown, unknown>): void {
    const pairs = object instanceof Map ? [...object].map(([k, v]) => [String(k), v] as const) : Object.keys(object).map((k) => [k, object[k]] as const);
    let first = true;
    for (const [key, v] of pairs) {
      if (typeof v === 'function') continue;
      if (!first) this.raw(', ');
      first = false;
      this.raw(`${escapeId(key)} = `);
      this.scalar(v, true);
    }
  }
}

export interface FormatOptions {
  readonly timezone: Timezone;
  readonly stringifyObjects: boolean;
}

/** `query(sql, values)`: see the module comment. */
export function formatQuery(sql: string, values: unknown, options: FormatOptions): StoreStatement {
  const w = new Writer(options.timezone);
  if (values === undefined || values === null) {
    w.raw(sql);
    return { text: w.text, params: w.params, sql: w.sql };
  }
  const list = Array.isArray(values) ? values : [values];
  let chunk = 0;
  let next = 0;
  for (const p of placeholders(sql)) {
    if (next >= list.length) break;
    if (p.length > 2) continue;
    w.raw(sql.slice(chunk, p.at));
    const value = list[next++];
    if (p.length === 2) w.raw(escapeId(value));
    else if (!options.stringifyObjects && typeof value === 'object' && value !== null && (isRecord(value) || value instanceof Map) && !isDate(value) && !isBytes(value) && !hasSqlString(value)) {
      if (inSetList(sql, p.at)) w.assignments(value as Record<string, unknown> | Map<unknown, unknown>);
      else w.scalar(String(value), true);
    } else w.scalar(value, options.stringifyObjects);
    chunk = p.at + p.length;
  }
  w.raw(sql.slice(chunk));
  return { text: w.text, params: w.params, sql: w.sql };
}

/** `execute(sql, values)`: see the module comment. Throws mysql2's TypeErrors for bad values. */
export function prepareExecute(sql: string, values: unknown, options: FormatOptions): StoreStatement {
  if (values !== undefined && values !== null && !Array.isArray(values)) {
    throw new TypeError('Bind parameters must be array if namedPlaceholders parameter is not enabled');
  }
  const list: readonly unknown[] = values ?? [];
  const params = list.map((value): BoundValue => {
    if (value === undefined) throw new TypeError('Bind parameters must not contain undefined. To pass SQL NULL specify JS null');
    if (typeof value === 'function') throw new TypeError('Bind parameters must not contain function(s). To pass the body of a function as a string call .toString() first');
    if (value === null) return null;
    switch (typeof value) {
      case 'number':
      case 'string':
        return value;
      case 'boolean':
        return value ? 1 : 0;
      case 'object':
        if (isDate(value)) return dateText(value, options.timezone);
        if (isBytes(value)) return new Uint8Array(value);
        if (Array.isArray(value) || (value as object).constructor === Object || typeof (value as { toJSON?: unknown }).toJSON === 'function') return JSON.stringify(value);
        return String(value);
      default:
        return String(value);
    }
  });
  // SQLite numbers bare `?` itself in order; `?N` keeps execute's positional meaning.
  return { text: sql, params, sql };
}
