import { ts } from 'ts-morph';
import type { AccessOp } from '../../src/ir/index.js';

/** The text a string expression is known to start with; `complete` when that is all of it. */
export interface KnownText {
  readonly text: string;
  readonly complete: boolean;
}

const maxDepth = 8;

/**
 * The known prefix of a string-valued expression: a literal; a template's text up to its
 * first part that is not known (`${BASE}/carts` is known when `BASE` is a `const` with a
 * literal value); a tagged template's text (`sql\`select …\``); `a + b`; a `const`
 * initialised with one of these. Null when nothing is known.
 */
export function knownText(checker: ts.TypeChecker, expr: ts.Expression, depth = 0): KnownText | null {
  if (depth > maxDepth) return null;
  const e = skipOuterExpressions(expr);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return { text: e.text, complete: true };
  if (ts.isNumericLiteral(e)) return { text: e.text, complete: true };
  if (ts.isTemplateExpression(e)) {
    let text = e.head.text;
    for (const span of e.templateSpans) {
      const part = knownText(checker, span.expression, depth + 1);
      if (!part) return { text, complete: false };
      text += part.text;
      if (!part.complete) return { text, complete: false };
      text += span.literal.text;
    }
    return { text, complete: true };
  }
  if (ts.isTaggedTemplateExpression(e)) return knownText(checker, e.template, depth + 1);
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = knownText(checker, e.left, depth + 1);
    if (!left) return null;
    if (!left.complete) return left;
    const right = knownText(checker, e.right, depth + 1);
    if (!right) return { text: left.text, complete: false };
    return { text: left.text + right.text, complete: right.complete };
  }
  if (ts.isIdentifier(e)) {
    const init = constInitializer(checker, e);
    return init ? knownText(checker, init, depth + 1) : null;
  }
  return null;
}

/** The initialiser of the `const` an identifier refers to (through import aliases), or null. */
export function constInitializer(checker: ts.TypeChecker, id: ts.Identifier): ts.Expression | null {
  let symbol = checker.getSymbolAtLocation(id);
  if (symbol && (symbol.flags & ts.SymbolFlags.Alias) !== 0) symbol = checker.getAliasedSymbol(symbol);
  const decl = symbol?.valueDeclaration;
  if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer) return null;
  if ((ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) === 0) return null;
  return decl.initializer;
}

export function skipOuterExpressions(expr: ts.Expression): ts.Expression {
  let e = expr;
  for (;;) {
    if (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) {
      e = e.expression;
    } else if (ts.isAwaitExpression(e)) {
      e = e.expression;
    } else {
      return e;
    }
  }
}

/**
 * The SQL a query argument carries: a string (see `knownText`) or a config object with
 * `text` (pg) or `sql` (mysql2). Null when not known.
 */
export function sqlText(checker: ts.TypeChecker, arg: ts.Expression | undefined): KnownText | null {
  if (!arg) return null;
  const e = skipOuterExpressions(arg);
  if (ts.isObjectLiteralExpression(e)) {
    for (const p of e.properties) {
      if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && (p.name.text === 'text' || p.name.text === 'sql')) {
        return knownText(checker, p.initializer);
      }
    }
    return null;
  }
  return knownText(checker, e);
}

const readStatements = new Set(['SELECT', 'SHOW', 'EXPLAIN', 'DESCRIBE', 'DESC']);

/**
 * SQL text → read or write. After leading whitespace, comments and parentheses:
 * SELECT, SHOW, EXPLAIN, DESCRIBE → read; WITH … → read when it selects and contains no
 * INSERT, UPDATE, DELETE, MERGE or REPLACE (in the text known); anything else → write.
 * Unknown text → write: the conservative answer.
 */
export function classifySql(sql: KnownText | null): AccessOp {
  if (!sql) return 'write';
  const text = stripLeading(sql.text);
  const first = /^[A-Za-z]+/.exec(text)?.[0]?.toUpperCase() ?? '';
  if (readStatements.has(first)) return 'read';
  if (first === 'WITH') {
    const body = stripStringsAndComments(text);
    if (/\b(INSERT|UPDATE|DELETE|MERGE|REPLACE|UPSERT)\b/i.test(body)) return 'write';
    return /\bSELECT\b/i.test(body) ? 'read' : 'write';
  }
  return 'write';
}

function stripLeading(text: string): string {
  let t = text;
  for (;;) {
    const before = t;
    t = t.replace(/^[\s(]+/, '');
    if (t.startsWith('--')) {
      const nl = t.indexOf('\n');
      t = nl < 0 ? '' : t.slice(nl + 1);
    } else if (t.startsWith('/*')) {
      const end = t.indexOf('*/');
      t = end < 0 ? '' : t.slice(end + 2);
    }
    if (t === before) return t;
  }
}

function stripStringsAndComments(text: string): string {
  return text
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/"(?:[^"]|"")*"/g, '""');
}

/**
 * The HTTP method of a fetch-like call's init argument → read (GET, HEAD, or no method)
 * or write (any other method, or a method / init not known at analysis time).
 */
export function httpOp(checker: ts.TypeChecker, init: ts.Expression | undefined, depth = 0): AccessOp {
  if (!init) return 'read';
  let e = skipOuterExpressions(init);
  if (ts.isIdentifier(e)) {
    if (e.text === 'undefined') return 'read';
    const value = depth < maxDepth ? constInitializer(checker, e) : null;
    if (!value) return 'write';
    return httpOp(checker, value, depth + 1);
  }
  if (!ts.isObjectLiteralExpression(e)) return 'write';
  let method: ts.Expression | null = null;
  for (const p of e.properties) {
    if (ts.isSpreadAssignment(p)) {
      method = null;
      if (httpOp(checker, p.expression, depth + 1) === 'write') return 'write';
      continue;
    }
    const name = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : null;
    if (name !== 'method') continue;
    if (ts.isPropertyAssignment(p)) method = p.initializer;
    else if (ts.isShorthandPropertyAssignment(p)) method = p.name;
    else return 'write';
  }
  if (!method) return 'read';
  e = skipOuterExpressions(method);
  const known = knownText(checker, e);
  if (!known || !known.complete) return 'write';
  const verb = known.text.toUpperCase();
  return verb === 'GET' || verb === 'HEAD' ? 'read' : 'write';
}
