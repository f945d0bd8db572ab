import { clocks, cli, io, random } from '@bytecodealliance/preview2-shim';
import { unpack } from '../../../codegen/lower/link.js';
import { decodeCompletion, encodeCall } from '../../../codegen/wire/index.js';
import { wasiDatetime } from '../stores/wasi-datetime.js';

/**
 * The client stop's host IN A BROWSER: what a page gives the client component (transpiled
 * by jco in instantiation mode; src/build/browser-client.ts emits both) so it runs on the
 * page's own state:
 *
 *   stopline:line/client-local   on the page's `localStorage` / `sessionStorage`
 *   stopline:line/client-dom     on the page's `document` (the subset of codegen/lower/dom.ts:
 *                                any selector the browser parses; `value` and `textContent`)
 *   stopline:line/link           a crossing to another stop as one HTTP POST to `linkUrl`
 *                                (headers `x-stopline-from`, `x-stopline-to`,
 *                                `x-stopline-segment`; the wire-format payload as the body; the
 *                                answer's text, or a JSON rpc-error with a non-200 status)
 *   wasi:*                       preview2-shim's browser WASI, the wall clock optionally
 *                                replaced (`now`)
 *
 * `link.call` is a SYNCHRONOUS import for the guest. Two ways to give it:
 *   - `sync`: a synchronous XMLHttpRequest on the page's thread (blocks the page while the
 *     other stop answers; Chromium warns that it is deprecated on the main thread, and a
 *     Worker has no DOM);
 *   - `jspi`: an async `fetch`, the component transpiled with jco's JSPI mode
 *     (`WebAssembly.Suspending` around `link.call`, `WebAssembly.promising` around
 *     `dispatch.invoke`): the guest's stack is suspended while the page keeps running.
 *     The mode must match how the component was transpiled.
 *
 * Runs in the browser: no Node API. Everything arrives as arguments or browser globals.
 */

export type LinkMode = 'sync' | 'jspi';

