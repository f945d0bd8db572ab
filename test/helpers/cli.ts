import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './graph.js';

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real binary (bin/stopline.js over lib/, built by `npm test`) in a child process. */
export function stopline(args: readonly string[], cwd: string = repoRoot): CliRun {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'bin/stopline.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * A scratch project inside the repository (so it resolves the installed type packages),
 * removed by the returned cleanup function.
 */
export function scratchProject(files: Readonly<Record<string, string>>): { dir: string; cleanup: () => void } {
  const base = path.join(repoRoot, 'test/.tmp');
  fs.mkdirSync(base, { recursive: true });
  const dir = fs.mkdtempSync(path.join(base, 'project-'));
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Copies a fixture's files (not its build output or caches: `dist/`, dot folders) into a scratch project, optionally without some of them. */
export function copyFixture(name: string, without: readonly string[] = []): { dir: string; cleanup: () => void } {
  const src = path.join(repoRoot, 'fixtures', name);
  const files: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      const rel = path.relative(src, full).split(path.sep).join('/');
      if (without.includes(rel) || e.name.startsWith('.') || (e.isDirectory() && (e.name === 'dist' || e.name === 'node_modules'))) continue;
      if (e.isDirectory()) walk(full);
      else files[rel] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(src);
  return scratchProject(files);
}
