import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annotation, escapeData, escapeProperty, repositoryPrefix } from '../../src/cli/github.js';
import { run } from '../../src/cli/main.js';
import { diagnostic } from '../../src/diagnostics/index.js';
import type { Plan } from '../../src/ir/index.js';
import { planDirectory } from '../../src/plan-project.js';
import { planJson } from '../../src/report/plan-json.js';
import { copyFixture } from '../helpers/cli.js';
import { repoRoot } from '../helpers/graph.js';

/** Runs the CLI in-process with captured output (stderr is not a TTY). */
async function cli(args: readonly string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const status = await run(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    cwd: repoRoot,
    env,
  });
  return { status, stdout, stderr };
}

/** `CODE file:line:col` of every diagnostic printed as `file:l:c - category CODE: …`. */
const located = (text: string): string[] => [...text.matchAll(/^\s*(\S+:\d+:\d+) - (?:error|warning|info) (SL\d{4})/gm)].map((m) => `${m[2]} ${m[1]}`);

interface SarifLike {
  version: string;
  $schema: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string }[] } };
    results: { ruleId: string; level: string; locations?: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number; startColumn: number } } }[] }[];
  }[];
}
const sarifFindings = (file: string): string[] => {
  const log = JSON.parse(fs.readFileSync(file, 'utf8')) as SarifLike;
  return log.runs[0]!.results.map((r) => {
    const loc = r.locations?.[0]?.physicalLocation;
    return `${r.ruleId} ${r.level} ${loc ? `${loc.artifactLocation.uri}:${loc.region.startLine}:${loc.region.startColumn}` : '-'}`;
  });
};

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

let shop: string;
let baselineFile: string;
let baseline: Plan;

beforeAll(() => {
  const copy = copyFixture('shop');
  cleanups.push(copy.cleanup);
  shop = copy.dir;
  baseline = planDirectory(shop).plan!;
  baselineFile = path.join(shop, 'baseline.json');
  fs.writeFileSync(baselineFile, planJson(baseline));
});

/** A copy of the shop that a test may edit, with the shared baseline. */
function editableShop(): string {
  const copy = copyFixture('shop');
  cleanups.push(copy.cleanup);
  return copy.dir;
}

function editedBaseline(name: string, edit: (plan: { entries: { name: string; latencyMs: number | null }[]; segments: { id: string; stop: string | null }[] }) => void): string {
  const plan = JSON.parse(planJson(baseline)) as Parameters<typeof edit>[0];
  edit(plan);
  const file = path.join(shop, name);
  fs.writeFileSync(file, JSON.stringify(plan, null, 2));
  return file;
}

