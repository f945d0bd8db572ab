import { describe, expect, it } from 'vitest';
import { accessRows, childrenOf, factCodes, graphOf, liveInOf, liveOutOf, segmentAt, span } from '../helpers/graph.js';

/**
 * The four fixture services, analysed with the real type checker. Expectations are the
 * hand-checked tables of fixtures/<name>/EXPECTED.md: every access (place, store, op,
 * count under the default model: loopFactor 10, branch probability ½, error paths 0.05),
 * the entries, and the facts that will constrain placement.
 */
describe('fixture shop', () => {
  const graph = graphOf('fixtures/shop');

  it('has the configured stores and entries', () => {
    expect(graph.stores.map((s) => `${s.name} ${s.preset} ${s.consistency} ${s.home} [${s.replicas.join(',')}] ${s.declared}`)).toEqual([
      'carts cloudflare-kv eventual origin [edge] config',
      'orders pg strong origin [] config',
    ]);
    expect(graph.entries.map((e) => `${e.name} ${e.arrives} ${e.source} ${span(e.handler.range)}`)).toEqual([
      'addToCart edge config src/handlers.ts:31:1-46:2',
      'checkout edge config src/handlers.ts:49:1-92:2',
      'viewCart edge config src/handlers.ts:8:1-28:2',
    ]);
    expect(graph.diagnostics).toEqual([]);
  });

  it('finds every access of viewCart: the KV read at the edge, one pg read per cart line', () => {
    expect(accessRows(graph, 'viewCart')).toEqual([
      'src/cart.ts:10:24 carts read ×1',
      'src/handlers.ts:17:28 orders read ×5',
    ]);
    const loop = segmentAt(graph, 'viewCart', 'src/handlers.ts:16:3', 'loop');
    expect(span(loop.range)).toBe('src/handlers.ts:16:3-26:4');
    expect(loop.count).toBe(0.5); // after the empty-cart early return
    const [body] = childrenOf(graph, loop);
    expect(body?.count).toBe(5);
    expect(liveInOf(loop).map((v) => v.name)).toEqual(['cart', 'priced']);
    expect(liveOutOf(loop).map((v) => v.name)).toEqual(['priced']);
    expect(loop.mutates).toEqual(['priced']);
    const query = segmentAt(graph, 'viewCart', 'src/handlers.ts:17:5', 'statement');
    expect(liveInOf(query).map((v) => v.name)).toEqual(['line']);
    expect(liveOutOf(query).map((v) => `${v.name}:${v.kind}`)).toEqual(['rows:value']);
    expect(query.control.awaits).toBe(true);
  });

  it('finds addToCart read-modify-write of the cart through helpers in another file', () => {
    expect(accessRows(graph, 'addToCart')).toEqual([
      'src/cart.ts:10:24 carts read ×1',
      'src/cart.ts:15:9 carts write ×1',
    ]);
    const load = segmentAt(graph, 'addToCart', 'src/handlers.ts:34:22', 'call');
    expect(load.callee?.name).toBe('loadCart');
    expect(liveInOf(load).map((v) => `${v.name}:${v.kind}`)).toEqual(['env:store-handle', 'userId:value']);
    expect(liveOutOf(load).map((v) => v.name)).toEqual(['(return)']);
  });

  it('keeps checkout’s transaction together: the pooled client is a resource', () => {
    expect(accessRows(graph, 'checkout')).toEqual([
      'src/cart.ts:10:24 carts read ×1',
      'src/handlers.ts:60:11 orders write ×0.5',
      'src/handlers.ts:61:25 orders write ×0.5',
      'src/handlers.ts:67:29 orders write ×5',
      'src/handlers.ts:76:13 orders write ×4.75',
      'src/handlers.ts:82:11 orders write ×0.5',
      'src/handlers.ts:84:11 orders write ×0.025',
      'src/cart.ts:21:9 carts write ×0.5',
    ]);
    const connect = segmentAt(graph, 'checkout', 'src/handlers.ts:56:3', 'statement');
    expect(liveOutOf(connect).map((v) => `${v.name}:${v.kind}`)).toEqual(['client:resource']);
    expect(factCodes(connect)).toEqual(['no-cut:SL3002']);
    const tryStatement = segmentAt(graph, 'checkout', 'src/handlers.ts:59:3', 'try');
    expect(span(tryStatement.range)).toBe('src/handlers.ts:59:3-88:4');
    expect(factCodes(tryStatement)).toEqual(['no-cut:SL3002']);
    expect(childrenOf(graph, tryStatement).map((c) => `${c.label} ×${c.count}`)).toEqual(['try ×0.5', 'catch ×0.025', 'finally ×0.5']);
    // After the transaction the client is dead: the cart deletion may move freely.
    const clear = segmentAt(graph, 'checkout', 'src/handlers.ts:90:3', 'statement');
    expect(clear.facts).toEqual([]);
    expect(liveInOf(clear).map((v) => `${v.name}:${v.kind}`)).toEqual(['env:store-handle', 'userId:value']);
  });
});

