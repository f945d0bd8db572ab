import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './graph.js';

/** A project's `src/**\/*.ts`, relative path → text: the `sources` codegen takes. `dir` is absolute or relative to the repository. */
export function projectSources(dir: string): Map<string, string> {
  const root = path.resolve(repoRoot, dir);
  const out = new Map<string, string>();
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) walk(child);
      else if (child.endsWith('.ts')) out.set(child, fs.readFileSync(path.join(root, child), 'utf8'));
    }
  };
  walk('src');
  return out;
}
