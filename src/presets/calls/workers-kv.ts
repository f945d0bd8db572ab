/**
 * Cloudflare Workers KV's call shapes that do not depend on where the store is: types,
 * limits, key and option checks. Shared by the Node shim (src/runtime/shims) and the
 * guest lowering inside components (codegen/lower), so both reject the same calls with
 * the same errors. Plain web JavaScript: it runs in Node and in StarlingMonkey.
 */

const encoder = new TextEncoder();

export type KvGetType = 'text' | 'json' | 'arrayBuffer' | 'stream';

export interface KvListOptions {
  readonly prefix?: string | null;
  readonly limit?: number;
  readonly cursor?: string | null;
}

export interface KvPutOptions {
  readonly expiration?: number;
  readonly expirationTtl?: number;
  readonly metadata?: unknown;
}

export const MAX_KEY_BYTES = 512;

export const MAX_LIST = 1000;

export const MAX_BULK = 100;

export function checkKey(op: string, key: unknown): string {
  if (typeof key !== 'string') throw new TypeError(`KV ${op} failed: key must be a string, got ${typeof key}`);
  if (key === '') throw new TypeError(`KV ${op} failed: 400 Key names must not be empty.`);
  if (key === '.' || key === '..') throw new TypeError(`KV ${op} failed: 400 Illegal key name "${key}". Please use a different name.`);
  const bytes = encoder.encode(key).length;
  if (bytes > MAX_KEY_BYTES) throw new TypeError(`KV ${op} failed: 414 UTF-8 encoded length of ${bytes} exceeds key length limit of ${MAX_KEY_BYTES}.`);
  return key;
}

export function getType(typeOrOptions: unknown): KvGetType {
  const type = typeof typeOrOptions === 'object' && typeOrOptions !== null ? (typeOrOptions as { type?: unknown }).type : typeOrOptions;
  if (type === undefined) return 'text';
  if (type === 'text' || type === 'json' || type === 'arrayBuffer' || type === 'stream') return type;
  throw new TypeError(`Unknown response type. Possible types are "text", "arrayBuffer", "json", and "stream".`);
}

export function checkPutOptions(options: unknown): void {
  if (options === undefined || options === null) return;
  if (typeof options !== 'object') throw new TypeError('KV PUT failed: options must be an object');
  const { expiration, expirationTtl, metadata } = options as KvPutOptions;
  if (metadata !== undefined && metadata !== null) {
    throw new TypeError('KV shim: metadata is not supported (the embedded store, like wasi:keyvalue, keeps values only)');
  }
  if (expirationTtl !== undefined && (typeof expirationTtl !== 'number' || !(expirationTtl >= 60))) {
    throw new TypeError(`KV PUT failed: 400 Invalid expiration_ttl of ${String(expirationTtl)}. Expiration TTL must be at least 60.`);
  }
  if (expiration !== undefined && (typeof expiration !== 'number' || !Number.isFinite(expiration))) {
    throw new TypeError(`KV PUT failed: 400 Invalid expiration of ${String(expiration)}.`);
  }
}
