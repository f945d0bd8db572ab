import fs from 'node:fs';
import path from 'node:path';
import { diagnostic } from '../../diagnostics/index.js';
import type { Diagnostic } from '../../ir/index.js';

/**
 * A deployment's runtime configuration for the local runners: the values the program reads
 * as `process.env` — the original program in Node (runOriginal) and the split program's
 * trusted stops through `wasi:config/store` (runOnComponents). Both runners read the same
 * file when the caller gives no `runtimeConfig`, so a fixture's test values live in one
 * place:
 *
 *   <project>/runtime.env        (next to stopline.yaml; absent: an empty configuration)
 *
 * in dotenv syntax, a strict subset of it, one variable a line:
 *
 *   # a comment                  blank lines and comment lines are ignored
 *   JWT_SECRET=conduit-test-key  unquoted: the rest of the line, trimmed; ` #…` after
 *                                whitespace is a comment
 *   export GREETING="hi\n"       `export ` is allowed; double quotes take \n \r \t \" \\
 *   PATTERN='a$b#c'              single quotes: literal
 *
 * Names are `[A-Za-z_][A-Za-z0-9_]*`. No multi-line values and no `${VAR}` expansion (a `$`
 * is literal). Anything else — a line without `=`, a bad name, a name given twice, an
 * unterminated quote, text after a closing quote — is an error (SL1040 at its line and
 * column), never a silently dropped or half-read variable: a wrong secret in a
 * differential test would compare two wrong programs.
 *
 * The file holds test values for the local runners only. It is never read by codegen:
 * nothing of it goes into a bundle or a component.
 */

export const RUNTIME_CONFIG_FILE = 'runtime.env';

export class RuntimeConfigError extends Error {
  override readonly name = 'RuntimeConfigError';
  /** the catalog code (SL1040) */
  readonly code: string;
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.range ? `${diagnostic.range.file}:${diagnostic.range.start.line}:${diagnostic.range.start.column}: ${diagnostic.message}` : diagnostic.message);
    this.code = diagnostic.code;
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

function fail(file: string, line: number, column: number, endColumn: number, detail: string): never {
  throw new RuntimeConfigError(diagnostic('SL1040', { file, start: { line, column }, end: { line, column: Math.max(endColumn, column + 1) } }, { detail }));
}

/** The variables of a runtime.env text; `file` is the project-relative name used in errors. */
export function parseRuntimeConfig(text: string, file: string = RUNTIME_CONFIG_FILE): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const indent = raw.length - raw.trimStart().length;
    let rest = raw.slice(indent);
    let column = indent + 1;
    const exported = /^export\s+/.exec(rest);
    if (exported) {
      rest = rest.slice(exported[0].length);
      column += exported[0].length;
    }
    const eq = rest.indexOf('=');
    if (eq < 0) fail(file, line, column, raw.length + 1, `line ${line} is not NAME=value`);
    const name = rest.slice(0, eq).trimEnd();
    if (!NAME.test(name)) fail(file, line, column, column + eq, `'${name}' is not a variable name ([A-Za-z_][A-Za-z0-9_]*)`);
    if (Object.prototype.hasOwnProperty.call(out, name)) fail(file, line, column, column + name.length, `'${name}' is set twice`);
    const valueText = rest.slice(eq + 1);
    const lead = valueText.length - valueText.trimStart().length;
    const valueColumn = column + eq + 1 + lead;
    out[name] = parseValue(valueText.trimStart(), file, line, valueColumn);
  });
  return { ...out };
}

function parseValue(text: string, file: string, line: number, column: number): string {
  const quote = text[0];
  if (quote !== '"' && quote !== "'") {
    const comment = /\s#/.exec(text);
    return (comment ? text.slice(0, comment.index) : text).trim();
  }
  let value = '';
  let i = 1;
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === quote) break;
    if (quote === '"' && ch === '\\') {
      const next = text[i + 1];
      const escaped = next === undefined ? undefined : ESCAPES[next];
      if (escaped === undefined) fail(file, line, column + i, column + i + 2, `unknown escape '\\${next ?? ''}' in a double-quoted value (known: \\n \\r \\t \\" \\\\)`);
      value += escaped;
      i++;
      continue;
    }
    value += ch;
  }
  if (i >= text.length) fail(file, line, column, column + text.length, `the ${quote === '"' ? 'double' : 'single'} quote opened here is not closed on this line (values are one line)`);
  const after = text.slice(i + 1);
  if (after.trim() !== '' && !/^\s+#/.test(after)) fail(file, line, column + i + 1, column + text.length, 'text after the closing quote');
  return value;
}

/** `<projectDir>/runtime.env` parsed; an empty configuration when the project has none. */
export function loadRuntimeConfig(projectDir: string): Record<string, string> {
  const file = path.join(path.resolve(projectDir), RUNTIME_CONFIG_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new RuntimeConfigError(diagnostic('SL1040', null, { detail: `cannot read ${file}: ${(error as Error).message}` }));
  }
  return parseRuntimeConfig(text, RUNTIME_CONFIG_FILE);
}
