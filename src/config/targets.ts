/**
 * The small textual formats inside stopline.yaml values: `file#name` function targets,
 * `file:line` locations, `METHOD /path` routes, `file#export` bindings. Each parser
 * returns null for malformed text; the schema turns that into SL1003.
 */

export const ROUTE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ALL'] as const;

const IDENTIFIER = '[A-Za-z_$][A-Za-z0-9_$]*';
const FUNCTION_TARGET = new RegExp(`^([^#]+)#(${IDENTIFIER})$`);
const BINDING_TARGET = new RegExp(`^([^#]+)#(${IDENTIFIER}(?:\\.${IDENTIFIER})?)$`);
const LOCATION_TARGET = /^(.+):([1-9][0-9]*)$/;
const ROUTE = /^([A-Za-z]+)[ \t]+(\/\S*)$/;

/** A stop name: a letter, then letters, digits or `_` (a `-` would make link names such as `edge-origin` ambiguous). */
export const STOP_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Project-relative path as written, with forward slashes and no leading `./`; null when absolute or empty. */
export function normalizeProjectPath(path: string): string | null {
  let p = path.trim().replace(/\\/g, '/');
  while (p.startsWith('./')) p = p.slice(2);
  if (p === '' || p.startsWith('/') || /^[A-Za-z]:\//.test(p)) return null;
  if (p.endsWith('/')) return null;
  return p;
}

export function parseFunctionTarget(text: string): { file: string; name: string } | null {
  const m = FUNCTION_TARGET.exec(text.trim());
  if (m === null) return null;
  const file = normalizeProjectPath(m[1] ?? '');
  const name = m[2];
  return file === null || name === undefined ? null : { file, name };
}

export function parseLocationTarget(text: string): { file: string; line: number } | null {
  const m = LOCATION_TARGET.exec(text.trim());
  if (m === null) return null;
  const file = normalizeProjectPath(m[1] ?? '');
  const line = Number(m[2]);
  return file === null || !Number.isSafeInteger(line) ? null : { file, line };
}

export function parseRoute(text: string): { method: string; path: string } | null {
  const m = ROUTE.exec(text.trim());
  if (m === null) return null;
  const method = (m[1] ?? '').toUpperCase();
  const path = m[2];
  if (path === undefined || !(ROUTE_METHODS as readonly string[]).includes(method)) return null;
  return { method, path };
}

/** `file#export` or `file#Interface.property`, normalised (`./src/db.ts#pool` → `src/db.ts#pool`). */
export function parseBinding(text: string): string | null {
  const m = BINDING_TARGET.exec(text.trim());
  if (m === null) return null;
  const file = normalizeProjectPath(m[1] ?? '');
  return file === null ? null : `${file}#${m[2] ?? ''}`;
}

export function isHttpUrlPrefix(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return url.protocol === 'http:' || url.protocol === 'https:';
}
