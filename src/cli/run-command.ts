import fs from 'node:fs';
import path from 'node:path';
import { readBuild, runBuild } from '../build/run-build.js';
import { diagnostic } from '../diagnostics/index.js';
import type { Diagnostic } from '../ir/index.js';
import type { LineCrossing } from '../runtime/line/line.js';
import { caseInput, loadRequestCorpus, OriginalLoadError, type CaseInput } from '../runtime/original/index.js';
import { requestSchema } from '../runtime/original/corpus.js';
import { loadCommandProject } from './command-project.js';
import { exitCode, type CliIO } from './io.js';
import { displayPath, printDiagnostics } from './plan-command.js';

export interface RunCommandOptions {
  readonly config?: string;
  readonly dist?: string;
  readonly entry?: string;
  readonly request?: string;
  readonly case?: string;
  readonly requests?: string;
  /** a file, or false with --no-seed */
  readonly seed?: string | boolean;
  readonly trace?: boolean;
  readonly realTime?: boolean;
  readonly json?: boolean;
}

/**
 * `stopline run [dir] --entry NAME --request JSON|@file [--dist dist] [--seed file]
 * [--trace] [--real-time] [--json]`, or `--case NAME` for a request of the project's
 * corpus (requests.json): one request through the built components on the local line.
 * Prints the response (or the exception the program threw), the virtual latency and the
 * round trips per link; `--trace` adds every crossing. Exit 0 when the request ran, 1 when
 * the runtime failed (a stop trapped), 2 on unusable input (config, build, request, seed).
 */
export async function runCommand(dir: string | undefined, options: RunCommandOptions, io: CliIO): Promise<number> {
  const project = loadCommandProject(dir, options.config, io);
  if ('exit' in project) return project.exit;
  const { rootDir, config, usage } = project;

  const picked = pickRequest(rootDir, options, io.cwd);
  if ('diagnostic' in picked) return usage(picked.diagnostic);
  const seedFile = options.seed === false ? null : typeof options.seed === 'string' ? path.resolve(io.cwd, options.seed) : fs.existsSync(path.join(rootDir, 'seed.json')) ? path.join(rootDir, 'seed.json') : null;

  const dist = path.resolve(io.cwd, options.dist ?? path.join(rootDir, 'dist'));
  const { build, diagnostics: readProblems } = readBuild(dist, rootDir, config);
  if (build === null) {
    printDiagnostics(readProblems, rootDir, io);
    return exitCode.usage;
  }
  const { outcome, diagnostics } = await runBuild({
    projectDir: rootDir,
    config,
    build,
    entry: picked.entry,
    input: picked.input,
    seedFile,
    ...(options.realTime ? { realTime: true } : {}),
    ...(picked.client !== undefined ? { clientId: picked.client } : {}),
  });
  const all = [...build.diagnostics, ...diagnostics];
  if (outcome === null) {
    printDiagnostics(all, rootDir, io);
    return diagnostics.some((d) => d.code === 'SL5108') ? exitCode.projectErrors : exitCode.usage;
  }
  if (options.json) {
    const { timings: _timings, ...rest } = outcome;
    io.stdout.write(`${JSON.stringify({ ...rest, seed: seedFile === null ? null : displayPath(rootDir, seedFile) }, null, 2)}\n`);
  } else {
    io.stdout.write(runText(picked.entry, picked.input, outcome, options.trace === true));
    if (seedFile !== null) io.stderr.write(`stores seeded from ${displayPath(io.cwd, seedFile)}\n`);
  }
  if (all.length > 0) printDiagnostics(all, rootDir, io);
  return exitCode.ok;
}

type Picked = { entry: string; input: CaseInput; client?: string } | { diagnostic: Diagnostic };

function pickRequest(rootDir: string, options: RunCommandOptions, cwd: string): Picked {
  if (options.case !== undefined) {
    const file = path.resolve(cwd, options.requests ?? path.join(rootDir, 'requests.json'));
    let corpus;
    try {
      corpus = loadRequestCorpus(file);
    } catch (error) {
      if (!(error instanceof OriginalLoadError)) throw error;
      return { diagnostic: diagnostic('SL5107', { file, start: { line: 1, column: 1 }, end: { line: 1, column: 1 } }, { detail: error.message }) };
    }
    const found = corpus.find((c) => c.name === options.case);
    if (found === undefined) return { diagnostic: diagnostic('SL5107', null, { detail: `no case named '${options.case}' in ${file}` }) };
    return { entry: found.entry, input: caseInput(found), ...(found.client !== undefined ? { client: found.client } : {}) };
  }
  if (options.entry === undefined || options.request === undefined) {
    return { diagnostic: diagnostic('SL5107', null, { detail: 'give --entry and --request, or --case with a request of the corpus' }) };
  }
  let text = options.request;
  if (text.startsWith('@')) {
    try {
      text = fs.readFileSync(path.resolve(cwd, text.slice(1)), 'utf8');
    } catch (error) {
      return { diagnostic: diagnostic('SL5107', null, { detail: `cannot read ${text.slice(1)} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` }) };
    }
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { diagnostic: diagnostic('SL5107', null, { detail: `not JSON (${(error as Error).message})` }) };
  }
  const parsed = requestSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { diagnostic: diagnostic('SL5107', null, { detail: `${issue.path.join('.') || '(root)'}: ${issue.message} (expected {"method", "url", "headers"?, "body"?})` }) };
  }
  return { entry: options.entry, input: { request: parsed.data } };
}

function runText(entry: string, input: CaseInput, outcome: NonNullable<Awaited<ReturnType<typeof runBuild>>['outcome']>, withTrace: boolean): string {
  const call = input.request !== undefined ? `${input.request.method} ${input.request.url}` : `called with ${input.args?.length ?? 0} argument(s)`;
  const lines = [`${entry}  ${call}  (arrives at ${outcome.stop})`];
  if (outcome.error) {
    lines.push(`threw ${outcome.error.name}: ${outcome.error.message}${Object.keys(outcome.error.props).length > 0 ? `  ${JSON.stringify(outcome.error.props)}` : ''}`);
  } else if (outcome.status !== null) {
    lines.push(`${outcome.status}  ${outcome.headers.map(([k, v]) => `${k}: ${v}`).join('; ')}`);
    if (outcome.body !== null && outcome.body !== '') lines.push(outcome.body.length > 2000 ? `${outcome.body.slice(0, 2000)}… (${outcome.body.length} characters)` : outcome.body);
  } else {
    lines.push(`returned ${JSON.stringify(outcome.value)}`);
  }
  lines.push('', `virtual latency ${outcome.virtualMs} ms · round trips ${Object.entries(outcome.roundTrips).map(([link, n]) => `${link} ${n}`).join(' · ')}`);
  if (withTrace) {
    lines.push(outcome.trace.length === 0 ? 'trace: no crossing' : 'trace:');
    const origin = outcome.trace[0]?.startMs ?? 0;
    for (const c of outcome.trace) lines.push(`  ${crossingText(c, origin)}`);
  }
  return `${lines.join('\n')}\n`;
}

function crossingText(c: LineCrossing, origin: number): string {
  const at = `+${c.startMs - origin} ms`.padStart(9);
  const indent = '  '.repeat(c.depth);
  const what = c.kind === 'link' ? `${c.segment}  ${c.requestBytes} B → ← ${c.responseBytes} B` : `${c.segment.replace(/^(sql|kv):/, '$1 ')} (a store access)`;
  return `${at}  ${indent}${c.from} → ${c.to}  ${what}  ${c.endMs - c.startMs} ms${c.outcome === 'ok' ? '' : `  ${c.outcome}`}`;
}
