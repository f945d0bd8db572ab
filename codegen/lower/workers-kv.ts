import { payloadOf, type BucketResource, type KeyvalueStoreImport } from './imports.js';
import { MAX_BULK, MAX_LIST, checkKey, checkPutOptions, getType, type KvGetType, type KvListOptions, type KvPutOptions } from '../../src/presets/calls/workers-kv.js';
export type { KvGetType, KvListOptions, KvPutOptions } from '../../src/presets/calls/workers-kv.js';

/**
 * Cloudflare Workers KV (`env.CARTS`) inside a component, over `wasi:keyvalue/store`: the
 * call shapes of the Node-side shim (src/runtime/shims/cloudflare-kv.ts). One bucket per
 * store, opened on first use with the store's name from stopline.yaml as its identifier
 * (the host decides which copy of the store this stop reads and writes).
 *
 * Values: wasi:keyvalue keeps bytes, so a string is written as its UTF-8 bytes and read
 * back by decoding them ('text', 'json'); a host that keeps strings apart from bytes cannot
 * tell them apart (the embedded store's dump shows bytes where the original wrote a
 * string unless the host decodes UTF-8). Same key checks, same errors, same unsupported
 * parts as the shim: expiration validated then ignored, metadata refused, cacheTtl
 * ignored. `list` reads every page of `list-keys`, then filters by prefix and sorts (UTF-16
 * order) itself; its cursor is the base64url of the last key given, as the shim's.
 */

export type KvListResult =
  | { readonly list_complete: false; readonly keys: { name: string }[]; readonly cursor: string; readonly cacheStatus: null }
  | { readonly list_complete: true; readonly keys: { name: string }[]; readonly cacheStatus: null };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function convert(value: Uint8Array | undefined, type: KvGetType): unknown {
  if (value === undefined) return null;
  switch (type) {
    case 'text':
      return decoder.decode(value);
    case 'json':
      return JSON.parse(decoder.decode(value)) as unknown;
    case 'arrayBuffer':
      return value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength);
    case 'stream':
      return new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(value);
          controller.close();
        },
      });
  }
}

async function readStream(stream: ReadableStream<unknown>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!(value instanceof Uint8Array)) throw new TypeError('KV PUT failed: a stream value must yield Uint8Array chunks');
    chunks.push(value);
  }
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function storedValue(value: unknown): Uint8Array | ReadableStream<unknown> {
  if (typeof value === 'string') return encoder.encode(value);
  if (value instanceof ArrayBuffer) return new Uint8Array(value.slice(0));
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength));
  if (typeof ReadableStream !== 'undefined' && value instanceof ReadableStream) return value;
  throw new TypeError('KV put() accepts only strings, ArrayBuffers, ArrayBufferViews, and ReadableStreams as values.');
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** base64url without padding (Buffer's 'base64url'), of a string's UTF-8 bytes. */
export function base64url(text: string): string {
  const bytes = encoder.encode(text);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2;
    for (let c = 0; c < chars; c++) out += B64[(n >> (18 - 6 * c)) & 63];
  }
  return out;
}

/** The inverse of `base64url` (lenient like Buffer: unknown characters are skipped). */
export function fromBase64url(text: string): string {
  const bytes: number[] = [];
  let bits = 0;
  let acc = 0;
  for (const ch of text.replace(/\+/g, '-').replace(/\//g, '_')) {
    const v = B64.indexOf(ch);
    if (v < 0) continue;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((acc >> bits) & 0xff);
    }
  }
  return decoder.decode(new Uint8Array(bytes));
}

