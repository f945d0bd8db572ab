import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSegments } from '../../src/cli/explain-command.js';
import type { SegmentExplanation } from '../../src/cli/explain-command.js';
import { run } from '../../src/cli/main.js';
import type { Plan } from '../../src/ir/index.js';
import { planDirectory } from '../../src/plan-project.js';
import { copyFixture } from '../helpers/cli.js';
import { repoRoot } from '../helpers/graph.js';

/** Runs the CLI in-process with captured output (stderr is not a TTY). */
async function cli(args: readonly string[]) {
  let stdout = '';
  let stderr = '';
  const status = await run(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    cwd: repoRoot,
    env: {},
  });
  return { status, stdout, stderr };
}

const located = (text: string): string[] => [...text.matchAll(/^(\S+:\d+:\d+) - (?:error|warning|info) (SL\d{4})/gm)].map((m) => `${m[2]} ${m[1]}`);
const where = (x: SegmentExplanation): string => `${x.segment.id} ${x.segment.kind} ${x.segment.file}:${x.segment.start.line}:${x.segment.start.column} ${x.segment.stop}`;

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

let shop: string;
let plan: Plan;
beforeAll(() => {
  const copy = copyFixture('shop');
  cleanups.push(copy.cleanup);
  shop = copy.dir;
  plan = planDirectory(shop).plan!;
});

describe('stopline explain', () => {
  it("explains viewCart's loop at src/handlers.ts:16: origin, with the other stops priced, its access and its cut", async () => {
    const result = await cli(['explain', 'src/handlers.ts:16', shop, '--json']);
    expect(result.status).toBe(0);
    const out = JSON.parse(result.stdout) as { target: string; segments: SegmentExplanation[] };
    expect(out.segments.map(where)).toEqual([`${loopId()} loop src/handlers.ts:16:3 origin`]);
    const x = out.segments[0]!;
    expect(x.entry).toEqual({ name: 'viewCart', arrives: 'edge', status: 'planned' });
    expect(x.parentStop).toBe('edge');
    expect(x.alternatives.map((a) => `${a.stop} ${a.allowed} ${a.code}`)).toEqual(['client true SL4110', 'edge true SL4110']);
    for (const a of x.alternatives) expect(a.deltaMs).toBeGreaterThan(0);
    expect(x.accesses.map((a) => `${a.access.store} ${a.access.op} ${a.file}:${a.line}:${a.column} ${a.runsAt} ${a.access.servedAt}`)).toEqual([
      'orders read src/handlers.ts:17:28 origin origin',
    ]);
    expect(x.cut).toMatchObject({ entry: 'viewCart', from: 'edge', to: 'origin', child: loopId() });
    expect(x.cut?.payload.length).toBeGreaterThan(0);

    const text = await cli(['explain', 'src/handlers.ts:16', shop]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^ {2}runs at +origin/m);
    expect(text.stdout).toMatch(/^ {4}client +\+[\d.]+ ms$/m);
    expect(text.stdout).toMatch(/^ {4}edge +\+[\d.]+ ms$/m);
    expect(text.stdout).toMatch(/^ {2}cut +edge → origin/m);
    expect(text.stderr).toBe('');
  });

  it('finds a segment by id, with the same output as by line', async () => {
    const byId = await cli(['explain', loopId(), shop]);
    expect(byId.status).toBe(0);
    expect(byId.stdout).toBe((await cli(['explain', 'src/handlers.ts:16', shop])).stdout);
  });

  it('shows inlined code once per entry that includes it, and the cut an ancestor crossed with', () => {
    const found = findSegments(plan, 'src/cart.ts:10', shop);
    expect(found.diagnostic).toBeNull();
    expect(found.segments.map((s) => `${s.entry} ${s.kind} ${s.file}:${s.start.line}:${s.start.column}`)).toEqual([
      'addToCart statement src/cart.ts:10:3',
      'checkout statement src/cart.ts:10:3',
      'viewCart statement src/cart.ts:10:3',
    ]);
    // The statement rather than the call inside it; the innermost segment on a line where none starts.
    expect(findSegments(plan, 'src/handlers.ts:10', shop).segments.map((s) => s.kind)).toEqual(['statement']);
    expect(findSegments(plan, 'src/handlers.ts:18', shop).segments.map((s) => `${s.kind} ${s.start.line}:${s.start.column}`)).toEqual(['statement 17:5']);
    expect(findSegments(plan, './src/handlers.ts:16', shop).segments.map((s) => s.id)).toEqual([loopId()]);
  });

  it('exits 2 with a located diagnostic when nothing matches', async () => {
    const line = await cli(['explain', 'src/handlers.ts:29', shop]);
    expect(line.status).toBe(2);
    expect(located(line.stderr)).toEqual(['SL4209 src/handlers.ts:29:1']);
    expect(line.stdout).toBe('');
    const file = await cli(['explain', 'src/nowhere.ts:3', shop]);
    expect(file.status).toBe(2);
    expect(located(file.stderr)).toEqual(['SL4209 src/nowhere.ts:3:1']);
    const id = await cli(['explain', 'viewCart#0000000000', shop]);
    expect(id.status).toBe(2);
    expect(id.stderr).toMatch(/^error SL4210: /m);
  });

  it('has help text', async () => {
    const help = await cli(['explain', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('<target>');
    expect(help.stdout).toContain('--json');
    expect((await cli(['explain'])).status).toBe(2);
  });
});

function loopId(): string {
  return plan.segments.find((s) => s.entry === 'viewCart' && s.kind === 'loop' && s.file === 'src/handlers.ts' && s.start.line === 16)!.id;
}