/** The part of the Web Storage interface the host uses. */
export interface StorageLike {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The part of a DOM element the host reads. */
export interface ElementLike {
  readonly tagName?: string;
  readonly textContent: string | null;
}

/** The part of the Document interface the host uses. */
export interface DocumentLike {
  querySelector(selectors: string): ElementLike | null;
  getElementById(id: string): ElementLike | null;
}

export interface BrowserClientOptions {
  /** Where crossings to other stops are POSTed (absolute, or relative to the page). */
  readonly linkUrl: string;
  /** This stop's name on the line (default `client`), sent as `x-stopline-from`. */
  readonly stop?: string;
  /** Default: the page's `localStorage`. */
  readonly localStorage?: StorageLike;
  /** Default: the page's `sessionStorage`. */
  readonly sessionStorage?: StorageLike;
  /** Default: the page's `document`. */
  readonly document?: DocumentLike;
  /** The guest's wall clock in ms since the epoch (default: the browser's). For replaying a run at a fixed time. */
  readonly now?: () => number;
}

export interface BrowserClient {
  /** Runs an entry that arrives at the client with `args`: resolves to what it returns, rejects with what it throws (its class kept). */
  call(entry: string, args: readonly unknown[]): Promise<unknown>;
}

type CoreModule = object;
type Imports = Record<string, Record<string, unknown>>;
interface Dispatch {
  invoke(segment: string, payload: string): string | Promise<string>;
}
/** `instantiate` of a component transpiled with `instantiation: 'async'`. */
export type InstantiateComponent = (getCoreModule: (name: string) => Promise<CoreModule>, imports: Imports) => Promise<{ dispatch?: Dispatch; 'stopline:line/dispatch@0.1.0'?: Dispatch }>;

interface BrowserGlobals {
  localStorage?: StorageLike;
  sessionStorage?: StorageLike;
  document?: DocumentLike;
  location?: { href: string };
  XMLHttpRequest?: new () => {
    open(method: string, url: string, async: boolean): void;
    setRequestHeader(name: string, value: string): void;
    send(body: string): void;
    readonly status: number;
    readonly responseText: string;
  };
  fetch: (url: string, init?: { method: string; headers: Record<string, string>; body: string }) => Promise<{ status: number; text(): Promise<string> }>;
  WebAssembly: { compileStreaming(source: Promise<unknown>): Promise<CoreModule> };
}
const browser = globalThis as unknown as BrowserGlobals;

/** A WIT `err` for jco: a thrown object with an own `payload`. */
function witErr(payload: unknown, message: string): Error {
  const error = new Error(message) as Error & { payload: unknown };
  error.payload = payload;
  return error;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function clientLocal(local: StorageLike | undefined, session: StorageLike | undefined): Record<string, unknown> {
  const area = (which: string): StorageLike | undefined => (which === 'session' ? session : local);
  return {
    get(which: string, key: string): string | undefined {
      try {
        return area(which)?.getItem(key) ?? undefined;
      } catch {
        return undefined;
      }
    },
    set(which: string, key: string, value: string): void {
      const storage = area(which);
      if (storage === undefined) throw witErr({ tag: 'access-denied' }, 'no storage');
      try {
        storage.setItem(key, value);
      } catch (error) {
        const name = error instanceof Error ? error.name : '';
        throw witErr(name === 'QuotaExceededError' ? { tag: 'quota-exceeded' } : name === 'SecurityError' ? { tag: 'access-denied' } : { tag: 'other', val: messageOf(error) }, messageOf(error));
      }
    },
    remove(which: string, key: string): void {
      try {
        area(which)?.removeItem(key);
      } catch {
        // nothing to report through a function without a result
      }
    },
    keys(which: string): string[] {
      const storage = area(which);
      const out: string[] = [];
      try {
        if (storage) for (let i = 0; i < storage.length; i++) out.push(storage.key(i) ?? '');
      } catch {
        return [];
      }
      return out;
    },
  };
}

function clientDom(doc: DocumentLike | undefined): Record<string, unknown> {
  class Element {
    readonly #element: ElementLike;
    constructor(element: ElementLike) {
      this.#element = element;
    }
    value(): string | undefined {
      const v = (this.#element as { value?: unknown }).value;
      if (v === undefined || typeof v === 'string') return v;
      const tag = (this.#element.tagName ?? '').toLowerCase();
      throw witErr({ tag: 'unsupported', val: `the value of a <${tag}> is a ${typeof v}; stopline's client-dom carries string values only` }, 'unsupported');
    }
    textContent(): string {
      return this.#element.textContent ?? '';
    }
  }
  const wrap = (e: ElementLike | null): Element | undefined => (e === null ? undefined : new Element(e));
  return {
    Element,
    querySelector(selectors: string): Element | undefined {
      if (doc === undefined) throw witErr({ tag: 'unsupported', val: 'this page has no document' }, 'no document');
      try {
        return wrap(doc.querySelector(selectors));
      } catch (error) {
        const syntax = error instanceof Error && error.name === 'SyntaxError';
        throw witErr({ tag: syntax ? 'syntax' : 'unsupported', val: messageOf(error) }, messageOf(error));
      }
    },
    getElementById(id: string): Element | undefined {
      try {
        return doc === undefined ? undefined : wrap(doc.getElementById(id));
      } catch {
        return undefined;
      }
    },
  };
}

function rpcErrorOf(status: number, text: string): { code: string; message: string } {
  try {
    const parsed = JSON.parse(text) as { code?: unknown; message?: unknown };
    if (typeof parsed.code === 'string' && typeof parsed.message === 'string') return { code: parsed.code, message: parsed.message };
  } catch {
    // not JSON: described below
  }
  return { code: 'unavailable', message: `the link answered HTTP ${status}: ${text.slice(0, 200)}` };
}

function link(mode: LinkMode, url: string, from: string): Record<string, unknown> {
  const headers = (to: string, segment: string): Record<string, string> => ({ 'content-type': 'text/plain;charset=utf-8', 'x-stopline-from': from, 'x-stopline-to': to, 'x-stopline-segment': segment });
  if (mode === 'jspi') {
    return {
      async call(to: string, segment: string, payload: string): Promise<string> {
        let status: number;
        let text: string;
        try {
          const response = await browser.fetch(url, { method: 'POST', headers: headers(to, segment), body: payload });
          status = response.status;
          text = await response.text();
        } catch (error) {
          throw witErr({ code: 'unavailable', message: messageOf(error) }, messageOf(error));
        }
        if (status === 200) return text;
        const rpc = rpcErrorOf(status, text);
        throw witErr(rpc, rpc.message);
      },
    };
  }
  return {
    call(to: string, segment: string, payload: string): string {
      const Xhr = browser.XMLHttpRequest;
      if (Xhr === undefined) throw witErr({ code: 'unavailable', message: 'no XMLHttpRequest here' }, 'no XMLHttpRequest');
      const xhr = new Xhr();
      try {
        xhr.open('POST', url, false);
        for (const [name, value] of Object.entries(headers(to, segment))) xhr.setRequestHeader(name, value);
        xhr.send(payload);
      } catch (error) {
        throw witErr({ code: 'unavailable', message: messageOf(error) }, messageOf(error));
      }
      if (xhr.status === 200) return xhr.responseText;
      const rpc = rpcErrorOf(xhr.status, xhr.responseText);
      throw witErr(rpc, rpc.message);
    },
  };
}

function wasiImports(now: (() => number) | undefined): Imports {
  const wallClock = now === undefined
    ? clocks.wallClock
    : {
        ...clocks.wallClock,
        now: () => {
          const t = now();
          return wasiDatetime(t);
        },
      };
  return {
    'wasi:clocks/wall-clock': wallClock,
    'wasi:clocks/monotonic-clock': clocks.monotonicClock,
    'wasi:io/poll': io.poll,
    'wasi:io/error': io.error,
    'wasi:io/streams': io.streams,
    'wasi:cli/stderr': cli.stderr,
    'wasi:cli/stdout': cli.stdout,
    'wasi:cli/stdin': cli.stdin,
    'wasi:cli/environment': cli.environment,
    'wasi:cli/exit': cli.exit,
    'wasi:random/random': random.random,
  } as Imports;
}

/** Interface objects under both spellings jco's JS may read (with and without the version). */
function versioned(interfaces: Record<string, Record<string, unknown>>): Imports {
  const out: Imports = {};
  for (const [name, value] of Object.entries(interfaces)) {
    out[name] = value;
    out[`${name}@0.1.0`] = value;
  }
  return out;
}

/**
 * Instantiates the client component in the page. `baseUrl` is where its core modules
 * (`client.core.wasm`, …) are fetched from; `mode` must be the one it was transpiled for.
 */
export async function createBrowserClient(instantiate: InstantiateComponent, baseUrl: string, mode: LinkMode, options: BrowserClientOptions): Promise<BrowserClient> {
  const base = new URL(baseUrl, browser.location?.href);
  const linkUrl = new URL(options.linkUrl, browser.location?.href).href;
  const getCoreModule = (name: string): Promise<CoreModule> => browser.WebAssembly.compileStreaming(browser.fetch(new URL(name, base).href));
  const imports: Imports = {
    ...wasiImports(options.now),
    ...versioned({
      'stopline:line/types': {},
      'stopline:line/link': link(mode, linkUrl, options.stop ?? 'client'),
      'stopline:line/client-local': clientLocal(options.localStorage ?? browser.localStorage, options.sessionStorage ?? browser.sessionStorage),
      'stopline:line/client-dom': clientDom(options.document ?? browser.document),
    }),
  };
  const root = await instantiate(getCoreModule, imports);
  const dispatch = root.dispatch ?? root['stopline:line/dispatch@0.1.0'];
  if (dispatch === undefined) throw new Error('the client component does not export stopline:line/dispatch');
  const env = {};
  return {
    async call(entry, args) {
      const segment = `entry:${entry}`;
      // An rpc-error of the client itself rejects with jco's error (its `payload` the rpc-error).
      const answer = await dispatch.invoke(segment, encodeCall({ segment, liveIns: { args: [...args] } }));
      const completion = decodeCompletion(answer);
      if (completion.kind === 'throw') throw completion.error;
      if (completion.kind !== 'return') throw new Error(`the client answered ${segment} with a '${completion.kind}' completion`);
      return unpack(completion.value, env);
    },
  };
}
