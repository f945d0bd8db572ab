import encodeUrl from 'encodeurl';
import escapeHtml from 'escape-html';
import fresh from 'fresh';
import { jsonParser, type BodyRequest, type JsonOptions } from './express-body.js';
import { IncomingMessage, incomingFromRequest, nodeError, ServerResponse, utf8Bytes, type HeaderValue, type IncomingData } from './express-http.js';
import { createRouter, METHODS, Route, useArguments, type Handler, type Next, type Router, type RouterOptions } from './express-router.js';
import { entityTag, lookup, mimeContentType, querystringParse, setCharset, statusMessage } from './express-text.js';

/**
 * Express 5 inside a component: what `import express from 'express'` gives a stop's
 * bundle (the `express` framework preset's lowering, codegen/bundle/lowerings/express.ts),
 * and `serveExpress(app, request)`, how a stop serves a route entry: the project's
 * application run on a web `Request`, answering the web `Response` real Express would
 * put on the wire — status, headers (content-type with its charset, content-length,
 * Express's weak ETag of every res.send/res.json body, no x-powered-by when the app
 * disables it) and body, byte for byte (test/codegen/express-lowering.test.ts runs the
 * same apps on both).
 *
 * The subset (Express 5.x semantics, the router of express-router.ts, node:http's of
 * express-http.ts, body-parser's json of express-body.ts):
 *   express(), express.Router(), express.Route, express.json({ limit, strict, type, reviver })
 *   app.use/route/get/post/put/patch/delete/head/options/all, app.set/get/enable/disable/
 *     enabled/disabled (settings: env, etag, x-powered-by, query parser, json spaces,
 *     json replacer, json escape, case sensitive routing, strict routing), app.handle,
 *     app.locals; an application mounted with use
 *   req: params, query (getter; querystring or a function, `false` for none), body,
 *     headers, get/header, method, url, originalUrl, baseUrl, path, hostname, host,
 *     protocol, secure, ip, xhr, fresh, stale, is, route, app, res
 *   res: status, send, json, sendStatus, set/header, setHeader, get, append, type/
 *     contentType, location, vary, end, write, writeHead, headersSent, statusCode,
 *     locals, app, req
 *   next(), next(err), next('route'), next('router'); error middleware (4 parameters);
 *   async handlers whose promise rejects go to the error handlers; the final handler
 *   (finalhandler): 404 `Cannot GET /path`, an error's status (4xx/5xx) or 500, the HTML
 *   page with its security headers; its body shows the error's stack unless `env` is
 *   'production' (a stack is the engine's: SpiderMonkey's differs from V8's, so those
 *   bodies differ between a component and Node).
 * Not available (a TypeError naming them): app.listen, app.param/router.param, app.render/
 * res.render, res.sendFile/download/attachment/cookie/clearCookie/redirect/format/jsonp/
 * links, express.static/urlencoded/text/raw.
 *
 * Plain JavaScript for StarlingMonkey (no Node APIs); it runs in Node too, for tests.
 */

/* eslint-disable @typescript-eslint/no-explicit-any -- the program's middleware is called with Express's argument shapes */

export type AppSettings = Record<string, unknown>;

export interface ExpressApp {
  (req: ExpressRequest, res: ExpressResponse, next?: Next): void;
  readonly settings: AppSettings;
  readonly locals: Record<string, unknown>;
  mountpath: string;
  readonly router: Router;
  handle(req: ExpressRequest, res: ExpressResponse, callback?: Next): void;
  set(setting: string, value?: unknown): unknown;
  get(setting: string, ...handlers: unknown[]): unknown;
  enabled(setting: string): boolean;
  disabled(setting: string): boolean;
  enable(setting: string): ExpressApp;
  disable(setting: string): ExpressApp;
  use(...args: unknown[]): ExpressApp;
  route(path: string): Route;
  [method: string]: unknown;
}

function unavailable(what: string): () => never {
  return () => {
    throw new TypeError(`Express (stopline): ${what} is not available inside a component`);
  };
}

function compileETag(value: unknown): ((body: string | Uint8Array, encoding?: string) => string) | undefined {
  if (typeof value === 'function') return value as (body: string | Uint8Array) => string;
  if (value === true || value === 'weak') return (body) => entityTag(body, true);
  if (value === 'strong') return (body) => entityTag(body, false);
  if (value === false) return undefined;
  throw new TypeError(`unknown value for etag function: ${String(value)}`);
}

