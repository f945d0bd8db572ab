import { HTTP_HANDLER, unversioned } from './contract.js';
import type { StopNeeds } from './needs.js';

/**
 * What each host provides to a component, as its documentation and sources show, and the
 * problems a stop's component meets there. A problem is never hidden: it becomes a comment
 * at the head of the descriptor, and every descriptor with problems a warning of the build
 * (SL5301, at the first of those comments).
 *
 * The component model resolves an import by name and version; a host's newer 0.2.x release
 * satisfies an 0.2.y import (Wasmtime's Linker is semver-aware), but a pre-release version
 * (`0.2.0-draft`) only matches exactly
 * (https://docs.wasmtime.dev/api/wasmtime/component/struct.Linker.html, "Names and Semver").
 */
export type HostName = 'Spin' | 'wasmCloud' | 'Fastly Compute';

export interface HostSupport {
  readonly name: HostName;
  readonly file: 'spin.toml' | 'wadm.yaml' | 'fastly.toml';
  /** Why the host cannot provide `iface` (an import, with its version), or null when it can. */
  missing(iface: string): string | null;
  /** Why the host cannot hand configuration key `key` to the guest's wasi:config/store, or null. */
  configKey(key: string): string | null;
}

/** WASI 0.2 interfaces every host here provides (the engine's own: clocks, io, cli, random, and wasi:http). */
const WASI_02 = /^wasi:(cli|clocks|io|random|filesystem|sockets|http)\/[a-z-]+@0\.2\.\d+$/;

function stoplineOwn(iface: string): string | null {
  if (!iface.startsWith('stopline:')) return null;
  if (unversioned(iface) === 'stopline:line/sql') return "stopline's own SQL interface, which no host implements: an adapter from it to the store's database (Postgres, MySQL…) must be provided";
  if (unversioned(iface) === 'stopline:line/types') return null;
  return "stopline's own interface, which only the local line implements";
}

/** Spin 3: the `platform` world of spinframework/spin (wit/world.wit): wasi:keyvalue@0.2.0-draft2, wasi:config/store@0.2.0-draft-2024-09-27. */
export const spinHost: HostSupport = {
  name: 'Spin',
  file: 'spin.toml',
  missing(iface) {
    const own = stoplineOwn(iface);
    if (own !== null || iface.startsWith('stopline:')) return own;
    if (WASI_02.test(iface)) return null;
    if (/^wasi:keyvalue\/(store|atomics|batch)@0\.2\.0-draft2$/.test(iface)) return null;
    if (iface === 'wasi:config/store@0.2.0-draft-2024-09-27') return null;
    if (iface.startsWith('wasi:keyvalue/')) return `Spin implements wasi:keyvalue@0.2.0-draft2, not @${iface.split('@')[1]}, and pre-release versions only match exactly`;
    if (iface.startsWith('wasi:config/')) return `Spin implements wasi:config/store@0.2.0-draft-2024-09-27, not @${iface.split('@')[1]}, and pre-release versions only match exactly`;
    return "not part of Spin's platform world";
  },
  configKey(key) {
    // spin-factor-variables answers a name outside [a-z0-9_] with "not set" (wasi:config get → none).
    return /^[a-z][a-z0-9_]*$/.test(key) ? null : 'Spin variable names are lower-case letters, digits and underscores, and Spin answers wasi:config/store.get of any other name with "not set"';
  },
};

/** wasmCloud 1.x host (wasmcloud-runtime): WASI 0.2, wasi:keyvalue@0.2.0-draft and wasi:config@0.2.0-draft, through links to capability providers. */
export const wasmcloudHost: HostSupport = {
  name: 'wasmCloud',
  file: 'wadm.yaml',
  missing(iface) {
    if (iface.startsWith('stopline:')) {
      const own = stoplineOwn(iface);
      return own === null ? null : `${own}; wasmCloud links a custom interface only to a component or capability provider that exports it, and none exists for it`;
    }
    if (WASI_02.test(iface)) return null;
    if (/^wasi:keyvalue\/(store|atomics|batch)@0\.2\.0-draft$/.test(iface)) return null;
    if (/^wasi:config\/(store|runtime)@0\.2\.0-draft$/.test(iface)) return null;
    if (/^wasi:logging\/logging/.test(iface)) return null;
    return 'no capability provider in this manifest exports it';
  },
  configKey() {
    return null;
  },
};

/**
 * Fastly Compute: its KV stores, config stores and backends are reached through Fastly's own
 * host interfaces (the `fastly:compute` world of Viceroy, the local server), not through
 * wasi:keyvalue or wasi:config; Viceroy vendors the wasi:http proxy world.
 */
export const fastlyHost: HostSupport = {
  name: 'Fastly Compute',
  file: 'fastly.toml',
  missing(iface) {
    const own = stoplineOwn(iface);
    if (own !== null || iface.startsWith('stopline:')) return own;
    if (/^wasi:(cli|clocks|io|random|http)\/[a-z-]+@0\.2\.\d+$/.test(iface)) return null;
    if (iface.startsWith('wasi:keyvalue/')) return 'Fastly Compute serves KV stores through its own fastly:compute interfaces, not wasi:keyvalue';
    if (iface.startsWith('wasi:config/')) return 'Fastly Compute serves config stores through its own fastly:compute interfaces, not wasi:config';
    return 'not provided by Fastly Compute';
  },
  configKey() {
    return null;
  },
};

export const HOSTS: readonly HostSupport[] = [spinHost, wasmcloudHost, fastlyHost];

/** One reason a stop's descriptor for `host` does not run as generated. */
export interface HostProblem {
  /** export: wasi:http/incoming-handler missing; import: interfaces the host lacks; config: keys it cannot hand over. */
  readonly kind: 'export' | 'import' | 'config';
  /** What, for the comment and the diagnostic: interfaces or keys with their reasons. */
  readonly detail: string;
}

export function hostProblems(needs: StopNeeds, host: HostSupport): HostProblem[] {
  const problems: HostProblem[] = [];
  if (!needs.exports.some((e) => unversioned(e) === HTTP_HANDLER)) {
    problems.push({ kind: 'export', detail: `the component does not export ${HTTP_HANDLER}: rebuild it with a stopline that serves stops over HTTP` });
  }
  const imports = needs.imports.flatMap((iface) => {
    const why = host.missing(iface);
    return why === null ? [] : [`${iface} (${why})`];
  });
  if (imports.length > 0) problems.push({ kind: 'import', detail: `the component imports what ${host.name} does not provide: ${imports.join('; ')}` });
  const keys = needs.config.filter((k) => host.configKey(k.key) !== null);
  if (keys.length > 0) problems.push({ kind: 'config', detail: `${host.name} cannot hand configuration keys ${keys.map((k) => k.key).join(', ')} to the component (${host.configKey(keys[0]!.key)!})` });
  return problems;
}
