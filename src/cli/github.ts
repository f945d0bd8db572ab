import fs from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../ir/index.js';

/**
 * GitHub Actions output: workflow commands that annotate the pull request
 * (`::error file=…,line=…::message`) and the job's step summary. Which paths GitHub
 * understands: relative to the repository checkout (`GITHUB_WORKSPACE`).
 */

export function inGitHubActions(env: Readonly<Record<string, string | undefined>>): boolean {
  return env['GITHUB_ACTIONS'] === 'true';
}

/**
 * The project directory relative to the repository root (`GITHUB_WORKSPACE`) with forward
 * slashes: '' for the root itself or when the workspace is unknown or does not contain it.
 */
export function repositoryPrefix(rootDir: string, env: Readonly<Record<string, string | undefined>>): string {
  const workspace = env['GITHUB_WORKSPACE'];
  if (workspace === undefined || workspace === '') return '';
  const rel = path.relative(path.resolve(workspace), path.resolve(rootDir));
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return '';
  return rel.split(path.sep).join('/');
}

export function withPrefix(prefix: string, file: string): string {
  return prefix === '' ? file : `${prefix}/${file}`;
}

/** Message text of a workflow command: `%`, CR and LF escaped. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value of a workflow command: as data, plus `:` and `,`. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * One diagnostic as a workflow command: `::error` / `::warning` / `::notice` with the
 * file (prefixed to be repository-relative), the 1-based range and the code as title.
 * GitHub takes columns only for a range on one line; its end column is inclusive.
 */
export function annotation(d: Diagnostic, prefix: string): string {
  const command = d.category === 'error' ? 'error' : d.category === 'warning' ? 'warning' : 'notice';
  const props: [string, string][] = [];
  if (d.range !== null) {
    const { start, end } = d.range;
    // An end at column 1 of a later line ends on the line before.
    const endLine = end.line > start.line && end.column === 1 ? end.line - 1 : end.line;
    props.push(['file', withPrefix(prefix, d.range.file)], ['line', String(start.line)]);
    if (endLine === start.line) {
      props.push(['col', String(start.column)], ['endLine', String(endLine)], ['endColumn', String(Math.max(start.column, end.column - 1))]);
    } else {
      props.push(['endLine', String(endLine)]);
    }
  }
  props.push(['title', d.code]);
  return `::${command} ${props.map(([k, v]) => `${k}=${escapeProperty(v)}`).join(',')}::${escapeData(d.message)}`;
}

/** Appends to the step summary file (`GITHUB_STEP_SUMMARY`); returns the error text on failure. */
export function appendStepSummary(env: Readonly<Record<string, string | undefined>>, markdown: string): string | null {
  const file = env['GITHUB_STEP_SUMMARY'];
  if (file === undefined || file === '') return null;
  try {
    fs.appendFileSync(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
    return null;
  } catch (error) {
    return `cannot append to GITHUB_STEP_SUMMARY ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
  }
}

/**
 * The base URL of the repository's files at this commit (for links in the summary), or
 * undefined when the workflow's variables are not all there.
 */
export function blobBase(env: Readonly<Record<string, string | undefined>>, prefix: string): string | undefined {
  const server = env['GITHUB_SERVER_URL'];
  const repo = env['GITHUB_REPOSITORY'];
  const sha = env['GITHUB_SHA'];
  if (!server || !repo || !sha) return undefined;
  return `${server}/${repo}/blob/${sha}/${prefix === '' ? '' : `${prefix}/`}`;
}
