import fs from 'node:fs';
import path from 'node:path';
import { diagnostic, formatDiagnostic, hasErrors } from '../diagnostics/index.js';
import type { Diagnostic, Plan } from '../ir/index.js';
import { comparePlans, type Change, type EntryComparison, type PlanComparison } from '../report/compare-plans.js';
import { parsePlan } from '../report/plan-schema.js';
import { planMarkdown } from '../report/plan-markdown.js';
import { sarifLog } from '../report/sarif.js';
import { annotation, appendStepSummary, blobBase, inGitHubActions, repositoryPrefix, withPrefix } from './github.js';
import { exitCode, type CliIO } from './io.js';
import { displayPath, planExitCode, planProject, printDiagnostics, writeOutput } from './plan-command.js';
import { positionAt, projectPath } from './profile-file.js';
import { progress as startProgress } from './progress.js';
import { version } from './version.js';

export interface CheckOptions {
  readonly baseline: string;
  readonly config?: string;
  readonly profile?: string;
  readonly sarif?: string;
  readonly markdown?: string;
}

/**
 * `stopline check [dir] --baseline plan.json [-c config] [--profile p.json] [--sarif out.sarif]
 * [--markdown report.md]`: plan the project again and compare with the baseline
 * (rules in src/report/compare-plans.ts). Exit 1 when something got worse, moved,
 * appeared or disappeared, or the plan has errors; 0 otherwise (improvements are listed);
 * 2 when the baseline, the config or the profile cannot be used.
 * Without --profile, a baseline planned from a profile is re-planned from the same file.
 * Under GitHub Actions (GITHUB_ACTIONS=true) the failures also become `::error`
 * annotations and the markdown report is appended to GITHUB_STEP_SUMMARY.
 */
export function checkCommand(dir: string | undefined, options: CheckOptions, io: CliIO): number {
  const progress = startProgress(io);
  try {
    const rootDir = path.resolve(io.cwd, dir ?? '.');
    progress.phase('reading the baseline');
    const read = readBaseline(path.resolve(io.cwd, options.baseline), rootDir);
    if (read.plan === null) {
      progress.done();
      printDiagnostics([read.diagnostic], rootDir, io);
      return exitCode.usage;
    }
    const baseline = read.plan;
    const baselineProfile = baseline.model.counts === 'static' ? undefined : path.resolve(rootDir, baseline.model.counts.profile);
    const result = planProject(rootDir, { configFile: options.config, profile: options.profile ?? baselineProfile }, io, progress);
    if (result.plan === null) {
      progress.done();
      printDiagnostics(result.diagnostics, rootDir, io);
      return exitCode.usage;
    }
    const current = result.plan;
    const comparison = comparePlans(baseline, current);
    const planProblems = current.diagnostics.filter((d) => d.category === 'error' || d.category === 'warning');
    const prefix = repositoryPrefix(rootDir, io.env);

    const outputs: [string, () => string][] = [];
    if (options.sarif !== undefined) {
      outputs.push([options.sarif, () => `${JSON.stringify(sarifLog([...comparison.findings, ...planProblems], { toolVersion: version, pathPrefix: prefix }), null, 2)}\n`]);
    }
    if (options.markdown !== undefined) outputs.push([options.markdown, () => planMarkdown(current, { baseline })]);
    if (outputs.length > 0) progress.phase('writing');
    const written: string[] = [];
    for (const [file, render] of outputs) {
      const failure = writeOutput(path.resolve(io.cwd, file), render());
      if (failure !== null) {
        progress.done();
        printDiagnostics([failure], rootDir, io);
        return exitCode.usage;
      }
      written.push(file);
    }
    progress.done();

    const baselineName = displayPath(io.cwd, options.baseline);
    io.stdout.write(checkReport(comparison, baselineName));
    if (current.diagnostics.length > 0) printDiagnostics(current.diagnostics, rootDir, io);
    for (const file of written) io.stderr.write(`written: ${displayPath(io.cwd, file)}\n`);

    const failed = comparison.failed || hasErrors(current.diagnostics);
    if (inGitHubActions(io.env)) {
      for (const d of [...comparison.failures, ...current.diagnostics.filter((x) => x.category === 'error')]) io.stdout.write(`${annotation(d, prefix)}\n`);
      const linkBase = blobBase(io.env, prefix);
      const summary = [
        `## stopline check: ${failed ? 'failed' : 'passed'}`,
        '',
        ...(comparison.failures.length > 0
          ? [`Against the baseline \`${baselineName}\`:`, '', ...comparison.failures.map((d) => `- ${findingLink(d, prefix, linkBase)} **${d.code}** ${d.message}`), '']
          : [`No regressions against the baseline \`${baselineName}\`.`, '']),
        planMarkdown(current, linkBase !== undefined ? { baseline, linkBase } : { baseline }),
      ].join('\n');
      const problem = appendStepSummary(io.env, summary);
      if (problem !== null) io.stderr.write(`stopline: ${problem}\n`);
    }

    const base = planExitCode(current.diagnostics);
    if (base === exitCode.usage) return exitCode.usage;
    return failed ? exitCode.projectErrors : exitCode.ok;
  } finally {
    progress.done();
  }
}

