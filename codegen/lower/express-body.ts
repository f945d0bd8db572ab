import bytes from 'bytes';
import { statusMessage, requestCharset, typeMatches } from './express-text.js';
import { utf8Bytes } from './express-http.js';

/**
 * body-parser's `json()` (body-parser 2, what `express.json` is) inside a component, on
 * the request body's text, with body-parser's and http-errors' error objects:
 *
 *   - no body (no content-length or transfer-encoding header) or another content type
 *     (`type`, default `application/json`, matched as type-is does): `next()` untouched,
 *     `req.body` undefined;
 *   - a charset that is not `utf-*`: 415 UnsupportedMediaTypeError
 *     `unsupported charset "X"`, `type: 'charset.unsupported'`;
 *   - a content-length over `limit` (bytes' syntax, default 100kb): 413
 *     PayloadTooLargeError `request entity too large`, `type: 'entity.too.large'`,
 *     with `expected`, `length`, `limit`;
 *   - malformed JSON (or, `strict` by default, a top level that is not an object or an
 *     array): the engine's SyntaxError with `status` 400, `expose`, `body` and
 *     `type: 'entity.parse.failed'` (its message is the engine's wording);
 *   - an empty body: `{}`;
 *   - `reviver` given to JSON.parse.
 * Not here: `inflate` of a content-encoding (a component has no zlib: a 415
 * `unsupported content encoding "gzip"`, `type: 'encoding.unsupported'`, where Express
 * would inflate), `verify`, and the other parsers (`urlencoded`, `text`, `raw`), which are
 * not available.
 */

export interface JsonOptions {
  readonly limit?: string | number;
  readonly strict?: boolean;
  readonly type?: string | readonly string[] | ((req: BodyRequest) => boolean);
  readonly reviver?: (key: string, value: unknown) => unknown;
  readonly inflate?: boolean;
  readonly verify?: unknown;
}

export interface BodyRequest {
  readonly headers: Readonly<Record<string, string | undefined>>;
  body?: unknown;
  complete: boolean;
  readBodyText(): string | null;
}

const CLASS_NAMES: Readonly<Record<number, string>> = {};

function className(status: number): string {
  const cached = CLASS_NAMES[status];
  if (cached !== undefined) return cached;
  const words = (statusMessage(status) ?? 'Internal Server Error').split(' ').map((w) => w.slice(0, 1).toUpperCase() + w.slice(1)).join('').replace(/[^ _0-9a-z]/gi, '');
  return words.endsWith('Error') ? words : `${words}Error`;
}

/** http-errors' `createError(status, message, props)`: a named error with status, statusCode, expose and the props. */
export function httpError(status: number, message: string, props: Record<string, unknown> = {}): Error {
  const error = new Error(message);
  Object.defineProperty(error, 'message', { value: message, enumerable: true, configurable: true, writable: true });
  Object.defineProperty(error, 'name', { value: className(status), enumerable: false, configurable: true, writable: true });
  Object.assign(error, { status, statusCode: status, expose: status < 500 }, props);
  return error;
}

/** http-errors' `createError(status, error, props)` of an existing error: status, statusCode, expose and props added. */
function withStatus(error: Error, status: number, props: Record<string, unknown>): Error {
  Object.assign(error, { expose: status < 500, status, statusCode: status });
  for (const [k, v] of Object.entries(props)) if (k !== 'status' && k !== 'statusCode') (error as unknown as Record<string, unknown>)[k] = v;
  return error;
}

const FIRST_NON_WHITESPACE = /^[\x20\x09\x0a\x0d]*([^\x20\x09\x0a\x0d]|$)/;

function parseJson(body: string, strict: boolean, reviver: JsonOptions['reviver']): unknown {
  if (body.length === 0) return {};
  if (strict) {
    const first = FIRST_NON_WHITESPACE.exec(body)?.[1];
    if (first !== '{' && first !== '[') {
      // body-parser parses a copy with the rest masked, so the error points at the first character.
      const index = first === undefined || first === '' ? -1 : body.indexOf(first);
      const partial = index === -1 ? '' : body.slice(0, index) + '#'.repeat(body.length - index);
      try {
        JSON.parse(partial);
      } catch (error) {
        if (error instanceof SyntaxError) error.message = error.message.replace(/#+/g, (p) => body.slice(index, index + p.length));
        throw error;
      }
      throw new SyntaxError('strict violation');
    }
  }
  return JSON.parse(body, reviver);
}

export function jsonParser(options: JsonOptions = {}): (req: BodyRequest, res: unknown, next: (err?: unknown) => void) => void {
  const limit = options.limit === undefined || options.limit === null ? 102400 : bytes.parse(options.limit);
  if (limit === null) throw new TypeError(`option limit "${String(options.limit)}" is invalid`);
  if (options.verify !== undefined && options.verify !== false) throw new TypeError('Express (stopline): express.json({ verify }) is not supported inside a component');
  const strict = options.strict !== false;
  const type = options.type ?? 'application/json';
  const shouldParse = typeof type === 'function' ? type : (req: BodyRequest) => typeMatches(req.headers['content-type'], typeof type === 'string' ? [type] : type);
  return function jsonParser(req, _res, next) {
    if (req.complete) {
      next();
      return;
    }
    if (!('body' in req)) req.body = undefined;
    const length = req.headers['content-length'];
    if (req.headers['transfer-encoding'] === undefined && Number.isNaN(Number(length ?? NaN))) {
      next();
      return;
    }
    if (!shouldParse(req)) {
      next();
      return;
    }
    const encoding = requestCharset(req.headers['content-type']) ?? 'utf-8';
    if (encoding.slice(0, 4) !== 'utf-') {
      next(httpError(415, `unsupported charset "${encoding.toUpperCase()}"`, { charset: encoding, type: 'charset.unsupported' }));
      return;
    }
    const contentEncoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (contentEncoding !== 'identity') {
      next(httpError(415, `unsupported content encoding "${contentEncoding}"`, { encoding: contentEncoding, type: 'encoding.unsupported' }));
      return;
    }
    const declared = length === undefined ? null : Number(length);
    if (declared !== null && declared > limit) {
      req.readBodyText();
      next(httpError(413, 'request entity too large', { expected: declared, length: declared, limit, type: 'entity.too.large' }));
      return;
    }
    const text = req.readBodyText() ?? '';
    const received = utf8Bytes(text).length;
    if (received > limit) {
      next(httpError(413, 'request entity too large', { received, length: declared, limit, type: 'entity.too.large' }));
      return;
    }
    if (declared !== null && received !== declared) {
      next(httpError(400, 'request size did not match content length', { expected: declared, length: declared, received, type: 'request.size.invalid' }));
      return;
    }
    try {
      req.body = parseJson(text, strict, options.reviver);
    } catch (error) {
      next(withStatus(error instanceof Error ? error : new Error(String(error)), 400, { body: text, type: 'entity.parse.failed' }));
      return;
    }
    next();
  };
}
