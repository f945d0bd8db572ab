import { MiniEmitter } from './events.js';

/**
 * The part of Node's http module Express stands on, inside a component (which has no
 * node:http): an incoming request made from a web `Request`'s data, and a server response
 * with Node's header and body semantics, turned into a web `Response` once it ends.
 *
 * ServerResponse, as Node's OutgoingMessage/ServerResponse behave:
 *   - headers by case-insensitive name, values kept as given (a number stays a number for
 *     `getHeader`, is written as its decimal text); `setHeader` after the headers are sent
 *     throws ERR_HTTP_HEADERS_SENT, an undefined value ERR_HTTP_INVALID_HEADER_VALUE, a
 *     name that is not an HTTP token ERR_INVALID_HTTP_TOKEN, a value with control
 *     characters ERR_INVALID_CHAR — Node's codes and messages;
 *   - `writeHead`, `write`, `end`: the first of them sends the headers (`headersSent`);
 *     `end(chunk)` with nothing written before and no content-length or transfer-encoding
 *     header set adds `Content-Length`, as Node's implicit header does; a HEAD request and
 *     statuses 204 and 304 have no body; `end()` twice does nothing; `'finish'` is emitted
 *     when the response ends;
 *   - no `Date` header (the runtime's original program does not send one either: its clock
 *     is virtual) and no hop-by-hop headers.
 * Every change of state goes through `statusCode`/`statusMessage`, `setHeader`,
 * `removeHeader`, `writeHead`, `write` and `end`; a subclass may observe them (the
 * recorder a response becomes when it crosses to another stop: express-crossing.ts).
 *
 * IncomingMessage: `method`, `url` (path and query), `headers` (lower-case names; `host`
 * from the URL and `content-length` of a body added, as an HTTP/1.1 client sends them),
 * `rawHeaders`, `httpVersion` 1.1, a `socket` of the local transport (`remoteAddress`
 * 127.0.0.1, not encrypted — what the original program's local server sees), and the
 * body's text for body parsers (`readBodyText`; it is not a readable stream).
 *
 * Plain JavaScript for StarlingMonkey: no Node APIs.
 */

export type HeaderValue = string | number | readonly string[] | boolean;

