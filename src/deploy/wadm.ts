import { stringify } from 'yaml';
import type { Manifest } from '../build/manifest.js';
import { LINK_KEY_PREVIOUS } from './contract.js';
import { descriptor, type Descriptor } from './descriptor.js';
import { wasmcloudHost } from './hosts.js';
import { kebab, localAddress, type StopNeeds } from './needs.js';

/**
 * `wadm.yaml`: a wasmCloud application manifest (wadm, OAM `core.oam.dev/v1beta1`) for one
 * server stop.
 *
 * Fields as documented at https://wasmcloud.com/docs/ecosystem/wadm/model ("Defining
 * Applications") and https://wasmcloud.com/docs/concepts/applications: `metadata.name`,
 * `spec.components[]` of `type: component` (`properties.image`, a `file://` path for a local
 * component; `properties.config`, named configuration the component reads through
 * wasi:config/store — a name without properties refers to configuration put with
 * `wash config put`) and `type: capability` (a provider's OCI image); traits `spreadscaler`
 * (`instances`) and `link` (`target` with its `config`, `namespace`/`package`/`interfaces`,
 * `source.config`). The HTTP server provider calls the component's
 * wasi:http/incoming-handler (address mode: one listener per linked component, the
 * component routes every path itself); the key-value provider serves wasi:keyvalue (the
 * Redis provider: `url` in the link's target config); the HTTP client provider serves the
 * component's outgoing requests (wasi:http/outgoing-handler).
 */
export const WASMCLOUD_PROVIDERS = {
  httpServer: 'ghcr.io/wasmcloud/http-server:0.27.0',
  httpClient: 'ghcr.io/wasmcloud/http-client:0.13.0',
  keyvalueRedis: 'ghcr.io/wasmcloud/keyvalue-redis:0.28.2',
} as const;

export function wadmYaml(manifest: Manifest, needs: StopNeeds): Descriptor {
  const id = kebab(needs.stop);
  const configName = `stopline-${id}`;
  const address = localAddress(manifest, needs.stop).replace('http://', '');
  const outgoing = needs.calls.length > 0 || needs.outbound.length > 0;

  const componentTraits: unknown[] = [{ type: 'spreadscaler', properties: { instances: 1 } }];
  if (needs.kv.length > 0) {
    componentTraits.push({
      type: 'link',
      properties: {
        target: { name: 'keyvalue', config: [{ name: `${configName}-keyvalue`, properties: { url: 'redis://127.0.0.1:6379' } }] },
        namespace: 'wasi',
        package: 'keyvalue',
        interfaces: ['store', 'atomics'],
      },
    });
  }
  if (outgoing) componentTraits.push({ type: 'link', properties: { target: { name: 'httpclient' }, namespace: 'wasi', package: 'http', interfaces: ['outgoing-handler'] } });

  const components: unknown[] = [
    { name: id, type: 'component', properties: { image: `file://./${needs.component}`, config: [{ name: configName }] }, traits: componentTraits },
    {
      name: 'httpserver',
      type: 'capability',
      properties: { image: WASMCLOUD_PROVIDERS.httpServer },
      traits: [
        {
          type: 'link',
          properties: {
            target: { name: id },
            namespace: 'wasi',
            package: 'http',
            interfaces: ['incoming-handler'],
            source: { config: [{ name: `${configName}-http`, properties: { address } }] },
          },
        },
      ],
    },
  ];
  if (needs.kv.length > 0) components.push({ name: 'keyvalue', type: 'capability', properties: { image: WASMCLOUD_PROVIDERS.keyvalueRedis } });
  if (outgoing) components.push({ name: 'httpclient', type: 'capability', properties: { image: WASMCLOUD_PROVIDERS.httpClient } });

  const body = stringify(
    {
      apiVersion: 'core.oam.dev/v1beta1',
      kind: 'Application',
      metadata: { name: `stopline-${id}`, annotations: { description: `stopline stop '${needs.stop}' (component sha-256 ${needs.sha256})`, version: 'v0.1.0' } },
      spec: { components },
    },
    { lineWidth: 0 },
  );

  const required = needs.config.filter((k) => k.required);
  const head = [
    'wasmCloud application manifest (wadm): https://wasmcloud.com/docs/ecosystem/wadm/model',
    `Configuration first (the component reads it through wasi:config/store): wash config put ${configName} ${required.map((k) => `${k.key}=${k.addressOf !== null ? localAddress(manifest, k.addressOf) : '…'}`).join(' ')}`,
    `During a link key rotation, also put ${LINK_KEY_PREVIOUS}. wasmCloud secrets are read through wasmcloud:secrets, not wasi:config, so the link key is plain named configuration here.`,
    'Run: wash up -d, then wash app deploy wadm.yaml',
    `Routes (address mode: every path at ${address} reaches the component, which routes them): ${needs.routes.map((r) => `${r.method} ${r.path}${r.prefix ? '*' : ''}`).join(', ')}`,
    ...(needs.kv.length > 0 ? [`Key-value buckets ${needs.kv.join(', ')}: one Redis database serves every bucket name the component opens.`] : []),
    ...(needs.sql.length > 0 ? [`SQL stores ${needs.sql.join(', ')} are reached through stopline:line/sql: link it to a provider you supply that implements it (namespace stopline, package line, interfaces [sql]).`] : []),
    `Provider images are pinned to the releases current when stopline was written: ${Object.values(WASMCLOUD_PROVIDERS).join(', ')}`,
  ];
  return descriptor(needs, wasmcloudHost, head, body);
}
