import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { catalog } from '../../src/diagnostics/catalog.js';
import { repoRoot } from '../helpers/graph.js';
import { generateLargeSource } from './large-source.js';

/**
 * The bad-input corpus (issue #5): every directory under test/cases/bad-input/ is a small
 * project with an `expected.json`. Each runs the real CLI in-process on a copy of its
 * directory and must give exactly the expected exit code and diagnostics (code and
 * location, never message text), the expected analysis facts in plan.json (the SL3xxx
 * reasons a segment carries), no stack trace, and no file written or changed outside the
 * output directory.
 *
 * expected.json:
 *   category     what kind of bad input (the corpus is counted by category below)
 *   command      "plan" (written to out/plan.json) or "build" (into dist/, components cached outside the project)
 *   args         extra CLI arguments; "{dir}" is the copy's path
 *   dir          the directory given to the CLI, relative to the copy (default ".")
 *   out          build only: the output folder, relative to the copy (default "dist"); a case whose
 *                output folder is committed must not name it dist (.gitignore drops dist/)
 *   refused      true: the output folder too must be left exactly as it was (a refused build)
 *   exit         the exit code
 *   diagnostics  [code, file, line, column] of every diagnostic printed, in order (file null: no location)
 *   facts        [code, file, line, column] of the analysis facts on plan.json's segments (optional)
 *   accesses     [store, op, file, line, column] of the store accesses plan.json counts (optional): what a
 *                type error must not hide
 *   generate     { "<file>": "large" }: files generated at test time (not committed)
 *
 * Run one case: `npx vitest run test/bad-input -t <name>`.
 */

type Located = [code: string, file: string | null, line: number | null, column: number | null];

interface Expected {
  readonly category: string;
  readonly command: 'plan' | 'build';
  readonly args?: readonly string[];
  readonly dir?: string;
  readonly out?: string;
  readonly refused?: boolean;
  readonly exit: number;
  readonly diagnostics: readonly Located[];
  readonly facts?: readonly Located[];
  readonly accesses?: readonly (readonly [string, string, string, number, number])[];
  readonly generate?: Readonly<Record<string, 'large'>>;
}

const casesDir = path.join(repoRoot, 'test/cases/bad-input');
const names = fs.readdirSync(casesDir).filter((n) => fs.existsSync(path.join(casesDir, n, 'expected.json'))).sort();
const readExpected = (name: string): Expected => JSON.parse(fs.readFileSync(path.join(casesDir, name, 'expected.json'), 'utf8')) as Expected;

