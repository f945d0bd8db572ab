import { js, WIT_IMPORTS, type StopWorld } from './lowerings/types.js';

/**
 * The `process` global of a stop's component (lines of the prelude module).
 *
 * - server world (a trusted stop): `process.env` is the read-only view over
 *   `wasi:config/store` of codegen/lower/process-env.ts, read at access time; reads while
 *   the module is evaluated at build time give undefined (codegen/lower/runtime-phase.ts).
 * - client world (untrusted): `process.env` is an empty object. The world does not import
 *   wasi:config, so no configuration or secret can reach the client's component.
 *
 * `process` has nothing else (no `versions`: devalue and other libraries test
 * `process.versions.node` to pick Node-only code paths).
 */
export function processPrelude(world: StopWorld, lowering: (name: string) => string): string[] {
  if (world === 'client') return ['if (typeof globalThis.process === "undefined") globalThis.process = { env: {} };'];
  return [
    `import * as __stopline_config from ${js(WIT_IMPORTS.config)};`,
    `import { createProcessEnv as __stopline_processEnv } from ${js(lowering('process-env'))};`,
    `import { atRuntime as __stopline_atRuntime } from ${js(lowering('runtime-phase'))};`,
    'globalThis.process = { env: __stopline_processEnv({ config: __stopline_config, atRuntime: __stopline_atRuntime }) };',
  ];
}
