import fs from 'node:fs';
import path from 'node:path';
import { readBuild } from '../build/run-build.js';
import { diagnostic } from '../diagnostics/index.js';
import type { Diagnostic } from '../ir/index.js';
import { OriginalLoadError } from '../runtime/original/index.js';
import { ServeError, startServe, type RunningServe } from '../serve/serve.js';
import { loadCommandProject } from './command-project.js';
import { exitCode, type CliIO } from './io.js';
import { displayPath, printDiagnostics } from './plan-command.js';

export interface ServeCommandOptions {
  readonly config?: string;
  readonly dist?: string;
  readonly ports?: string;
  readonly state?: string;
  /** a file, or false with --no-seed */
  readonly seed?: string | boolean;
  readonly frozenClock?: string;
  /** false with --no-latency */
  readonly latency?: boolean;
}

export interface ServeCommandControl {
  /** ends the serve (default: SIGINT or SIGTERM of this process) */
  readonly stop?: AbortSignal;
}

/** `--ports 8101,8102`: distinct ports 1–65535, or an SL5401 diagnostic. */
export function parsePorts(text: string): number[] | Diagnostic {
  const parts = text.split(',').map((p) => p.trim());
  const ports: number[] = [];
  for (const p of parts) {
    const n = /^\d+$/.test(p) ? Number(p) : NaN;
    if (!(Number.isInteger(n) && n >= 1 && n <= 65535)) return diagnostic('SL5401', null, { detail: `'${p}' is not a port (1–65535); give --ports as a comma-separated list, one per server stop` });
    if (ports.includes(n)) return diagnostic('SL5401', null, { detail: `port ${n} is given twice` });
    ports.push(n);
  }
  return ports;
}

/**
 * `stopline serve [dir] [--dist dist] [--ports 8101,8102,…] [--state dir] [--seed file |
 * --no-seed] [--frozen-clock ms] [--no-latency]`: every server stop of the build as a real `jco serve`
 * process on 127.0.0.1 (src/serve/serve.ts), with forwarders adding the line's latency
 * between them; prints each stop's URL and waits. Ctrl-C (SIGINT) or SIGTERM ends every
 * process it started, and so does a stop that fails. Exit 0 after an asked-for end, 1 when
 * a stop failed, 2 on unusable input (config, build, ports, seed).
 */
export async function serveCommand(dir: string | undefined, options: ServeCommandOptions, io: CliIO, control: ServeCommandControl = {}): Promise<number> {
  const project = loadCommandProject(dir, options.config, io);
  if ('exit' in project) return project.exit;
  const { rootDir, config, usage } = project;
  let ports: number[] | undefined;
  if (options.ports !== undefined) {
    const parsed = parsePorts(options.ports);
    if (!Array.isArray(parsed)) return usage(parsed);
    ports = parsed;
  }
  let clockMs: number | undefined;
  if (options.frozenClock !== undefined) {
    clockMs = /^-?\d+$/.test(options.frozenClock) ? Number(options.frozenClock) : Date.parse(options.frozenClock);
    if (!Number.isFinite(clockMs)) return usage(diagnostic('SL5401', null, { detail: `--frozen-clock '${options.frozenClock}' is neither ms since the epoch nor an ISO date` }));
  }
  const seedFile = options.seed === false ? null : typeof options.seed === 'string' ? path.resolve(io.cwd, options.seed) : fs.existsSync(path.join(rootDir, 'seed.json')) ? path.join(rootDir, 'seed.json') : null;
  const dist = path.resolve(io.cwd, options.dist ?? path.join(rootDir, 'dist'));
  const { build, diagnostics: readProblems } = readBuild(dist, rootDir, config);
  if (build === null) {
    printDiagnostics(readProblems, rootDir, io);
    return exitCode.usage;
  }
  const stateDir = path.resolve(io.cwd, options.state ?? path.join(rootDir, '.stopline-cache', 'serve'));

  const stopRequested = new AbortController();
  const onSignal = (): void => stopRequested.abort();
  const external = control.stop;
  if (external === undefined) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  } else if (external.aborted) onSignal();
  else external.addEventListener('abort', onSignal, { once: true });

  let running: RunningServe;
  try {
    running = await startServe({
      projectDir: rootDir,
      config,
      build,
      stateDir,
      seedFile,
      ...(ports !== undefined ? { ports } : {}),
      ...(clockMs !== undefined ? { clockMs } : {}),
      ...(options.latency === false ? { latency: false } : {}),
      onOutput: (stop, line) => io.stderr.write(`[${stop}] ${line}\n`),
    });
  } catch (error) {
    detach();
    if (error instanceof ServeError) {
      printDiagnostics([error.diagnostic], rootDir, io);
      return error.diagnostic.code === 'SL5403' ? exitCode.projectErrors : exitCode.usage;
    }
    if (error instanceof OriginalLoadError) {
      const file = seedFile ?? '(seed)';
      return usage(diagnostic('SL5109', { file, start: { line: 1, column: 1 }, end: { line: 1, column: 1 } }, { file, detail: error.message }));
    }
    throw error;
  }

  function detach(): void {
    if (external === undefined) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    } else external.removeEventListener('abort', onSignal);
  }

  const lines = running.stops.map((s) => `  ${s.stop.padEnd(10)} ${s.url}  (jco serve, process group ${s.pid})`);
  const hops = running.forwarders.map((f) => `  ${f.from} → ${f.to} through ${f.url} (+${f.latencyMs} ms each way)`);
  io.stdout.write(`serving ${displayPath(io.cwd, dist)} (stores in ${displayPath(io.cwd, stateDir)})\n${lines.join('\n')}\n${hops.length > 0 ? `link calls:\n${hops.join('\n')}\n` : ''}Ctrl-C ends every stop\n`);
  if (build.diagnostics.length > 0) printDiagnostics(build.diagnostics, rootDir, io);

  const asked = new Promise<'asked'>((resolve) => {
    if (stopRequested.signal.aborted) resolve('asked');
    stopRequested.signal.addEventListener('abort', () => resolve('asked'), { once: true });
  });
  const first = await Promise.race([asked, running.done]);
  if (first === 'asked') await running.close();
  const end = await running.done;
  detach();
  if (end.reason === 'stop-failed') {
    printDiagnostics([end.diagnostic], rootDir, io);
    return exitCode.projectErrors;
  }
  io.stdout.write('stopped every stop\n');
  return exitCode.ok;
}
