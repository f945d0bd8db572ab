import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { KvEntry, KvStore } from './kv.js';
import type { LocalStore } from './local.js';
import { SqlError, type SqlStore } from './sql.js';

/**
 * A store seed file: the data the embedded stores start with, for `stopline run` and the
 * differential tests. JSON:
 *
 *   {
 *     "sql":   { "<store>": "<SQL text>" | ["<line>", …] | { "file": "<path>" } },
 *     "kv":    { "<store>": { "<key>": "<value>" | { "base64": "<bytes>" } } },
 *     "local": { "<store>": { "<client id>": { "<key>": "<value>" } } }
 *   }
 *
 * Every section is optional; `$schema` is allowed and ignored. An array of SQL lines is
 * joined with newlines; a `file` is read relative to the seed file's folder. Errors are
 * values with a JSON path (`["kv", "cache", "user:1"]`) for the CLI to turn into
 * diagnostics; nothing here throws for bad input.
 */

export type SeedPath = readonly (string | number)[];

export type SeedErrorCode =
  /** The seed file cannot be read. */
  | 'read'
  /** Not JSON. */
  | 'json'
  /** JSON of the wrong shape. */
  | 'schema'
  /** A `{ "file": … }` SQL source cannot be read. */
  | 'sql-file'
  /** The seed names a store the program does not have (of that kind). */
  | 'unknown-store'
  /** The store rejected the seed's SQL (the message is SQLite's). */
  | 'sql'
  /** A client's local items exceed the local store's quota. */
  | 'quota';

export interface SeedError {
  readonly code: SeedErrorCode;
  /** The seed file, when the seed came from one. */
  readonly file: string | null;
  /** Where in the JSON: [] for the whole document. */
  readonly path: SeedPath;
  readonly message: string;
  /** 1-based line and column, for JSON syntax errors whose position is known. */
  readonly position?: { readonly line: number; readonly column: number };
}

export interface StoreSeed {
  /** Store → SQL script. */
  readonly sql: Readonly<Record<string, string>>;
  /** Store → entries in file order. */
  readonly kv: Readonly<Record<string, readonly KvEntry[]>>;
  /** Store → client id → key → value. */
  readonly local: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, string>>>>>>;
}

export type SeedResult = { readonly ok: true; readonly seed: StoreSeed } | { readonly ok: false; readonly errors: SeedError[] };

export interface ParseSeedOptions {
  /** The file the text came from: errors name it, and `{ "file" }` SQL sources are read relative to it. */
  readonly file?: string;
  /** How `{ "file" }` sources are read; default: fs.readFileSync as UTF-8. */
  readonly readFile?: (file: string) => string;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const sqlSource = z.union([z.string(), z.array(z.string()), z.strictObject({ file: z.string().min(1) })], {
  error: 'expected SQL text, an array of SQL lines, or { "file": "<path>" }',
});
const kvValue = z.union([z.string(), z.strictObject({ base64: z.string().regex(BASE64, 'not valid base64') })], {
  error: 'expected a string or { "base64": "<bytes>" }',
});
const seedSchema = z.strictObject({
  $schema: z.string().optional(),
  sql: z.record(z.string(), sqlSource).optional(),
  kv: z.record(z.string(), z.record(z.string(), kvValue)).optional(),
  local: z.record(z.string(), z.record(z.string(), z.record(z.string(), z.string()))).optional(),
});

/** `$.kv.cache["user:1"]`: a path for messages. */
export function seedPathText(p: SeedPath): string {
  return p.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : /^[A-Za-z_$][\w$]*$/.test(part) ? `${acc}.${part}` : `${acc}[${JSON.stringify(part)}]`), '$');
}

function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

/** Reads and validates a seed file. */
export function loadSeedFile(file: string, options: Omit<ParseSeedOptions, 'file'> = {}): SeedResult {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return { ok: false, errors: [{ code: 'read', file, path: [], message: `Cannot read seed file: ${(error as Error).message}` }] };
  }
  return parseSeed(text, { ...options, file });
}

