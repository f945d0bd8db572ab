import type { StoplineConfig } from '../../config/index.js';
import { getPreset } from '../../presets/index.js';
import { applySeed, createSqlEngine, loadSeedFile, openKvStore, openLocalStore, seedPathText, type Clock, type KvStore, type LocalClientDump, type LocalStore, type SqlEngine, type SqlStore, type SqlValue } from '../stores/index.js';
import type { OpenStore } from '../shims/index.js';
import { OriginalLoadError } from './transpile.js';

/**
 * The embedded stores of a project's config, opened empty and seeded, and their contents
 * as plain JSON for comparisons.
 */

export interface OpenedStores {
  readonly list: readonly OpenStore[];
  readonly sql: ReadonlyMap<string, SqlStore>;
  readonly kv: ReadonlyMap<string, KvStore>;
  readonly local: ReadonlyMap<string, LocalStore>;
  close(): void;
}

export interface OpenStoresOptions {
  readonly clock: Clock;
  /**
   * The time the program reads from its stores (SQL `now()`); default `clock`. The split
   * program on the line gives the request's arrival time here, while `clock` measures the
   * round trips (run-components.ts).
   */
  readonly programClock?: Clock;
  /** Replication lag of every KV store, in ms of virtual time (default 0). */
  readonly lagMs?: number;
}

let engine: Promise<SqlEngine> | null = null;

function sqlEngine(): Promise<SqlEngine> {
  engine ??= createSqlEngine().catch((error: unknown) => {
    engine = null;
    throw error;
  });
  return engine;
}

/** Opens one empty embedded store per store of the config (sql, kv or local, by its preset's kind). */
export async function openConfiguredStores(config: StoplineConfig, options: OpenStoresOptions): Promise<OpenedStores> {
  const list: OpenStore[] = [];
  for (const store of config.stores) {
    const kind = getPreset(store.preset)?.store?.kind;
    if (kind === 'sql') list.push({ kind, config: store, store: (await sqlEngine()).openSqlStore({ name: store.name, now: () => (options.programClock ?? options.clock).now() }) });
    else if (kind === 'kv') list.push({ kind, config: store, store: openKvStore({ name: store.name, home: store.home, replicas: store.replicas, lagMs: options.lagMs ?? 0, clock: options.clock }) });
    else if (kind === 'local') list.push({ kind, config: store, store: openLocalStore({ name: store.name }) });
    else throw new OriginalLoadError(`Store '${store.name}': preset '${store.preset}' has no embedded store (kind ${kind ?? 'unknown'})`);
  }
  const byKind = <K extends OpenStore['kind']>(kind: K) => new Map(list.flatMap((s) => (s.kind === kind ? [[s.config.name, s.store as Extract<OpenStore, { kind: K }>['store']] as const] : [])));
  const sql = byKind('sql');
  return {
    list,
    sql,
    kv: byKind('kv'),
    local: byKind('local'),
    close: () => {
      for (const s of sql.values()) s.close();
    },
  };
}

/** Loads a seed file into the stores; throws with every problem the seed has. */
export function seedStores(stores: OpenedStores, seedFile: string): void {
  const loaded = loadSeedFile(seedFile);
  const errors = loaded.ok ? applySeed(loaded.seed, stores, seedFile) : loaded.errors;
  if (errors.length > 0) {
    throw new OriginalLoadError(`Seed ${seedFile}:\n  ${errors.map((e) => `${seedPathText(e.path)}: ${e.message}`).join('\n  ')}`);
  }
}

// --- contents as JSON -----------------------------------------------------------------

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A SQL or KV value as JSON: bigint → `{ "$bigint": "…" }`, bytes → `{ "base64": "…" }` (the seed file's form). */
export function storeValueJson(value: SqlValue): JsonValue {
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  if (value instanceof Uint8Array) return { base64: Buffer.from(value).toString('base64') };
  return value;
}

export interface SqlTableJson {
  readonly table: string;
  readonly rows: Record<string, JsonValue>[];
}

export interface StoresDump {
  /** Store → every table, sorted by name, rows sorted. */
  readonly sql: Record<string, SqlTableJson[]>;
  /** Store → `[key, value]` sorted by key, after every write has replicated (the home copy, which every copy then equals). */
  readonly kv: Record<string, [string, JsonValue][]>;
  /** Store → clients with items, sorted. */
  readonly local: Record<string, LocalClientDump[]>;
}

/** Every store's contents. Settles the KV stores first (replication done; the clock does not move). */
export function dumpStores(stores: OpenedStores): StoresDump {
  const sql: Record<string, SqlTableJson[]> = {};
  const kv: Record<string, [string, JsonValue][]> = {};
  const local: Record<string, LocalClientDump[]> = {};
  const sorted = <T>(m: ReadonlyMap<string, T>): [string, T][] => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, store] of sorted(stores.sql)) {
    sql[name] = store.dump().map((t) => ({ table: t.table, rows: t.rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, storeValueJson(v)]))) }));
  }
  for (const [name, store] of sorted(stores.kv)) {
    store.settle();
    kv[name] = store.dump().map(([key, value]) => [key, storeValueJson(value)]);
  }
  for (const [name, store] of sorted(stores.local)) local[name] = store.dump();
  return { sql, kv, local };
}
