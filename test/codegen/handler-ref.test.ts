import { describe, expect, it } from 'vitest';
import { handlerRef } from '../../codegen/outline/handler-ref.js';
import { parseFile, type ParsedFile, type Span } from '../../codegen/outline/text.js';
import { ts } from 'ts-morph';

/** How codegen reaches an entry's handler through its module's exports (codegen/outline/handler-ref.ts). */

/** The span of the function-like node whose text starts at `marker`. */
function spanAt(file: ParsedFile, marker: string): Span {
  const at = file.text.indexOf(marker);
  if (at < 0) throw new Error(`no ${marker}`);
  let found: Span | null = null;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isFunctionLike(node) && node.getStart(file.ast) === at) found = { start: at, end: node.end };
    node.forEachChild(visit);
  };
  file.ast.forEachChild(visit);
  if (found === null) throw new Error(`no function at ${marker}`);
  return found;
}

const ref = (text: string, marker: string): ReturnType<typeof handlerRef> => {
  const file = parseFile('src/h.ts', text);
  return handlerRef(file, spanAt(file, marker));
};

describe('reaching a handler through its exports', () => {
  it('finds exported functions, arrows, renamed exports and default exports', () => {
    expect(ref('export async function viewCart(r: Request) { return r; }', 'export async function')).toEqual({ exportName: 'viewCart', member: [] });
    expect(ref('export default async function (r: Request) { return r; }', 'export default async')).toEqual({ exportName: 'default', member: [] });
    expect(ref('export const viewCart = async (r: Request) => r;', 'async (r')).toEqual({ exportName: 'viewCart', member: [] });
    expect(ref('function h(r: Request) { return r; }\nexport { h as handle };', 'function h')).toEqual({ exportName: 'handle', member: [] });
    expect(ref('function h(r: Request) { return r; }\nexport default h;', 'function h')).toEqual({ exportName: 'default', member: [] });
  });

  it('finds a method of an exported object: export default { fetch } and export const worker = { fetch: … }', () => {
    expect(ref('export default {\n  async fetch(r: Request) { return r; },\n};', 'async fetch')).toEqual({ exportName: 'default', member: ['fetch'] });
    expect(ref('export default ({ fetch(r: Request) { return r; } }) satisfies object;', 'fetch(r')).toEqual({ exportName: 'default', member: ['fetch'] });
    expect(ref("export const worker = { 'fetch': async (r: Request) => r };", 'async (r')).toEqual({ exportName: 'worker', member: ['fetch'] });
  });

  it('has nothing to say of handlers no export reaches: a route callback, a local function, a computed key', () => {
    expect(ref("app.get('/x', async (req, res) => { res.end(); });", 'async (req')).toBeNull();
    expect(ref('function local(r: Request) { return r; }', 'function local')).toBeNull();
    expect(ref("const k = 'fetch';\nexport default { [k](r: Request) { return r; } };", '[k](r')).toBeNull();
    expect(ref('const worker = { fetch(r: Request) { return r; } };', 'fetch(r')).toBeNull();
  });
});
