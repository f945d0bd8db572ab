import type { KvValue, KvView } from '../stores/index.js';
import { MAX_BULK, MAX_LIST, checkKey, checkPutOptions, getType, type KvGetType, type KvListOptions, type KvPutOptions } from '../../presets/calls/workers-kv.js';
export type { KvGetType, KvListOptions, KvPutOptions } from '../../presets/calls/workers-kv.js';

/**
 * Cloudflare Workers KV (`KVNamespace`, what `env.CACHE` is) with its call shapes, on one
 * copy of an embedded KV store: the view at the stop where the code runs
 * (`kv.at('edge')`). Reads see that copy, writes land in it and replicate with the store's
 * lag (src/runtime/stores/kv.ts).
 *
 *   env.CARTS = createKvNamespace(carts.at('edge'));
 *   await env.CARTS.get('cart:ada', 'json');            // also { type: 'json' }, and a key array → Map
 *   await env.CARTS.put('k', 'v', { expirationTtl: 3600 });
 *   await env.CARTS.list({ prefix: 'cart:', limit: 10 });
 *
 * Every call acts on the store when it is made (the store is synchronous) and returns a
 * settled promise, except `put` of a ReadableStream, which writes once the stream is read.
 * Values: strings are stored as strings, ArrayBuffer / views / streams as bytes; `get` as
 * 'text' decodes bytes as UTF-8, as 'arrayBuffer' / 'stream' encodes strings.
 *
 * Not emulated (documented, not silent):
 *   - expiration: `expiration` / `expirationTtl` are validated as Cloudflare does (a TTL
 *     under 60 s is refused) and then ignored — nothing expires on the virtual clock;
 *   - metadata: the embedded store (like wasi:keyvalue) keeps values only, so `put` with
 *     `metadata` rejects with a TypeError; `getWithMetadata` and `list` give `metadata: null`
 *     / none;
 *   - `cacheTtl` is accepted and ignored; `cacheStatus` is null.
 * Key checks follow Cloudflare's limits (non-empty, not `.` or `..`, at most 512 UTF-8
 * bytes); the messages are close to Cloudflare's, not identical.
 */

export interface KvListKey {
  readonly name: string;
}

export type KvListResult =
  | { readonly list_complete: false; readonly keys: KvListKey[]; readonly cursor: string; readonly cacheStatus: null }
  | { readonly list_complete: true; readonly keys: KvListKey[]; readonly cacheStatus: null };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function asBytes(value: KvValue): Uint8Array {
  return typeof value === 'string' ? encoder.encode(value) : value;
}

function convert(value: KvValue | undefined, type: KvGetType): unknown {
  if (value === undefined) return null;
  switch (type) {
    case 'text':
      return typeof value === 'string' ? value : decoder.decode(value);
    case 'json':
      return JSON.parse(typeof value === 'string' ? value : decoder.decode(value)) as unknown;
    case 'arrayBuffer': {
      const bytes = asBytes(value);
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    }
    case 'stream': {
      const bytes = asBytes(value);
      return new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(bytes);
          controller.close();
        },
      });
    }
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
  return new Uint8Array(Buffer.concat(chunks));
}

/** A value given to `put`, as the store keeps it, or the stream it must first be read from. */
function storedValue(value: unknown): KvValue | ReadableStream<unknown> {
  if (typeof value === 'string') return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value.slice(0));
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength));
  if (value instanceof ReadableStream) return value;
  throw new TypeError('KV put() accepts only strings, ArrayBuffers, ArrayBufferViews, and ReadableStreams as values.');
}

/** Cloudflare's `KVNamespace` on one copy of an embedded KV store. */
export class KvNamespaceShim {
  readonly #view: KvView;

  constructor(view: KvView) {
    this.#view = view;
  }

  /** The stop whose copy this namespace reads and writes. */
  get stop(): string {
    return this.#view.stop;
  }

  get(key: string | readonly string[], typeOrOptions?: KvGetType | { type?: KvGetType; cacheTtl?: number }): Promise<unknown> {
    try {
      const type = getType(typeOrOptions);
      if (typeof key !== 'string' && Array.isArray(key)) {
        if (type === 'arrayBuffer' || type === 'stream') throw new TypeError(`KV GET failed: bulk get supports only "text" and "json", not "${type}"`);
        if (key.length > MAX_BULK) throw new TypeError(`KV GET failed: bulk get takes at most ${MAX_BULK} keys`);
        const keys = (key as readonly unknown[]).map((k) => checkKey('GET', k));
        return Promise.resolve(new Map(keys.map((k) => [k, convert(this.#view.get(k), type)])));
      }
      return Promise.resolve(convert(this.#view.get(checkKey('GET', key)), type));
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
      if (stored instanceof ReadableStream) return readStream(stored).then((bytes) => this.#view.set(k, bytes));
      this.#view.set(k, stored);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  delete(key: string): Promise<void> {
    try {
      this.#view.delete(checkKey('DELETE', key));
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  /** Keys in UTF-16 order (Cloudflare sorts by UTF-8 bytes: the same for BMP-only keys); the cursor is the last key given. */
  list(options: KvListOptions = {}): Promise<KvListResult> {
    try {
      const prefix = options.prefix ?? '';
      const limit = options.limit ?? MAX_LIST;
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST) throw new TypeError(`KV LIST failed: 400 Invalid key_count_limit of ${String(limit)}. Please specify an integer between 1 and ${MAX_LIST}.`);
      const after = options.cursor ? Buffer.from(options.cursor, 'base64url').toString('utf8') : null;
      const all = this.#view.list(prefix).filter((k) => after === null || k > after);
      const keys = all.slice(0, limit).map((name) => ({ name }));
      const last = keys[keys.length - 1];
      if (all.length > limit && last) {
        return Promise.resolve({ list_complete: false, keys, cursor: Buffer.from(last.name, 'utf8').toString('base64url'), cacheStatus: null });
      }
      return Promise.resolve({ list_complete: true, keys, cacheStatus: null });
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }
}

/** `env.NAME` for a Workers KV binding: the namespace on `view`'s copy. */
export function createKvNamespace(view: KvView): KvNamespaceShim {
  return new KvNamespaceShim(view);
}
