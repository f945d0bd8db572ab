import path from 'node:path';
import { loadConfig, type StoplineConfig } from '../config/index.js';
import { hasErrors } from '../diagnostics/index.js';
import type { Diagnostic } from '../ir/index.js';
import { exitCode, type CliIO } from './io.js';
import { printDiagnostics } from './plan-command.js';

/**
 * The start of a command that works on a project's build (`run`, `serve`): the project
 * folder, its config (`--config` or stopline.yaml; its diagnostics printed and exit 2 when
 * it has errors), and `usage(d)`, which prints one diagnostic and gives exit 2.
 */
export type CommandProject =
  | { readonly rootDir: string; readonly config: StoplineConfig; usage(d: Diagnostic): number }
  | { readonly exit: number };

export function loadCommandProject(dir: string | undefined, configOption: string | undefined, io: CliIO): CommandProject {
  const rootDir = path.resolve(io.cwd, dir ?? '.');
  const loaded = loadConfig(rootDir, configOption !== undefined ? { configFile: path.resolve(io.cwd, configOption) } : {});
  if (!loaded.config || hasErrors(loaded.diagnostics)) {
    printDiagnostics(loaded.diagnostics, rootDir, io);
    return { exit: exitCode.usage };
  }
  return {
    rootDir,
    config: loaded.config,
    usage(d) {
      printDiagnostics([d], rootDir, io);
      return exitCode.usage;
    },
  };
}
