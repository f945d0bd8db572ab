/**
 * The names issue #6's HTTP contract fixes (the lead's /work/prompts/http-contract.md),
 * shared with the components' wasi:http handler: the paths every server stop serves and
 * the configuration keys its guest reads through `wasi:config/store`. Change them only
 * together with the component side.
 */

/** `POST <base>/<segment id, URL-encoded>`: a crossing into this stop. */
export const DISPATCH_PREFIX = '/.well-known/stopline/dispatch/';
/** `GET`: `200 {"stop": "<name>"}`. */
export const HEALTH_PATH = '/.well-known/stopline/health';
/** `POST <base>/<entry name>`: a function entry the config gives no `route:`. */
export const ENTRY_PREFIX = '/.well-known/stopline/entry/';

/** The deployment's link key (#5's HMAC envelope between trusted stops), and the one before it during a rotation. */
export const LINK_KEY = 'STOPLINE_LINK_KEY';
export const LINK_KEY_PREVIOUS = 'STOPLINE_LINK_KEY_PREVIOUS';

/** `STOPLINE_ADDR_<STOP>`: the base URL of stop `stop` (upper-cased, every character outside [A-Z0-9] as `_`). */
export function addrKey(stop: string): string {
  return `STOPLINE_ADDR_${stop.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** The WIT interface names (without version) hosts are asked about. */
export const HTTP_HANDLER = 'wasi:http/incoming-handler';

/** `wasi:keyvalue/store@0.2.0-draft` → `wasi:keyvalue/store`. */
export function unversioned(iface: string): string {
  const at = iface.lastIndexOf('@');
  return at < 0 ? iface : iface.slice(0, at);
}
