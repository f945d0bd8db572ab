import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeDirectory } from '../../src/analyze-project.js';
import { catalog, type CatalogEntry } from '../../src/diagnostics/catalog.js';
import type { Diagnostic } from '../../src/ir/index.js';
import { plan as planGraph } from '../../planner/index.js';
import { repoRoot } from '../helpers/graph.js';

/**
 * Property: on any small TypeScript service (generated: handlers awaiting pg, Workers KV
 * and localStorage calls, loops, branches, try/catch, closures, helper calls, sometimes
 * damaged syntax) with a matching stopline.yaml, the analyzer and the planner never
 * throw: they return a plan, or diagnostics, and every diagnostic has a catalog code.
 * They run in-process as src/plan-project.ts composes them.
 *
 * Deterministic in CI (fixed seed). To search harder:
 *   FUZZ_RUNS=500 FUZZ_SEED=$RANDOM npx vitest run test/fuzz   (about 1.5 s a run)
 * A failure prints the seed and path fast-check needs to replay it, and the generated project.
 */
const runs = Number(process.env['FUZZ_RUNS'] ?? 30);
const seed = Number(process.env['FUZZ_SEED'] ?? 20261205);

const scratch = path.join(repoRoot, 'test/.tmp');
fs.mkdirSync(scratch, { recursive: true });
const work = fs.mkdtempSync(path.join(scratch, 'fuzz-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const TSCONFIG = JSON.stringify({
  compilerOptions: {
    target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2022', 'DOM'],
    types: ['@cloudflare/workers-types', 'node'], strict: true, noEmit: true, skipLibCheck: true,
  },
  include: ['src'],
});

// --- statements -------------------------------------------------------------

const ident = fc.constantFrom('a', 'b', 'n', 'row', 'key', 'total');
const stopName = fc.constantFrom('client', 'edge', 'origin');

/** One store access, awaited where the library is asynchronous. */
const access = fc.constantFrom(
  "await pool.query('SELECT n FROM t WHERE id = $1', [id])",
  "await pool.query('UPDATE t SET n = n + 1 WHERE id = $1', [id])",
  'await env.CARTS.get(id)',
  "await env.CARTS.put(id, 'x')",
  'localStorage.getItem(id)',
  "localStorage.setItem(id, 'x')",
);

const expr: fc.Arbitrary<string> = fc.oneof(
  access,
  ident.map((v) => `String(${v})`),
  fc.constantFrom('id.length', 'process.env.TOKEN ?? ""', 'JSON.stringify(id)', 'await helper(id)', 'count(id)', '(() => id + 1)()'),
);

const statement: fc.Arbitrary<string> = fc.letrec<{ stmt: string }>((tie) => ({
  stmt: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(ident, expr).map(([v, e]) => `{ const ${v} = ${e}; void ${v}; }`),
    expr.map((e) => `acc += String(${e}).length;`),
    fc.tuple(fc.integer({ min: 0, max: 20 }), tie('stmt')).map(([n, s]) => `for (let i = 0; i < ${n}; i++) { ${s} }`),
    fc.tuple(tie('stmt'), tie('stmt')).map(([s, t]) => `if (id.length > 3) { ${s} } else { ${t} }`),
    fc.tuple(tie('stmt'), tie('stmt')).map(([s, t]) => `try { ${s} } catch (e) { acc += 1; ${t} }`),
    tie('stmt').map((s) => `const fn = async () => { ${s} }; await fn();`),
    tie('stmt').map((s) => `for (const part of id.split('')) { if (part === 'x') break; ${s} }`),
    fc.constant('if (acc > 100) return acc;'),
    fc.constant('state += 1;'),
  ),
})).stmt;

const handler = fc.tuple(fc.array(statement, { minLength: 1, maxLength: 5 }), fc.boolean()).map(([body, isAsync]) => ({ body, isAsync }));

/** Damage: cut the text somewhere, or insert a stray token. */
const damage = fc.option(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom('', '{', ')', ';;', '=>', 'const', '`', "'", '/*')), { freq: 4 });

const project = fc.record({
  handlers: fc.array(handler, { minLength: 1, maxLength: 3 }),
  arrives: fc.array(stopName, { minLength: 3, maxLength: 3 }),
  pin: fc.option(fc.tuple(fc.nat(2), stopName)),
  withKv: fc.boolean(),
  withStorage: fc.boolean(),
  damage,
});

