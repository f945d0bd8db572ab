/**
 * SQL dialect facts the SQL presets share, read by the runtime's embedded store, its pg
 * shim, and codegen's pg lowering (so it lives in the foundation):
 * the little SQL lexing the embedded SQL store needs before handing text to SQLite:
 * rewriting pg-style `$1` placeholders into SQLite's numbered `?1`, counting the
 * positional parameters and the statements, and finding a statement's first keyword.
 *
 * Why rewrite `$1`: SQLite reads `$1` as a *named* parameter called "$1", numbered by
 * first appearance, so `SELECT $2, $1` bound with `['x', 'y']` gives `x, y` instead of
 * pg's `y, x`. `?NNN` is SQLite's numbered form: parameter NNN binds array element NNN-1.
 *
 * Strings ('…'), quoted identifiers ("…", `…`, […]) and comments (-- …, /* … *\/) are
 * copied untouched, so a `$1` or `?` inside them stays text.
 */
export interface ParameterScan {
  /** The SQL with every `$N` placeholder replaced by `?N`. */
  readonly text: string;
  /** The number of positional values the SQL needs: its highest `?`, `?N` or `$N` index. */
  readonly positional: number;
  /** Whether the SQL uses named parameters (`:name`, `@name`, `$name`). */
  readonly named: boolean;
  /** Non-empty statements separated by `;` (comments and whitespace do not count). */
  readonly statements: number;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** SQLite's identifier characters: ASCII letters, digits, `_`, `$`, and every non-ASCII character. */
function isIdentChar(c: string | undefined): boolean {
  return c !== undefined && (/[A-Za-z0-9_$]/.test(c) || c.charCodeAt(0) > 0x7f);
}

function isIdentStart(c: string | undefined): boolean {
  return c !== undefined && (/[A-Za-z_]/.test(c) || c.charCodeAt(0) > 0x7f);
}

/** End (exclusive) of the quoted run starting at `start`, where a doubled quote escapes it. */
function quotedEnd(sql: string, start: number, close: string): number {
  let i = start + 1;
  for (;;) {
    const j = sql.indexOf(close, i);
    if (j < 0) return sql.length; // unterminated: SQLite reports it
    if (close !== ']' && sql[j + 1] === close) {
      i = j + 2;
      continue;
    }
    return j + 1;
  }
}

/** End (exclusive) of the comment starting at `i`, or -1 when no comment starts there. */
function commentEnd(sql: string, i: number): number {
  if (sql[i] === '-' && sql[i + 1] === '-') {
    const j = sql.indexOf('\n', i + 2);
    return j < 0 ? sql.length : j;
  }
  if (sql[i] === '/' && sql[i + 1] === '*') {
    const j = sql.indexOf('*/', i + 2);
    return j < 0 ? sql.length : j + 2;
  }
  return -1;
}

function digitsEnd(sql: string, i: number): number {
  let j = i;
  while (isDigit(sql[j])) j++;
  return j;
}

function identEnd(sql: string, i: number): number {
  let j = i;
  while (isIdentChar(sql[j])) j++;
  return j;
}

export function scanParameters(sql: string): ParameterScan {
  let out = '';
  let positional = 0;
  let named = false;
  let statements = 0;
  let inStatement = false;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] as string;
    const comment = commentEnd(sql, i);
    if (comment >= 0) {
      out += sql.slice(i, comment);
      i = comment;
      continue;
    }
    if (/\s/.test(c)) {
      out += c;
      i++;
      continue;
    }
    if (c === ';') {
      out += c;
      i++;
      inStatement = false;
      continue;
    }
    if (!inStatement) {
      inStatement = true;
      statements++;
    }
    let end = i + 1;
    if (c === "'" || c === '"' || c === '`') {
      end = quotedEnd(sql, i, c);
    } else if (c === '[') {
      end = quotedEnd(sql, i, ']');
    } else if (isIdentStart(c)) {
      end = identEnd(sql, i); // a whole word, so the `$` in `a$1` is never a parameter
    } else if (isDigit(c)) {
      end = identEnd(sql, i); // a number (`12`, `1e5`, `0x1F`): never starts a parameter
    } else if (c === '?') {
      end = digitsEnd(sql, i + 1);
      // SQLite: `?N` is parameter N; a bare `?` is one more than the largest so far.
      positional = end > i + 1 ? Math.max(positional, Number(sql.slice(i + 1, end))) : positional + 1;
    } else if (c === '$' && isDigit(sql[i + 1])) {
      end = digitsEnd(sql, i + 1);
      if (isIdentChar(sql[end])) {
        end = identEnd(sql, end); // `$1abc`: SQLite's named parameter
        named = true;
      } else {
        const index = Number(sql.slice(i + 1, end));
        positional = Math.max(positional, index);
        out += `?${index}`;
        i = end;
        continue;
      }
    } else if (c === ':' && sql[i + 1] === ':') {
      end = i + 2; // pg's `::type` cast: not a parameter (SQLite will reject it)
    } else if ((c === ':' || c === '@' || c === '$') && isIdentChar(sql[i + 1])) {
      end = identEnd(sql, i + 1);
      named = true;
    }
    out += sql.slice(i, end);
    i = end;
  }
  return { text: out, positional, named, statements };
}

/** The first keyword of a statement, upper-cased, after whitespace and comments ('' if none). */
export function leadingKeyword(sql: string): string {
  let i = 0;
  while (i < sql.length) {
    const comment = commentEnd(sql, i);
    if (comment >= 0) {
      i = comment;
      continue;
    }
    if (/\s/.test(sql[i] as string)) {
      i++;
      continue;
    }
    break;
  }
  return isIdentStart(sql[i]) ? sql.slice(i, identEnd(sql, i)).toUpperCase() : '';
}

/**
 * The SQL with every parameter (`?`, `?N`, `$N`, `:name`, `@name`, `$name`) replaced by
 * `replacement` (strings, quoted identifiers and comments untouched): a statement SQLite
 * can compile without values, e.g. to read its result columns' declared types.
 */
export function replaceParameters(sql: string, replacement: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] as string;
    const comment = commentEnd(sql, i);
    let end = i + 1;
    if (comment >= 0) end = comment;
    else if (c === "'" || c === '"' || c === '`') end = quotedEnd(sql, i, c);
    else if (c === '[') end = quotedEnd(sql, i, ']');
    else if (isIdentStart(c) || isDigit(c)) end = identEnd(sql, i);
    else if (c === '?') {
      out += replacement;
      i = digitsEnd(sql, i + 1);
      continue;
    } else if (c === ':' && sql[i + 1] === ':') end = i + 2;
    else if ((c === ':' || c === '@' || c === '$') && isIdentChar(sql[i + 1])) {
      out += replacement;
      i = identEnd(sql, i + 1);
      continue;
    }
    out += sql.slice(i, end);
    i = end;
  }
  return out;
}
