// Stands in for @fastly/js-compute's types (not installable here).
declare module 'fastly:kv-store' {
  export interface KVStoreEntry {
    text(): Promise<string>;
    json(): Promise<unknown>;
  }
  export class KVStore {
    constructor(name: string);
    get(key: string): Promise<KVStoreEntry | null>;
    put(key: string, value: string | ArrayBuffer): Promise<void>;
    delete(key: string): Promise<void>;
    list(options?: { prefix?: string }): Promise<{ list: string[] }>;
  }
}