describe('stopline check', () => {
  it('passes against its own fresh baseline and writes the markdown report', async () => {
    const md = path.join(shop, 'check.md');
    const result = await cli(['check', shop, '--baseline', baselineFile, '--markdown', md]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^ {2}same +addToCart /m);
    expect(result.stdout).toMatch(/^ {2}same +checkout /m);
    expect(result.stdout).toMatch(/^ {2}same +viewCart /m);
    expect(located(result.stdout)).toEqual([]);
    expect(result.stdout).not.toContain('::error');
    expect(fs.readFileSync(md, 'utf8').length).toBeGreaterThan(0);
  });

  it('fails when a hop gets slower in stopline.yaml, with SL4201 on the entries that pay it (terminal and SARIF agree)', async () => {
    const dir = editableShop();
    const yaml = path.join(dir, 'stopline.yaml');
    fs.writeFileSync(yaml, fs.readFileSync(yaml, 'utf8').replace('latencyMs: 70', 'latencyMs: 90'));
    const sarif = path.join(dir, 'out.sarif');
    const result = await cli(['check', dir, '--baseline', baselineFile, '--sarif', sarif]);
    expect(result.status).toBe(1);
    expect(located(result.stdout)).toEqual(['SL4201 src/handlers.ts:8:1', 'SL4201 src/handlers.ts:49:1']);
    expect(result.stdout).toMatch(/^ {2}worse +viewCart /m);
    expect(result.stdout).toMatch(/^ {2}same +addToCart /m);
    expect(sarifFindings(sarif)).toEqual(['SL4201 error src/handlers.ts:8:1', 'SL4201 error src/handlers.ts:49:1']);
    const log = JSON.parse(fs.readFileSync(sarif, 'utf8')) as SarifLike;
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.runs[0]!.tool.driver.name).toBe('stopline');
    expect(log.runs[0]!.tool.driver.rules.map((r) => r.id)).toEqual(['SL4201']);
    expect(log.runs[0]!.results[0]!.locations![0]!.physicalLocation.artifactLocation.uriBaseId).toBe('%SRCROOT%');
  });

  it('fails when the code gains a query to the origin: latency and round trips of that entry, and reports the new segment', async () => {
    const dir = editableShop();
    const handlers = path.join(dir, 'src/handlers.ts');
    fs.writeFileSync(handlers, fs.readFileSync(handlers, 'utf8').replace(
      '  const cart = await loadCart(env, userId);\n\n  const existing',
      "  const cart = await loadCart(env, userId);\n  await pool.query('SELECT 1 FROM products WHERE id = $1', [item.productId]);\n\n  const existing",
    ));
    const result = await cli(['check', dir, '--baseline', baselineFile]);
    expect(result.status).toBe(1);
    expect(located(result.stdout)).toEqual(['SL4201 src/handlers.ts:31:1', 'SL4201 src/handlers.ts:31:1']);
    expect(result.stdout).toMatch(/src\/handlers\.ts:35:3 SL4207 /);
    // Only addToCart changed: the other entries' segments keep their ids although their lines moved.
    expect(result.stdout).toMatch(/^ {2}same +checkout /m);
    expect(result.stdout).toMatch(/^ {2}same +viewCart /m);
  });

  it('fails against a hand-edited baseline that was faster, or placed a segment elsewhere', async () => {
    const faster = editedBaseline('faster.json', (p) => {
      p.entries.find((e) => e.name === 'viewCart')!.latencyMs = 60;
    });
    const slower = await cli(['check', shop, '--baseline', faster]);
    expect(slower.status).toBe(1);
    expect(located(slower.stdout)).toEqual(['SL4201 src/handlers.ts:8:1']);

    const loop = baseline.segments.find((s) => s.entry === 'viewCart' && s.kind === 'loop')!;
    expect(loop.stop).toBe('origin');
    const moved = editedBaseline('moved.json', (p) => {
      p.segments.find((s) => s.id === loop.id)!.stop = 'edge';
    });
    const result = await cli(['check', shop, '--baseline', moved]);
    expect(result.status).toBe(1);
    expect(located(result.stdout)).toEqual(['SL4202 src/handlers.ts:16:3']);
  });

  it('passes and lists the good news when the plan is better than the baseline', async () => {
    const slower = editedBaseline('slower.json', (p) => {
      p.entries.find((e) => e.name === 'checkout')!.latencyMs = 500;
    });
    const result = await cli(['check', shop, '--baseline', slower]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^ {2}better +checkout /m);
    expect(result.stdout).toMatch(/src\/handlers\.ts:49:1 SL4206 /);
  });

  it('under GitHub Actions prints ::error annotations relative to the workspace and appends to the step summary', async () => {
    const faster = editedBaseline('faster-gh.json', (p) => {
      p.entries.find((e) => e.name === 'viewCart')!.latencyMs = 60;
    });
    const summary = path.join(shop, 'summary.md');
    fs.writeFileSync(summary, 'earlier step\n');
    const env = { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: repoRoot, GITHUB_STEP_SUMMARY: summary };
    const result = await cli(['check', shop, '--baseline', faster], env);
    expect(result.status).toBe(1);
    const prefix = path.relative(repoRoot, shop).split(path.sep).join('/');
    const annotations = result.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(annotations).toHaveLength(1);
    expect(annotations[0]).toMatch(new RegExp(`^::error file=${prefix.replace(/[.]/g, '\\.')}/src/handlers\\.ts,line=8,endLine=28,title=SL4201::`));
    const text = fs.readFileSync(summary, 'utf8');
    expect(text.startsWith('earlier step\n')).toBe(true);
    expect(text).toContain('SL4201');
    expect(text.length).toBeGreaterThan('earlier step\n'.length + 200);

    const quiet = await cli(['check', shop, '--baseline', faster], { GITHUB_STEP_SUMMARY: summary });
    expect(quiet.stdout).not.toContain('::error');
    expect(fs.readFileSync(summary, 'utf8')).toBe(text);
  });

  it('re-plans with the profile the baseline was planned with', async () => {
    const loop = baseline.segments.find((s) => s.entry === 'viewCart' && s.kind === 'loop')!;
    const profile = path.join(shop, 'profile.json');
    fs.writeFileSync(profile, JSON.stringify({ schema: 'stopline.profile/v1', requests: { viewCart: 10 }, executions: { [loop.id]: 10 } }));
    const profiled = path.join(shop, 'profiled.json');
    expect((await cli(['plan', shop, '--profile', profile, '--out', profiled])).status).toBe(0);
    const result = await cli(['check', shop, '--baseline', profiled]);
    expect(result.status).toBe(0);
    // Against the static baseline, the measured counts change viewCart.
    expect((await cli(['check', shop, '--baseline', baselineFile, '--profile', profile])).stdout).toMatch(/^ {2}(worse|better|mixed) +viewCart /m);
  });

  it('exits 2 with SL4004 when the baseline is missing, not JSON, or not a plan', async () => {
    const missing = await cli(['check', shop, '--baseline', path.join(shop, 'nope.json')]);
    expect(missing.status).toBe(2);
    expect(located(missing.stderr)).toEqual(['SL4004 nope.json:1:1']);

    const notJson = path.join(shop, 'broken.json');
    fs.writeFileSync(notJson, '{\n  "schema": "stopline.plan/v1",\n  oops\n}\n');
    const broken = await cli(['check', shop, '--baseline', notJson]);
    expect(broken.status).toBe(2);
    expect(located(broken.stderr)).toEqual(['SL4004 broken.json:3:3']);

    const notPlan = path.join(shop, 'not-a-plan.json');
    fs.writeFileSync(notPlan, JSON.stringify({ schema: 'stopline.plan/v2' }));
    const wrong = await cli(['check', shop, '--baseline', notPlan]);
    expect(wrong.status).toBe(2);
    expect(located(wrong.stderr)).toEqual(['SL4004 not-a-plan.json:1:1']);

    expect((await cli(['check', shop])).status).toBe(2); // --baseline is required
  });

  it('has help text', async () => {
    const help = await cli(['check', '--help']);
    expect(help.status).toBe(0);
    for (const flag of ['--baseline', '--sarif', '--markdown', '--config', '--profile', 'GITHUB_ACTIONS']) expect(help.stdout).toContain(flag);
  });
});

