import fs from 'node:fs';
import path from 'node:path';
import type { StoplineConfig, StoreConfig } from '../config/index.js';
import { getPreset } from '../presets/index.js';
import { dumpStores, openConfiguredStores, seedStores, type OpenedStores, type StoresDump } from '../runtime/original/stores.js';
import { createSqlEngine, openKvStore, VirtualClock, type Clock, type KvEntry, type KvStore, type KvValue, type KvView, type SqlConnection, type SqlEngine, type SqlParams, type SqlResult, type SqlStore, type SqlTableDump } from '../runtime/stores/index.js';

/**
 * The stores of `stopline serve`, kept in a state folder so that the stops' processes
 * (one `jco serve` each) share them and a test can read their final contents:
 *
 *   <state>/sql/<store>.sqlite   an SQL store: SQLite file bytes (sql.js)
 *   <state>/kv/<store>.json      a KV store: `{ "entries": [[key, value], …] }`, bytes as `{ "base64": … }`
 *
 * Every file is written atomically (a temporary file in the same folder, then rename), so
 * a reader sees the old contents or the new, never half. A process holds the store opened
 * from the file and opens it again when the file changed since it last read or wrote it
 * (size, modification time or inode differ) — never while it holds an SQL connection.
 * Writes are saved as soon as nothing holds the store: an SQL statement that may write
 * when no connection is held, else when the last connection is released (its transaction
 * committed or rolled back); every KV set and delete at once.
 *
 * A KV store is one copy here (no replication lag): every stop reads and writes the same
 * data, as a store with `lagMs: 0` on the line shows it once settled. A stop's requests
 * are served one at a time (a `jco serve` process runs its component's handler to the
 * end before the next request), and a stop waiting for a link call does not serve, so the
 * stores see one access at a time along the line.
 */

export const SQL_DIR = 'sql';
export const KV_DIR = 'kv';

type Kind = 'sql' | 'kv' | 'local' | null;

function kindOf(store: StoreConfig): Kind {
  const kind = getPreset(store.preset)?.store?.kind;
  return kind === 'sql' || kind === 'kv' || kind === 'local' ? kind : null;
}

export function sqlFile(stateDir: string, store: string): string {
  return path.join(stateDir, SQL_DIR, `${store}.sqlite`);
}

export function kvFile(stateDir: string, store: string): string {
  return path.join(stateDir, KV_DIR, `${store}.json`);
}

