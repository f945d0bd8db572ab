import { sha1 } from '@noble/hashes/legacy.js';
import * as contentType from 'content-type';
import statuses from 'statuses';
import { utf8Bytes, utf8Text } from './express-http.js';

/**
 * The small HTTP text facts Express takes from its jshttp dependencies, for the guest:
 *   - status messages: `statuses` itself (bundled);
 *   - Content-Type parsing and formatting: `content-type` itself (bundled), for `setCharset`
 *     and body parsers' charset;
 *   - mime-types' `contentType`/`lookup`/`charset` on a table: mime-types reads
 *     `node:path` and ships all of mime-db (200 kB), so the table holds mime-db's charset
 *     entries (all 41 of mime-db 1.54) and the common extensions (test/codegen/express-*
 *     checks them against the real mime-types); an extension outside it is unknown (false),
 *     where mime-types might know it;
 *   - ETags as the `etag` package computes them (it needs node:crypto): SHA-1 from
 *     @noble/hashes, `"<length in hex>-<base64 of the hash, 27 chars>"`, `W/` when weak;
 *   - `querystring.parse` (Express 5's default "simple" query parser): node:querystring's
 *     rules — `&` and `=`, `+` as a space, %-decoding that keeps a malformed escape as it
 *     is, repeated keys as arrays, at most 1000 pairs, a null-prototype object;
 *   - type-is' media type test and match, for `express.json({ type })`.
 */

export const statusMessage = (code: number): string | undefined => statuses.message[code];

/** mime-db 1.54's types that declare a charset. */
const CHARSETS: Readonly<Record<string, string>> = {
  'application/3gpdash-qoe-report+xml': 'UTF-8', 'application/beep+xml': 'UTF-8', 'application/cda+xml': 'UTF-8',
  'application/elm+json': 'UTF-8', 'application/emergencycalldata.cap+xml': 'UTF-8', 'application/fhir+json': 'UTF-8',
  'application/fhir+xml': 'UTF-8', 'application/hl7v2+xml': 'UTF-8', 'application/im-iscomposing+xml': 'UTF-8',
  'application/javascript': 'UTF-8', 'application/json': 'UTF-8', 'application/manifest+json': 'UTF-8',
  'application/msc-ivr+xml': 'UTF-8', 'application/msc-mixer+xml': 'UTF-8', 'application/news-checkgroups': 'US-ASCII',
  'application/news-groupinfo': 'US-ASCII', 'application/pidf+xml': 'UTF-8', 'application/pidf-diff+xml': 'UTF-8',
  'application/poc-settings+xml': 'UTF-8', 'application/prs.cyn': '7-BIT', 'application/vnd.fdsn.stationxml+xml': 'XML-BASED',
  'application/vnd.omads-email+xml': 'UTF-8', 'application/vnd.omads-file+xml': 'UTF-8', 'application/vnd.omads-folder+xml': 'UTF-8',
  'application/vnd.syncml+xml': 'UTF-8', 'application/vnd.syncml.dm+wbxml': 'UTF-8', 'application/vnd.syncml.dm+xml': 'UTF-8',
  'application/vnd.syncml.dmddf+xml': 'UTF-8', 'application/vnd.syncml.dmtnds+xml': 'UTF-8', 'application/vnd.wap.wbxml': 'UTF-8',
  'text/css': 'UTF-8', 'text/javascript': 'UTF-8', 'text/n3': 'UTF-8', 'text/parameters': 'UTF-8', 'text/provenance-notation': 'UTF-8',
  'text/turtle': 'UTF-8', 'text/vnd.debian.copyright': 'UTF-8', 'text/vnd.esmertec.theme-descriptor': 'UTF-8',
  'text/vnd.sun.j2me.app-descriptor': 'UTF-8', 'text/vnd.trolltech.linguist': 'UTF-8', 'text/vtt': 'UTF-8',
};

/** Common extensions → the type mime-types 3 gives them. */
export const EXTENSIONS: Readonly<Record<string, string>> = {
  html: 'text/html', htm: 'text/html', txt: 'text/plain', text: 'text/plain', json: 'application/json', map: 'application/json',
  js: 'text/javascript', mjs: 'text/javascript', css: 'text/css', xml: 'application/xml', csv: 'text/csv', md: 'text/markdown',
  yaml: 'text/yaml', yml: 'text/yaml', bin: 'application/octet-stream', pdf: 'application/pdf', zip: 'application/zip',
  gz: 'application/gzip', wasm: 'application/wasm', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif',
  svg: 'image/svg+xml', webp: 'image/webp', ico: 'image/vnd.microsoft.icon', woff: 'font/woff', woff2: 'font/woff2',
  mp4: 'video/mp4', webm: 'video/webm', mp3: 'audio/mpeg', ts: 'video/mp2t',
};

