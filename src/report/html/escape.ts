/** Escaping for the reports: HTML text and attributes, JSON inside a script, markdown. */

const htmlEscapes: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or attribute value for HTML and SVG (quotes included, so it is safe in both). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => htmlEscapes[c] ?? c);
}

/** JSON for a `<script type="application/json">`: no `</script>`, no `<!--`, no line separators. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * Plain text for GitHub markdown: markdown punctuation is backslash-escaped and `<`, `>`,
 * `&` become entities, so a label such as `Promise<Response>` is neither HTML nor emphasis.
 */
export function mdText(text: string): string {
  return text
    .replace(/\s*\r?\n\s*/g, ' ')
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/[&<>]/g, (c) => htmlEscapes[c] ?? c);
}

/**
 * A code span that holds any text: the fence is one backtick longer than the longest run
 * inside. `inTable` escapes `|`, which GitHub splits cells on even inside code spans.
 */
export function mdCode(text: string, inTable = false): string {
  let flat = text.replace(/\s*\r?\n\s*/g, ' ');
  if (inTable) flat = flat.replace(/\|/g, '\\|');
  const runs = flat.match(/`+/g) ?? [];
  const longest = runs.reduce((m, r) => Math.max(m, r.length), 0);
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || (flat.startsWith(' ') && flat.endsWith(' ') && flat.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A path for a link target: every segment percent-encoded (parentheses too), slashes kept. */
export function urlPath(file: string): string {
  return file
    .split('/')
    .map((part) => encodeURIComponent(part).replace(/[()'*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}
