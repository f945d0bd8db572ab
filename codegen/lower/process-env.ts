import { payloadOf, type ConfigStoreImport } from './imports.js';

/**
 * `process.env` inside a server stop's component: a read-only view over
 * `wasi:config/store` (the deployment's configuration and secrets), read when the program
 * reads it — nothing of a deployment's configuration is in the bundle or the component
 * snapshot.
 *
 *   process.env.JWT_SECRET        → config.get('JWT_SECRET') ?? undefined, at every read
 *   'X' in process.env            → whether the configuration has X
 *   Object.keys(process.env), {...process.env}, JSON.stringify(process.env)
 *                                 → config.getAll()
 *   process.env.X = 'v', delete process.env.X, Object.defineProperty(process.env, …)
 *                                 → TypeError: the view is read-only
 *
 * Values are strings (as Node's). A name the configuration lacks reads as undefined, and
 * members inherited from Object.prototype (`toString`, `hasOwnProperty`) stay reachable,
 * as on Node's `process.env`. A failure of the configuration store (`err(upstream)` or
 * `err(io)`) is thrown as an Error naming the variable: a secret that cannot be read is
 * never silently undefined.
 *
 * Reads while the module is evaluated at build time (`atRuntime()` false, see
 * runtime-phase.ts) give undefined and call nothing: a module-level
 * `const url = process.env.REDIS_URL ?? 'redis://localhost:6379'` builds, and takes its
 * fallback inside the component whatever the deployment says. Read configuration inside
 * functions to see the deployment's values; buildStops warns of every such read (SL5201,
 * codegen/bundle/init-reads.ts).
 *
 * The link's keys (`STOPLINE_LINK_KEY`, `STOPLINE_LINK_KEY_PREVIOUS`: rpc-auth.ts) are the
 * runtime's, not the program's: they are not in this view (read as undefined, not listed).
 *
 * The original program in Node gets the same view over its runtime configuration
 * (src/runtime/shims/process.ts, with `atRuntime` always true), so both see the same
 * values and the same errors. Plain JavaScript: runs inside the component.
 */
export interface ProcessEnvOptions {
  readonly config: ConfigStoreImport;
  /** False while the module is evaluated at build time; reads then give undefined. */
  readonly atRuntime: () => boolean;
}

const isLinkKey = (key: string): boolean => key.startsWith('STOPLINE_LINK_KEY');

function readOnly(what: string): TypeError {
  return new TypeError(`process.env is read-only: its values come from the deployment's configuration (wasi:config/store); cannot ${what}`);
}

function configFailure(what: string, error: unknown): Error {
  const p = payloadOf(error) as { tag?: unknown; val?: unknown } | undefined;
  const detail = p && typeof p.tag === 'string' ? `${p.tag}: ${String(p.val)}` : error instanceof Error ? error.message : String(error);
  return new Error(`process.env: cannot read ${what} from the configuration store (${detail})`);
}

export function createProcessEnv(options: ProcessEnvOptions): Record<string, string | undefined> {
  const { config, atRuntime } = options;
  const read = (key: string): string | undefined => {
    if (!atRuntime() || isLinkKey(key)) return undefined;
    let value: string | undefined;
    try {
      value = config.get(key);
    } catch (error) {
      throw configFailure(`'${key}'`, error);
    }
    return typeof value === 'string' ? value : undefined;
  };
  const keys = (): string[] => {
    if (!atRuntime()) return [];
    let all: [string, string][];
    try {
      all = config.getAll();
    } catch (error) {
      throw configFailure('the variable names', error);
    }
    return [...new Set(all.map(([k]) => k).filter((k) => !isLinkKey(k)))];
  };
  const target: Record<string, string | undefined> = {};
  return new Proxy(target, {
    get(t, key, receiver) {
      if (typeof key === 'string') {
        const value = read(key);
        if (value !== undefined) return value;
      }
      return Reflect.get(t, key, receiver);
    },
    has(t, key) {
      return (typeof key === 'string' && read(key) !== undefined) || Reflect.has(t, key);
    },
    ownKeys() {
      return keys();
    },
    getOwnPropertyDescriptor(_t, key) {
      if (typeof key !== 'string') return undefined;
      const value = read(key);
      return value === undefined ? undefined : { value, writable: false, enumerable: true, configurable: true };
    },
    set(_t, key) {
      throw readOnly(`set '${String(key)}'`);
    },
    defineProperty(_t, key) {
      throw readOnly(`define '${String(key)}'`);
    },
    deleteProperty(_t, key) {
      throw readOnly(`delete '${String(key)}'`);
    },
    preventExtensions() {
      throw readOnly('freeze or seal it');
    },
    setPrototypeOf() {
      throw readOnly('change its prototype');
    },
  });
}
