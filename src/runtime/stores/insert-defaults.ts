/**
 * `DEFAULT` as a value of `INSERT … VALUES`, which Postgres and MySQL accept and SQLite
 * does not: drizzle writes `insert into "articles" ("id", "slug", "created_at") values
 * (default, $1, default)` for every column the program leaves out. Each such `DEFAULT` is
 * replaced by what the column's DEFAULT clause says (`(now())`, `('draft')`), or NULL for a
 * column without one — exactly what the SQL standard's DEFAULT means. An `INTEGER PRIMARY
 * KEY` column (a `serial`) has no default clause: NULL there makes SQLite assign the next
 * id, as the sequence would.
 *
 * Only `INSERT [OR …] INTO <table> [(<columns>)] VALUES (…), (…)` is rewritten; a bare
 * `DEFAULT` elsewhere (`UPDATE … SET x = DEFAULT`) is left to SQLite, which rejects it.
 * Strings, quoted identifiers and comments are never looked into.
 */

interface Token {
  readonly kind: 'word' | 'quoted' | 'punct' | 'other';
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

function lex(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      const j = sql.indexOf('\n', i);
      i = j < 0 ? sql.length : j;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const j = sql.indexOf('*/', i + 2);
      i = j < 0 ? sql.length : j + 2;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      for (;;) {
        const k = sql.indexOf(c, j);
        if (k < 0) {
          j = sql.length;
          break;
        }
        if (sql[k + 1] === c) {
          j = k + 2;
          continue;
        }
        j = k + 1;
        break;
      }
      tokens.push({ kind: c === "'" ? 'other' : 'quoted', text: sql.slice(i, j), start: i, end: j });
      i = j;
      continue;
    }
    if (/[A-Za-z_]/.test(c) || c.charCodeAt(0) > 0x7f) {
      let j = i + 1;
      while (j < sql.length && (/[A-Za-z0-9_$]/.test(sql[j]!) || sql.charCodeAt(j) > 0x7f)) j++;
      tokens.push({ kind: 'word', text: sql.slice(i, j), start: i, end: j });
      i = j;
      continue;
    }
    if ('(),;.'.includes(c)) {
      tokens.push({ kind: 'punct', text: c, start: i, end: i + 1 });
      i++;
      continue;
    }
    let j = i + 1;
    while (j < sql.length && !/[\s(),;.'"`A-Za-z_]/.test(sql[j]!)) j++;
    tokens.push({ kind: 'other', text: sql.slice(i, j), start: i, end: j });
    i = j;
  }
  return tokens;
}

const isWord = (t: Token | undefined, word: string): boolean => t !== undefined && t.kind === 'word' && t.text.toUpperCase() === word;
const isPunct = (t: Token | undefined, p: string): boolean => t !== undefined && t.kind === 'punct' && t.text === p;

function identifier(t: Token | undefined): string | null {
  if (t === undefined) return null;
  if (t.kind === 'word') return t.text;
  if (t.kind === 'quoted') return t.text.slice(1, -1).replaceAll(t.text[0]!.repeat(2), t.text[0]!);
  return null;
}

export interface ColumnDefaults {
  /** The table's columns in order, or null when it has none (unknown table: leave the SQL to SQLite). */
  columns(table: string): string[] | null;
  /** The column's DEFAULT expression as SQLite keeps it (`now()`, `'x'`), or null. */
  defaultOf(table: string, column: string): string | null;
}

/** `sql` with every `DEFAULT` value of an INSERT … VALUES replaced; the same text when there is none. */
export function rewriteInsertDefaults(sql: string, schema: ColumnDefaults): string {
  if (!/\bdefault\b/i.test(sql)) return sql;
  const tokens = lex(sql);
  const edits: { start: number; end: number; text: string }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (!isWord(tokens[i], 'INSERT') || (i > 0 && !isPunct(tokens[i - 1], ';'))) continue;
    let at = i + 1;
    if (isWord(tokens[at], 'OR')) at += 2;
    if (!isWord(tokens[at], 'INTO')) continue;
    at++;
    let table = identifier(tokens[at]);
    if (isPunct(tokens[at + 1], '.')) {
      at += 2;
      table = identifier(tokens[at]);
    }
    if (table === null) continue;
    at++;
    if (isWord(tokens[at], 'AS')) at += 2;
    let columns: string[] | null = null;
    if (isPunct(tokens[at], '(')) {
      columns = [];
      at++;
      while (at < tokens.length && !isPunct(tokens[at], ')')) {
        const name = identifier(tokens[at]);
        if (name !== null) columns.push(name);
        at++;
      }
      at++;
    }
    if (!isWord(tokens[at], 'VALUES')) continue;
    const targets = columns ?? schema.columns(table);
    if (targets === null) continue;
    at++;
    // tuples: ( v, v, … ) [, ( … )]*
    while (isPunct(tokens[at], '(')) {
      let depth = 0;
      let index = 0;
      let element: Token[] = [];
      const finish = (): void => {
        const only = element.length === 1 ? element[0]! : null;
        if (only && isWord(only, 'DEFAULT')) {
          const column = targets[index];
          const expression = column === undefined ? null : schema.defaultOf(table!, column);
          edits.push({ start: only.start, end: only.end, text: expression === null ? 'NULL' : `(${expression})` });
        }
        index++;
        element = [];
      };
      for (; at < tokens.length; at++) {
        const t = tokens[at]!;
        if (isPunct(t, '(')) {
          depth++;
          if (depth === 1) continue;
        } else if (isPunct(t, ')')) {
          depth--;
          if (depth === 0) {
            finish();
            at++;
            break;
          }
        } else if (depth === 1 && isPunct(t, ',')) {
          finish();
          continue;
        }
        element.push(t);
      }
      if (!isPunct(tokens[at], ',')) break;
      at++;
    }
  }
  if (edits.length === 0) return sql;
  let out = '';
  let last = 0;
  for (const e of edits) {
    out += sql.slice(last, e.start) + e.text;
    last = e.end;
  }
  return out + sql.slice(last);
}