type Project = typeof project extends fc.Arbitrary<infer T> ? T : never;

function files(p: Project): Record<string, string> {
  const handlers = p.handlers.map((h, i) => [
    `export async function h${i}(id: string, env: Env): Promise<number> {`,
    '  let acc = 0;',
    ...h.body.map((s) => `  ${s}`),
    '  return acc;',
    '}',
    '',
  ].join('\n'));
  let service = [
    "import { pool } from './db.js';",
    '',
    'export interface Env { CARTS: KVNamespace }',
    'let state = 0;',
    'async function helper(id: string): Promise<number> {',
    "  const { rows } = await pool.query('SELECT n FROM t WHERE id = $1', [id]);",
    '  return rows.length + state;',
    '}',
    'function count(id: string): number {',
    '  return id.length * 2;',
    '}',
    '',
    ...handlers,
  ].join('\n');
  if (p.damage !== null) {
    const [at, token] = p.damage;
    const cut = Math.floor(at * service.length);
    service = service.slice(0, cut) + token + service.slice(token === '' ? Math.min(service.length, cut + 7) : cut);
  }
  const stores = ['stores:', '  db:', '    preset: pg', '    binding: src/db.ts#pool'];
  if (p.withKv) stores.push('  carts:', '    preset: cloudflare-kv', '    consistency: eventual', '    home: origin', '    replicas: [edge]');
  if (p.withStorage) stores.push('  drafts:', '    preset: web-storage', '    consistency: local', '    home: client', '    replicas: []');
  const entries = p.handlers.map((_, i) => `  - function: src/service.ts#h${i}\n    arrives: ${p.arrives[i] ?? 'edge'}`);
  const pins = p.pin !== null && p.pin[0] < p.handlers.length ? ['pins:', `  - function: src/service.ts#h${p.pin[0]}`, `    stop: ${p.pin[1]}`] : [];
  const yaml = [
    'line:', '  - stop: client', '    trusted: false', '  - stop: edge', '    latencyMs: 20', '  - stop: origin', '    latencyMs: 70',
    ...stores, 'entries:', ...entries, ...pins, '',
  ].join('\n');
  return {
    'tsconfig.json': TSCONFIG,
    'stopline.yaml': yaml,
    'src/db.ts': "import { Pool } from 'pg';\n\nexport const pool = new Pool();\n",
    'src/service.ts': service,
  };
}

let counter = 0;

/** The `stopline plan` job in-process: analyse, then plan when the analysis gives a graph. */
function analyzeAndPlan(dir: string): { planned: boolean; diagnostics: readonly Diagnostic[] } {
  const analysis = analyzeDirectory(dir);
  if (analysis.graph === null) return { planned: false, diagnostics: analysis.diagnostics };
  const plan = planGraph(analysis.graph, analysis.graph.line, {});
  return { planned: true, diagnostics: plan.diagnostics };
}

describe('fuzzing the analyzer and the planner on generated services', () => {
  it(`never throws, and returns a plan or coded diagnostics (${runs} runs, seed ${seed})`, () => {
    const outcomes = { planned: 0, refused: 0, withErrors: 0 };
    fc.assert(
      fc.property(project, (p) => {
        const dir = path.join(work, `p${counter++}`);
        for (const [rel, text] of Object.entries(files(p))) {
          fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
          fs.writeFileSync(path.join(dir, rel), text);
        }
        try {
          const result = analyzeAndPlan(dir);
          for (const d of result.diagnostics) {
            expect(Object.keys(catalog)).toContain(d.code);
            expect(d.category).toBe((catalog as Record<string, CatalogEntry>)[d.code]?.category);
          }
          if (result.planned) outcomes.planned++;
          else outcomes.refused++;
          if (result.diagnostics.some((d) => d.category === 'error')) outcomes.withErrors++;
          // No plan only with an error that says why.
          if (!result.planned) expect(result.diagnostics.some((d) => d.category === 'error')).toBe(true);
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: runs, seed, endOnFailure: true },
    );
    // The generator reaches both sides: plans made, and damaged programs diagnosed.
    expect(outcomes.planned).toBeGreaterThan(0);
    if (runs >= 20) expect(outcomes.withErrors).toBeGreaterThan(0);
  }, Math.max(60_000, runs * 3_000));
});
