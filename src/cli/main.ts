import { Command, CommanderError } from 'commander';
import { analyzeCommand, type AnalyzeOptions } from './analyze-command.js';
import { buildCommand, type BuildCommandOptions } from './build-command.js';
import { checkCommand, type CheckOptions } from './check-command.js';
import { explainCommand, type ExplainOptions } from './explain-command.js';
import { initCommand } from './init-command.js';
import { measureCommand, type MeasureCommandOptions } from './measure-command.js';
import { exitCode, type CliIO } from './io.js';
import { planCommand, type PlanCommandOptions } from './plan-command.js';
import { runCommand, type RunCommandOptions } from './run-command.js';
import { serveCommand, type ServeCommandOptions } from './serve-command.js';
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
    .command('plan')
    .description('analyse and plan: place every segment at a stop, price it against the baselines, write the reports')
    .argument('[dir]', 'project directory', '.')
    .option('-c, --config <file>', 'config file instead of <dir>/stopline.yaml')
    .option('-o, --out <file>', 'write the plan as JSON (plan.json, schema stopline.plan/v1)')
    .option('--markdown <file>', 'write the placement report as Markdown')
    .option('--html <file>', 'write the placement report as one HTML page, with the sources')
    .option('--profile <file>', 'measured counts (stopline.profile/v1 JSON) instead of static estimates')
    .option('--json', 'print plan.json instead of the summary')
    .addHelpText('after', '\nExit codes: 0 planned, 1 the plan has errors (an unsatisfiable entry: SL4001), 2 unusable config, profile or output file.\nFiles are written whole or not at all (a temporary file renamed into place).')
    .action((dir: string, options: PlanCommandOptions) => {
      code = planCommand(dir, options, io);
    });

  program
    .command('check')
    .description('plan again and compare with a baseline plan.json: fail when latency or round trips got worse or code moved')
    .argument('[dir]', 'project directory', '.')
    .requiredOption('-b, --baseline <file>', 'the baseline plan.json (from stopline plan --out)')
    .option('-c, --config <file>', 'config file instead of <dir>/stopline.yaml')
    .option('--profile <file>', "measured counts (default: the baseline's profile, if it was planned with one)")
    .option('--sarif <file>', 'write the findings and the plan\'s errors and warnings as SARIF 2.1.0')
    .option('--markdown <file>', 'write the placement report, compared with the baseline, as Markdown')
    .addHelpText('after', '\nExit codes: 0 no regression, 1 regressions or project errors, 2 unusable baseline, config or profile.\nWith GITHUB_ACTIONS=true, regressions become ::error annotations and the report is appended to $GITHUB_STEP_SUMMARY.')
    .action((dir: string, options: CheckOptions) => {
      code = checkCommand(dir, options, io);
    });

  program
    .command('explain')
    .description('say where the code at a line (or a segment id) runs, why, and what the other stops would cost')
    .argument('<target>', 'file:line relative to the project directory (src/handlers.ts:16), or a segment id (viewCart#f26eb12861)')
    .argument('[dir]', 'project directory', '.')
    .option('-c, --config <file>', 'config file instead of <dir>/stopline.yaml')
    .option('--profile <file>', 'measured counts (stopline.profile/v1 JSON) instead of static estimates')
    .option('--json', 'print the explanation as JSON')
    .addHelpText('after', '\nFor a line: in every entry that runs it, the outermost segments starting on that line (or else the innermost covering it).\nExit codes: 0 explained, 1 the plan has errors, 2 nothing matches the target (SL4209, SL4210) or unusable config.')
    .action((target: string, dir: string, options: ExplainOptions) => {
      code = explainCommand(target, dir, options, io);
    });

  program
    .command('build')
    .description('plan, generate each stop\'s program and build one WASI component per stop into dist/')
    .argument('[dir]', 'project directory', '.')
    .option('-c, --config <file>', 'config file instead of <dir>/stopline.yaml')
    .option('-o, --out <dir>', 'the dist folder (default <dir>/dist); replaced whole, only if it is missing, empty or an earlier build')
    .option('--profile <file>', 'measured counts (stopline.profile/v1 JSON) instead of static estimates')
    .option('--place-all <stop>', "build a baseline instead of the plan: every entry whole at this stop ('arrival': each at its arrival stop)")
    .option('--cache <dir>', 'where components are cached by content hash (default <dir>/.stopline-cache/components)')
    .addHelpText('after', '\nExit codes: 0 built, 1 the project cannot be built (plan errors, a split codegen cannot make faithfully, a failed component build), 2 unusable config, profile or output folder.\nA stop whose bundle, world and toolchain are unchanged is not rebuilt. dist/ is written whole or not at all.')
    .action(async (dir: string, options: BuildCommandOptions) => {
      code = await buildCommand(dir, options, io);
    });

  program
    .command('run')
    .description('run one request through the built components on the local line (embedded stores, virtual latency)')
    .argument('[dir]', 'project directory', '.')
    .option('-c, --config <file>', 'config file instead of <dir>/stopline.yaml')
    .option('--dist <dir>', 'the build to run (default <dir>/dist)')
    .option('-e, --entry <name>', 'the entry the request arrives at')
    .option('-r, --request <json>', 'the request as JSON {"method","url","headers"?,"body"?}, or @file')
    .option('--case <name>', 'a request of the corpus instead (entry and request)')
    .option('--requests <file>', 'the corpus for --case (default <dir>/requests.json)')
    .option('--seed <file>', 'data for the embedded stores (default <dir>/seed.json when it exists)')
    .option('--no-seed', 'start with empty stores')
    .option('--trace', 'print every crossing: RPCs between stops and store accesses served at another stop')
    .option('--real-time', 'wait each hop\'s latency for real, not only on the virtual clock')
    .option('--json', 'print the outcome, latency, round trips and trace as JSON')
    .addHelpText('after', '\nExit codes: 0 the request ran (its response, or the exception the program threw, is printed), 1 the runtime failed (a stop trapped), 2 unusable config, build, request or seed.')
    .action(async (dir: string, options: RunCommandOptions) => {
      code = await runCommand(dir, options, io);
    });

  program
    .command('serve')
    .description('serve every server stop of the build over HTTP: a jco serve process each on 127.0.0.1, the line\'s latency between them')
    .argument('[dir]', 'project directory', '.')
    .option('-c, --config <file>', 'config file instead of <dir>/stopline.yaml')
    .option('--dist <dir>', 'the build to serve (default <dir>/dist)')
    .option('--ports <list>', 'the server stops\' ports in line order, comma-separated (default: free ports)')
    .option('--state <dir>', 'where the stores live, written fresh at start (default <dir>/.stopline-cache/serve)')
    .option('--seed <file>', 'data for the stores (default <dir>/seed.json when it exists)')
    .option('--no-seed', 'start with empty stores')
    .option('--no-latency', 'forward link calls without waiting the line\'s latency')
    .option('--frozen-clock <time>', 'the stops\' wall clock stands at this time (ms since the epoch, or an ISO date): reproducible runs')
    .addHelpText('after', '\nExit codes: 0 ended by Ctrl-C or SIGTERM, 1 a stop failed, 2 unusable config, build, ports or seed.')
    .action(async (dir: string, options: ServeCommandOptions) => {
      code = await serveCommand(dir, options, io);
    });

  program
    .command('measure')
    .description('build the split and the single-stop baselines, run a request corpus on each, and compare latency and round trips')
    .argument('[dir]', 'project directory', '.')
    .option('-c, --config <file>', 'config file instead of <dir>/stopline.yaml')
    .option('--requests <file>', 'the request corpus (default <dir>/requests.json)')
    .option('--seed <file>', 'data for the embedded stores (default <dir>/seed.json when it exists)')
    .option('--no-seed', 'start every request with empty stores')
    .option('--cache <dir>', 'where components are cached (default <dir>/.stopline-cache)')
    .option('--json', 'print the measurements as JSON')
    .addHelpText('after', '\nEvery request runs from freshly seeded stores. Exit codes: 0 measured, 1 the placements disagree on an outcome or the stores, a crossing is not one its plan makes, or a run failed, 2 unusable config, corpus or seed.')
    .action(async (dir: string, options: MeasureCommandOptions) => {
      code = await measureCommand(dir, options, io);
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
