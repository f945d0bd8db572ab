import type { StoreConfig } from '../../config/index.js';
import type { StopName } from '../../ir/index.js';
import type { KvStore, LocalStore, SqlStore } from '../stores/index.js';

/**
 * What store shims fill in: the world an original (unsplit) program runs in, with every
 * library call landing on an embedded store. Three ways a library reaches a program,
 * one field each:
 *   - `modules`: a bare import (`import { Pool } from 'pg'`, `'fastly:kv-store'`) gives
 *     the shim module instead of the real package;
 *   - `globals`: a global name (`localStorage`, `Date`) is bound at module level in
 *     every module of the program;
 *   - `env`: a Workers-style binding (`env.CARTS`) handed to entries.
 * A handle the program makes itself (`export const pool = new Pool()`) cannot know its
 * store when it is constructed; `bindings` attach it afterwards, from the store's
 * `binding: file#export` in stopline.yaml.
 */
export interface ShimWorld {
  /** Bare module specifier → the module object (named exports; `default` if it has one, else the object itself). */
  readonly modules: Map<string, object>;
  /** Global name → the value bound to it in every module of the program. */
  readonly globals: Map<string, unknown>;
  /** The bindings object (`env`) handed to Workers-style entries. */
  readonly env: Record<string, unknown>;
  /** Module-level handles to point at their stores once the program is loaded. */
  readonly bindings: ShimBinding[];
}

export interface ShimBinding {
  /** Project-relative source file, as in stopline.yaml (`src/db.ts`). */
  readonly file: string;
  /** The export holding the handle. */
  readonly name: string;
  /** The store's name, for messages. */
  readonly store: string;
  /** Points the handle at the store; false when the value is not a handle this shim made. */
  attach(value: unknown): boolean;
}

/** An embedded store opened for a store of the config. */
export type OpenStore =
  | { readonly kind: 'sql'; readonly config: StoreConfig; readonly store: SqlStore }
  | { readonly kind: 'kv'; readonly config: StoreConfig; readonly store: KvStore }
  | { readonly kind: 'local'; readonly config: StoreConfig; readonly store: LocalStore };

export interface ShimContext {
  /** The stop the program runs at: for the original program, the entry's arrival stop. */
  readonly stop: StopName;
  /** The line's stops, client first. */
  readonly stops: readonly StopName[];
  /** The simulated client whose area client-local stores use. */
  readonly clientId: string;
}

/**
 * How one preset's library is given to a program. `install` receives every open store of
 * the preset (several Postgres databases share one `pg` module) and adds to `world`.
 */
export interface StoreShim {
  readonly preset: string;
  install(world: ShimWorld, stores: readonly OpenStore[], context: ShimContext): void;
}

export function emptyWorld(): ShimWorld {
  return { modules: new Map(), globals: new Map(), env: {}, bindings: [] };
}

/**
 * The copy of `kv` that code at `stop` uses: its own, or else the nearest one on the line
 * (ties towards the origin), as the cost model routes an access from a stop without a copy.
 */
export function nearestCopy(kv: KvStore, stop: StopName, stops: readonly StopName[]): StopName {
  const copies = [kv.home, ...kv.replicas];
  if (copies.includes(stop)) return stop;
  const at = stops.indexOf(stop);
  if (at < 0) throw new RangeError(`KV store '${kv.name}': stop '${stop}' is not on the line (${stops.join(', ')})`);
  let best: StopName = kv.home;
  let bestDistance = Infinity;
  for (const copy of copies) {
    const index = stops.indexOf(copy);
    if (index < 0) continue;
    const distance = Math.abs(index - at);
    if (distance < bestDistance || (distance === bestDistance && index > stops.indexOf(best))) {
      best = copy;
      bestDistance = distance;
    }
  }
  return best;
}

/** `file#export` → its parts; `file#Interface.property` → the property as `name`, `member: true`. */
export function splitBinding(binding: string): { file: string; name: string; member: boolean } | null {
  const hash = binding.lastIndexOf('#');
  if (hash <= 0 || hash === binding.length - 1) return null;
  const target = binding.slice(hash + 1);
  const dot = target.lastIndexOf('.');
  return { file: binding.slice(0, hash), name: dot < 0 ? target : target.slice(dot + 1), member: dot >= 0 };
}
