import path from 'node:path';
import { initProject } from '../init-project.js';
import { exitCode, type CliIO } from './io.js';
import { diagnosticsText } from './print-diagnostics.js';

/** `stopline init [dir]`. */
export function initCommand(dir: string | undefined, io: CliIO): number {
  const rootDir = path.resolve(io.cwd, dir ?? '.');
  const result = initProject(rootDir);
  if (!result.written) {
    io.stderr.write(`${diagnosticsText(result.diagnostics, rootDir)}\n`);
    return exitCode.usage;
  }
  io.stdout.write(`wrote ${path.relative(io.cwd, result.written) || 'stopline.yaml'}: ${result.stores} store(s), ${result.entries} entry candidate(s); review it, then run \`stopline analyze\`\n`);
  return exitCode.ok;
}
