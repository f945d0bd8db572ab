import type { StoreConfig } from '../../../src/config/index.js';

/**
 * How a preset's library is given to a stop's component: the guest-side counterpart of
 * src/runtime/shims (which gives the same call shapes to the original program in Node).
 * One file per preset in this folder, registered in `registry.ts`; `bundleStop` asks the
 * lowering of every preset the config's stores use and composes the parts into the
 * stop's bundle. Every part is JavaScript source text: the bundle is assembled from
 * virtual modules by rolldown.
 */

/** `client` for an untrusted first stop, `server` for the others. */
export type StopWorld = 'client' | 'server';

export interface LoweringContext {
  /** The stop being bundled. */
  readonly stop: string;
  readonly world: StopWorld;
  /** Absolute path of a module of codegen/lower by its base name (`'pg'` → `…/codegen/lower/pg.ts|js`). */
  lowering(name: string): string;
  /** Every store of the config (a library several presets share, such as pg under drizzle, is lowered from all of them alike). */
  readonly stores: readonly StoreConfig[];
  /** The stop's source files, project-relative path → TypeScript text. */
  readonly sources: ReadonlyMap<string, string>;
}

/** A module-level handle of the program (`binding: src/db.ts#pool`) pointed at its store once the program is loaded. */
export interface HandleBinding {
  /** Project-relative source file. */
  readonly file: string;
  /** Its export holding the handle. */
  readonly name: string;
  /** Import lines the statement needs (in the bundle's entry module). */
  readonly imports: readonly string[];
  /** The statement that binds it, given an expression for the handle. */
  statement(handle: string): string;
}

export interface LoweringParts {
  /** Bare import specifier (`'pg'`, `'mysql2/promise'`, `'fastly:kv-store'`) → the module that replaces the library. */
  readonly modules?: Readonly<Record<string, string>>;
  /** Lines of the prelude module (imports allowed), evaluated before any module of the program: globals. */
  readonly prelude?: readonly string[];
  /** Workers-style bindings: import lines of the env module and `env` properties as `[name, expression]`. */
  readonly env?: { readonly imports: readonly string[]; readonly entries: readonly (readonly [string, string])[] };
  readonly bindings?: readonly HandleBinding[];
  /** Packages bundled as they are (pure JavaScript that runs in the guest), by bare specifier prefix. */
  readonly bundled?: readonly string[];
  /**
   * Objects of the library that cross cuts as data and come back as effects (codegen/lower/
   * link.ts `Crossing`): import lines of the entry module and the expressions of the
   * crossings, given to the stop's link and dispatch.
   */
  readonly crossings?: { readonly imports: readonly string[]; readonly expressions: readonly string[] };
  /**
   * How the library serves an entry whose `serve` names it (ServedEntry.serve): import lines
   * of the entry module and the function called with (the entry's export, the request).
   */
  readonly servers?: Readonly<Record<string, { readonly imports: readonly string[]; readonly call: string }>>;
}

export interface StoreLowering {
  readonly preset: string;
  /** What the preset's stores (every store of the config with this preset) add at one stop. */
  lower(stores: readonly StoreConfig[], context: LoweringContext): LoweringParts;
}

/**
 * The lowering of a library that is not a store (a framework preset such as `express`):
 * brought into a stop's bundle when the stop's sources import one of its preset's
 * `packages` (src/presets), whatever the config's stores.
 */
export interface FrameworkLowering {
  readonly preset: string;
  lower(context: LoweringContext): LoweringParts;
}

/** WIT interfaces as the guest imports them. */
export const WIT_IMPORTS = {
  link: 'stopline:line/link@0.1.0',
  sql: 'stopline:line/sql@0.1.0',
  clientLocal: 'stopline:line/client-local@0.1.0',
  clientDom: 'stopline:line/client-dom@0.1.0',
  keyvalue: 'wasi:keyvalue/store@0.2.0-draft',
  atomics: 'wasi:keyvalue/atomics@0.2.0-draft',
  config: 'wasi:config/store@0.2.0-draft',
} as const;

export const js = (value: string): string => JSON.stringify(value);

/** `file#export` → its parts; `file#Interface.property` → the property as `name`, `member: true`. */
export function splitBinding(binding: string | null): { file: string; name: string; member: boolean } | null {
  if (binding === null) return null;
  const hash = binding.lastIndexOf('#');
  if (hash <= 0 || hash === binding.length - 1) return null;
  const target = binding.slice(hash + 1);
  const dot = target.lastIndexOf('.');
  return { file: binding.slice(0, hash), name: dot < 0 ? target : target.slice(dot + 1), member: dot >= 0 };
}

/** A module that fails where the library is imported at a stop that cannot have it. */
export function unavailableModule(library: string, why: string): string {
  return `throw new Error(${js(`${library} is not available at this stop: ${why}`)});\nexport {};`;
}