/** Validates seed JSON text and resolves its `{ "file" }` SQL sources. */
export function parseSeed(text: string, options: ParseSeedOptions = {}): SeedResult {
  const file = options.file ?? null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const at = /at position (\d+)/.exec(message);
    const err: SeedError = { code: 'json', file, path: [], message: `Seed file is not valid JSON: ${message}` };
    return { ok: false, errors: [at ? { ...err, position: positionOf(text, Number(at[1])) } : err] };
  }

  const parsed = seedSchema.safeParse(raw);
  if (!parsed.success) {
    const errors = parsed.error.issues.flatMap((issue): SeedError[] => {
      const at = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => ({ code: 'schema', file, path: [...at, key], message: `Unknown key '${key}'${at.length ? '' : ' (expected sql, kv, local)'}` }));
      }
      return [{ code: 'schema', file, path: at, message: issue.message }];
    });
    return { ok: false, errors };
  }

  const errors: SeedError[] = [];
  const readFile = options.readFile ?? ((f: string) => fs.readFileSync(f, 'utf8'));
  const baseDir = file ? path.dirname(file) : process.cwd();
  const sql: Record<string, string> = {};
  for (const [store, source] of Object.entries(parsed.data.sql ?? {})) {
    if (typeof source === 'string') sql[store] = source;
    else if (Array.isArray(source)) sql[store] = source.join('\n');
    else {
      try {
        sql[store] = readFile(path.resolve(baseDir, source.file));
      } catch (error) {
        errors.push({ code: 'sql-file', file, path: ['sql', store, 'file'], message: `Cannot read SQL file ${source.file}: ${(error as Error).message}` });
      }
    }
  }
  if (errors.length) return { ok: false, errors };

  const kv: Record<string, KvEntry[]> = {};
  for (const [store, entries] of Object.entries(parsed.data.kv ?? {})) {
    kv[store] = Object.entries(entries).map(([key, value]): KvEntry => [key, typeof value === 'string' ? value : new Uint8Array(Buffer.from(value.base64, 'base64'))]);
  }
  return { ok: true, seed: { sql, kv, local: parsed.data.local ?? {} } };
}

export interface SeedTargets {
  readonly sql?: ReadonlyMap<string, SqlStore>;
  readonly kv?: ReadonlyMap<string, KvStore>;
  readonly local?: ReadonlyMap<string, LocalStore>;
}

/**
 * Loads a seed into open stores: SQL scripts run through `exec`, KV entries are written at
 * the home and settled (visible everywhere), local items set per client. A store the seed
 * names but `targets` lacks, or SQL the store rejects, is an error value; the other stores
 * are still seeded.
 */
export function applySeed(seed: StoreSeed, targets: SeedTargets, file: string | null = null): SeedError[] {
  const errors: SeedError[] = [];
  const unknown = (kind: 'sql' | 'kv' | 'local', store: string): void => {
    const known = [...(targets[kind]?.keys() ?? [])].sort();
    errors.push({ code: 'unknown-store', file, path: [kind, store], message: `No ${kind} store named '${store}' (${kind} stores: ${known.length ? known.join(', ') : 'none'})` });
  };
  for (const [name, script] of Object.entries(seed.sql)) {
    const store = targets.sql?.get(name);
    if (!store) {
      unknown('sql', name);
      continue;
    }
    try {
      store.exec(script);
    } catch (error) {
      if (!(error instanceof SqlError)) throw error;
      errors.push({ code: 'sql', file, path: ['sql', name], message: error.message });
    }
  }
  for (const [name, entries] of Object.entries(seed.kv)) {
    const store = targets.kv?.get(name);
    if (store) store.seed(entries);
    else unknown('kv', name);
  }
  for (const [name, clients] of Object.entries(seed.local)) {
    const store = targets.local?.get(name);
    if (!store) {
      unknown('local', name);
      continue;
    }
    for (const [client, items] of Object.entries(clients)) {
      try {
        store.seed(client, items);
      } catch (error) {
        if (!(error instanceof DOMException)) throw error;
        errors.push({ code: 'quota', file, path: ['local', name, client], message: error.message });
      }
    }
  }
  return errors;
}