function compileQueryParser(value: unknown): ((query: string | null) => unknown) | undefined {
  if (typeof value === 'function') return value as (query: string | null) => unknown;
  if (value === true || value === 'simple') return querystringParse;
  if (value === false) return undefined;
  if (value === 'extended') throw new TypeError("Express (stopline): the 'extended' query parser (qs) is not available inside a component");
  throw new TypeError(`unknown value for query parser function: ${String(value)}`);
}

function queryString(url: string): string | null {
  const at = url.indexOf('?');
  if (at < 0) return null;
  const hash = url.indexOf('#', at);
  return url.slice(at + 1, hash < 0 ? undefined : hash);
}

// --- request ------------------------------------------------------------------------

export class ExpressRequest extends IncomingMessage implements BodyRequest {
  declare app: ExpressApp;
  declare res: ExpressResponse;
  declare params: Record<string, unknown>;
  declare originalUrl: string;
  declare baseUrl: string;
  declare route: Route | undefined;
  declare next: Next | undefined;
  declare body?: unknown;

  get(name: string): string | undefined {
    if (!name) throw new TypeError('name argument is required to req.get');
    if (typeof name !== 'string') throw new TypeError('name must be a string to req.get');
    const lc = name.toLowerCase();
    if (lc === 'referer' || lc === 'referrer') return this.headers['referrer'] || this.headers['referer'];
    return this.headers[lc];
  }

  header(name: string): string | undefined {
    return this.get(name);
  }

  get query(): unknown {
    const parse = this.app.settings['query parser fn'] as ((q: string | null) => unknown) | undefined;
    if (!parse) return Object.create(null);
    return parse(queryString(this.url));
  }

