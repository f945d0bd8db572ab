import { stringify } from 'smol-toml';
import type { Manifest } from '../build/manifest.js';
import { LINK_KEY_PREVIOUS } from './contract.js';
import { descriptor, type Descriptor } from './descriptor.js';
import { fastlyHost } from './hosts.js';
import { kebab, localAddress, type StopNeeds } from './needs.js';

/**
 * `fastly.toml`: a Fastly Compute package manifest for one server stop.
 *
 * Fields as documented at https://www.fastly.com/documentation/reference/compute/fastly-toml
 * ("fastly.toml package manifest format"): `manifest_version = 3`, `name`, `description`,
 * `authors`, `language` (`other`: a Wasm binary built elsewhere, packed with
 * `fastly compute pack --wasm-binary`); `[local_server]` for `fastly compute serve`
 * (`backends.<name>.url`, `kv_stores.<name>` as an array of entries, `config_stores.<name>`
 * with `format = "inline-toml"` and `contents`); `[setup]` for the first
 * `fastly compute deploy` (`backends.<name>`, `kv_stores.<name>`, `config_stores.<name>`
 * with `items.<key>`, each with a `description`; values left out are asked for).
 * Fastly serves these through its own host interfaces, so a component importing
 * wasi:keyvalue or wasi:config does not run there as generated (SL5301).
 */
export function fastlyToml(manifest: Manifest, needs: StopNeeds): Descriptor {
  const id = kebab(needs.stop);
  const configStore = `stopline_${id.replace(/-/g, '_')}`;
  const required = needs.config.filter((k) => k.required);

  const backends: Record<string, unknown> = {};
  const setupBackends: Record<string, unknown> = {};
  for (const c of needs.calls) {
    const name = `stopline_${kebab(c.stop).replace(/-/g, '_')}`;
    backends[name] = { url: localAddress(manifest, c.stop) };
    setupBackends[name] = { description: `stop '${c.stop}' (its base URL is also ${c.key})` };
  }
  for (const [i, origin] of needs.outbound.entries()) {
    backends[`http_store_${i + 1}`] = { url: origin };
    setupBackends[`http_store_${i + 1}`] = { address: new URL(origin).hostname, description: origin };
  }

  const localContents: Record<string, string> = {};
  for (const k of required) if (k.addressOf !== null) localContents[k.key] = localAddress(manifest, k.addressOf);
  const items: Record<string, unknown> = {};
  for (const k of required) items[k.key] = { description: k.addressOf !== null ? `base URL of stop '${k.addressOf}'` : k.key === 'STOPLINE_LINK_KEY' ? "the deployment's link key (the same at every server stop)" : "read by the program's process.env" };

  const localServer: Record<string, unknown> = {};
  if (Object.keys(backends).length > 0) localServer.backends = backends;
  if (needs.kv.length > 0) localServer.kv_stores = Object.fromEntries(needs.kv.map((b) => [b, []]));
  localServer.config_stores = { [configStore]: { format: 'inline-toml', contents: localContents } };

  const setup: Record<string, unknown> = {};
  if (Object.keys(setupBackends).length > 0) setup.backends = setupBackends;
  if (needs.kv.length > 0) setup.kv_stores = Object.fromEntries(needs.kv.map((b) => [b, { description: `stopline KV store '${b}'` }]));
  setup.config_stores = { [configStore]: { description: `configuration of stopline stop '${needs.stop}'`, items } };

  const body = stringify({
    manifest_version: 3,
    name: `stopline-${id}`,
    description: `stopline stop '${needs.stop}' (component sha-256 ${needs.sha256})`,
    authors: [],
    language: 'other',
    local_server: localServer,
    setup,
  });

  const head = [
    'Fastly Compute package manifest: https://www.fastly.com/documentation/reference/compute/fastly-toml',
    `Pack and deploy: fastly compute pack --wasm-binary ${needs.component}, then fastly compute deploy --package pkg/stopline-${id}.tar.gz; locally: fastly compute serve --file ${needs.component}`,
    `Local config store ${configStore} holds the stop addresses; add STOPLINE_LINK_KEY${required.some((k) => k.secret && k.key !== 'STOPLINE_LINK_KEY') ? ' and the program\'s keys' : ''} to its contents (never commit the key). During a link key rotation, also set ${LINK_KEY_PREVIOUS}.`,
    `Routes (the component routes every path itself): ${needs.routes.map((r) => `${r.method} ${r.path}${r.prefix ? '*' : ''}`).join(', ')}`,
    ...(needs.sql.length > 0 ? [`SQL stores ${needs.sql.join(', ')} are reached through stopline:line/sql, which Fastly Compute does not implement.`] : []),
  ];
  return descriptor(needs, fastlyHost, head, body);
}
