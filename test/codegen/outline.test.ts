import { ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { generate, LINK_FILE } from '../../codegen/index.js';
import { planOnce } from '../planner/plan-helpers.js';
import { projectSources } from '../helpers/sources.js';


/** Syntax errors of a generated file (transpiled alone, as the runtime loads it). */
function syntaxErrors(file: string, text: string): string[] {
  const out = ts.transpileModule(text, { fileName: file, reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  return (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('outlining the shop', () => {
  const { plan, graph } = planOnce('fixtures/shop');
  const sources = projectSources('fixtures/shop');
  const split = generate(plan!, graph!, sources);
  const stop = (name: string) => split.stops.find((s) => s.stop === name)!;
  const fileAt = (s: string, file: string) => stop(s).files.find((f) => f.path === file)!.text;

  it('serves every entry at its arrival stop and every cut at its stop', () => {
    expect(split.diagnostics).toEqual([]);
    expect(stop('edge').entries.map((e) => e.name).sort()).toEqual(['addToCart', 'checkout', 'viewCart']);
    expect(stop('origin').entries).toEqual([]);
    const cuts = plan!.cuts.map((c) => [c.to, c.parent === null ? c.child : c.child]);
    expect(stop('origin').dispatch.map((d) => ['origin', d.segment]).sort()).toEqual(cuts.sort());
    expect(stop('client').dispatch).toEqual([]);
  });

  it('replaces the viewCart loop by a stub at the edge and outlines it at the origin, restoring the mutated array in place', () => {
    const loop = plan!.cuts.find((c) => c.entry === 'viewCart')!;
    const edge = fileAt('edge', 'src/handlers.ts');
    expect(edge).toContain(`await __sl.call("origin", "${loop.child}", { cart, priced })`);
    expect(edge).toContain('__sl.restore(priced');
    expect(edge).not.toContain('for (const line of cart.lines)'); // neither viewCart's loop nor checkout's (forwarded whole)
    const origin = fileAt('origin', 'src/handlers.ts');
    const wrapper = origin.slice(origin.indexOf(`export async function __sl_viewCart_`));
    expect(wrapper).toContain('for (const line of cart.lines)');
    expect(wrapper).toContain('continue; // dropped from the catalogue');
    expect(wrapper).toContain("return { kind: 'normal', liveOuts: { priced } };");
  });

  it('forwards checkout from the edge to the origin, where the handler runs whole', () => {
    const edge = fileAt('edge', 'src/handlers.ts');
    const forward = edge.slice(edge.indexOf('export async function checkout'), edge.indexOf('export async function checkout') + 300);
    expect(forward).toContain('await __sl.call("origin", "checkout#');
    expect(forward).not.toContain('BEGIN');
    const origin = fileAt('origin', 'src/handlers.ts');
    expect(origin).toContain("const env = __sl.handle(\"env\");");
    expect(origin).toContain('await checkout(request, env)');
  });

  it('leaves untouched files byte for byte, ships the link module to every stop, and every generated file parses', () => {
    for (const s of split.stops) {
      expect(s.files.map((f) => f.path)).toContain(LINK_FILE);
      for (const f of s.files) {
        if (f.path !== 'src/handlers.ts' && f.path !== LINK_FILE) expect([f.path, f.text === sources.get(f.path)]).toEqual([f.path, true]);
        expect([s.stop, f.path, syntaxErrors(f.path, f.text)]).toEqual([s.stop, f.path, []]);
      }
    }
  });
});

describe('what outlining does not support yet', () => {
  it('reports a Hono Context crossing a cut (SL5001) and an anonymous Hono handler forwarded whole (SL5002), by code and range', () => {
    const { plan, graph } = planOnce('test/cases/codegen/unsupported');
    const split = generate(plan!, graph!, projectSources('test/cases/codegen/unsupported'));
    const items = plan!.cuts.find((c) => c.entry === 'GET /items')!;
    // Reported at the run member that would carry the Context across.
    const run = graph!.segments.find((s) => items.run.includes(s.id) && s.liveIn.some((id) => id.startsWith('c@')))!;
    const count = graph!.entries.find((e) => e.name === 'GET /count')!;
    expect(split.diagnostics.map((d) => [d.code, d.range?.file, d.range?.start.line, d.range?.start.column]).sort()).toEqual([
      ['SL5001', run.range.file, run.range.start.line, run.range.start.column],
      ['SL5002', count.handler.range.file, count.handler.range.start.line, count.handler.range.start.column],
    ]);
  });

  it("splits conduit's Express routes without a diagnostic: req/res cross (POST's res, PUT forwarded with req and res)", () => {
    const { plan, graph } = planOnce('fixtures/conduit');
    const split = generate(plan!, graph!, projectSources('fixtures/conduit'));
    expect(split.diagnostics).toEqual([]);
    expect(plan!.cuts.find((c) => c.entry === 'POST /api/articles')!.payload).toContain('res');
    expect(plan!.cuts.find((c) => c.entry === 'PUT /api/articles/:slug')!.parent).toBeNull();
  });
});

describe('outlining a cut run that ends with the function’s return (test/cases/runtime/secrets, upload)', () => {
  const { plan, graph } = planOnce('test/cases/runtime/secrets');
  const split = generate(plan!, graph!, projectSources('test/cases/runtime/secrets'));
  const fileAt = (s: string, file: string) => split.stops.find((x) => x.stop === s)!.files.find((f) => f.path === file)!.text;

  it('the outlined run answers a return completion, and the stub returns its value', () => {
    const cut = plan!.cuts.find((c) => c.entry === 'upload')!;
    const edge = fileAt('edge', 'src/upload.ts');
    const wrapper = edge.slice(edge.indexOf('export async function __sl_upload_'));
    expect(wrapper).toContain("return { kind: 'return', value: (new Response(url, { headers: { 'content-type': 'text/plain' } })), liveOuts: {} };");
    const client = fileAt('client', 'src/upload.ts');
    expect(client).toContain(`await __sl.call("edge", "${cut.child}", { request })`);
    expect(client).toContain("if (__r.kind === 'return') return __r.value;");
  });
});

describe('outlining pages (an `export default { fetch }` handler)', () => {
  const { plan, graph } = planOnce('fixtures/pages');
  const split = generate(plan!, graph!, projectSources('fixtures/pages'));
  const fileAt = (s: string, file: string) => split.stops.find((x) => x.stop === s)!.files.find((f) => f.path === file)!.text;

  it('turns the 404 return inside the origin run into a return completion, and the edge stub returns it', () => {
    expect(split.diagnostics).toEqual([]);
    const cut = plan!.cuts.find((c) => c.entry === 'fetch')!;
    const origin = fileAt('origin', 'src/index.ts');
    const outlined = origin.slice(origin.indexOf('export async function __sl_fetch_'));
    expect(outlined).toContain("return { kind: 'return', value: (new Response('not found', { status: 404 })), liveOuts: {} };");
    expect(outlined).not.toMatch(/^\s*return new Response\('not found'/m);
    const edge = fileAt('edge', 'src/index.ts');
    expect(edge).toContain(`await __sl.call("origin", "${cut.child}", { path })`);
    expect(edge).toContain("if (__r.kind === 'return') return __r.value;");
  });
});
