/**
 * The host side of `wasi:config/store@0.2.0-draft` for one stop (codegen/wit/deps/config):
 * the deployment's configuration and secrets, which a server stop's guest reads as
 * `process.env` (codegen/lower/process-env.ts).
 *
 *   get(key)   → the value, or none when the configuration has no such key
 *   get-all()  → every pair, sorted by key
 *
 * Served only to trusted stops. At an untrusted stop (the client) every call returns
 * `err(upstream(…))`: a client-world component does not import the interface at all, so
 * this only answers a server-world component run where it must not get secrets, and
 * answers it loudly. Values are read from `values` at each call (nothing is copied), and
 * only its own string properties count (`toString`, `__proto__` are not configuration).
 * Like every host function of host.ts, these never throw anything but their WIT `err`.
 */

export type ConfigError = { tag: 'upstream'; val: string } | { tag: 'io'; val: string };

/** A WIT `err` for jco: an object with an own `payload` property. */
class ConfigErr extends Error {
  readonly payload: ConfigError;
  constructor(payload: ConfigError) {
    super(payload.val);
    this.name = 'ConfigErr';
    this.payload = payload;
  }
}

export interface ConfigHostOptions {
  readonly stop: string;
  /** whether the stop may read the configuration (the line's `trusted` for that stop) */
  readonly trusted: boolean;
  /** the deployment's configuration: variable name → value */
  readonly values: Readonly<Record<string, string>>;
}

export interface ConfigInterface {
  get(key: string): string | undefined;
  getAll(): [string, string][];
}

export function createConfigInterface(options: ConfigHostOptions): ConfigInterface {
  const { stop, trusted, values } = options;
  const refuse = (): never => {
    throw new ConfigErr({ tag: 'upstream', val: `stop '${stop}' is untrusted: no configuration or secret is served there` });
  };
  const own = (key: string): string | undefined => {
    if (!Object.prototype.hasOwnProperty.call(values, key)) return undefined;
    const value: unknown = values[key];
    return typeof value === 'string' ? value : undefined;
  };
  return {
    get(key) {
      if (!trusted) refuse();
      return own(String(key));
    },
    getAll() {
      if (!trusted) refuse();
      return Object.keys(values)
        .sort()
        .flatMap((k): [string, string][] => {
          const v = own(k);
          return v === undefined ? [] : [[k, v]];
        });
    },
  };
}
