import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createClockedJsonwebtoken, type JsonwebtokenModule } from '../shims/jsonwebtoken.js';
import type { Clock } from '../stores/index.js';

/**
 * Packages of the project that read the time themselves, given to the original program
 * with the runtime's clock (shims/jsonwebtoken.ts says why): bare specifier → the module
 * the program's imports get instead. Only packages the project's package.json depends on
 * are given (resolved from the project, as its own imports would be).
 */

function dependsOn(projectDir: string, name: string): boolean {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(projectDir, 'package.json'), 'utf8')) as Record<string, unknown>;
    return ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].some((k) => typeof manifest[k] === 'object' && manifest[k] !== null && name in (manifest[k] as object));
  } catch {
    return false;
  }
}

export function clockedLibraries(projectDir: string, clock: Clock): Map<string, object> {
  const out = new Map<string, object>();
  const require = createRequire(path.join(path.resolve(projectDir), 'package.json'));
  if (dependsOn(projectDir, 'jsonwebtoken')) {
    out.set('jsonwebtoken', createClockedJsonwebtoken(require('jsonwebtoken') as JsonwebtokenModule, clock));
  }
  return out;
}