  get path(): string {
    const cut = this.url.search(/[?#]/);
    return cut < 0 ? this.url : this.url.slice(0, cut);
  }

  get protocol(): string {
    return this.socket.encrypted ? 'https' : 'http';
  }

  get secure(): boolean {
    return this.protocol === 'https';
  }

  get ip(): string {
    return this.socket.remoteAddress;
  }

  get ips(): string[] {
    return [];
  }

  get host(): string | undefined {
    return this.get('Host');
  }

  get hostname(): string | undefined {
    const host = this.host;
    if (!host) return undefined;
    const offset = host[0] === '[' ? host.indexOf(']') + 1 : 0;
    const index = host.indexOf(':', offset);
    return index !== -1 ? host.slice(0, index) : host;
  }

  get xhr(): boolean {
    return (this.get('X-Requested-With') ?? '').toLowerCase() === 'xmlhttprequest';
  }

  get fresh(): boolean {
    const method = this.method;
    const status = this.res.statusCode;
    if (method !== 'GET' && method !== 'HEAD' && method !== 'QUERY') return false;
    if ((status >= 200 && status < 300) || status === 304) return fresh(this.headers, { etag: this.res.get('ETag'), 'last-modified': this.res.get('Last-Modified') });
    return false;
  }

  get stale(): boolean {
    return !this.fresh;
  }

  is(...types: unknown[]): string | false | null {
    const list = (types.length === 1 && Array.isArray(types[0]) ? types[0] : types) as string[];
    if (this.headers['transfer-encoding'] === undefined && Number.isNaN(Number(this.headers['content-length'] ?? NaN))) return null;
    const header = this.headers['content-type'];
    if (!header) return false;
    const actual = header.split(';')[0]!.trim().toLowerCase();
    if (list.length === 0) return actual;
    for (const t of list) {
      const expected = t.indexOf('/') === -1 && t[0] !== '+' ? lookup(t) : t;
      if (expected === false) continue;
      if (expected === actual) return t;
      const [ea, eb] = expected.split('/');
      const [aa, ab] = actual.split('/');
      if ((ea === '*' || ea === aa) && (eb === '*' || (eb?.startsWith('*+') && ab?.endsWith(eb.slice(1))))) return actual;
      if (t[0] === '+' && ab?.endsWith(t)) return actual;
    }
    return false;
  }
}

// --- response -----------------------------------------------------------------------

function stringify(value: unknown, replacer: unknown, spaces: unknown, escape: unknown): string | undefined {
  let json = replacer || spaces ? JSON.stringify(value, replacer as (k: string, v: unknown) => unknown, spaces as number) : JSON.stringify(value);
  if (escape && typeof json === 'string') {
    json = json.replace(/[<>&]/g, (c) => (c === '<' ? '\\u003c' : c === '>' ? '\\u003e' : '\\u0026'));
  }
  return json;
}

export class ExpressResponse extends ServerResponse {
  declare app: ExpressApp;
  declare req: ExpressRequest;
  declare locals: Record<string, unknown>;

  status(code: number): this {
    if (!Number.isInteger(code)) throw new TypeError(`Invalid status code: ${JSON.stringify(code)}. Status code must be an integer.`);
    if (code < 100 || code > 999) throw new RangeError(`Invalid status code: ${JSON.stringify(code)}. Status code must be greater than 99 and less than 1000.`);
    this.statusCode = code;
    return this;
  }

  set(field: string | Record<string, unknown>, value?: unknown): this {
    if (typeof field === 'string' && arguments.length >= 2) {
      let v: HeaderValue | false = Array.isArray(value) ? value.map(String) : String(value);
      if (field.toLowerCase() === 'content-type') {
        if (Array.isArray(v)) throw new TypeError('Content-Type cannot be set to an Array');
        v = mimeContentType(v as string);
      }
      this.setHeader(field, v);
    } else if (typeof field === 'object' && field !== null) {
      for (const key in field) this.set(key, field[key]);
    }
    return this;
  }

  header(field: string | Record<string, unknown>, value?: unknown): this {
    return arguments.length >= 2 ? this.set(field as string, value) : this.set(field);
  }

  get(field: string): HeaderValue | undefined {
    return this.getHeader(field);
  }

  append(field: string, value: string | string[]): this {
    const prev = this.get(field);
    let next: unknown = value;
    if (prev) next = Array.isArray(prev) ? prev.concat(value) : Array.isArray(value) ? [prev].concat(value) : [prev, value];
    return this.set(field, next);
  }

  type(type: string): this {
    const ct = type.indexOf('/') === -1 ? mimeContentType(type) || 'application/octet-stream' : type;
    return this.set('Content-Type', ct);
  }

  contentType(type: string): this {
    return this.type(type);
  }

  location(url: string): this {
    return this.set('Location', encodeUrl(url));
  }

  vary(field: string | string[]): this {
    const fields = (Array.isArray(field) ? field : String(field).split(',')).map((f) => f.trim()).filter((f) => f !== '');
    const current = this.getHeader('Vary');
    let header = Array.isArray(current) ? current.join(', ') : String(current ?? '');
    if (header !== '*') {
      const known = header.split(',').map((f) => f.trim().toLowerCase()).filter((f) => f !== '');
      if (fields.includes('*')) header = '*';
      else for (const f of fields) if (!known.includes(f.toLowerCase())) {
        known.push(f.toLowerCase());
        header = header ? `${header}, ${f}` : f;
      }
    }
    if (header) this.setHeader('Vary', header);
    return this;
  }

  send(body?: unknown): this {
    let chunk: unknown = body;
    switch (typeof chunk) {
      case 'string': {
        const type = this.get('Content-Type');
        if (typeof type === 'string') this.set('Content-Type', setCharset(type, 'utf-8'));
        else this.type('html');
        break;
      }
      case 'boolean':
      case 'number':
      case 'object':
        if (chunk === null) chunk = '';
        else if (ArrayBuffer.isView(chunk)) {
          if (!this.get('Content-Type')) this.type('bin');
        } else return this.json(chunk);
        break;
    }
    const etagFn = this.app.settings['etag fn'] as ((b: string | Uint8Array, e?: string) => string) | undefined;
    const generateETag = !this.get('ETag') && typeof etagFn === 'function';
    let bodyChunk: string | Uint8Array | undefined;
    if (typeof chunk === 'string') bodyChunk = chunk;
    else if (ArrayBuffer.isView(chunk)) bodyChunk = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let len: number | undefined;
    if (bodyChunk !== undefined) {
      len = typeof bodyChunk === 'string' ? utf8Bytes(bodyChunk).length : bodyChunk.length;
      if (!this.get('Transfer-Encoding')) this.set('Content-Length', len);
    }
    if (generateETag && len !== undefined && bodyChunk !== undefined) {
      const etag = etagFn!(bodyChunk, typeof bodyChunk === 'string' ? 'utf8' : undefined);
      if (etag) this.set('ETag', etag);
    }
    if (this.req.fresh) this.status(304);
    if (this.statusCode === 204 || this.statusCode === 304) {
      this.removeHeader('Content-Type');
      this.removeHeader('Content-Length');
      this.removeHeader('Transfer-Encoding');
      bodyChunk = '';
    }
    if (this.statusCode === 205) {
      this.set('Content-Length', '0');
      this.removeHeader('Transfer-Encoding');
      bodyChunk = '';
    }
    if (this.req.method === 'HEAD') this.end();
    else this.end(bodyChunk);
    return this;
  }

  json(value?: unknown): this {
    const settings = this.app.settings;
    const body = stringify(value, settings['json replacer'], settings['json spaces'], settings['json escape']);
    if (!this.get('Content-Type')) this.set('Content-Type', 'application/json');
    return this.send(body);
  }

  sendStatus(code: number): this {
    const body = statusMessage(code) || String(code);
    this.status(code);
    this.type('txt');
    return this.send(body);
  }
}

for (const name of ['sendFile', 'download', 'attachment', 'cookie', 'clearCookie', 'redirect', 'format', 'jsonp', 'links', 'render']) {
  Object.defineProperty(ExpressResponse.prototype, name, { value: unavailable(`res.${name}()`), writable: true, configurable: true });
}

// --- the final handler --------------------------------------------------------------

function htmlDocument(message: string): string {
  const body = escapeHtml(message).replaceAll('\n', '<br>').replaceAll('  ', ' &nbsp;');
  return `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>${body}</pre>\n</body>\n</html>\n`;
}

function errorStatus(error: unknown): number | undefined {
  const e = error as { status?: unknown; statusCode?: unknown };
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 600) return e.status;
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 600) return e.statusCode;
  return undefined;
}

