import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { planDirectory } from '../../src/plan-project.js';
import { planJson } from '../../src/report/plan-json.js';
import { parsePlan } from '../../src/report/plan-schema.js';
import type { Diagnostic, Plan } from '../../src/ir/index.js';
import { copyFixture, scratchProject, stopline } from '../helpers/cli.js';
import { repoRoot } from '../helpers/graph.js';

/** Runs the CLI in-process with captured output (stderr not a TTY unless asked). */
async function cli(args: readonly string[], options: { cwd?: string; env?: Record<string, string>; tty?: boolean } = {}) {
  let stdout = '';
  let stderr = '';
  const status = await run(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: options.tty ?? false },
    cwd: options.cwd ?? repoRoot,
    env: options.env ?? {},
  });
  return { status, stdout, stderr };
}

const at = (d: Diagnostic): string => `${d.code} ${d.range === null ? '-' : `${d.range.file}:${d.range.start.line}:${d.range.start.column}`}`;
const located = (text: string): string[] => [...text.matchAll(/^(\S+:\d+:\d+) - (?:error|warning|info) (SL\d{4})/gm)].map((m) => `${m[2]} ${m[1]}`);

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

const tsconfig = JSON.stringify({ compilerOptions: { strict: true, module: 'ESNext', moduleResolution: 'Bundler', types: ['node'] }, include: ['src'] });

