import { ts } from 'ts-morph';

/**
 * StarlingMonkey's SpiderMonkey is built without Unicode property data: a regular
 * expression with `\p{…}` or `\P{…}` (`/^[$_\p{ID_Start}]$/u` in path-to-regexp 8, which
 * the Express lowering bundles) is a SyntaxError when componentize-js evaluates the
 * module. The bundle rewrites every such escape of a `u`/`v` regular expression literal
 * into the explicit code point ranges Node's own engine gives the property at build time,
 * so the expression matches exactly the same strings (for the Unicode version of the
 * Node that builds; a component is built once per content hash anyway).
 *
 *   /^[$_\p{ID_Start}]$/u   →   /^[$_A-Za-z\xaa…\u{323af}]$/u
 *
 * Inside a character class the ranges are spliced into the class; outside one they become
 * a class of their own. A negated escape (`\P{…}`) inside a negated class cannot be
 * spliced and is left as it is (componentize-js then reports it).
 */

const ESCAPE = /\\([pP])\{([^}]*)\}/g;

const cache = new Map<string, string>();

function hex(cp: number): string {
  return cp < 0x10000 ? `\\u${cp.toString(16).padStart(4, '0')}` : `\\u{${cp.toString(16)}}`;
}

/** The code point ranges of `\p{name}` (negated: of `\P{name}`) as class contents. */
function rangesOf(name: string, negated: boolean): string {
  const key = `${negated ? 'P' : 'p'}${name}`;
  const known = cache.get(key);
  if (known !== undefined) return known;
  const re = new RegExp(`^\\${negated ? 'P' : 'p'}{${name}}$`, 'u');
  const parts: string[] = [];
  let start = -1;
  for (let cp = 0; cp <= 0x110000; cp++) {
    const inside = cp <= 0x10ffff && re.test(String.fromCodePoint(cp));
    if (inside && start < 0) start = cp;
    else if (!inside && start >= 0) {
      const end = cp - 1;
      parts.push(start === end ? hex(start) : `${hex(start)}-${hex(end)}`);
      start = -1;
    }
  }
  const out = parts.join('');
  cache.set(key, out);
  return out;
}

/** One regular expression literal's text with its property escapes expanded; null when it has none to expand. */
export function expandPropertyEscapes(literal: string): string | null {
  const close = literal.lastIndexOf('/');
  const flags = literal.slice(close + 1);
  if (!/[uv]/.test(flags)) return null;
  const body = literal.slice(1, close);
  if (!/\\[pP]\{/.test(body)) return null;
  let out = '';
  let inClass = false;
  let negatedClass = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === '\\') {
      ESCAPE.lastIndex = i;
      const m = ESCAPE.exec(body);
      if (m !== null && m.index === i) {
        const negated = m[1] === 'P';
        if (inClass && negated && negatedClass) out += m[0];
        else out += inClass ? rangesOf(m[2]!, negated) : `[${rangesOf(m[2]!, negated)}]`;
        i += m[0].length - 1;
        continue;
      }
      out += ch + (body[i + 1] ?? '');
      i++;
      continue;
    }
    if (ch === '[' && !inClass) {
      inClass = true;
      negatedClass = body[i + 1] === '^';
    } else if (ch === ']' && inClass) inClass = false;
    out += ch;
  }
  return `/${out}/${flags}`;
}

/** A module's JavaScript with every property escape of its regular expression literals expanded (unchanged when it has none). */
export function expandModulePropertyEscapes(code: string, fileName = 'module.js'): string {
  if (!/\\[pP]\{/.test(code)) return code;
  const file = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const edits: { start: number; end: number; text: string }[] = [];
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const start = node.getStart(file);
      const text = code.slice(start, node.end);
      const expanded = expandPropertyEscapes(text);
      if (expanded !== null) edits.push({ start, end: node.end, text: expanded });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  let out = code;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
