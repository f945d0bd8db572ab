import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { parsePlan } from '../../src/report/plan-schema.js';
import { repoRoot } from '../helpers/graph.js';

async function cli(args: readonly string[]): Promise<{ status: number; stdout: string; stderr: string }> {
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

const located = (text: string, code: string): string[] => [...text.matchAll(/^(\S+:\d+:\d+) - (?:error|warning|info) (SL\d{4})/gm)].filter((m) => m[2] === code).map((m) => m[1]!);

describe('stopline plan shows the trust findings', () => {
  it('prints each unchecked flow as a warning at the write (exit 0) and writes it into plan.json with its path', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'stopline-trust-')), 'plan.json');
    const result = await cli(['plan', 'test/cases/trust', '--out', out]);
    expect(result.status).toBe(0);
    expect(located(result.stdout + result.stderr, 'SL4301')).toEqual([
      'test/cases/trust/src/client.ts:15:9', 'test/cases/trust/src/orders.ts:12:9', 'test/cases/trust/src/orders.ts:31:9',
      'test/cases/trust/src/orders.ts:59:9', 'test/cases/trust/src/routes.ts:9:9', 'test/cases/trust/src/routes.ts:29:9',
    ].map((p) => expect.stringContaining(p.replace('test/cases/trust/', ''))));
    const { plan, error } = parsePlan(fs.readFileSync(out, 'utf8'));
    expect(error).toBeNull();
    const flow = plan!.diagnostics.find((d) => d.code === 'SL4301' && d.range?.file === 'src/orders.ts' && d.range.start.line === 31)!;
    expect(flow.related.map((r) => `${r.range.file}:${r.range.start.line}`)).toEqual(['src/orders.ts:36', 'src/orders.ts:36', 'src/orders.ts:27', 'src/orders.ts:36', 'src/orders.ts:37', 'src/orders.ts:31']);
  });

  it('exits 1 when a secret would reach the client (SL3017, SL4001)', async () => {
    const result = await cli(['plan', 'test/cases/trust-secrets']);
    expect(result.status).toBe(1);
    expect(located(result.stdout + result.stderr, 'SL3017')).toHaveLength(2);
  });
});

describe('stopline analyze --json carries the flows', () => {
  it('lists each flow into a strong write with its path and checks', async () => {
    const result = await cli(['analyze', 'test/cases/trust', '--json']);
    expect(result.status).toBe(0);
    const json = JSON.parse(result.stdout) as { flows: { entry: string; source: string; checks: unknown[] }[] };
    expect(json.flows.map((f) => `${f.entry} ${f.source} ${f.checks.length}`).sort()).toEqual([
      'POST /notes request 0', 'POST /orders request 0', 'PUT /orders/:id request 1', 'checkedInline request 1', 'clientOrder argument 1',
      'pageOrder client-state 1', 'spreadPrice request 0', 'throughHelpers request 0', 'uncheckedQuantity request 0', 'validatorThrows request 1',
    ]);
  });
});
