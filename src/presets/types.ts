import type { Consistency, StoreKind } from '../ir/index.js';

/**
 * A preset is plain data: how one library (or one class of API) is recognised in a
 * program, what its calls do to data, and how codegen lowers them. One file per preset
 * in this folder; `_template.ts` is the one to copy. Presets live in the foundation
 * because two stages read them: the analyzer (recognition) and codegen (lowering).
 */
export interface Preset {
  /** The name used in stopline.yaml (`preset: pg`). */
  readonly name: string;
  readonly description: string;
  /** npm packages (or `fastly:`-style module names) whose import signals the library; used by `init` and store detection. */
  readonly packages: readonly string[];
  /** For store presets: what the store is by default and how codegen reaches it. Null for capability presets. */
  readonly store: PresetStore | null;
  /** For capability presets (dom, secrets, node-server): what using the API implies. Null for store presets. */
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
 * Which declaration a call or reference must resolve to. `module` is the module the
 * declaration belongs to ('pg' for node_modules/@types/pg or `declare module 'pg'`);
 * null means a global declaration (lib.dom.d.ts, @cloudflare/workers-types, an ambient
 * global). `owner` is the containing class, interface or namespace, null for a
 * module-level export or global. `name` is the member or export; a trailing `*` matches
 * a prefix, a lone `*` any name.
 */
export interface SymbolPattern {
  readonly module: string | null;
  readonly owner: string | null;
  readonly name: string;
}

/**
 * read / write: fixed.
 * sql: classify the SQL text in argument `argument` (SELECT/WITH … SELECT → read, else write; not a literal → write).
 * http: the HTTP method from the init object in argument `argument` (GET/HEAD or absent → read, else write).
 * member: the called member's name starts with one of `reads` → read, else write.
 */
export type OpRule =
  | 'read'
  | 'write'
  | { readonly sql: { readonly argument: number } }
  | { readonly http: { readonly argument: number } }
  | { readonly member: { readonly reads: readonly string[] } };

export interface CallRule {
  readonly match: SymbolPattern;
  /** For store presets; ignored by capability presets. */
  readonly op: OpRule;
}

export interface ReferenceRule {
  readonly match: SymbolPattern;
}

export interface HandleRule {
  /** The type (class or interface) whose values are handles. */
  readonly match: SymbolPattern;
  readonly kind: 'store-handle' | 'resource' | 'request';
}
