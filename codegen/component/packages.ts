import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ComponentBuildError } from './errors.js';

/** An installed npm package: where it is and what its package.json says. */
export interface InstalledPackage {
  readonly name: string;
  readonly dir: string;
  readonly version: string;
  /** Absolute path of the module `import(name)` loads (the `import`/`default` export of "."). */
  readonly entry: string;
}

interface PackageJson {
  version?: unknown;
  main?: unknown;
  exports?: unknown;
}

/**
 * Finds `name` the way Node resolves a bare specifier from `fromDir` (the node_modules
 * folders of every ancestor), without importing it. `import.meta.resolve` is not used on
 * purpose: it throws inside a vitest globalSetup, and `require.resolve` cannot see
 * import-only packages such as componentize-js (`exports: { import }`).
 */
export function locatePackage(name: string, fromDir: string): InstalledPackage {
  const require = createRequire(path.join(fromDir, 'noop.js'));
  for (const modulesDir of require.resolve.paths(name) ?? []) {
    const dir = path.join(modulesDir, name);
    const manifest = path.join(dir, 'package.json');
    if (!fs.existsSync(manifest)) continue;
    const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8')) as PackageJson;
    if (typeof pkg.version !== 'string') break;
    return { name, dir, version: pkg.version, entry: path.join(dir, entryOf(pkg)) };
  }
  throw new ComponentBuildError('package-missing', `npm package ${name} is not installed (looked from ${fromDir})`);
}

/** The "." entry of a package for `import`: exports' import/default condition, else main. */
function entryOf(pkg: PackageJson): string {
  let target: unknown = pkg.exports;
  if (target !== null && typeof target === 'object' && '.' in target) target = (target as Record<string, unknown>)['.'];
  for (let depth = 0; depth < 4 && target !== null && typeof target === 'object'; depth++) {
    const conditions = target as Record<string, unknown>;
    target = conditions['import'] ?? conditions['node'] ?? conditions['default'];
  }
  if (typeof target === 'string') return target;
  return typeof pkg.main === 'string' ? pkg.main : 'index.js';
}
