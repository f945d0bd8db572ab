/**
 * Fastly Compute's `fastly:kv-store` (`KVStore`, `KVStoreEntry`) with its call shapes over
 * an abstract byte store: the whole module, shared by the Node shim of the original
 * program (src/runtime/shims/fastly-kv.ts: each store's copy at the running stop) and the
 * guest lowering inside a component (codegen/lower/fastly-kv.ts: `wasi:keyvalue/store`,
 * one bucket per store), so both sides validate, store and fail identically. Plain web
 * JavaScript: it runs in Node and in StarlingMonkey.
 *
 *   const { KVStore } = createFastlyKvModule({ backend, stores: ['fragments'] });
 *   const fragments = new KVStore('fragments');          // a store of stopline.yaml, by name
 *   await fragments.put('page:/', html, { ttl: 300, metadata: 'v3' });
 *   const entry = await fragments.get('page:/');         // KVStoreEntry | null
 *   await entry.text(); entry.metadataText();             // 'v3'
 *   await fragments.list({ prefix: 'page:', limit: 10 }); // { list: [...keys], cursor }
 *
 * As js-compute's runtime does (runtime/fastly/builtins/kv-store.cpp): a store name must
 * be non-empty, at most 255 characters, without control characters, and name a store
 * (else `new KVStore` throws); a key must be non-empty, at most 1024 UTF-8 bytes, without
 * any of `#;?^|` or a line break, not `.` / `..`, not under `.well-known/acme-challenge/`.
 * A bad key rejects `get`/`delete` and THROWS from `put` (the runtime checks it before it
 * makes the promise). `list` takes an options object (else throws) and resolves one page
 * `{ list, cursor }` (the runtime's shape; older typings, as the pages fixture's, declare
 * an async iterator); the cursor is opaque, keys come in UTF-16 order.
 *
 * Values: strings (UTF-8), ArrayBuffer, views, URLSearchParams, ReadableStream (read to
 * the end: Fastly accepts only host-backed streams) and anything else as its String();
 * over 30 MB rejects. The backend keeps bytes, exactly the body, when a put has no
 * metadata; with metadata the entry is an envelope, `\0stopline-kv-entry\0{"metadata":
 * "<base64>"}\0` + body, read back transparently (a value written by another client
 * that begins with that marker would be read as one). Modes: 'overwrite' (default);
 * 'add' rejects when the key exists; 'append' / 'prepend' join the bodies, keeping the
 * old metadata unless the put gives one (a read then a write: atomic only because the
 * local runtime runs one call at a time).
 *
 * TTL: validated (a number ≥ 0 below 2^32) and NOT applied. The embedded KV store and
 * wasi:keyvalue have no expiry, and keeping an absolute expiry in the value would make
 * the original and the split program store different bytes (the split one writes after
 * its round trips). Nothing expires, in either program.
 *
 * KVStoreEntry: `text()`, `json()`, `arrayBuffer()` read the body once (a second read
 * rejects with a TypeError); `body` is a ReadableStream of it; `metadata()` gives the
 * metadata bytes as a Uint8Array (the runtime's slot holds one) or null; `metadataText()`
 * decodes them as UTF-8 (TypeError for invalid UTF-8).
 */

export interface FastlyKvBackend {
  /** The bytes under `key` in store `store`, or undefined. */
  get(store: string, key: string): Uint8Array | undefined;
  set(store: string, key: string, value: Uint8Array): void;
  delete(store: string, key: string): void;
  /** Every key of the store (any order). */
  keys(store: string): string[];
}

export interface FastlyKvModuleOptions {
  readonly backend: FastlyKvBackend;
  /** The names `new KVStore(name)` may open: the config's fastly-kv stores. */
  readonly stores: readonly string[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const strict = new TextDecoder('utf-8', { fatal: true });

const MAX_VALUE = 30 * 1024 * 1024;
const MAX_LIST = 1000;
const BAD_KEY_CHARS: Readonly<Record<string, string>> = { '#': '#', ';': ';', '?': '?', '^': '^', '|': '|', '\n': 'newline', '\r': 'carriage return' };
const ACME = '.well-known/acme-challenge/';

const MARK = encoder.encode('\0stopline-kv-entry\0');

export function checkStoreName(name: unknown): string {
  const text = String(name);
  if (text.length === 0) throw new TypeError('KVStore constructor: name can not be an empty string');
  if (encoder.encode(text).length > 255) throw new TypeError('KVStore constructor: name can not be more than 255 characters');
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(text)) throw new TypeError('KVStore constructor: name can not contain control characters');
  return text;
}

export function checkKey(op: string, key: unknown): string {
  const text = String(key);
  if (text.length === 0) throw new TypeError(`KVStore.${op}: key can not be an empty string`);
  if (encoder.encode(text).length > 1024) throw new TypeError(`KVStore.${op}: key can not be more than 1024 characters`);
  for (const c of text) {
    const name = BAD_KEY_CHARS[c];
    if (name !== undefined) throw new TypeError(`KVStore.${op}: key can not contain ${name} character`);
  }
  if (text.startsWith(ACME)) throw new TypeError(`KVStore.${op}: key can not start with ${ACME}`);
  if (text === '.' || text === '..') throw new TypeError(`KVStore.${op}: key can not be '.' or '..'`);
  return text;
}

export function checkTtl(ttl: unknown): number | undefined {
  if (ttl === undefined) return undefined;
  const n = typeof ttl === 'number' ? ttl : Number.NaN;
  if (!Number.isFinite(n) || n < 0 || n >= 2 ** 32) throw new TypeError('KVStore.put: ttl must be a finite number greater than or equal to 0 and less than 4294967296');
  return Math.trunc(n);
}

type Mode = 'overwrite' | 'add' | 'append' | 'prepend';

function modeOf(mode: unknown): Mode {
  if (mode === undefined) return 'overwrite';
  const text = String(mode);
  return text === 'add' || text === 'append' || text === 'prepend' ? text : 'overwrite';
}

function bytesOfView(value: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (value instanceof ArrayBuffer) return new Uint8Array(value.slice(0));
  return new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength));
}

