import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePlan, planJsonSchema } from '../../src/report/plan-schema.js';
import { repoRoot } from '../helpers/graph.js';

describe('plan.json schema', () => {
  it('the shipped JSON Schema is the one generated from the zod schema (run `npm run schema` after changing it)', () => {
    const shipped = JSON.parse(fs.readFileSync(path.join(repoRoot, 'schema/plan.v1.schema.json'), 'utf8')) as unknown;
    expect(shipped).toEqual(planJsonSchema());
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('schema');
  });

  it('accepts every accepted fixture baseline and rejects a broken one with the path of the problem', () => {
    for (const fixture of ['shop', 'pages', 'offload', 'conduit']) {
      const text = fs.readFileSync(path.join(repoRoot, 'fixtures', fixture, 'baselines/plan.json'), 'utf8');
      expect([fixture, parsePlan(text).error]).toEqual([fixture, null]);
    }
    const text = fs.readFileSync(path.join(repoRoot, 'fixtures/shop/baselines/plan.json'), 'utf8');
    const broken = JSON.parse(text) as { entries: { latencyMs: unknown }[] };
    broken.entries[0]!.latencyMs = 'fast';
    expect(parsePlan(JSON.stringify(broken)).error).toMatch(/^entries\.0\.latencyMs: /);
    expect(parsePlan('{').error).not.toBeNull();
    expect(parsePlan(JSON.stringify({ ...JSON.parse(text), schema: 'stopline.plan/v2' })).error).toMatch(/^schema: /);
  });
});
