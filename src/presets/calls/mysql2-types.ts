import type { Timezone } from './mysql2-format.js';

/**
 * MySQL column types for the embedded SQL store's results, and the values mysql2 makes of
 * them: shared by the Node shim and the guest lowering of mysql2, so the original and the
 * split program read the same row the same way. Plain web JavaScript.
 *
 * Where the type comes from: the store reports each result column's DECLARED type (the
 * type written in CREATE TABLE, for a plain column reference: src/runtime/stores/sql-types.ts),
 * as a MySQL server's column definition tells mysql2 its column's type. The declared type's
 * first word picks the MySQL type (DATETIME, TIMESTAMP, DATE, TIME, YEAR, TINYINT…BIGINT,
 * FLOAT, DOUBLE, DECIMAL/NUMERIC, CHAR/VARCHAR/TEXT/ENUM/SET, BLOB/BINARY/VARBINARY, JSON).
 * A column with no declared type (an expression: `count(*)`, `max(d)`) takes the type
 * of its first non-null value: integer → BIGINT, real → DOUBLE, text → VARCHAR, bytes →
 * BLOB. (MySQL would type `max(updated_at)` DATETIME; here it stays the stored text.)
 *
 * Values, with mysql2's options (defaults in brackets):
 *   DATETIME, TIMESTAMP → a Date read from 'YYYY-MM-DD HH:MM:SS[.fff]' in `timezone`
 *     ['local'], an invalid Date when the stored text is not one; the stored text when
 *     `dateStrings` [false] is true or names the type;
 *   DATE → a Date at midnight in `timezone` (or the text, as above);
 *   TIME → text; integers → numbers; BIGINT → a number, or with `supportBigNumbers` a
 *     string beyond 2^53 (always with `bigNumberStrings`); FLOAT, DOUBLE → numbers;
 *   DECIMAL → text [`decimalNumbers` false] (SQLite keeps 12.50 as 12.5: "12.5", where
 *     MySQL would say "12.50");
 *   JSON → parsed [`jsonStrings` false]; BLOB / BINARY → bytes (`toBytes`: a Buffer in
 *     Node, a Uint8Array in a component); text types → strings.
 */

/** mysql2's `Types` codes. */
export const MysqlType = {
  DECIMAL: 0, TINY: 1, SHORT: 2, LONG: 3, FLOAT: 4, DOUBLE: 5, NULL: 6, TIMESTAMP: 7, LONGLONG: 8, INT24: 9,
  DATE: 10, TIME: 11, DATETIME: 12, YEAR: 13, NEWDATE: 14, VARCHAR: 15, BIT: 16, JSON: 245, NEWDECIMAL: 246,
  ENUM: 247, SET: 248, TINY_BLOB: 249, MEDIUM_BLOB: 250, LONG_BLOB: 251, BLOB: 252, VAR_STRING: 253, STRING: 254, GEOMETRY: 255,
} as const;

export type MysqlTypeName = keyof typeof MysqlType;

const BINARY_CHARSET = 63;
const UTF8MB4_CHARSET = 224;

export interface ColumnType {
  readonly name: MysqlTypeName;
  readonly code: number;
  readonly binary: boolean;
}

const byWord: Readonly<Record<string, readonly [MysqlTypeName, boolean]>> = {
  TINYINT: ['TINY', false], BOOL: ['TINY', false], BOOLEAN: ['TINY', false], SMALLINT: ['SHORT', false], MEDIUMINT: ['INT24', false],
  INT: ['LONG', false], INTEGER: ['LONG', false], BIGINT: ['LONGLONG', false], FLOAT: ['FLOAT', false], DOUBLE: ['DOUBLE', false],
  REAL: ['DOUBLE', false], DECIMAL: ['NEWDECIMAL', false], DEC: ['NEWDECIMAL', false], NUMERIC: ['NEWDECIMAL', false], FIXED: ['NEWDECIMAL', false],
  DATE: ['DATE', false], DATETIME: ['DATETIME', false], TIMESTAMP: ['TIMESTAMP', false], TIME: ['TIME', false], YEAR: ['YEAR', false],
  CHAR: ['STRING', false], VARCHAR: ['VAR_STRING', false], TINYTEXT: ['BLOB', false], TEXT: ['BLOB', false], MEDIUMTEXT: ['BLOB', false],
  LONGTEXT: ['BLOB', false], ENUM: ['STRING', false], SET: ['STRING', false], JSON: ['JSON', false], BINARY: ['STRING', true],
  VARBINARY: ['VAR_STRING', true], TINYBLOB: ['BLOB', true], BLOB: ['BLOB', true], MEDIUMBLOB: ['BLOB', true], LONGBLOB: ['BLOB', true],
  BIT: ['BIT', true],
};

function typeOf(name: MysqlTypeName, binary: boolean): ColumnType {
  return { name, code: MysqlType[name], binary };
}