type ReadBaseline = { readonly plan: Plan; readonly diagnostic: null } | { readonly plan: null; readonly diagnostic: Diagnostic };

/** The baseline plan.json, or an SL4004 diagnostic located in it. */
export function readBaseline(absFile: string, rootDir: string): ReadBaseline {
  const file = projectPath(absFile, rootDir);
  const fail = (detail: string, at = { line: 1, column: 1 }): ReadBaseline => ({
    plan: null,
    diagnostic: diagnostic('SL4004', { file, start: at, end: at }, { file, detail }),
  });
  let text: string;
  try {
    text = fs.readFileSync(absFile, 'utf8');
  } catch (error) {
    return fail(`cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const parsed = parsePlan(text);
  if (parsed.plan === null) {
    const offset = /at position (\d+)/.exec(parsed.error);
    return fail(parsed.error, offset ? positionAt(text, Number(offset[1])) : undefined);
  }
  return { plan: parsed.plan, diagnostic: null };
}

function findingLink(d: Diagnostic, prefix: string, linkBase: string | undefined): string {
  if (d.range === null) return '';
  const where = `${d.range.file}:${d.range.start.line}`;
  return linkBase === undefined
    ? `\`${withPrefix(prefix, where)}\``
    : `[\`${where}\`](${linkBase}${d.range.file}#L${d.range.start.line})`;
}

// --- the terminal report -----------------------------------------------------

/** Per entry: verdict, latency and round trips before → after; then the failures in full and the rest in a line each. */
export function checkReport(comparison: PlanComparison, baselineName: string): string {
  const width = Math.max(0, ...comparison.entries.map((e) => e.name.length));
  const lines = [`stopline check against ${baselineName}`, ''];
  for (const e of comparison.entries) lines.push(`  ${e.verdict.padEnd(13)} ${e.name.padEnd(width)}  ${entryLine(e)}`);
  const good = comparison.findings.filter((d) => d.code === 'SL4206');
  const notes = comparison.findings.filter((d) => d.category !== 'error' && d.code !== 'SL4206');
  if (good.length > 0) lines.push('', 'Better than the baseline:', ...good.map(oneLine));
  if (notes.length > 0) lines.push('', 'Changed segments:', ...notes.map(oneLine));
  if (comparison.failed) {
    const n = comparison.failures.length;
    lines.push('', `${n} regression${n === 1 ? '' : 's'} against the baseline:`, ...comparison.failures.map((d) => formatDiagnostic(d).replace(/^/gm, '  ')));
    lines.push('', 'If the change is intended, refresh the baseline with `stopline plan --out`.');
  } else {
    lines.push('', 'No regressions against the baseline.');
  }
  return `${lines.join('\n')}\n`;
}

function entryLine(e: EntryComparison): string {
  const trips = Object.entries(e.roundTrips).map(([link, c]) => `${link} ${change(c, '')}`).join(', ');
  return `latency ${change(e.latencyMs, ' ms')} · round trips ${trips}`;
}

function change(c: Change, unit: string): string {
  if (c.before === null && c.after === null) return '—';
  if (c.before === null) return `new: ${c.after}${unit}`;
  if (c.after === null) return `was ${c.before}${unit}`;
  if (c.before === c.after) return `${c.after}${unit}`;
  const delta = Math.round((c.after - c.before) * 1e6) / 1e6;
  return `${c.before} → ${c.after}${unit} (${delta > 0 ? '+' : '−'}${Math.abs(delta)}${unit})`;
}

function oneLine(d: Diagnostic): string {
  const where = d.range === null ? '' : `${d.range.file}:${d.range.start.line}:${d.range.start.column} `;
  return `  ${where}${d.code} ${d.message}`;
}
