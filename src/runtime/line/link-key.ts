import { randomBytes } from 'node:crypto';
import { LINK_KEY } from '../../../codegen/lower/rpc-auth.js';

/**
 * The deployment key of the calls between trusted stops (codegen/lower/rpc-auth.ts) on the
 * local line. A runtime configuration that names `STOPLINE_LINK_KEY` (the project's
 * runtime.env, `runtimeConfig`) is served as it is — to test a key, a rotation, a missing
 * key. One that does not gets a fresh random key for this line (32 bytes, hex): a local run
 * is authenticated like a deployment, and no key is ever written into a project or a bundle.
 */
export function withLinkKey(config: Readonly<Record<string, string>> | undefined): Readonly<Record<string, string>> {
  const values = config ?? {};
  if (Object.prototype.hasOwnProperty.call(values, LINK_KEY)) return values;
  return { ...values, [LINK_KEY]: randomBytes(32).toString('hex') };
}
