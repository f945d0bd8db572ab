import { match as pathMatch } from 'path-to-regexp';

/**
 * Express 5's router (the `router` package, 2.x) inside a component: the same stack walk,
 * matching and error flow, written for the guest (the package itself needs node:http,
 * parseurl and debug). Paths match with `path-to-regexp` 8 itself (bundled), with the
 * router's options: case-insensitive unless `caseSensitive`, a trailing slash allowed
 * unless `strict`, `use` paths matched as prefixes at a segment boundary.
 *
 *   Router({ caseSensitive, strict, mergeParams })   a function (req, res, next), with
 *     .use([path], ...fns)       middleware and nested routers; the matched prefix is taken
 *                                off req.url and added to req.baseUrl while they run
 *     .route(path) / .get/.post/.put/.patch/.delete/.head/.options/.all(path, ...fns)
 *     .handle(req, res, out)
 *   A layer's function runs with (req, res, next); one with four parameters only for an
 *   error (err, req, res, next), and a three-parameter one only without. A throw, or a
 *   returned promise that rejects (Express 5), is `next(err)`. `next('route')` leaves the
 *   route, `next('router')` the router. HEAD falls back to GET routes; OPTIONS without a
 *   route of its own answers `Allow` with the methods of the routes that matched.
 *   Params are %-decoded (a malformed escape is a 400 URIError "Failed to decode param").
 *
 * Not supported (a TypeError when called): `router.param`, RegExp paths.
 * Where Node's router defers with setImmediate, this one uses a microtask: only timing
 * differs.
 */

/* eslint-disable @typescript-eslint/no-explicit-any -- handlers are the program's functions, called as Express calls them */
export type Next = (err?: unknown) => void;
export type Handler = (...args: any[]) => unknown;

export interface RoutedRequest {
  method: string;
  url: string;
  originalUrl?: string;
  baseUrl?: string;
  params?: Record<string, unknown>;
  route?: Route;
  next?: Next;
}

export interface RoutedResponse {
  setHeader(name: string, value: string | number): unknown;
  end(chunk?: string): unknown;
}

export const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;

const defer = (fn: () => void): void => queueMicrotask(fn);

function isPromise(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}

function decodeParam(value: string): string {
  if (value.length === 0 || value.indexOf('%') === -1) return value;
  try {
    return decodeURIComponent(value);
  } catch (error) {
    if (error instanceof URIError) {
      error.message = `Failed to decode param '${value}'`;
      Object.assign(error, { status: 400, statusCode: 400 });
    }
    throw error;
  }
}

interface LayerMatch {
  readonly params: Record<string, unknown>;
  readonly path: string;
}

class Layer {
  readonly handle: Handler;
  readonly name: string;
  route: Route | undefined = undefined;
  method: string | undefined = undefined;
  readonly #slash: boolean;
  readonly #matchers: ((path: string) => LayerMatch | false)[];

  constructor(path: string | readonly string[], options: { sensitive?: boolean; strict?: boolean; end?: boolean }, fn: Handler) {
    this.handle = fn;
    this.name = fn.name || '<anonymous>';
    this.#slash = path === '/' && options.end === false;
    const paths = (Array.isArray(path) ? path.flat(Infinity) : [path]) as unknown[];
    this.#matchers = paths.map((p) => {
      if (typeof p !== 'string') throw new TypeError('Express (stopline): only string route paths are supported');
      const loose = options.strict || p === '/' ? p : p.replace(/\/+$/, '');
      const m = pathMatch(loose, { sensitive: options.sensitive ?? false, end: options.end ?? true, trailing: !options.strict, decode: decodeParam });
      return (input: string) => {
        const found = m(input);
        return found ? { params: found.params as Record<string, unknown>, path: found.path } : false;
      };
    });
  }

  match(path: string): (LayerMatch & { keys: string[] }) | false {
    if (this.#slash) return { params: {}, path: '', keys: [] };
    for (const m of this.#matchers) {
      const found = m(path);
      if (found) return { ...found, keys: Object.keys(found.params) };
    }
    return false;
  }

  handleError(error: unknown, req: RoutedRequest, res: unknown, next: Next): void {
    if (this.handle.length !== 4) {
      next(error);
      return;
    }
    this.#run(() => this.handle(error, req, res, next), next);
  }

  handleRequest(req: RoutedRequest, res: unknown, next: Next): void {
    if (this.handle.length > 3) {
      next();
      return;
    }
    this.#run(() => this.handle(req, res, next), next);
  }

  #run(call: () => unknown, next: Next): void {
    try {
      const returned = call();
      if (isPromise(returned)) returned.then(undefined, (error: unknown) => next(error || new Error('Rejected promise')));
    } catch (error) {
      next(error);
    }
  }
}

export class Route {
  readonly path: string;
  readonly stack: Layer[] = [];
  readonly methods: Record<string, boolean> = Object.create(null) as Record<string, boolean>;

  constructor(path: string) {
    this.path = path;
  }

