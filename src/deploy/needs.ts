import type { Manifest, ManifestStop } from '../build/manifest.js';
import { addrKey, DISPATCH_PREFIX, ENTRY_PREFIX, HEALTH_PATH, LINK_KEY, LINK_KEY_PREVIOUS } from './contract.js';

/**
 * What one server stop needs from a host, read from a build's manifest alone: the model
 * every descriptor generator (spin.ts, wadm.ts, fastly.ts) writes out in its host's terms.
 * A server stop is a trusted stop with a component; the client stop runs in a browser and
 * gets no descriptor.
 */
export interface StopNeeds {
  readonly stop: string;
  /** Position on the line (0 = the first stop): the default local port is 8100 + index. */
  readonly index: number;
  /** The component file, relative to the stop's folder (`edge.wasm`), and its sha-256. */
  readonly component: string;
  readonly sha256: string;
  /** The paths it serves: its entries, then dispatch and health (http-contract.md). */
  readonly routes: readonly Route[];
  /** The stops it calls, each with the configuration key holding its base URL. */
  readonly calls: readonly { readonly stop: string; readonly key: string }[];
  /** Origins of http stores it reaches (`https://api.example.com`). */
  readonly outbound: readonly string[];
  /** wasi:keyvalue buckets (bucket = the store's name). */
  readonly kv: readonly string[];
  /** Stores reached through `stopline:line/sql`. */
  readonly sql: readonly string[];
  /** Every configuration key its guest reads, in the manifest's order. */
  readonly config: readonly ConfigKey[];
  /** What the component imports and exports (versions included). */
  readonly imports: readonly string[];
  readonly exports: readonly string[];
}

export interface Route {
  readonly method: string;
  /** Express-style path: `/api/articles/:slug`; with `prefix`, every path below it. */
  readonly path: string;
  readonly prefix: boolean;
  /** The entry served there, or null for the contract's own paths. */
  readonly entry: string | null;
}

export interface ConfigKey {
  readonly key: string;
  /** A link key or a program's `process.env` read (the analyzer treats every one as a secret); false for stop addresses. */
  readonly secret: boolean;
  /** False only for the previous link key, which a deployment sets during a rotation. */
  readonly required: boolean;
  /** A stop address: the stop whose base URL it holds. */
  readonly addressOf: string | null;
}

/** The needs of every server stop of the build, in line order. */
export function stopNeeds(manifest: Manifest): StopNeeds[] {
  return manifest.stops.flatMap((stop, index) => (stop.trusted && stop.component !== null ? [needsOf(manifest, stop, index)] : []));
}

function needsOf(manifest: Manifest, stop: ManifestStop, index: number): StopNeeds {
  const component = stop.component!;
  const host = stop.host ?? { calls: [], config: [LINK_KEY, LINK_KEY_PREVIOUS], outbound: [] };
  const calls = host.calls.map((s) => ({ stop: s, key: addrKey(s) }));
  const entryRoutes: Route[] = manifest.entries
    .filter((e) => e.arrives === stop.stop)
    .map((e) => (e.route !== null ? { method: e.route.method, path: e.route.path, prefix: false, entry: e.name } : { method: 'POST', path: `${ENTRY_PREFIX}${encodeURIComponent(e.name)}`, prefix: false, entry: e.name }));
  return {
    stop: stop.stop,
    index,
    component: component.path.slice(component.path.lastIndexOf('/') + 1),
    sha256: component.sha256,
    routes: [...entryRoutes, { method: 'POST', path: DISPATCH_PREFIX, prefix: true, entry: null }, { method: 'GET', path: HEALTH_PATH, prefix: false, entry: null }],
    calls,
    outbound: [...host.outbound],
    kv: stop.stores.filter((s) => s.interface?.startsWith('wasi:keyvalue/') === true).map((s) => s.store),
    sql: stop.stores.filter((s) => s.interface?.startsWith('stopline:line/sql') === true).map((s) => s.store),
    config: host.config.map((key) => {
      const addressOf = calls.find((c) => c.key === key)?.stop ?? null;
      return { key, secret: addressOf === null, required: key !== LINK_KEY_PREVIOUS, addressOf };
    }),
    imports: [...stop.imports],
    exports: [...stop.exports],
  };
}

/** The default local base URL of a stop: `http://127.0.0.1:<8100 + its index on the line>`. */
export function localAddress(manifest: Manifest, stop: string): string {
  return `http://127.0.0.1:${8100 + Math.max(0, manifest.stops.findIndex((s) => s.stop === stop))}`;
}

/** A name hosts accept for apps and components: lower case, `[a-z0-9-]`. */
export function kebab(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'stop';
}