const TOKEN = /^[\^_`a-zA-Z\-0-9!#$%&'*+.|~]+$/;
// eslint-disable-next-line no-control-regex
const INVALID_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

/** An error with Node's `code`, as node:internal/errors makes them (`name` stays the class's). */
export function nodeError<E extends Error>(Ctor: new (message: string) => E, code: string, message: string): E & { code: string } {
  const error = new Ctor(message) as E & { code: string };
  error.code = code;
  return error;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function utf8Bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

export function utf8Text(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

export interface SocketFacts {
  readonly remoteAddress: string;
  readonly encrypted: boolean;
}

/** What an incoming request is made of: a web Request's data. */
export interface IncomingData {
  readonly method: string;
  /** Path and query, as on the request line. */
  readonly url: string;
  /** Lower-case name → value (duplicates joined with ', ', as Headers does). */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as text, or null for none. */
  readonly body: string | null;
}

/** An incoming request's data from a web `Request` (its body read as text). */
export async function incomingFromRequest(request: Request): Promise<IncomingData> {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  headers['host'] = url.host;
  const body = request.method === 'GET' || request.method === 'HEAD' ? null : await request.text();
  if (body !== null) headers['content-length'] = String(utf8Bytes(body).length);
  return { method: request.method, url: `${url.pathname}${url.search}`, headers, body };
}

export class IncomingMessage extends MiniEmitter {
  method: string;
  url: string;
  readonly headers: Record<string, string>;
  readonly rawHeaders: string[];
  readonly httpVersion = '1.1';
  readonly httpVersionMajor = 1;
  readonly httpVersionMinor = 1;
  readonly socket: SocketFacts = { remoteAddress: '127.0.0.1', encrypted: false };
  /** The body's text (null: none); body parsers read it once. */
  #body: string | null;
  /** Whether the body has been read (Node: the stream ended). */
  complete = false;

  constructor(data: IncomingData) {
    super();
    this.method = data.method;
    this.url = data.url;
    this.headers = { ...data.headers };
    this.rawHeaders = Object.entries(data.headers).flat();
    this.#body = data.body;
  }

  get connection(): SocketFacts {
    return this.socket;
  }

  /** The body as text, once; null when the request has none or it was read already. */
  readBodyText(): string | null {
    if (this.complete) return null;
    this.complete = true;
    return this.#body;
  }
}

interface StoredHeader {
  readonly name: string;
  readonly value: HeaderValue;
}

export class ServerResponse extends MiniEmitter {
  #statusCode = 200;
  #statusMessage: string | undefined = undefined;
  readonly #headers = new Map<string, StoredHeader>();
  #headersSent = false;
  #ended = false;
  #wroteBody = false;
  readonly #chunks: Uint8Array[] = [];
  /** HEAD requests take no body. */
  readonly #headRequest: boolean;
  readonly sendDate = false;

  constructor(options: { readonly method: string }) {
    super();
    this.#headRequest = options.method === 'HEAD';
  }

  get statusCode(): number {
    return this.#statusCode;
  }
  set statusCode(code: number) {
    this.#statusCode = code;
  }
  get statusMessage(): string | undefined {
    return this.#statusMessage;
  }
  set statusMessage(message: string | undefined) {
    this.#statusMessage = message;
  }

  get headersSent(): boolean {
    return this.#headersSent;
  }
  get writableEnded(): boolean {
    return this.#ended;
  }
  get finished(): boolean {
    return this.#ended;
  }
  get writableFinished(): boolean {
    return this.#ended;
  }

  setHeader(name: string, value: HeaderValue | undefined): this {
    if (this.#headersSent) throw nodeError(Error, 'ERR_HTTP_HEADERS_SENT', 'Cannot set headers after they are sent to the client');
    if (typeof name !== 'string' || !TOKEN.test(name)) throw nodeError(TypeError, 'ERR_INVALID_HTTP_TOKEN', `Header name must be a valid HTTP token ["${String(name)}"]`);
    if (value === undefined) throw nodeError(TypeError, 'ERR_HTTP_INVALID_HEADER_VALUE', `Invalid value "undefined" for header "${name}"`);
    for (const v of Array.isArray(value) ? value : [value]) {
      if (INVALID_VALUE.test(String(v))) throw nodeError(TypeError, 'ERR_INVALID_CHAR', `Invalid character in header content ["${name}"]`);
    }
    this.#headers.set(name.toLowerCase(), { name, value: Array.isArray(value) ? [...(value as string[])] : (value as HeaderValue) });
    return this;
  }

  getHeader(name: string): HeaderValue | undefined {
    return this.#headers.get(String(name).toLowerCase())?.value;
  }

  getHeaders(): Record<string, HeaderValue> {
    const out = Object.create(null) as Record<string, HeaderValue>;
    for (const [key, h] of this.#headers) out[key] = h.value;
    return out;
  }

  getHeaderNames(): string[] {
    return [...this.#headers.keys()];
  }

  /** The name a header was set with (`Content-Type` for `content-type`). */
  headerName(key: string): string {
    return this.#headers.get(key.toLowerCase())?.name ?? key;
  }

  hasHeader(name: string): boolean {
    return this.#headers.has(String(name).toLowerCase());
  }

  removeHeader(name: string): void {
    if (this.#headersSent) throw nodeError(Error, 'ERR_HTTP_HEADERS_SENT', 'Cannot remove headers after they are sent to the client');
    this.#headers.delete(String(name).toLowerCase());
  }

  writeHead(statusCode: number, message?: string | Record<string, HeaderValue> | HeaderValue[], headers?: Record<string, HeaderValue> | HeaderValue[]): this {
    if (this.#headersSent) throw nodeError(Error, 'ERR_HTTP_HEADERS_SENT', 'Cannot write headers after they are sent to the client');
    let fields = headers;
    if (typeof message === 'string') this.statusMessage = message;
    else if (message !== undefined) fields = message;
    const code = Number(statusCode);
    if (!Number.isInteger(code) || code < 100 || code > 999) throw nodeError(RangeError, 'ERR_HTTP_INVALID_STATUS_CODE', `Invalid status code: ${String(statusCode)}`);
    this.statusCode = code;
    if (Array.isArray(fields)) {
      for (let i = 0; i + 1 < fields.length; i += 2) this.setHeader(String(fields[i]), fields[i + 1] as HeaderValue);
    } else if (fields !== undefined) {
      for (const [k, v] of Object.entries(fields)) this.setHeader(k, v);
    }
    this.sendHeaders();
    return this;
  }

  /** Marks the headers sent (the moment Node writes them). */
  protected sendHeaders(): void {
    this.#headersSent = true;
  }

  write(chunk: string | Uint8Array, encoding?: string | (() => void), callback?: () => void): boolean {
    if (this.#ended) {
      const error = nodeError(Error, 'ERR_STREAM_WRITE_AFTER_END', 'write after end');
      queueMicrotask(() => this.emit('error', error));
      return false;
    }
    if (!this.#headersSent) this.sendHeaders();
    this.#wroteBody = true;
    this.#append(chunk);
    const done = typeof encoding === 'function' ? encoding : callback;
    if (done) queueMicrotask(done);
    return true;
  }

  end(chunk?: string | Uint8Array | (() => void), encoding?: string | (() => void), callback?: () => void): this {
    if (this.#ended) return this;
    const done = [chunk, encoding, callback].find((a): a is () => void => typeof a === 'function');
    const data = typeof chunk === 'function' ? undefined : chunk;
    if (!this.#headersSent) {
      const length = data === undefined || data === null ? 0 : typeof data === 'string' ? utf8Bytes(data).length : data.length;
      if (!this.#wroteBody && this.hasBody && !this.hasHeader('content-length') && !this.hasHeader('transfer-encoding')) {
        this.#headers.set('content-length', { name: 'Content-Length', value: length });
      }
      this.sendHeaders();
    }
    if (data !== undefined && data !== null) this.#append(data);
    this.#ended = true;
    queueMicrotask(() => {
      this.emit('finish');
      if (done) done();
    });
    return this;
  }

  /** Whether this response may have a body (not HEAD, not 204/304/1xx). */
  get hasBody(): boolean {
    return !this.#headRequest && this.#statusCode !== 204 && this.#statusCode !== 304 && !(this.#statusCode >= 100 && this.#statusCode < 200);
  }

  #append(chunk: string | Uint8Array): void {
    this.#chunks.push(typeof chunk === 'string' ? utf8Bytes(chunk) : new Uint8Array(chunk));
  }

  /** The headers as they go out: [name as set, value text] pairs, arrays spread. */
  outgoingHeaders(): [string, string][] {
    const out: [string, string][] = [];
    for (const h of this.#headers.values()) {
      for (const v of Array.isArray(h.value) ? h.value : [h.value]) out.push([h.name, String(v)]);
    }
    return out;
  }

  /** Everything written, in order. */
  bodyBytes(): Uint8Array {
    const total = this.#chunks.reduce((n, c) => n + c.length, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of this.#chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  /** The ended response as a web Response. */
  toResponse(): Response {
    const headers = new Headers();
    for (const [name, value] of this.outgoingHeaders()) headers.append(name, value);
    // A web Response takes no body at all (not even an empty one) for the null-body statuses.
    const nullBody = !this.hasBody || this.#statusCode === 205;
    return new Response(nullBody ? null : this.bodyBytes(), { status: this.#statusCode, headers });
  }
}
