import { createProcessEnv } from '../../../codegen/lower/process-env.js';
import type { ConfigStoreImport } from '../../../codegen/lower/imports.js';

/**
 * The `process` global of the original program in Node: the real `process` with its `env`
 * replaced by the deployment's runtime configuration (runtime-config.ts), through the very
 * view a server stop's component uses (codegen/lower/process-env.ts, read-only, values read
 * at each access), so the original and the split program see the same values and fail the
 * same way when a program writes to `process.env`. The real `process.env` of the runner
 * never reaches the program.
 *
 * Everything else (`process.nextTick`, `process.hrtime`, `process.versions`…) is the real
 * process' (reads and writes go through to it), so libraries the program uses keep working.
 * One difference remains, by design: in Node a module-level read sees the values; inside a
 * component the module's top level runs at build time and reads undefined
 * (codegen/lower/runtime-phase.ts).
 */
export function createProcessGlobal(values: Readonly<Record<string, string>>): NodeJS.Process {
  const config: ConfigStoreImport = {
    get: (key) => (Object.prototype.hasOwnProperty.call(values, key) ? values[key] : undefined),
    getAll: () => Object.keys(values).sort().map((k): [string, string] => [k, values[k]!]),
  };
  const env = createProcessEnv({ config, atRuntime: () => true });
  return new Proxy(process, {
    get(target, key) {
      return key === 'env' ? env : Reflect.get(target, key, target);
    },
    set(target, key, value) {
      if (key === 'env') throw new TypeError('process.env cannot be replaced: its values come from the deployment\'s configuration');
      return Reflect.set(target, key, value);
    },
    has(target, key) {
      return key === 'env' || Reflect.has(target, key);
    },
  });
}