/** The MySQL type of a result column from its declared type, else from its values. */
export function columnType(declared: string | null, values: readonly unknown[]): ColumnType {
  if (declared !== null) {
    const word = /^\s*([A-Za-z]+)/.exec(declared)?.[1]?.toUpperCase() ?? '';
    const known = byWord[word];
    if (known) return typeOf(known[0], known[1]);
    if (/CHAR|CLOB|TEXT/i.test(declared)) return typeOf('VAR_STRING', false);
    if (/INT/i.test(declared)) return typeOf('LONGLONG', false);
  }
  const sample = values.find((v) => v !== null && v !== undefined);
  if (sample === undefined) return typeOf('NULL', false);
  if (typeof sample === 'bigint' || (typeof sample === 'number' && Number.isInteger(sample))) return typeOf('LONGLONG', false);
  if (typeof sample === 'number') return typeOf('DOUBLE', false);
  if (sample instanceof Uint8Array) return typeOf('BLOB', true);
  return typeOf('VAR_STRING', false);
}

export interface CastOptions {
  readonly timezone: Timezone;
  readonly dateStrings: boolean | readonly string[];
  readonly decimalNumbers: boolean;
  readonly supportBigNumbers: boolean;
  readonly bigNumberStrings: boolean;
  readonly jsonStrings: boolean;
  /** Bytes as the program sees them (Buffer in Node, Uint8Array in a component). */
  readonly toBytes: (bytes: Uint8Array) => unknown;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?)?$/;

/** 'YYYY-MM-DD[ HH:MM:SS[.fff]]' as mysql2 reads it in `timezone`; an invalid Date otherwise. */
export function parseDateTime(text: string, timezone: Timezone): Date {
  const m = DATE_TIME.exec(text.trim());
  if (!m) return new Date(NaN);
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  if (mo === 0 || d === 0 || mo > 12 || d > 31) return new Date(NaN);
  if (timezone === 'local' || timezone === '') {
    const date = new Date(y, mo - 1, d, h, mi, s, ms);
    if (y < 100) date.setFullYear(y);
    return date;
  }
  if (timezone === 'Z') return new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms));
  const iso = `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(ms).padStart(3, '0')}`;
  return new Date(`${iso}${timezone}`);
}

function text(value: unknown): string {
  return value instanceof Uint8Array ? decoder.decode(value) : String(value);
}

function dateStringsFor(type: MysqlTypeName, option: boolean | readonly string[]): boolean {
  return option === true || (Array.isArray(option) && option.map((t) => String(t).toUpperCase()).includes(type));
}

/** One stored value as mysql2 gives it for a column of `type`. */
export function castValue(value: unknown, type: ColumnType, options: CastOptions): unknown {
  if (value === null || value === undefined) return null;
  switch (type.name) {
    case 'TINY':
    case 'SHORT':
    case 'LONG':
    case 'INT24':
    case 'YEAR':
    case 'FLOAT':
    case 'DOUBLE':
      return typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : Number(text(value));
    case 'LONGLONG': {
      if (typeof value !== 'number' && typeof value !== 'bigint') return Number(text(value));
      if (options.supportBigNumbers && options.bigNumberStrings) return String(value);
      if (typeof value === 'bigint') {
        if (options.supportBigNumbers && (value > MAX_SAFE || value < -MAX_SAFE)) return value.toString();
        return Number(value);
      }
      return value;
    }
    case 'DECIMAL':
    case 'NEWDECIMAL':
      return options.decimalNumbers ? (typeof value === 'number' ? value : Number(text(value))) : text(value);
    case 'DATE':
      if (dateStringsFor('DATE', options.dateStrings)) return text(value);
      return parseDateTime(text(value).slice(0, 10), options.timezone);
    case 'DATETIME':
    case 'TIMESTAMP':
      if (dateStringsFor(type.name, options.dateStrings)) return text(value);
      return parseDateTime(text(value), options.timezone);
    case 'TIME':
      return text(value);
    case 'JSON':
      return options.jsonStrings ? text(value) : (JSON.parse(text(value)) as unknown);
    case 'NULL':
      return null;
    default:
      if (type.binary) return options.toBytes(value instanceof Uint8Array ? value : encoder.encode(String(value)));
      return text(value);
  }
}

/** A column definition as mysql2 gives it in `fields` (the parts a program reads). */
export interface MysqlField {
  readonly catalog: string;
  readonly schema: string;
  readonly name: string;
  readonly orgName: string;
  readonly table: string;
  readonly orgTable: string;
  readonly characterSet: number;
  readonly encoding: string;
  readonly columnLength: number;
  readonly columnType: number;
  readonly type: number;
  readonly flags: number;
  readonly decimals: number;
}

export function fieldOf(name: string, type: ColumnType, schema: string): MysqlField {
  return {
    catalog: 'def',
    schema,
    name,
    orgName: name,
    table: '',
    orgTable: '',
    characterSet: type.binary ? BINARY_CHARSET : UTF8MB4_CHARSET,
    encoding: type.binary ? 'binary' : 'utf8',
    columnLength: 0,
    columnType: type.code,
    type: type.code,
    flags: 0,
    decimals: 0,
  };
}