function kvError(op: string, error: unknown): Error {
  const payload = payloadOf(error) as { tag?: unknown; val?: unknown } | undefined;
  if (payload && typeof payload.tag === 'string') {
    return new Error(`KV ${op} failed: ${payload.tag}${typeof payload.val === 'string' ? ` (${payload.val})` : ''}`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** Cloudflare's `KVNamespace` on the bucket `bucketName` of `wasi:keyvalue/store`. */
export class KvNamespace {
  readonly #store: KeyvalueStoreImport;
  readonly #bucketName: string;
  #bucket: BucketResource | null = null;

  constructor(store: KeyvalueStoreImport, bucketName: string) {
    this.#store = store;
    this.#bucketName = bucketName;
  }

  #open(op: string): BucketResource {
    if (this.#bucket === null) {
      try {
        this.#bucket = this.#store.open(this.#bucketName);
      } catch (error) {
        throw kvError(op, error);
      }
    }
    return this.#bucket;
  }

  #read(key: string): Uint8Array | undefined {
    const bucket = this.#open('GET');
    try {
      return bucket.get(key);
    } catch (error) {
      throw kvError('GET', error);
    }
  }

  get(key: string | readonly string[], typeOrOptions?: KvGetType | { type?: KvGetType; cacheTtl?: number }): Promise<unknown> {
    try {
      const type = getType(typeOrOptions);
      if (typeof key !== 'string' && Array.isArray(key)) {
        if (type === 'arrayBuffer' || type === 'stream') throw new TypeError(`KV GET failed: bulk get supports only "text" and "json", not "${type}"`);
        if (key.length > MAX_BULK) throw new TypeError(`KV GET failed: bulk get takes at most ${MAX_BULK} keys`);
        const keys = (key as readonly unknown[]).map((k) => checkKey('GET', k));
        return Promise.resolve(new Map(keys.map((k) => [k, convert(this.#read(k), type)])));
      }
      return Promise.resolve(convert(this.#read(checkKey('GET', key)), type));
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  async getWithMetadata(key: string, typeOrOptions?: KvGetType | { type?: KvGetType; cacheTtl?: number }): Promise<{ value: unknown; metadata: null; cacheStatus: null }> {
    const value = await this.get(key, typeOrOptions);
    return { value, metadata: null, cacheStatus: null };
  }

  put(key: string, value: unknown, options?: KvPutOptions): Promise<void> {
    try {
      const k = checkKey('PUT', key);
      checkPutOptions(options);
      const stored = storedValue(value);
      const write = (bytes: Uint8Array): void => {
        const bucket = this.#open('PUT');
        try {
          bucket.set(k, bytes);
        } catch (error) {
          throw kvError('PUT', error);
        }
      };
      if (!(stored instanceof Uint8Array)) return readStream(stored).then(write);
      write(stored);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  delete(key: string): Promise<void> {
    try {
      const k = checkKey('DELETE', key);
      const bucket = this.#open('DELETE');
      try {
        bucket.delete(k);
      } catch (error) {
        throw kvError('DELETE', error);
      }
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  list(options: KvListOptions = {}): Promise<KvListResult> {
    try {
      const prefix = options.prefix ?? '';
      const limit = options.limit ?? MAX_LIST;
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST) throw new TypeError(`KV LIST failed: 400 Invalid key_count_limit of ${String(limit)}. Please specify an integer between 1 and ${MAX_LIST}.`);
      const after = options.cursor ? fromBase64url(options.cursor) : null;
      const bucket = this.#open('LIST');
      const every: string[] = [];
      let cursor: bigint | undefined;
      do {
        let page;
        try {
          page = bucket.listKeys(cursor);
        } catch (error) {
          throw kvError('LIST', error);
        }
        every.push(...page.keys);
        cursor = page.cursor;
      } while (cursor !== undefined);
      const all = every.filter((k) => k.startsWith(prefix) && (after === null || k > after)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const keys = all.slice(0, limit).map((name) => ({ name }));
      const last = keys[keys.length - 1];
      if (all.length > limit && last) return Promise.resolve({ list_complete: false, keys, cursor: base64url(last.name), cacheStatus: null });
      return Promise.resolve({ list_complete: true, keys, cacheStatus: null });
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }
}

export function createKvNamespace(store: KeyvalueStoreImport, bucketName: string): KvNamespace {
  return new KvNamespace(store, bucketName);
}
