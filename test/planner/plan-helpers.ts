import fs from 'node:fs';
import path from 'node:path';
import { planDirectory, type PlanResult } from '../../src/plan-project.js';
import type { Cut, PlacedSegment, Plan, PlannedEntry } from '../../src/ir/index.js';
import { planJson } from '../../src/report/plan-json.js';
import { repoRoot } from '../helpers/graph.js';

const cache = new Map<string, PlanResult>();

/** Analyses and plans a project folder once per test file (relative to the repository). */
export function planOnce(dir: string): PlanResult {
  let result = cache.get(dir);
  if (result === undefined) {
    result = planDirectory(path.resolve(repoRoot, dir));
    cache.set(dir, result);
  }
  return result;
}

export function planOf(dir: string): Plan {
  const { plan } = planOnce(dir);
  if (plan === null) throw new Error(`${dir} has configuration errors`);
  return plan;
}

export function entryOf(plan: Plan, name: string): PlannedEntry {
  const entry = plan.entries.find((e) => e.name === name);
  if (entry === undefined) throw new Error(`no entry ${name}; have ${plan.entries.map((e) => e.name).join(', ')}`);
  return entry;
}

/** The outermost segment of an entry starting on `file:line` (optionally of a kind). */
export function segmentAt(plan: Plan, entry: string, where: string, kind?: string): PlacedSegment {
  const [file, line] = where.split(':') as [string, string];
  const found = plan.segments.find((s) => s.entry === entry && s.file === file && s.start.line === Number(line) && (kind === undefined || s.kind === kind));
  if (found === undefined) throw new Error(`no ${kind ?? 'segment'} of ${entry} starts at ${where}`);
  return found;
}

export function segmentsOf(plan: Plan, entry: string): PlacedSegment[] {
  return plan.segments.filter((s) => s.entry === entry);
}

export function cutsOf(plan: Plan, entry: string): Cut[] {
  return plan.cuts.filter((c) => c.entry === entry);
}

/** Every segment below (and including) `root`. */
export function subtree(plan: Plan, root: PlacedSegment): PlacedSegment[] {
  const inside = new Set([root.id]);
  const out = [root];
  for (const s of plan.segments) {
    if (s.parent !== null && inside.has(s.parent)) {
      inside.add(s.id);
      out.push(s);
    }
  }
  return out;
}

/** `file:line` of a segment, the way a person names it. */
export const where = (s: { file: string; start: { line: number } }): string => `${s.file}:${s.start.line}`;

/**
 * Accepted baselines, as TypeScript keeps them: the reference lives in
 * `fixtures/<name>/baselines/`, a run that differs writes its output to
 * `test/.tmp/baselines/local/<name>/` and fails; `npm run baseline-accept` copies the
 * local files over the references when the change is intended.
 */
export function compareBaseline(fixture: string, file: string, actual: string): { reference: string | null; localPath: string } {
  const referencePath = path.join(repoRoot, 'fixtures', fixture, 'baselines', file);
  const localPath = path.join(repoRoot, 'test/.tmp/baselines/local', fixture, file);
  const reference = fs.existsSync(referencePath) ? fs.readFileSync(referencePath, 'utf8') : null;
  if (reference !== actual) {
    fs.mkdirSync(path.dirname(localPath), { recursive: true });
    fs.writeFileSync(localPath, actual);
  } else if (fs.existsSync(localPath)) {
    fs.rmSync(localPath);
  }
  return { reference, localPath };
}

export { planJson };
