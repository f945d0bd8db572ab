import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { diagnostic, hasErrors } from '../diagnostics/index.js';
import { planDirectory } from '../plan-project.js';
import type { Cut, Diagnostic, Plan, PlannedEntry, SegmentGraph } from '../ir/index.js';
import { planHtml } from '../report/plan-html.js';
import { planJson } from '../report/plan-json.js';
import { planMarkdown } from '../report/plan-markdown.js';
import { exitCode, type CliIO } from './io.js';
import { diagnosticsText, summaryLine } from './print-diagnostics.js';
import { readProfile, type ProfileFile } from './profile-file.js';
import { progress as startProgress, type Progress } from './progress.js';

export interface PlanCommandOptions {
  readonly config?: string;
  readonly out?: string;
  readonly markdown?: string;
  readonly html?: string;
  readonly profile?: string;
  readonly json?: boolean;
}

/**
 * `stopline plan [dir] [-c config] [--out plan.json] [--markdown report.md]
 * [--html report.html] [--profile profile.json] [--json]`: analyse and plan the project,
 * print a summary per entry (or plan.json with --json), write the reports.
 * Exit 0, 1 when the plan has error diagnostics (an unsatisfiable entry…), 2 on
 * configuration, profile or output-file errors.
 */
export function planCommand(dir: string | undefined, options: PlanCommandOptions, io: CliIO): number {
  const progress = startProgress(io);
  try {
    const rootDir = path.resolve(io.cwd, dir ?? '.');
    const result = planProject(rootDir, { configFile: options.config, profile: options.profile }, io, progress);
    if (result.plan === null) {
      progress.done();
      printDiagnostics(result.diagnostics, rootDir, io);
      return exitCode.usage;
    }
    const plan = result.plan;

    const outputs: [option: string, file: string, render: () => string][] = [];
    if (options.out !== undefined) outputs.push(['--out', options.out, () => planJson(plan)]);
    if (options.markdown !== undefined) outputs.push(['--markdown', options.markdown, () => planMarkdown(plan)]);
    if (options.html !== undefined) outputs.push(['--html', options.html, () => planHtml(plan, readSources(plan, rootDir))]);
    if (outputs.length > 0) progress.phase('writing');
    const written: string[] = [];
    for (const [, file, render] of outputs) {
      const failure = writeOutput(path.resolve(io.cwd, file), render());
      if (failure !== null) {
        progress.done();
        printDiagnostics([failure], rootDir, io);
        return exitCode.usage;
      }
      written.push(file);
    }
    progress.done();

    if (options.json) {
      io.stdout.write(planJson(plan));
    } else {
      io.stdout.write(planSummary(plan));
      printDiagnostics(plan.diagnostics, rootDir, io);
      for (const file of written) io.stderr.write(`written: ${displayPath(io.cwd, file)}\n`);
    }
    return planExitCode(plan.diagnostics);
  } finally {
    progress.done();
  }
}

// --- shared by plan, check and explain ---------------------------------------

export interface ProjectPlan {
  /** Null when the configuration (or the profile) has errors. */
  readonly plan: Plan | null;
  /** The analyzer's graph the plan was made from (null with the plan). */
  readonly graph: SegmentGraph | null;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Read the profile (a path relative to `io.cwd`), then load the config, analyse and plan
 * with `planDirectory`, naming each phase on the progress line.
 */
export function planProject(
  rootDir: string,
  options: { readonly configFile?: string | undefined; readonly profile?: string | undefined },
  io: CliIO,
  progress: Progress,
): ProjectPlan {
  let profile: ProfileFile | undefined;
  if (options.profile !== undefined) {
    progress.phase('loading config');
    const read = readProfile(path.resolve(io.cwd, options.profile), rootDir);
    if (read.diagnostic !== null) return { plan: null, graph: null, diagnostics: [read.diagnostic] };
    profile = read.profile;
  }
  const result = planDirectory(rootDir, {
    ...(options.configFile !== undefined ? { configFile: path.resolve(io.cwd, options.configFile) } : {}),
    ...(profile !== undefined ? { profile } : {}),
    onPhase: (phase) => progress.phase(phase),
  });
  return { plan: result.plan, graph: result.graph, diagnostics: result.diagnostics };
}

/** 2 when the configuration is broken (an SL1xxx error), 1 on other errors, else 0 — as `analyze`. */
export function planExitCode(diagnostics: readonly Diagnostic[]): number {
  if (diagnostics.some((d) => d.category === 'error' && d.code.startsWith('SL1'))) return exitCode.usage;
  return hasErrors(diagnostics) ? exitCode.projectErrors : exitCode.ok;
}

export function printDiagnostics(diagnostics: readonly Diagnostic[], rootDir: string, io: CliIO): void {
  if (diagnostics.length > 0) io.stderr.write(`\n${diagnosticsText(diagnostics, rootDir)}\n`);
  io.stderr.write(`${summaryLine(diagnostics)}\n`);
}

/**
 * Writes `text` to `file` whole or not at all: into a temporary file next to it, then
 * renamed over it. A failure is an SL4211 diagnostic (the temporary file is removed).
 */
export function writeOutput(file: string, text: string): Diagnostic | null {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
    return null;
  } catch (error) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // nothing was created
    }
    const e = error as NodeJS.ErrnoException;
    return diagnostic('SL4211', null, { file, detail: e.code ?? e.message });
  }
}