/** mime-types' `lookup`: the type of a path's or a bare extension's extension, or false. */
export function lookup(path: string): string | false {
  if (!path || typeof path !== 'string') return false;
  const name = `x.${path}`;
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  const extension = dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
  return EXTENSIONS[extension] ?? false;
}

/** mime-types' `charset`. */
export function charset(type: string): string | false {
  const match = /^\s*([^;\s]*)(?:;|\s|$)/.exec(type);
  const mime = match?.[1]?.toLowerCase();
  if (mime !== undefined && CHARSETS[mime] !== undefined) return CHARSETS[mime]!;
  if (mime !== undefined && /^text\//i.test(mime)) return 'UTF-8';
  return false;
}

/** mime-types' `contentType`: a full type with its charset, from a type or an extension. */
export function mimeContentType(value: string): string | false {
  if (!value || typeof value !== 'string') return false;
  let mime: string | false = value.indexOf('/') === -1 ? lookup(value) : value;
  if (!mime) return false;
  if (mime.indexOf('charset') === -1) {
    const cs = charset(mime);
    if (cs) mime += `; charset=${cs.toLowerCase()}`;
  }
  return mime;
}

/** Express's `setCharset`: the type with its charset parameter replaced. */
export function setCharset(type: string, cs: string): string {
  if (!type || !cs) return type;
  const parsed = contentType.parse(type);
  parsed.parameters['charset'] = cs;
  return contentType.format(parsed);
}

/** The charset parameter of a request's content-type, lower case (body-parser's getCharset). */
export function requestCharset(header: string | undefined): string | undefined {
  if (!header) return undefined;
  return contentType.parse(header).parameters['charset']?.toLowerCase();
}

const MEDIA_TYPE = /^ *([A-Za-z0-9][A-Za-z0-9!#$&^_-]{0,126})\/([A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}) *$/;

/** type-is: whether a request's content-type matches one of `types` (`application/json`, `json`, `+json`, `*\/*`). */
export function typeMatches(header: string | undefined, types: readonly string[]): boolean {
  if (!header) return false;
  const actual = contentType.parse(header, { parameters: false }).type;
  if (!MEDIA_TYPE.test(actual)) return false;
  return types.some((t) => {
    const expected = t === 'urlencoded' ? 'application/x-www-form-urlencoded' : t === 'multipart' ? 'multipart/*' : t[0] === '+' ? `*/*${t}` : t.indexOf('/') === -1 ? lookup(t) : t;
    if (expected === false) return false;
    const a = actual.split('/');
    const e = expected.split('/');
    if (a.length !== 2 || e.length !== 2) return false;
    if (e[0] !== '*' && e[0] !== a[0]) return false;
    if (e[1]!.slice(0, 2) === '*+') return e[1]!.length <= a[1]!.length + 1 && e[1]!.slice(1) === a[1]!.slice(1 - e[1]!.length);
    return e[1] === '*' || e[1] === a[1];
  });
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function base64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += BASE64[(n >> 18) & 63]! + BASE64[(n >> 12) & 63]! + (i + 1 < bytes.length ? BASE64[(n >> 6) & 63]! : '=') + (i + 2 < bytes.length ? BASE64[n & 63]! : '=');
  }
  return out;
}

/** The `etag` package's tag of a body (string or bytes). */
export function entityTag(body: string | Uint8Array, weak: boolean): string {
  const bytes = typeof body === 'string' ? utf8Bytes(body) : body;
  const tag = bytes.length === 0 ? '"0-2jmj7l5rSw0yVb/vlWAYkK/YBwk"' : `"${bytes.length.toString(16)}-${base64(sha1(bytes)).slice(0, 27)}"`;
  return weak ? `W/${tag}` : tag;
}

function unescape(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // node:querystring's unescapeBuffer: valid %XX escapes become bytes, the rest stays as written.
    const bytes: number[] = [];
    for (let i = 0; i < text.length; i++) {
      const hex = text.slice(i + 1, i + 3);
      if (text[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
        bytes.push(parseInt(hex, 16));
        i += 2;
      } else {
        bytes.push(...utf8Bytes(text[i]!));
      }
    }
    return utf8Text(new Uint8Array(bytes));
  }
}

/** node:querystring's `parse(str)` with its defaults. */
export function querystringParse(query: string | null | undefined): Record<string, string | string[]> {
  const out = Object.create(null) as Record<string, string | string[]>;
  if (typeof query !== 'string' || query.length === 0) return out;
  let pairs = 0;
  for (const piece of query.split('&')) {
    if (piece === '') continue;
    if (pairs++ >= 1000) break;
    const eq = piece.indexOf('=');
    const rawKey = eq < 0 ? piece : piece.slice(0, eq);
    const rawValue = eq < 0 ? '' : piece.slice(eq + 1);
    const key = unescape(rawKey.replace(/\+/g, ' '));
    const value = unescape(rawValue.replace(/\+/g, ' '));
    const existing = out[key];
    if (existing === undefined) out[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else out[key] = [existing, value];
  }
  return out;
}