function metadataBytes(metadata: unknown): Uint8Array | null {
  if (metadata === undefined) return null;
  if (typeof metadata === 'string') return encoder.encode(metadata);
  if (metadata instanceof ArrayBuffer || ArrayBuffer.isView(metadata)) return bytesOfView(metadata);
  throw new TypeError('KVStore.put: metadata must be a string, an ArrayBuffer or an ArrayBufferView');
}

async function readStream(stream: ReadableStream<unknown>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!(value instanceof Uint8Array)) throw new TypeError('KVStore.put: a stream value must yield Uint8Array chunks');
    chunks.push(value);
  }
  return concat(chunks);
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** A BodyInit as bytes, or the stream to read them from. */
function bodyBytes(value: unknown): Uint8Array | ReadableStream<unknown> {
  if (typeof value === 'string') return encoder.encode(value);
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return bytesOfView(value);
  if (typeof ReadableStream !== 'undefined' && value instanceof ReadableStream) return value;
  return encoder.encode(String(value));
}

// --- the stored form ------------------------------------------------------------------

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2;
    for (let c = 0; c < 4; c++) out += c < chars ? B64[(n >> (18 - 6 * c)) & 63] : '=';
  }
  return out;
}

function fromBase64(text: string): Uint8Array {
  const bytes: number[] = [];
  let bits = 0;
  let acc = 0;
  for (const ch of text) {
    const v = B64.indexOf(ch);
    if (v < 0) continue;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((acc >> bits) & 0xff);
    }
  }
  return new Uint8Array(bytes);
}

export interface StoredEntry {
  readonly body: Uint8Array;
  readonly metadata: Uint8Array | null;
}

/** What the backend keeps for an entry: the body itself, or the envelope when it has metadata. */
export function encodeEntry(entry: StoredEntry): Uint8Array {
  if (entry.metadata === null) return entry.body;
  return concat([MARK, encoder.encode(JSON.stringify({ metadata: toBase64(entry.metadata) })), new Uint8Array([0]), entry.body]);
}

export function decodeEntry(bytes: Uint8Array): StoredEntry {
  const marked = bytes.length > MARK.length && MARK.every((b, i) => bytes[i] === b);
  const end = marked ? bytes.indexOf(0, MARK.length) : -1;
  if (!marked || end < 0) return { body: bytes, metadata: null };
  try {
    const header = JSON.parse(decoder.decode(bytes.subarray(MARK.length, end))) as { metadata?: unknown };
    return { body: bytes.slice(end + 1), metadata: typeof header.metadata === 'string' ? fromBase64(header.metadata) : null };
  } catch {
    return { body: bytes, metadata: null };
  }
}

// --- KVStoreEntry and KVStore ------------------------------------------------------------

const USED = 'KVStoreEntry: the body has already been consumed';

export class KVStoreEntry {
  readonly #body: Uint8Array;
  readonly #metadata: Uint8Array | null;
  #used = false;
  #stream: ReadableStream<Uint8Array> | null = null;

  /** @internal made by KVStore.get */
  constructor(entry: StoredEntry) {
    this.#body = entry.body;
    this.#metadata = entry.metadata;
  }