/** The text of every file the plan names (segments and entries), read from the project. */
export function readSources(plan: Plan, rootDir: string): Map<string, string> {
  const files = [...new Set([...plan.entries.map((e) => e.file), ...plan.segments.map((s) => s.file)])].sort();
  const out = new Map<string, string>();
  for (const file of files) {
    try {
      out.set(file, fs.readFileSync(path.resolve(rootDir, file), 'utf8'));
    } catch {
      // a file that vanished since the analysis: the report shows the plan without its source
    }
  }
  return out;
}

export function displayPath(cwd: string, file: string): string {
  return path.relative(cwd, path.resolve(cwd, file)) || file;
}

// --- the human summary -------------------------------------------------------

/** Per entry: latency against the baselines, round trips per link, and what moved (the cuts). */
export function planSummary(plan: Plan): string {
  const moved = plan.entries.reduce((n, e) => n + e.moved, 0);
  const lines = [
    `${plan.entries.length} entr${plan.entries.length === 1 ? 'y' : 'ies'}, ${plan.segments.length} segments, ${moved} moved, ${plan.cuts.length} cut${plan.cuts.length === 1 ? '' : 's'}` +
      (plan.model.counts === 'static' ? '' : ` (counts from ${plan.model.counts.profile})`),
  ];
  for (const entry of plan.entries) {
    lines.push('', ...entrySummary(entry, plan.cuts.filter((c) => c.entry === entry.name), plan));
  }
  return `${lines.join('\n')}\n`;
}

function entrySummary(entry: PlannedEntry, cuts: readonly Cut[], plan: Plan): string[] {
  const head = `${entry.name}  (arrives at ${entry.arrives}, ${entry.file}:${entry.start.line})`;
  const b = entry.baselines;
  const baseline = (label: string, x: PlannedEntry['baselines']['arrival']): string =>
    x.feasible ? `${label} ${x.latencyMs} ms` : `${label} not allowed`;
  const baselines = `  baselines   ${baseline(`all at ${b.arrival.stop}`, b.arrival)} · ${baseline(`all at ${b.origin.stop}`, b.origin)} · ${baseline(`best single stop (${b.bestSingleStop.stop})`, b.bestSingleStop)}`;
  if (entry.status === 'unsatisfiable' || entry.latencyMs === null) {
    return [head, '  cannot be placed: its hard constraints conflict (SL4001)', baselines];
  }
  const out = [head, `  latency     ${entry.latencyMs} ms${saving(entry)}`, baselines];
  out.push(`  round trips ${Object.entries(entry.roundTrips ?? {}).map(([link, n]) => `${link} ${n}`).join(' · ') || 'none'}`);
  if (cuts.length === 0) {
    out.push(`  moved       nothing: every segment runs at ${entry.arrives}`);
  } else {
    out.push(`  moved       ${entry.moved} segment${entry.moved === 1 ? '' : 's'} in ${cuts.length} cut${cuts.length === 1 ? '' : 's'}:`);
    const segments = new Map(plan.segments.map((s) => [s.id, s]));
    for (const cut of cuts) {
      const first = segments.get(cut.child);
      const where = first ? `${first.kind} ${first.file}:${first.start.line}:${first.start.column}  ${first.label}` : cut.child;
      const run = cut.run.length > 1 ? ` (+${cut.run.length - 1} batched)` : '';
      const payload = cut.payload.length > 0 ? cut.payload.join(', ') : 'nothing';
      out.push(`    ${cut.from} → ${cut.to}  ${where}${run}`);
      const handles = cut.handles.length > 0 ? `, store handles ${cut.handles.join(', ')} bound at ${cut.to}` : '';
      out.push(`      ×${cut.count} per request, payload ${payload} (${cut.bytes} B)${handles}, ${cut.costMs} ms`);
    }
  }
  return out;
}

function saving(entry: PlannedEntry): string {
  const arrival = entry.baselines.arrival;
  if (entry.latencyMs === null || !arrival.feasible || arrival.latencyMs <= entry.latencyMs) return '';
  const ms = Math.round((arrival.latencyMs - entry.latencyMs) * 1000) / 1000;
  const pct = Math.round((100 * (arrival.latencyMs - entry.latencyMs)) / arrival.latencyMs);
  return `  (−${ms} ms, −${pct}% against all at ${arrival.stop})`;
}
