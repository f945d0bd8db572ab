import { stringify } from 'smol-toml';
import type { Manifest } from '../build/manifest.js';
import { LINK_KEY_PREVIOUS } from './contract.js';
import { descriptor, type Descriptor } from './descriptor.js';
import { spinHost } from './hosts.js';
import { kebab, localAddress, type Route, type StopNeeds } from './needs.js';

/**
 * `spin.toml`: a Spin application manifest, version 2, for one server stop.
 *
 * Fields as documented at https://spinframework.dev/v3/manifest-reference ("Spin
 * Application Manifest Reference"): `spin_manifest_version = 2`, `[application]` (name,
 * description), `[variables]` (application variables, `required`/`secret`),
 * `[[trigger.http]]` (`route`, `component`; routes are exact, `:name` segments or a trailing
 * `/...` wildcard, and do not filter by method), `[component.<id>]` (`source`,
 * `allowed_outbound_hosts` in `scheme://host:port` form, where variable expressions are
 * allowed, `key_value_stores`, `[component.<id>.variables]` templated from application
 * variables). Custom key-value stores are labelled in a runtime configuration file
 * (https://spinframework.dev/v3/dynamic-configuration, `[key_value_store.<label>]`).
 * Variable names are lower case (spin-expressions' key rules), hence every configuration key
 * the guest reads upper-cased (STOPLINE_LINK_KEY…) is a problem on Spin (SL5303).
 */
export function spinToml(manifest: Manifest, needs: StopNeeds): Descriptor {
  const id = kebab(needs.stop);
  const variable = (key: string): string => key.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const declared = needs.config.filter((k) => k.required);

  const variables: Record<string, Record<string, unknown>> = {};
  for (const k of declared) variables[variable(k.key)] = k.secret ? { required: true, secret: true } : { required: true };
  const componentVariables: Record<string, string> = {};
  for (const k of declared) componentVariables[variable(k.key)] = `{{ ${variable(k.key)} }}`;

  const routes = spinRoutes(needs.routes);
  const component: Record<string, unknown> = {
    description: `stopline stop '${needs.stop}'`,
    source: needs.component,
    allowed_outbound_hosts: [...needs.calls.map((c) => `{{ ${variable(c.key)} }}`), ...needs.outbound],
  };
  if (needs.kv.length > 0) component.key_value_stores = [...needs.kv];
  if (Object.keys(componentVariables).length > 0) component.variables = componentVariables;

  const body = stringify({
    spin_manifest_version: 2,
    application: { name: `stopline-${id}`, description: `stopline stop '${needs.stop}' (component sha-256 ${needs.sha256})` },
    ...(Object.keys(variables).length > 0 ? { variables } : {}),
    trigger: { http: routes.map((r) => ({ route: r.route, component: id })) },
    component: { [id]: component },
  });

  const flags = [
    ...declared.map((k) => `--variable ${variable(k.key)}=${k.addressOf !== null ? localAddress(manifest, k.addressOf) : '…'}`),
    ...(needs.kv.length > 0 ? ['--runtime-config-file runtime-config.toml'] : []),
  ];
  const head = [
    'Spin application manifest, version 2: https://spinframework.dev/v3/manifest-reference',
    `Run: spin up --from spin.toml --listen ${localAddress(manifest, needs.stop).replace('http://', '')} ${flags.join(' ')}`,
    'Variables can also come from the environment (SPIN_VARIABLE_<NAME>) or a secrets provider; stopline_link_key is the deployment\'s link key, the same at every server stop.',
    `During a link key rotation, also declare ${variable(LINK_KEY_PREVIOUS)} (the key before) and map it like stopline_link_key.`,
    ...(needs.kv.length > 0 ? [`Key-value stores other than "default" are labelled in runtime-config.toml, one table each: ${needs.kv.map((b) => `[key_value_store.${b}] type = "spin"`).join(', ')}`] : []),
    ...(needs.sql.length > 0 ? [`SQL stores ${needs.sql.join(', ')} are reached through stopline:line/sql, which Spin does not implement.`] : []),
    'Spin routes do not filter by method: the component answers each path\'s other methods itself.',
    ...routes.filter((r) => r.note !== null).map((r) => `Route ${r.route}: ${r.note}`),
  ];
  return descriptor(needs, spinHost, head, body);
}

/** The contract's routes as Spin routes, one trigger per distinct path. */
export function spinRoutes(routes: readonly Route[]): { route: string; note: string | null }[] {
  const out = new Map<string, string | null>();
  for (const r of routes) {
    const { route, note } = spinRoute(r);
    if (!out.has(route)) out.set(route, note);
  }
  return [...out].map(([route, note]) => ({ route, note }));
}

function spinRoute(r: Route): { route: string; note: string | null } {
  const trimmed = r.path.replace(/\/+$/, '');
  if (r.prefix) return { route: `${trimmed}/...`, note: null };
  const segments = trimmed.split('/').slice(1);
  const out: string[] = [];
  for (const [i, seg] of segments.entries()) {
    if (/^[A-Za-z0-9._~%!$&'()+,;=@-]*$/.test(seg) && !/[()+]/.test(seg)) {
      out.push(seg);
      continue;
    }
    if (/^:[A-Za-z_$][\w$]*$/.test(seg)) {
      out.push(seg);
      continue;
    }
    if (/^\*[A-Za-z_$][\w$]*$/.test(seg) && i === segments.length - 1) {
      out.push('...');
      continue;
    }
    out.push('...');
    return { route: `/${out.join('/')}`, note: `${r.method} ${r.path} has a pattern Spin routes cannot express: every path below /${out.slice(0, -1).join('/')} reaches the component` };
  }
  return { route: `/${out.join('/')}`, note: null };
}