/** Writes `data` to `file` atomically (temporary file + rename). */
export function writeAtomically(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

type Stamp = string;

function stampOf(file: string): Stamp | null {
  try {
    const s = fs.statSync(file, { bigint: true });
    return `${s.ino}:${s.size}:${s.mtimeNs}`;
  } catch {
    return null;
  }
}

function kvJson(entries: readonly KvEntry[]): string {
  return `${JSON.stringify({ entries: entries.map(([k, v]) => [k, typeof v === 'string' ? v : { base64: Buffer.from(v).toString('base64') }]) })}\n`;
}

function kvEntries(text: string, file: string): KvEntry[] {
  const data = JSON.parse(text) as { entries?: unknown };
  if (!Array.isArray(data.entries)) throw new Error(`${file}: not a KV state file`);
  return data.entries.map((e: unknown) => {
    if (!Array.isArray(e) || typeof e[0] !== 'string') throw new Error(`${file}: not a KV state file`);
    const v = e[1] as unknown;
    const value: KvValue = typeof v === 'string' ? v : new Uint8Array(Buffer.from(String((v as { base64?: unknown }).base64), 'base64'));
    return [e[0], value] as const;
  });
}

/** Writes the stores' contents (opened on the embedded stores, e.g. seeded) into the state folder. */
export function writeState(stores: OpenedStores, stateDir: string): void {
  for (const [name, store] of stores.sql) writeAtomically(sqlFile(stateDir, name), store.exportAndClose());
  for (const [name, store] of stores.kv) {
    store.settle();
    writeAtomically(kvFile(stateDir, name), kvJson(store.dump()));
  }
}

/** Fills the state folder with the config's stores, seeded from `seedFile` (null: empty), as `stopline run` seeds them. */
export async function seedState(config: StoplineConfig, stateDir: string, seedFile: string | null): Promise<void> {
  const stores = await openConfiguredStores(config, { clock: new VirtualClock(0) });
  try {
    if (seedFile !== null) seedStores(stores, seedFile);
    writeState(stores, stateDir);
  } finally {
    stores.close();
  }
}

let engine: Promise<SqlEngine> | null = null;
const sqlEngine = (): Promise<SqlEngine> => (engine ??= createSqlEngine());

/** The stores' contents in the state folder, in the form `runOriginal` reports them (`StoresDump`). */
export async function readState(config: StoplineConfig, stateDir: string): Promise<StoresDump> {
  const stores = await openStateStores(config.stores, stateDir, { clock: new VirtualClock(0) });
  try {
    return dumpStores(stores);
  } finally {
    stores.close();
  }
}

export interface StateStoresOptions {
  /** what SQL `now()` reads */
  readonly clock: Clock;
}

/** The state folder's stores as embedded stores that follow their files (see the module comment). */
export async function openStateStores(stores: readonly StoreConfig[], stateDir: string, options: StateStoresOptions): Promise<OpenedStores> {
  const sqlJs = await sqlEngine();
  const sql = new Map<string, SqlStore>();
  const kv = new Map<string, KvStore>();
  for (const store of stores) {
    const kind = kindOf(store);
    if (kind === 'sql') sql.set(store.name, fileSqlStore(store.name, sqlFile(stateDir, store.name), (data) => sqlJs.openSqlStore({ name: store.name, now: () => options.clock.now(), ...(data ? { data } : {}) })));
    else if (kind === 'kv') kv.set(store.name, fileKvStore(store, kvFile(stateDir, store.name), options.clock));
  }
  return {
    list: [],
    sql,
    kv,
    local: new Map(),
    close: () => {
      for (const s of sql.values()) s.close();
    },
  };
}

const READ_ONLY = /^\s*(select|explain)\b/i;

/**
 * An SQL store backed by a file: reopened when the file changed (never while a connection
 * is held), saved once nothing holds it after a statement that may write (saving reopens
 * the database, which would end a held connection).
 */
function fileSqlStore(name: string, file: string, open: (data: Uint8Array | undefined) => SqlStore): SqlStore {
  let stamp: Stamp | null = null;
  let store: SqlStore | null = null;
  let live = 0; // connections not released
  let dirty = false;
  const current = (): SqlStore => {
    const now = stampOf(file);
    if (store !== null && (now === stamp || live > 0)) return store;
    store?.close();
    store = open(now === null ? undefined : new Uint8Array(fs.readFileSync(file)));
    stamp = now;
    return store;
  };
  const settle = (): void => {
    if (!dirty || store === null || live > 0 || store.inTransaction) return;
    const bytes = store.exportAndClose();
    writeAtomically(file, bytes);
    store = open(bytes);
    stamp = stampOf(file);
    dirty = false;
  };
  const wrapConnection = (inner: SqlConnection): SqlConnection => {
    live++;
    let held = true;
    return {
      get id() {
        return inner.id;
      },
      get inTransaction() {
        return inner.inTransaction;
      },
      get released() {
        return inner.released;
      },
      query(sql: string, params?: SqlParams): SqlResult {
        if (!READ_ONLY.test(sql)) dirty = true;
        return inner.query(sql, params);
      },
      release(): void {
        try {
          inner.release();
        } finally {
          if (held) live--;
          held = false;
          settle();
        }
      },
    };
  };
  return {
    name,
    get inTransaction() {
      return current().inTransaction;
    },
    exec(sql: string) {
      dirty = true;
      current().exec(sql);
      settle();
    },
    query(sql: string, params?: SqlParams): SqlResult {
      const target = current();
      if (!READ_ONLY.test(sql)) dirty = true;
      try {
        return target.query(sql, params);
      } finally {
        settle();
      }
    },
    connect: () => wrapConnection(current().connect()),
    dump: (): SqlTableDump[] => current().dump(),
    exportAndClose: () => current().exportAndClose(),
    close: () => {
      store?.close();
      store = null;
      stamp = null;
    },
  };
}

/** A KV store backed by a file: one copy (see the module comment), reread when the file changed, saved after each write. */
function fileKvStore(config: StoreConfig, file: string, clock: Clock): KvStore {
  let stamp: Stamp | null = null;
  let store: KvStore | null = null;
  const current = (): KvStore => {
    const now = stampOf(file);
    if (store !== null && now === stamp) return store;
    store = openKvStore({ name: config.name, home: config.home, replicas: config.replicas, lagMs: 0, clock });
    if (now !== null) store.seed(kvEntries(fs.readFileSync(file, 'utf8'), file));
    stamp = now;
    return store;
  };
  const save = (): void => {
    if (store === null) return;
    store.settle();
    writeAtomically(file, kvJson(store.dump()));
    stamp = stampOf(file);
  };
  const view = (stop: string): KvView => ({
    stop,
    get: (key) => current().at(config.home).get(key),
    has: (key) => current().at(config.home).has(key),
    set: (key, value) => {
      current().at(config.home).set(key, value);
      save();
    },
    delete: (key) => {
      current().at(config.home).delete(key);
      save();
    },
    list: (prefix) => current().at(config.home).list(prefix),
  });
  return {
    name: config.name,
    home: config.home,
    replicas: config.replicas,
    lagMs: 0,
    at: view,
    seed: (entries) => {
      current().seed(entries);
      save();
    },
    settle: () => current().settle(),
    pending: () => 0,
    dump: () => current().dump(),
  };
}