  handlesMethod(method: string): boolean {
    if (this.methods['_all']) return true;
    let name = method.toLowerCase();
    if (name === 'head' && !this.methods['head']) name = 'get';
    return Boolean(this.methods[name]);
  }

  allowedMethods(): string[] {
    const out = Object.keys(this.methods).filter((m) => m !== '_all').map((m) => m.toUpperCase());
    if (this.methods['get'] && !this.methods['head']) out.push('HEAD');
    return out;
  }

  dispatch(req: RoutedRequest, res: unknown, done: Next): void {
    let idx = 0;
    const stack = this.stack;
    if (stack.length === 0) {
      done();
      return;
    }
    let method = req.method.toLowerCase();
    if (method === 'head' && !this.methods['head']) method = 'get';
    req.route = this;
    const next: Next = (err) => {
      if (err === 'route') return done();
      if (err === 'router') return done(err);
      let layer: Layer | undefined;
      while (idx < stack.length) {
        const candidate = stack[idx++]!;
        if (!candidate.method || candidate.method === method) {
          layer = candidate;
          break;
        }
      }
      if (layer === undefined) return done(err);
      if (err) layer.handleError(err, req, res, next);
      else layer.handleRequest(req, res, next);
    };
    next();
  }

  all(...handlers: unknown[]): this {
    return this.#add(undefined, handlers);
  }

