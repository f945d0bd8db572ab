// Stands in for Deno's lib.deno.ns.d.ts (a global namespace; not installable from npm).
declare namespace Deno {
  export type KvKey = readonly unknown[];
  export interface KvEntryMaybe<T> {
    key: KvKey;
    value: T | null;
    versionstamp: string | null;
  }
  export interface KvCommitResult {
    ok: true;
    versionstamp: string;
  }
  export class AtomicOperation {
    check(...checks: { key: KvKey; versionstamp: string | null }[]): this;
    set(key: KvKey, value: unknown): this;
    delete(key: KvKey): this;
    commit(): Promise<KvCommitResult | { ok: false }>;
  }
  export class Kv {
    get<T = unknown>(key: KvKey): Promise<KvEntryMaybe<T>>;
    getMany<T extends readonly unknown[]>(keys: readonly KvKey[]): Promise<KvEntryMaybe<T[number]>[]>;
    list<T = unknown>(selector: { prefix: KvKey }): AsyncIterableIterator<KvEntryMaybe<T>>;
    set(key: KvKey, value: unknown): Promise<KvCommitResult>;
    delete(key: KvKey): Promise<void>;
    atomic(): AtomicOperation;
    close(): void;
  }
  export function openKv(path?: string): Promise<Kv>;
  export interface Env {
    get(key: string): string | undefined;
    toObject(): Record<string, string>;
  }
  export const env: Env;
}