describe('GitHub workflow commands', () => {
  it('escapes data and properties as the runner expects', () => {
    expect(escapeData('50% done\r\nnext')).toBe('50%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
  });

  it('puts a one-line range in columns (inclusive end) and a longer one in lines only', () => {
    const one = diagnostic('SL4202', { file: 'src/a,b.ts', start: { line: 3, column: 5 }, end: { line: 3, column: 9 } }, { before: 'edge', after: 'origin', label: 'x: 1%' });
    expect(annotation(one, 'pkg')).toBe('::error file=pkg/src/a%2Cb.ts,line=3,col=5,endLine=3,endColumn=8,title=SL4202::Segment moved from edge to origin: x: 1%25');
    const many = diagnostic('SL4201', { file: 'src/a.ts', start: { line: 3, column: 5 }, end: { line: 9, column: 1 } }, { entry: 'e', metric: 'latency', before: '1', after: '2' });
    expect(annotation(many, '')).toMatch(/^::error file=src\/a\.ts,line=3,endLine=8,title=SL4201::/);
    expect(annotation(diagnostic('SL4204', null, { entry: 'e' }), '')).toMatch(/^::error title=SL4204::/);
  });

  it('makes paths relative to GITHUB_WORKSPACE only for a project inside it', () => {
    expect(repositoryPrefix('/ws/repo/packages/api', { GITHUB_WORKSPACE: '/ws/repo' })).toBe('packages/api');
    expect(repositoryPrefix('/ws/repo', { GITHUB_WORKSPACE: '/ws/repo' })).toBe('');
    expect(repositoryPrefix('/elsewhere', { GITHUB_WORKSPACE: '/ws/repo' })).toBe('');
    expect(repositoryPrefix('/ws/repo/x', {})).toBe('');
  });
});