describe('fixture pages', () => {
  const graph = graphOf('fixtures/pages');

  it('finds the fetch handler and the partial-caching accesses with their counts', () => {
    expect(graph.entries.map((e) => `${e.name} ${e.arrives} ${e.source}`)).toEqual(['fetch edge fetch-handler']);
    expect(accessRows(graph, 'fetch')).toEqual([
      'src/cache.ts:13:23 fragments read ×0.5',
      'src/content.ts:25:24 content read ×0.25',
      'src/content.ts:33:24 content read ×0.125',
      'src/content.ts:41:24 content read ×0.125',
      'src/cache.ts:21:9 fragments write ×0.125',
    ]);
    expect(graph.diagnostics).toEqual([]);
  });

  it('does not let a KV entry with a stream body cross a cut', () => {
    const get = segmentAt(graph, 'fetch', 'src/cache.ts:13:3', 'statement');
    expect(liveOutOf(get).map((v) => `${v.name}:${v.kind}`)).toEqual(['entry:unserializable']);
    expect(factCodes(get)).toEqual(['no-cut:SL3001']);
  });
});

describe('fixture offload', () => {
  const graph = graphOf('fixtures/offload');

  it('finds the client entry from its JSDoc tag and the draft in localStorage', () => {
    expect(graph.entries.map((e) => `${e.name} ${e.arrives} ${e.source}`)).toEqual(['prepareUpload client jsdoc']);
    expect(accessRows(graph, 'prepareUpload')).toEqual([
      'src/drafts.ts:26:15 drafts read ×0.95',
      'src/drafts.ts:37:5 drafts write ×0.2375',
      'src/drafts.ts:44:3 drafts write ×0.475',
    ]);
    expect(graph.stores.map((s) => `${s.name} ${s.consistency} ${s.home}`)).toEqual(['drafts local client']);
  });

  it('marks the secret read in the signing helper and the DOM read on the client', () => {
    const secret = segmentAt(graph, 'prepareUpload', 'src/sign.ts:7:3', 'statement');
    expect(factCodes(secret)).toEqual(['secret:SL3005']);
    const dom = segmentAt(graph, 'prepareUpload', 'src/upload.ts:19:3', 'statement');
    expect(factCodes(dom)).toEqual(['client-only:SL3006', 'no-cut:SL3001']);
  });

  it('keeps pure compute helpers inside their statement, weighted by their loops', () => {
    // checksum: an unbounded loop (× loopFactor 10) and a 64-round literal loop; downsample: two unbounded loops.
    const sum = segmentAt(graph, 'prepareUpload', 'src/upload.ts:33:3', 'statement');
    const preview = segmentAt(graph, 'prepareUpload', 'src/upload.ts:34:3', 'statement');
    expect(sum.children).toEqual([]);
    expect(preview.children).toEqual([]);
    expect([sum.weight, preview.weight]).toEqual([3435, 550]);
  });
});

describe('fixture conduit', () => {
  const graph = graphOf('fixtures/conduit');

  it('finds the Express routes as entries', () => {
    expect(graph.entries.map((e) => `${e.name} ${e.arrives} ${e.source} ${e.route?.method} ${e.route?.path}`)).toEqual([
      'GET /api/articles/:slug edge express GET /api/articles/:slug',
      'GET /api/tags edge express GET /api/tags',
      'POST /api/articles edge express POST /api/articles',
      'PUT /api/articles/:slug edge express PUT /api/articles/:slug',
    ]);
  });

  it('finds createArticle’s chain of dependent drizzle queries and the tag cache', () => {
    expect(accessRows(graph, 'POST /api/articles')).toEqual([
      'src/articles.ts:52:23 conduit read ×1',
      'src/articles.ts:56:27 conduit write ×0.95',
      'src/tags.ts:12:11 conduit write ×4.75',
      'src/tags.ts:14:22 conduit read ×0.475',
      'src/tags.ts:15:9 conduit write ×0.475',
      'src/tags.ts:19:9 tagcache write ×0.475',
      'src/articles.ts:20:23 conduit read ×1',
      'src/articles.ts:31:25 conduit read ×0.95',
    ]);
    expect(accessRows(graph, 'GET /api/tags')).toEqual([
      'src/tags.ts:24:24 tagcache read ×1',
      'src/tags.ts:28:22 conduit read ×0.5',
      'src/tags.ts:34:9 tagcache write ×0.5',
    ]);
    expect(graph.accesses.filter((a) => a.entry === 'PUT /api/articles/:slug')).toHaveLength(10);
    expect(graph.accesses.filter((a) => a.entry === 'GET /api/articles/:slug')).toHaveLength(2);
  });

  it('inlines the auth middleware before the handler, with its secret read', () => {
    const entry = graph.entries.find((e) => e.name === 'POST /api/articles');
    const root = graph.segments.find((s) => s.id === entry?.root);
    if (!root) throw new Error('no root');
    const [middleware] = childrenOf(graph, root);
    expect(middleware?.kind).toBe('call');
    expect(middleware?.callee?.name).toBe('requireAuth');
    const verify = segmentAt(graph, 'POST /api/articles', 'src/auth.ts:35:5', 'statement');
    // It also computes the token's payload, which the checks guarding the article's insert test (analyzer/integrity.ts).
    expect(factCodes(verify)).toEqual(['integrity:SL3015', 'secret:SL3005']);
  });
});

describe('determinism', () => {
  it('gives byte-identical graphs on every run', async () => {
    const { analyzeDirectory } = await import('../../src/analyze-project.js');
    const { repoRoot } = await import('../helpers/graph.js');
    const first = JSON.stringify(analyzeDirectory(`${repoRoot}/fixtures/shop`).graph);
    const second = JSON.stringify(analyzeDirectory(`${repoRoot}/fixtures/shop`).graph);
    expect(second).toBe(first);
    expect(first).not.toContain(repoRoot);
  });
});