const scratch = path.join(repoRoot, 'test/.tmp');
fs.mkdirSync(scratch, { recursive: true });
const work = fs.mkdtempSync(path.join(scratch, 'bad-input-'));
const cacheDir = path.join(work, '.component-cache');
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** sha-256 of every file below `dir` (relative paths), except under `skip` (relative folder names). */
function snapshot(dir: string, skip: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (at: string): void => {
    for (const e of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, e.name);
      const rel = path.relative(dir, full).split(path.sep).join('/');
      if (skip.some((s) => rel === s || rel.startsWith(`${s}/`))) continue;
      if (e.isDirectory()) walk(full);
      else out.set(rel, e.isSymbolicLink() ? `link ${fs.readlinkSync(full)}` : createHash('sha256').update(fs.readFileSync(full)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

/** Diagnostics as printed (`file:line:col - category CODE: …` or `category CODE: …`), in order. */
function printed(text: string): Located[] {
  return [...text.matchAll(/^(?:(\S+):(\d+):(\d+) - )?(?:error|warning|info) (SL\d{4}):/gm)].map((m) => [
    m[4]!,
    m[1] ?? null,
    m[2] === undefined ? null : Number(m[2]),
    m[3] === undefined ? null : Number(m[3]),
  ]);
}

interface PlanFacts {
  segments: {
    file: string;
    start: { line: number; column: number };
    reasons: { code: string; stop: string | null }[];
    accesses: { id: string; store: string; op: string }[];
  }[];
}

/** The store accesses the plan counts: [store, op, file, line, column] of the segment holding each, once per access. */
function accessesOf(planFile: string): [string, string, string, number, number][] {
  if (!fs.existsSync(planFile)) return [];
  const plan = JSON.parse(fs.readFileSync(planFile, 'utf8')) as PlanFacts;
  const seen = new Set<string>();
  const out: [string, string, string, number, number][] = [];
  for (const s of plan.segments) {
    for (const a of s.accesses) {
      const key = `${a.store} ${a.op} ${s.file}:${s.start.line}:${s.start.column}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push([a.store, a.op, s.file, s.start.line, s.start.column]);
    }
  }
  return out;
}

/** The analysis facts (SL3xxx reasons with no stop: the fact itself) on the plan's segments, once per place. */
function factsOf(planFile: string): Located[] {
  if (!fs.existsSync(planFile)) return [];
  const plan = JSON.parse(fs.readFileSync(planFile, 'utf8')) as PlanFacts;
  const seen = new Set<string>();
  const out: Located[] = [];
  for (const s of plan.segments) {
    for (const r of s.reasons) {
      if (r.stop !== null || !r.code.startsWith('SL3')) continue;
      const key = `${r.code} ${s.file}:${s.start.line}:${s.start.column}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push([r.code, s.file, s.start.line, s.start.column]);
    }
  }
  return out.sort((a, b) => (a.join(' ') < b.join(' ') ? -1 : a.join(' ') > b.join(' ') ? 1 : 0));
}

function copyCase(name: string): string {
  const dir = path.join(work, name);
  fs.cpSync(path.join(casesDir, name), dir, { recursive: true, filter: (src) => path.basename(src) !== 'expected.json' });
  return dir;
}

async function cli(args: readonly string[], cwd: string): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await run(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    cwd,
    env: {},
  });
  return { status, stdout, stderr };
}

const stackTrace = /^\s+at .+:\d+:\d+\)?$/m;

describe('bad-input corpus', () => {
  it('has at least 40 cases, each of a known category', () => {
    const categories = new Map<string, number>();
    for (const name of names) categories.set(readExpected(name).category, (categories.get(readExpected(name).category) ?? 0) + 1);
    expect(names.length).toBeGreaterThanOrEqual(40);
    expect([...categories.keys()].sort()).toEqual([
      'async-iterator', 'circular-import', 'closure', 'codegen', 'contradictory-pins', 'dynamic-import', 'entry', 'eval', 'generator',
      'getter', 'large-source', 'private-field', 'proxy', 'syntax', 'type-error', 'unknown-preset', 'unknown-stop', 'unknown-store',
      'unsatisfiable', 'with', 'yaml',
    ]);
  });

  for (const name of names) {
    it(name, async () => {
      const expected = readExpected(name);
      const dir = copyCase(name);
      for (const [file, kind] of Object.entries(expected.generate ?? {})) {
        if (kind === 'large') fs.writeFileSync(path.join(dir, file), generateLargeSource(5 * 1024 * 1024));
      }
      const outDir = expected.command === 'plan' ? 'out' : expected.out ?? 'dist';
      const excluded = expected.refused ? [] : [outDir];
      const before = snapshot(dir, excluded);
      const target = path.join(dir, expected.dir ?? '.');
      const outputArgs = expected.command === 'plan'
        ? ['--out', path.join(dir, 'out/plan.json')]
        : ['--out', path.join(dir, outDir), '--cache', cacheDir];
      const extra = (expected.args ?? []).map((a) => a.replaceAll('{dir}', dir));
      const result = await cli([expected.command, target, ...outputArgs, ...extra], dir);

      // A location outside the sources (the output folder) is printed absolute: shown relative to the copy.
      const diagnostics = printed(result.stderr + result.stdout).map(([code, file, line, column]): Located => [
        code, file !== null && path.isAbsolute(file) ? path.relative(dir, file).split(path.sep).join('/') : file, line, column,
      ]);
      const facts = factsOf(path.join(dir, 'out/plan.json'));
      const accesses = accessesOf(path.join(dir, 'out/plan.json'));
      // BAD_INPUT_RECORD=<file>: append what each case gave (to review when adding cases).
      const record = process.env['BAD_INPUT_RECORD'];
      if (record) fs.appendFileSync(record, `${JSON.stringify({ name, exit: result.status, diagnostics, facts, accesses, stderr: result.stderr })}\n`);
      expect(stackTrace.test(result.stdout) || stackTrace.test(result.stderr), result.stderr).toBe(false);
      for (const [code] of diagnostics) expect(Object.keys(catalog)).toContain(code);
      expect({ exit: result.status, diagnostics }).toEqual({ exit: expected.exit, diagnostics: expected.diagnostics });
      if (expected.facts !== undefined) expect(facts).toEqual(expected.facts);
      if (expected.accesses !== undefined) expect(accesses).toEqual(expected.accesses);
      // No trustworthy plan: a non-zero exit. Any error diagnostic means the run failed.
      if (diagnostics.some(([code]) => (catalog as Record<string, { category: string }>)[code]?.category === 'error')) expect(result.status).not.toBe(0);
      // Nothing outside the output directory was written, changed or removed.
      expect(snapshot(dir, excluded)).toEqual(before);
    });
  }
});
