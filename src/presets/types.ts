import type { Consistency, StoreKind } from '../ir/index.js';

/**
 * A preset is plain data: how one library (or one class of API) is recognised in a
 * program, what its calls do to data, and how codegen lowers them. One file per preset
 * in this folder; `_template.ts` is the one to copy. Presets live in the foundation
 * because two stages read them: the analyzer (recognition) and codegen (lowering).
 *
 * Three sorts of preset:
 *   store presets       `store` set, `capability` null (pg, KV, fetch…): calls are accesses
 *   capability presets  `store` null, `capability` set (dom, secrets, node-server): uses are constraints
 *   framework presets   both null (hono, express): only `handles`, the request objects
 */
export interface Preset {
  /** The name used in stopline.yaml (`preset: pg`). */
  readonly name: string;
  readonly description: string;
  /** npm packages (or `fastly:`-style module names) whose import signals the library; used by `init` and store detection. A subpath import (`drizzle-orm/pg-core`) counts for its package. */
  readonly packages: readonly string[];
  /** For store presets: what the store is by default and how codegen reaches it. Null for capability and framework presets. */
  readonly store: PresetStore | null;
  /** For capability presets (dom, secrets, node-server): what using the API implies. Null for store and framework presets. */
  readonly capability: Capability | null;
  /** Calls that access the store (store presets) or use the capability. */
  readonly calls: readonly CallRule[];
  /** Non-call references that use the capability (`process.env.X`, `document`). */
  readonly references: readonly ReferenceRule[];
  /** Types whose values are store handles, session resources or request objects. */
  readonly handles: readonly HandleRule[];
}

export type Capability = 'secret' | 'client-only' | 'server-only';

export interface PresetStore {
  readonly kind: StoreKind;
  readonly consistency: Consistency;
  /** Default home: `origin` = the last stop of the line, `client` = the first. */
  readonly home: 'origin' | 'client';
  /** Default replicas: `edges` = every stop strictly between the first and the last. */
  readonly replicas: 'edges' | 'none';
  /** The WIT interface codegen lowers the calls to, e.g. `wasi:keyvalue/store`. */
  readonly lowering: string;
}

/**
 * Which declaration a call or reference must resolve to (after following import aliases
 * and inherited members). Every string field is a glob where `*` matches any run of
 * characters (`find*`, `*Delegate`, `HTML*Element`); a lone `*` matches anything.
 *
 * `module`  the module the declaration belongs to. A declaration inside
 *           `declare module 'x'` belongs to 'x'; one in a module file under
 *           `node_modules/<pkg>/…` or `node_modules/@types/<pkg>/…` belongs to `<pkg>`
 *           (`@types/scope__name` → `@scope/name`). `node:` prefixes are dropped on both
 *           sides, and a pattern also matches the module's subpaths ('fs' matches
 *           'fs/promises', 'drizzle-orm' matches 'drizzle-orm/pg-core').
 *           null: a global declaration (TypeScript's lib files, @cloudflare/workers-types'
 *           global interfaces, `declare global`, an ambient script file).
 * `owner`   the containing class, interface, namespace, type alias or function, dotted
 *           from the outside in (`NodeJS.Process`, `Deno.Kv`, `Prisma.UserDelegate`,
 *           `PgDatabase.with` for a member of an object type returned by `with`). A pattern
 *           matches the whole dotted owner or any dotted suffix of it ('Process' matches
 *           `NodeJS.Process`). For a call rule it also matches the name of the receiver's
 *           type (its type alias, class or interface name) — how node-redis' mapped
 *           command types are recognised (`RedisClientType`). null: no owner (a
 *           module-level export or a global variable/function); `*`: any owner or none.
 * `name`    the member or export.
 * `from`    optional: where the declaring file comes from, when `module` alone cannot
 *           tell. An npm package name ('node' for @types/node, '@cloudflare/workers-types')
 *           or a TypeScript lib file name prefix ('lib.dom' matches lib.dom.d.ts and
 *           lib.dom.iterable.d.ts). This is how `document` from lib.dom is told apart from
 *           the `navigator` of @cloudflare/workers-types, both global.
 *
 * Rules with a `*` in `name` are expanded to the names the program's declaration files
 * declare under the pattern, and apply only in files that can reach them: a module's
 * exports in files whose text names the module ('fs', "node:fs/promises"); a global
 * interface's members in files whose text names one of the preset's globals or owner
 * types. A `*` member rule with `from: 'lib.…'` skips names other TypeScript lib files
 * also declare (`length`, `value`, `add`…). This keeps matching far cheaper than type
 * checking; exact names are always resolved.
 */
export interface SymbolPattern {
  readonly module: string | null;
  readonly owner: string | null;
  readonly name: string;
  readonly from?: string;
}

/**
 * read / write: fixed.
 * sql: classify the SQL text in argument `argument` (after leading whitespace and
 *   comments: SELECT, SHOW, EXPLAIN, DESCRIBE, WITH … SELECT without INSERT/UPDATE/DELETE
 *   → read; anything else → write; text that is not known at analysis time → write).
 *   With `via`, the SQL is argument `argument` of the call to method `via` found in the
 *   receiver chain (D1's `db.prepare(sql).bind(x).first()`, mysql2's
 *   `(await conn.prepare(sql)).execute()`).
 * http: the HTTP method from the init object in argument `argument` (GET/HEAD or absent → read, else write; not known → write).
 * member: the called member's name starts with one of `reads` → read, else write.
 */
export type OpRule =
  | 'read'
  | 'write'
  | { readonly sql: { readonly argument: number; readonly via?: string } }
  | { readonly http: { readonly argument: number } }
  | { readonly member: { readonly reads: readonly string[] } };

export interface CallRule {
  readonly match: SymbolPattern;
  /** For store presets; ignored by capability presets. */
  readonly op: OpRule;
  /**
   * Optional, for http stores: the call reaches a store only when argument `argument`
   * is a string whose known prefix (a literal, or a template's text up to its first
   * unknown part) starts with the store's `urlPrefix`. Other calls are not accesses.
   */
  readonly url?: { readonly argument: number };
}

export interface ReferenceRule {
  readonly match: SymbolPattern;
}

export interface HandleRule {
  /** The type (class, interface or type alias) whose values are handles: `name` is the type's own name, `owner` its namespace (null at top level). Base types count: a class extending a handle class is a handle. */
  readonly match: SymbolPattern;
  readonly kind: 'store-handle' | 'resource' | 'request';
}
