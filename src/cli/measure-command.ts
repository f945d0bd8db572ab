import fs from 'node:fs';
import path from 'node:path';
import { measureDirectory, type MeasuredPlacement, type MeasureResult } from '../build/measure.js';
import { diagnostic } from '../diagnostics/index.js';
import { loadRequestCorpus, OriginalLoadError } from '../runtime/original/index.js';
import { exitCode, type CliIO } from './io.js';
import { displayPath, printDiagnostics } from './plan-command.js';
import { progress as startProgress } from './progress.js';

export interface MeasureCommandOptions {
  readonly config?: string;
  readonly requests?: string;
  readonly seed?: string | boolean;
  readonly cache?: string;
  readonly json?: boolean;
}

/**
 * `stopline measure [dir] [--requests requests.json] [--seed seed.json] [--json]`: builds
 * the plan's split and the two baselines (every entry whole at its arrival stop, at the
 * origin) as components (cached), runs every request of the corpus on each on the local
 * line, and prints the measured latency and round trips per entry side by side. Exit 0,
 * 1 when the placements disagree on a response or the stores, a crossing is not one its
 * plan makes, or a run failed; 2 on unusable config, corpus or seed.
 */
export async function measureCommand(dir: string | undefined, options: MeasureCommandOptions, io: CliIO): Promise<number> {
  const rootDir = path.resolve(io.cwd, dir ?? '.');
  const requests = path.resolve(io.cwd, options.requests ?? path.join(rootDir, 'requests.json'));
  let corpus;
  try {
    corpus = loadRequestCorpus(requests);
  } catch (error) {
    if (!(error instanceof OriginalLoadError)) throw error;
    printDiagnostics([diagnostic('SL5107', { file: requests, start: { line: 1, column: 1 }, end: { line: 1, column: 1 } }, { detail: error.message })], rootDir, io);
    return exitCode.usage;
  }
  const seedFile = options.seed === false ? null : typeof options.seed === 'string' ? path.resolve(io.cwd, options.seed) : fs.existsSync(path.join(rootDir, 'seed.json')) ? path.join(rootDir, 'seed.json') : null;
  const progress = startProgress(io);
  let result: MeasureResult;
  try {
    result = await measureDirectory(rootDir, {
      corpus,
      seedFile,
      corpusDir: path.dirname(requests),
      ...(options.config !== undefined ? { configFile: path.resolve(io.cwd, options.config) } : {}),
      ...(options.cache !== undefined ? { cacheDir: path.resolve(io.cwd, options.cache) } : {}),
      onPhase: (phase) => progress.phase(phase),
    });
  } finally {
    progress.done();
  }
  if (options.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else io.stdout.write(measureText(result, corpus.length, displayPath(io.cwd, requests), seedFile === null ? null : displayPath(io.cwd, seedFile)));
  if (result.diagnostics.length > 0 || result.status !== 'measured') printDiagnostics(result.diagnostics, rootDir, io);
  return result.status === 'measured' ? exitCode.ok : result.status === 'usage' ? exitCode.usage : exitCode.projectErrors;
}

function label(p: MeasuredPlacement): string {
  if (p.placement === 'plan') return 'split (plan)';
  return p.stop === null ? 'all at arrival' : `all at ${p.stop}`;
}

export function measureText(result: MeasureResult, requests: number, corpus: string, seed: string | null): string {
  const lines = [`measured ${requests} request${requests === 1 ? '' : 's'} of ${corpus}${seed ? ` on stores seeded from ${seed}` : ''}: virtual latency and round trips per request, on the local line`];
  const measured = result.placements.filter((p) => p.status === 'measured');
  const entries = [...new Set(measured.flatMap((p) => p.entries.map((e) => e.entry)))].sort();
  const links = [...new Set(measured.flatMap((p) => p.entries.flatMap((e) => Object.entries(e.meanRoundTrips).filter(([, n]) => n > 0).map(([l]) => l))))];
  const cell = (p: MeasuredPlacement, entry: string): string => {
    if (p.status === 'infeasible') return 'not allowed';
    const e = p.entries.find((x) => x.entry === entry);
    if (!e) return '–';
    const trips = links.map((l) => `${l} ${e.meanRoundTrips[l] ?? 0}`).join(', ');
    return `${e.meanVirtualMs} ms${trips ? ` (${trips})` : ''}`;
  };
  const header = ['entry', 'requests', ...result.placements.map((p) => label(p))];
  const rows = entries.map((entry) => [entry, String(measured[0]?.entries.find((e) => e.entry === entry)?.requests ?? 0), ...result.placements.map((p) => cell(p, entry))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const row = (r: string[]): string => `  ${r.map((c, i) => (i === 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('   ')}`.trimEnd();
  lines.push('', row(header), ...rows.map(row), '');
  const split = result.placements.find((p) => p.placement === 'plan');
  for (const other of result.placements.filter((p) => p.placement !== 'plan' && p.status === 'measured')) {
    const ratios = entries.flatMap((entry) => {
      const a = split?.entries.find((e) => e.entry === entry)?.meanVirtualMs;
      const b = other.entries.find((e) => e.entry === entry)?.meanVirtualMs;
      return a !== undefined && b !== undefined && b > 0 ? [`${entry} ${(a / b).toFixed(2)}×`] : [];
    });
    if (ratios.length > 0) lines.push(`split ÷ ${label(other)}: ${ratios.join(', ')}`);
  }
  for (const p of result.placements) lines.push(`${label(p)}: ${p.status === 'infeasible' ? 'a hard constraint forbids it (SL4005)' : `components ${p.cached ? 'from the cache' : `built in ${(p.buildMs / 1000).toFixed(1)} s`}`}`);
  if (result.mismatches.length > 0) lines.push('', 'DIFFERENT OUTCOMES:', ...result.mismatches.map((m) => `  ${m}`));
  if (result.unexplained.length > 0) lines.push('', 'CROSSINGS THE PLAN DOES NOT MAKE:', ...result.unexplained.map((m) => `  ${m}`));
  if (result.status === 'measured') lines.push('', 'every request gave the same response and left the same stores under every placement (Date reading the request\'s arrival time at every stop), and every crossing is one its plan makes');
  return `${lines.join('\n')}\n`;
}
