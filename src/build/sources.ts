import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { StoplineConfig } from '../config/index.js';
import { readProjectSources } from '../runtime/original/transpile.js';

/**
 * The project's source files as codegen takes them (project-relative path → text): the
 * files of its tsconfig (or every .ts below the root without one), as the original-program
 * loader reads them. Throws OriginalLoadError when they cannot be read that way.
 */
export function readCodegenSources(rootDir: string, config: StoplineConfig): Map<string, string> {
  const project = readProjectSources(rootDir, config.tsconfig);
  return new Map(project.files.map((f) => [f, fs.readFileSync(path.join(rootDir, f), 'utf8')]));
}

/** sha-256 over the sorted files and their texts: what a build was made from. */
export function sourcesHash(sources: ReadonlyMap<string, string>): string {
  const hash = createHash('sha256');
  for (const [file, text] of [...sources].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) hash.update(`${file}\0${Buffer.byteLength(text)}\0${text}`);
  return hash.digest('hex');
}