describe('stopline plan', () => {
  let shop: string;
  beforeAll(() => {
    const copy = copyFixture('shop');
    cleanups.push(copy.cleanup);
    shop = copy.dir;
  });

  it('plans the shop, writes plan.json, markdown and html, and prints a summary', async () => {
    const out = path.join(shop, 'out');
    const result = await cli(['plan', shop, '--out', path.join(out, 'plan.json'), '--markdown', path.join(out, 'report.md'), '--html', path.join(out, 'report.html')]);
    expect(result.status).toBe(0);
    const parsed = parsePlan(fs.readFileSync(path.join(out, 'plan.json'), 'utf8'));
    expect(parsed.error).toBeNull();
    expect(parsed.plan?.entries.map((e) => `${e.name} ${e.status}`)).toEqual(['addToCart planned', 'checkout planned', 'viewCart planned']);
    expect(fs.statSync(path.join(out, 'report.md')).size).toBeGreaterThan(0);
    expect(fs.readFileSync(path.join(out, 'report.html'), 'utf8')).toMatch(/<html/i);
    // No temporary files left next to the outputs.
    expect(fs.readdirSync(out).sort()).toEqual(['plan.json', 'report.html', 'report.md']);
    // The summary: one block per entry, with latency, baselines, round trips per link and the cuts.
    for (const name of ['addToCart', 'checkout', 'viewCart']) expect(result.stdout).toMatch(new RegExp(`^${name}  \\(arrives at edge`, 'm'));
    expect(result.stdout).toMatch(/round trips client-edge [\d.]+ · edge-origin [\d.]+/);
    expect(result.stdout).toMatch(/edge → origin {2}loop src\/handlers\.ts:16:3/);
    expect(result.stderr).toContain('0 errors, 0 warnings');
    expect(result.stderr).toMatch(/written: .*plan\.json/);
    // Not a terminal: no progress line.
    expect(result.stderr).not.toContain('\r');
  });

  it('prints plan.json with --json, byte-identical across runs and equal to planDirectory', async () => {
    const first = await cli(['plan', shop, '--json']);
    expect(first.status).toBe(0);
    expect(first.stderr).toBe('');
    const parsed = parsePlan(first.stdout);
    expect(parsed.error).toBeNull();
    const file = path.join(shop, 'again.json');
    expect((await cli(['plan', shop, '--out', file, '--json'])).status).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe(first.stdout);
    expect(planJson(planDirectory(shop).plan as Plan)).toBe(first.stdout);
  });

  it('shows phases on a terminal only, and clears the line', async () => {
    const result = await cli(['plan', shop, '--json'], { tty: true });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('analysing');
    expect(result.stderr).toContain('planning');
    expect(result.stderr.endsWith('\r\x1b[2K')).toBe(true);
  });

  it('plans with a profile and records it in the model', async () => {
    const viewCart = parsePlan((await cli(['plan', shop, '--json'])).stdout).plan!.segments.find((s) => s.entry === 'viewCart' && s.kind === 'loop')!;
    const profile = path.join(shop, 'profile.json');
    fs.writeFileSync(profile, JSON.stringify({ schema: 'stopline.profile/v1', requests: { viewCart: 100 }, executions: { [viewCart.id]: 100, 'nope#0000000000': 3 } }));
    const result = await cli(['plan', shop, '--json', '--profile', profile]);
    expect(result.status).toBe(0);
    const plan = parsePlan(result.stdout).plan!;
    expect(plan.model.counts).toEqual({ profile: 'profile.json' });
    expect(plan.segments.find((s) => s.id === viewCart.id)?.count).toBe(1);
    expect(plan.diagnostics.map(at)).toEqual(['SL4002 profile.json:1:1']);
  });

  it('exits 2 with SL4003 on a missing or broken profile, writing nothing', async () => {
    const bad = path.join(shop, 'bad-profile.json');
    fs.writeFileSync(bad, '{\n  "schema": "stopline.profile/v1",\n  "requests": {,\n}\n');
    const out = path.join(shop, 'never.json');
    const broken = await cli(['plan', shop, '--profile', bad, '--out', out]);
    expect(broken.status).toBe(2);
    expect(located(broken.stderr)).toEqual(['SL4003 bad-profile.json:3:16']);
    expect(fs.existsSync(out)).toBe(false);

    fs.writeFileSync(bad, JSON.stringify({ schema: 'stopline.profile/v1', requests: { viewCart: 0 }, executions: {} }));
    const invalid = await cli(['plan', shop, '--profile', bad]);
    expect(invalid.status).toBe(2);
    expect(located(invalid.stderr)).toEqual(['SL4003 bad-profile.json:1:1']);

    const missing = await cli(['plan', shop, '--profile', path.join(shop, 'nope.json')]);
    expect(missing.status).toBe(2);
    expect(located(missing.stderr)).toEqual(['SL4003 nope.json:1:1']);
  });

  it('exits 1 with SL4001 when an entry cannot be placed, and still writes the plan', async () => {
    const { dir, cleanup } = scratchProject({
      'tsconfig.json': tsconfig,
      'src/handler.ts': [
        'export function token(): string {',
        "  return process.env.SECRET ?? '';",
        '}',
        '',
        'export async function handle(id: string): Promise<string> {',
        '  const t = token();',
        '  return `${id}:${t}`;',
        '}',
        '',
      ].join('\n'),
      'stopline.yaml': 'entries:\n  - function: src/handler.ts#handle\n    arrives: edge\npins:\n  - function: src/handler.ts#token\n    stop: client\n',
    });
    cleanups.push(cleanup);
    const out = path.join(dir, 'plan.json');
    const result = await cli(['plan', dir, '--out', out]);
    expect(result.status).toBe(1);
    // The first segment with no stop: the pinned call, through which the secret is returned (SL3010 against SL4302).
    expect(located(result.stderr)).toContain('SL4001 src/handler.ts:6:13');
    expect(result.stdout).toContain('cannot be placed');
    const plan = parsePlan(fs.readFileSync(out, 'utf8')).plan!;
    expect(plan.entries.map((e) => `${e.name} ${e.status}`)).toEqual(['handle unsatisfiable']);
    expect(plan.diagnostics.filter((d) => d.category === 'error').map(at)).toEqual(['SL4001 src/handler.ts:6:13']);
    const json = await cli(['plan', dir, '--json']);
    expect(json.status).toBe(1);
    expect(parsePlan(json.stdout).error).toBeNull();
  });

  it('exits 2 on a broken config (like analyze) and on an output it cannot write', async () => {
    const { dir, cleanup } = copyFixture('shop', ['stopline.yaml']);
    cleanups.push(cleanup);
    fs.writeFileSync(path.join(dir, 'stopline.yaml'), 'stores:\n  orders:\n    preset: postgres\n');
    const broken = await cli(['plan', dir, '--json']);
    expect(broken.status).toBe(2);
    expect(broken.stdout).toBe('');
    expect(located(broken.stderr)).toEqual(['SL1005 stopline.yaml:3:13']);

    fs.writeFileSync(path.join(dir, 'blocker'), 'a file, not a directory');
    const unwritable = await cli(['plan', shop, '--out', path.join(dir, 'blocker', 'plan.json')]);
    expect(unwritable.status).toBe(2);
    expect(unwritable.stderr).toMatch(/error SL4211/);
  });

  it('keeps the previous file when a run fails before writing', async () => {
    const out = path.join(shop, 'kept.json');
    fs.writeFileSync(out, 'previous');
    expect((await cli(['plan', shop, '--out', out, '--profile', path.join(shop, 'missing.json')])).status).toBe(2);
    expect(fs.readFileSync(out, 'utf8')).toBe('previous');
  });

  it('runs through the real binary with the same output and exit codes', async () => {
    const bin = stopline(['plan', shop, '--json']);
    expect(bin.status).toBe(0);
    expect(bin.stdout).toBe((await cli(['plan', shop, '--json'])).stdout);
    expect(stopline(['plan', shop, '--profile', path.join(shop, 'missing.json')]).status).toBe(2);
  });

  it('has help text', async () => {
    const help = await cli(['plan', '--help']);
    expect(help.status).toBe(0);
    for (const flag of ['--out', '--markdown', '--html', '--profile', '--json', '--config']) expect(help.stdout).toContain(flag);
  });
});