/** finalhandler 2: what answers when the stack runs out (404) or an error is left over. */
function finalHandler(req: ExpressRequest, res: ExpressResponse, env: unknown, onerror: (error: unknown) => void): Next {
  return (err) => {
    if (!err && res.headersSent) return;
    let status: number;
    let message: string;
    let headers: Record<string, HeaderValue> | undefined;
    if (err) {
      const known = errorStatus(err);
      if (known === undefined) {
        status = typeof res.statusCode === 'number' && res.statusCode >= 400 && res.statusCode <= 599 ? res.statusCode : 500;
      } else {
        status = known;
        const h = (err as { headers?: unknown }).headers;
        headers = h && typeof h === 'object' ? { ...(h as Record<string, HeaderValue>) } : undefined;
      }
      let text: string | undefined;
      if (env !== 'production') {
        text = (err as { stack?: unknown }).stack as string | undefined;
        if (!text && typeof (err as { toString?: unknown }).toString === 'function') text = String(err);
      }
      message = text || statusMessage(status) || String(status);
      queueMicrotask(() => onerror(err));
    } else {
      status = 404;
      message = `Cannot ${req.method} ${encodeUrl(pathOf(req.originalUrl || req.url) ?? 'resource')}`;
    }
    if (res.headersSent) return;
    const body = htmlDocument(message);
    res.statusCode = status;
    res.statusMessage = statusMessage(status);
    res.removeHeader('Content-Encoding');
    res.removeHeader('Content-Language');
    res.removeHeader('Content-Range');
    for (const [k, v] of Object.entries(headers ?? {})) res.setHeader(k, v);
    res.setHeader('Content-Security-Policy', "default-src 'none'");
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Content-Length', utf8Bytes(body).length);
    if (req.method === 'HEAD') res.end();
    else res.end(body, 'utf8');
  };
}

