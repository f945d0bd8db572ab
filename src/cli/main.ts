import { Command, CommanderError } from 'commander';
import { analyzeCommand, type AnalyzeOptions } from './analyze-command.js';
import { initCommand } from './init-command.js';
import { exitCode, type CliIO } from './io.js';
import { version } from './version.js';

/**
 * The stopline command line: parses arguments with commander, runs one command, and
 * returns its exit code (0 ok, 1 the project has errors, 2 usage or config error).
 * It never calls process.exit itself, so tests run it in-process.
 */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  let code: number = exitCode.ok;
  const program = new Command('stopline')
    .description('Split a TypeScript service across the client → edge → origin line, and say why.')
    .version(version, '-v, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(run stopline --help for usage)');

  program
    .command('analyze')
    .description('analyse a service: entries, segments, store accesses, facts and diagnostics')
    .argument('[dir]', 'project directory', '.')
    .option('-c, --config <file>', 'config file instead of <dir>/stopline.yaml')
    .option('-o, --out <file>', 'write the segment graph as JSON')
    .option('--json', 'print the segment graph as JSON instead of the summary')
    .action((dir: string, options: AnalyzeOptions) => {
      code = analyzeCommand(dir, options, io);
    });

  program
    .command('init')
    .description('write a starter stopline.yaml from the libraries and entries found (never overwrites)')
    .argument('[dir]', 'project directory', '.')
    .action((dir: string) => {
      code = initCommand(dir, io);
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? exitCode.ok : exitCode.usage;
    }
    throw error;
  }
  return code;
}