  #add(method: string | undefined, handlers: unknown[]): this {
    const callbacks = handlers.flat(Infinity);
    if (callbacks.length === 0) throw new TypeError('argument handler is required');
    for (const fn of callbacks) {
      if (typeof fn !== 'function') throw new TypeError('argument handler must be a function');
      const layer = new Layer('/', {}, fn as Handler);
      layer.method = method;
      if (method === undefined) this.methods['_all'] = true;
      else this.methods[method] = true;
      this.stack.push(layer);
    }
    return this;
  }

  get(...h: unknown[]): this { return this.#add('get', h); }
  post(...h: unknown[]): this { return this.#add('post', h); }
  put(...h: unknown[]): this { return this.#add('put', h); }
  patch(...h: unknown[]): this { return this.#add('patch', h); }
  delete(...h: unknown[]): this { return this.#add('delete', h); }
  head(...h: unknown[]): this { return this.#add('head', h); }
  options(...h: unknown[]): this { return this.#add('options', h); }
}

export interface RouterOptions {
  readonly caseSensitive?: boolean;
  readonly strict?: boolean;
  readonly mergeParams?: boolean;
}

export interface Router {
  (req: RoutedRequest, res: unknown, next: Next): void;
  readonly stack: Layer[];
  caseSensitive: boolean;
  strict: boolean;
  mergeParams: boolean;
  handle(req: RoutedRequest, res: unknown, out: Next): void;
  use(...args: unknown[]): Router;
  route(path: string): Route;
  all(path: string, ...handlers: unknown[]): Router;
  get(path: string, ...handlers: unknown[]): Router;
  post(path: string, ...handlers: unknown[]): Router;
  put(path: string, ...handlers: unknown[]): Router;
  patch(path: string, ...handlers: unknown[]): Router;
  delete(path: string, ...handlers: unknown[]): Router;
  head(path: string, ...handlers: unknown[]): Router;
  options(path: string, ...handlers: unknown[]): Router;
  param(name: string, fn: Handler): Router;
}

function pathnameOf(url: string): string | undefined {
  if (typeof url !== 'string') return undefined;
  const cut = url.search(/[?#]/);
  const path = cut < 0 ? url : url.slice(0, cut);
  if (path.startsWith('/')) return path;
  try {
    return new URL(url).pathname;
  } catch {
    return undefined;
  }
}

function protohostOf(url: string): string {
  if (typeof url !== 'string' || url.length === 0 || url[0] === '/') return '';
  const search = url.indexOf('?');
  const pathLength = search !== -1 ? search : url.length;
  const fqdn = url.slice(0, pathLength).indexOf('://');
  return fqdn !== -1 ? url.slice(0, url.indexOf('/', 3 + fqdn)) : '';
}

function mergeParams(params: Record<string, unknown>, parent: unknown): Record<string, unknown> {
  if (typeof parent !== 'object' || parent === null) return params;
  return { ...(parent as Record<string, unknown>), ...params };
}

function sendOptions(res: RoutedResponse, methods: readonly string[]): void {
  const allow = [...new Set(methods)].sort().join(', ');
  res.setHeader('Allow', allow);
  res.setHeader('Content-Length', new TextEncoder().encode(allow).length);
  res.setHeader('Content-Type', 'text/plain');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.end(allow);
}

/** `use([path,] ...handlers)` as router and express take it: an optional leading path (a first argument that is not a function, nor a nested array starting with one), then the handlers, arrays flattened. */
export function useArguments(args: readonly unknown[]): { path: unknown; callbacks: unknown[] } {
  if (typeof args[0] !== 'function') {
    let arg = args[0];
    while (Array.isArray(arg) && arg.length !== 0) arg = arg[0];
    if (typeof arg !== 'function') return { path: args[0], callbacks: args.slice(1).flat(Infinity) };
  }
  return { path: '/', callbacks: args.flat(Infinity) };
}

export function createRouter(options: RouterOptions = {}): Router {
  const router = function router(req: RoutedRequest, res: unknown, next: Next): void {
    (router as Router).handle(req, res, next);
  } as Router;
  const stack: Layer[] = [];
  Object.assign(router, { stack, caseSensitive: options.caseSensitive ?? false, strict: options.strict ?? false, mergeParams: options.mergeParams ?? false });

  router.handle = (req, res, callback) => {
    let idx = 0;
    const protohost = protohostOf(req.url);
    let removed = '';
    let slashAdded = false;
    const parentParams = req.params;
    const parentUrl = req.baseUrl ?? '';
    const saved = { baseUrl: req.baseUrl, next: req.next, params: req.params };
    let done: Next = (err) => {
      req.baseUrl = saved.baseUrl as string;
      req.next = saved.next as Next;
      req.params = saved.params as Record<string, unknown>;
      callback(err);
    };
    let methods: string[] | null = null;
    if (req.method === 'OPTIONS') {
      methods = [];
      const inner = done;
      done = (err) => {
        if (err || methods!.length === 0) return inner(err);
        try {
          sendOptions(res as RoutedResponse, methods!);
        } catch (error) {
          inner(error);
        }
      };
    }
    req.baseUrl = parentUrl;
    req.originalUrl = req.originalUrl ?? req.url;

    const trimPrefix = (layer: Layer, layerError: unknown, layerPath: string, path: string): void => {
      if (layerPath.length !== 0) {
        if (layerPath !== path.slice(0, layerPath.length)) return next(layerError);
        const c = path[layerPath.length];
        if (c && c !== '/') return next(layerError);
        removed = layerPath;
        req.url = protohost + req.url.slice(protohost.length + removed.length);
        if (!protohost && req.url[0] !== '/') {
          req.url = `/${req.url}`;
          slashAdded = true;
        }
        req.baseUrl = parentUrl + (removed[removed.length - 1] === '/' ? removed.slice(0, -1) : removed);
      }
      if (layerError) layer.handleError(layerError, req, res, next);
      else layer.handleRequest(req, res, next);
    };

    const next: Next = (err) => {
      let layerError = err === 'route' ? null : err;
      if (slashAdded) {
        const pathIsRoot = req.url === '/' || req.url.startsWith('/?');
        if (pathIsRoot || (removed.endsWith('/') && req.url[0] === '/')) req.url = req.url.slice(1);
        slashAdded = false;
      }
      if (removed.length !== 0) {
        req.baseUrl = parentUrl;
        req.url = protohost + removed + req.url.slice(protohost.length);
        removed = '';
      }
      if (layerError === 'router') {
        defer(() => done(null));
        return;
      }
      if (idx >= stack.length) {
        defer(() => done(layerError));
        return;
      }
      const path = pathnameOf(req.url);
      if (path === undefined) return done(layerError);
      let layer: Layer | undefined;
      let found: ReturnType<Layer['match']> = false;
      let route: Route | undefined;
      while (!found && idx < stack.length) {
        layer = stack[idx++]!;
        route = layer.route;
        try {
          found = layer.match(path);
        } catch (error) {
          layerError = layerError || error;
          found = false;
        }
        if (!found || !route) continue;
        if (layerError) {
          found = false;
          continue;
        }
        const hasMethod = route.handlesMethod(req.method);
        if (!hasMethod && req.method === 'OPTIONS' && methods) methods.push(...route.allowedMethods());
        if (!hasMethod && req.method !== 'HEAD') found = false;
      }
      if (!found || layer === undefined) return done(layerError);
      if (route) req.route = route;
      req.params = router.mergeParams ? mergeParams(found.params, parentParams) : found.params;
      if (route) layer.handleRequest(req, res, next);
      else trimPrefix(layer, layerError, found.path, path);
    };
    req.next = next;
    next();
  };

  router.use = (...args: unknown[]) => {
    const { path, callbacks } = useArguments(args);
    if (callbacks.length === 0) throw new TypeError('argument handler is required');
    for (const fn of callbacks) {
      if (typeof fn !== 'function') throw new TypeError('argument handler must be a function');
      const layer = new Layer(path as string, { sensitive: router.caseSensitive, strict: false, end: false }, fn as Handler);
      stack.push(layer);
    }
    return router;
  };

  router.route = (path) => {
    const route = new Route(path);
    const layer = new Layer(path, { sensitive: router.caseSensitive, strict: router.strict, end: true }, (req: RoutedRequest, res: unknown, next: Next) => route.dispatch(req, res, next));
    layer.route = route;
    stack.push(layer);
    return route;
  };

  for (const method of [...METHODS, 'all'] as const) {
    router[method] = (path: string, ...handlers: unknown[]) => {
      router.route(path)[method](...handlers);
      return router;
    };
  }

  router.param = () => {
    throw new TypeError('Express (stopline): router.param / app.param are not supported inside a component');
  };
  return router;
}