/** parseurl's pathname of a path-and-query URL (everything before `?`). */
function pathOf(url: string): string | undefined {
  if (typeof url !== 'string') return undefined;
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

// --- the application ----------------------------------------------------------------

function envOf(): string {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.['NODE_ENV'];
  return env || 'development';
}

export function createApplication(): ExpressApp {
  const app = function app(req: ExpressRequest, res: ExpressResponse, next?: Next): void {
    (app as ExpressApp).handle(req, res, next);
  } as ExpressApp;
  const settings = Object.create(null) as AppSettings;
  let router: Router | null = null;
  Object.defineProperty(app, 'settings', { value: settings, enumerable: true });
  Object.defineProperty(app, 'router', {
    enumerable: true,
    get: () => (router ??= createRouter({ caseSensitive: app.enabled('case sensitive routing'), strict: app.enabled('strict routing') })),
  });
  const set = (setting: string, value?: unknown): unknown => {
    settings[setting] = value;
    if (setting === 'etag') settings['etag fn'] = compileETag(value);
    if (setting === 'query parser') settings['query parser fn'] = compileQueryParser(value);
    return app;
  };
  Object.assign(app, {
    locals: Object.assign(Object.create(null) as Record<string, unknown>, { settings }),
    mountpath: '/',
    set(setting: string, value?: unknown) {
      return arguments.length === 1 ? settings[setting] : set(setting, value);
    },
    enabled: (setting: string) => Boolean(settings[setting]),
    disabled: (setting: string) => !settings[setting],
    enable: (setting: string) => set(setting, true),
    disable: (setting: string) => set(setting, false),
    route: (path: string) => app.router.route(path),
    use(...args: unknown[]) {
      const { path, callbacks: fns } = useArguments(args);
      if (fns.length === 0) throw new TypeError('app.use() requires a middleware function');
      for (const fn of fns) {
        const sub = fn as Partial<ExpressApp> | null;
        if (!sub || typeof sub.handle !== 'function' || typeof sub.set !== 'function') {
          app.router.use(path, fn);
          continue;
        }
        (sub as ExpressApp).mountpath = path as string;
        app.router.use(path, function mountedApp(req: ExpressRequest, res: ExpressResponse, next: Next) {
          const orig = req.app;
          (sub as ExpressApp).handle(req, res, (err) => {
            req.app = orig;
            res.app = orig;
            next(err);
          });
        });
      }
      return app;
    },
    all(path: string, ...handlers: unknown[]) {
      const route = app.router.route(path);
      for (const method of METHODS) route[method](...handlers);
      return app;
    },
    handle(req: ExpressRequest, res: ExpressResponse, callback?: Next) {
      const done = callback ?? finalHandler(req, res, settings['env'], (error) => {
        if (settings['env'] !== 'test') console.error(error);
      });
      if (app.enabled('x-powered-by')) res.setHeader('X-Powered-By', 'Express');
      Object.defineProperty(req, 'res', { value: res, writable: true, configurable: true, enumerable: false });
      Object.defineProperty(res, 'req', { value: req, writable: true, configurable: true, enumerable: false });
      Object.defineProperty(req, 'app', { value: app, writable: true, configurable: true, enumerable: false });
      Object.defineProperty(res, 'app', { value: app, writable: true, configurable: true, enumerable: false });
      if (!res.locals) Object.defineProperty(res, 'locals', { value: Object.create(null) as Record<string, unknown>, writable: true, configurable: true, enumerable: false });
      app.router.handle(req, res, done);
    },
    listen: unavailable('app.listen()'),
    param: unavailable('app.param()'),
    render: unavailable('app.render()'),
    engine: unavailable('app.engine()'),
  });
  for (const method of METHODS) {
    (app as Record<string, unknown>)[method] = (path: string, ...handlers: unknown[]) => {
      if (method === 'get' && handlers.length === 0) return settings[path];
      app.router.route(path)[method](...handlers);
      return app;
    };
  }
  set('x-powered-by', true);
  set('etag', 'weak');
  set('env', envOf());
  set('query parser', 'simple');
  set('subdomain offset', 2);
  set('trust proxy', false);
  set('jsonp callback name', 'callback');
  return app;
}

// --- the module ---------------------------------------------------------------------

export interface ExpressModule {
  (): ExpressApp;
  Router(options?: RouterOptions): Router;
  Route: typeof Route;
  json(options?: JsonOptions): Handler;
  urlencoded(): never;
  text(): never;
  raw(): never;
  static(): never;
}

/** What `import express from 'express'` gives inside a component. */
export function createExpressModule(): ExpressModule {
  const express = (() => createApplication()) as ExpressModule;
  // A plain function, so `new express.Router()` works as in Express (the router it returns wins).
  express.Router = function Router(options?: RouterOptions) {
    return createRouter(options);
  };
  express.Route = Route;
  express.json = (options) => jsonParser(options) as Handler;
  express.urlencoded = unavailable('express.urlencoded()');
  express.text = unavailable('express.text()');
  express.raw = unavailable('express.raw()');
  express.static = unavailable('express.static()');
  return express;
}

/** The request and response objects for one request, wired to each other. */
export function requestPair(data: IncomingData): { req: ExpressRequest; res: ExpressResponse } {
  const req = new ExpressRequest(data);
  const res = new ExpressResponse({ method: data.method });
  return { req, res };
}

/**
 * Serves one web Request with an Express application made by this lowering (a stop's
 * `entry:<name>` for a route entry): resolves with the web Response once the response
 * ends. An application that never ends its response never settles, as a server would
 * keep the connection open.
 */
export async function serveExpress(app: unknown, request: Request): Promise<Response> {
  if (typeof app !== 'function' || typeof (app as unknown as Partial<ExpressApp>).handle !== 'function') {
    throw new TypeError('Express (stopline): the served application is not one made by express() in this component');
  }
  const { req, res } = requestPair(await incomingFromRequest(request));
  const finished = new Promise<void>((resolve) => res.on('finish', () => resolve()));
  (app as ExpressApp)(req, res);
  await finished;
  return res.toResponse();
}

export { nodeError };