  get body(): ReadableStream<Uint8Array> {
    if (this.#stream === null) {
      const bytes = this.#body;
      let sent = false;
      this.#stream = new ReadableStream<Uint8Array>({
        pull: (controller) => {
          this.#used = true;
          if (!sent && bytes.length > 0) controller.enqueue(bytes.slice());
          sent = true;
          controller.close();
        },
      });
    }
    return this.#stream;
  }

  get bodyUsed(): boolean {
    return this.#used;
  }

  #take(): Promise<Uint8Array> {
    if (this.#used || this.#stream?.locked) return Promise.reject(new TypeError(USED));
    this.#used = true;
    return Promise.resolve(this.#body.slice());
  }

  text(): Promise<string> {
    return this.#take().then((b) => decoder.decode(b));
  }

  json(): Promise<object> {
    return this.#take().then((b) => JSON.parse(decoder.decode(b)) as object);
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return this.#take().then((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
  }

  metadata(): Uint8Array | null {
    return this.#metadata;
  }

  metadataText(): string | null {
    if (this.#metadata === null) return null;
    try {
      return strict.decode(this.#metadata);
    } catch {
      throw new TypeError('KVStoreEntry.metadataText: the metadata is not valid UTF-8');
    }
  }
}

export interface KvListPage {
  readonly list: string[];
  readonly cursor: string | undefined;
}

export interface FastlyKvModule {
  readonly KVStore: new (name: string) => FastlyKVStore;
}

export interface FastlyKVStore {
  get(key: string): Promise<KVStoreEntry | null>;
  put(key: string, value: unknown, options?: { metadata?: unknown; ttl?: number; mode?: Mode }): Promise<undefined>;
  delete(key: string): Promise<undefined>;
  list(options: { prefix?: string; limit?: number; cursor?: string; noSync?: boolean }): Promise<KvListPage>;
}

const settle = <T>(fn: () => T): Promise<T> => {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error as Error);
  }
};

/** The `fastly:kv-store` module over `options.backend`; see the module comment. */
export function createFastlyKvModule(options: FastlyKvModuleOptions): FastlyKvModule {
  const { backend } = options;
  const known = new Set(options.stores);

  class KVStore implements FastlyKVStore {
    readonly #name: string;

    constructor(name: string) {
      const text = checkStoreName(name);
      if (!known.has(text)) throw new Error(`KVStore constructor: No KVStore named '${text}' exists`);
      this.#name = text;
    }

    get(key: string): Promise<KVStoreEntry | null> {
      return settle(() => {
        const bytes = backend.get(this.#name, checkKey('get', key));
        return bytes === undefined ? null : new KVStoreEntry(decodeEntry(bytes));
      });
    }

    put(key: string, value: unknown, putOptions?: { metadata?: unknown; ttl?: number; mode?: Mode }): Promise<undefined> {
      const k = checkKey('put', key);
      const opts = typeof putOptions === 'object' && putOptions !== null ? putOptions : {};
      checkTtl(opts.ttl); // validated, not applied: see the module comment
      const mode = modeOf(opts.mode);
      const body = bodyBytes(value);
      const write = (bytes: Uint8Array): undefined => {
        if (bytes.length > MAX_VALUE) throw new TypeError('KVStore.put: value can not be more than 30MB in size');
        const metadata = metadataBytes(opts.metadata);
        const current = mode === 'overwrite' ? undefined : backend.get(this.#name, k);
        if (mode === 'add' && current !== undefined) throw new Error(`KVStore.put: the key '${k}' already exists (mode 'add')`);
        const old = current === undefined ? null : decodeEntry(current);
        const joined =
          old === null || mode === 'add' ? bytes : mode === 'append' ? concat([old.body, bytes]) : mode === 'prepend' ? concat([bytes, old.body]) : bytes;
        backend.set(this.#name, k, encodeEntry({ body: joined, metadata: metadata ?? (mode === 'append' || mode === 'prepend' ? (old?.metadata ?? null) : null) }));
        return undefined;
      };
      if (body instanceof Uint8Array) return settle(() => write(body));
      return readStream(body).then(write);
    }

    delete(key: string): Promise<undefined> {
      return settle(() => {
        backend.delete(this.#name, checkKey('delete', key));
        return undefined;
      });
    }

    list(listOptions: { prefix?: string; limit?: number; cursor?: string; noSync?: boolean }): Promise<KvListPage> {
      if (typeof listOptions !== 'object' || listOptions === null) throw new TypeError('KVStore.list: options must be an object');
      const { prefix, limit, cursor, noSync } = listOptions;
      if (prefix !== undefined && prefix !== null && typeof prefix !== 'string') throw new TypeError('KVStore.list: prefix must be a string');
      if (cursor !== undefined && cursor !== null && typeof cursor !== 'string') throw new TypeError('KVStore.list: cursor must be a string');
      if (limit !== undefined && limit !== null && !(typeof limit === 'number' && Number.isInteger(limit))) throw new TypeError('KVStore.list: limit must be an integer');
      if (noSync !== undefined && noSync !== null && typeof noSync !== 'boolean') throw new TypeError('KVStore.list: noSync must be a boolean');
      return settle(() => {
        const after = cursor ? decodeURIComponent(cursor) : null;
        const all = backend
          .keys(this.#name)
          .filter((k) => k.startsWith(prefix ?? '') && (after === null || k > after))
          .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        const page = all.slice(0, limit ?? MAX_LIST);
        const last = page[page.length - 1];
        return { list: page, cursor: all.length > page.length && last !== undefined ? encodeURIComponent(last) : undefined };
      });
    }
  }

  return { KVStore };
}
