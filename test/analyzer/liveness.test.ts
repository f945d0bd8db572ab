import { describe, expect, it } from 'vitest';
import { accessesOf, analyzeCase, boundary, diags, graphOf, liveOutOf, segmentAt, span } from './helpers.js';

/**
 * Live variables and value kinds at segment boundaries (DESIGN.md, Analyzer).
 * Case `liveness`: statements, a loop-carried variable, a block-local temporary, a
 * closure reading an outer local, an early `return;` without a value, a mutated parameter.
 * Case `values`: a pg Pool and a pooled client, a Promise, a class instance, a mutated
 * parameter and a mutated local (orders.ts), a Workers `env` and `request` (worker.ts).
 */
describe('live variables (case liveness)', () => {
  const graph = graphOf('liveness');
  const at = (line: number, kind?: Parameters<typeof segmentAt>[4], entry = 'live') => segmentAt(graph, entry, 'src/live.ts', line, kind);

  it('analyses without diagnostics', () => {
    expect(diags(analyzeCase('liveness').diagnostics)).toEqual([]);
  });

  it('a statement takes in what it reads from before and gives out what later code reads', () => {
    expect(boundary(at(3))).toEqual({ in: ['limit:value'], out: ['scale:value'], mutates: [], flow: [], facts: [] });
    expect(boundary(at(4))).toEqual({ in: [], out: ['previous:value'], mutates: [], flow: [], facts: [] });
    const scale = liveOutOf(at(3))[0];
    expect(scale && { type: scale.type, bytes: scale.bytes, reason: scale.reason, declared: span(scale.declared) })
      .toEqual({ type: 'number', bytes: 8, reason: null, declared: '3:9-3:14' });
  });

  it('a variable written in a loop and read in the next iteration is live-out of the body, not of the loop', () => {
    // previous = item; (line 8) is read by `if (item > previous)` of the next iteration
    expect(boundary(at(8))).toEqual({ in: ['item:value', 'previous:value'], out: ['previous:value'], mutates: [], flow: [], facts: [] });
    expect(boundary(at(6, 'block'))).toEqual({
      in: ['item:value', 'previous:value', 'rises:value'], out: ['previous:value', 'rises:value'], mutates: [], flow: [], facts: [],
    });
    // after the loop nobody reads previous; the loop variable never leaves the loop
    expect(boundary(at(6, 'loop'))).toEqual({
      in: ['items:value', 'previous:value', 'rises:value'], out: ['rises:value'], mutates: [], flow: [], facts: [],
    });
  });

  it('a variable used only inside a segment is not live-out of it', () => {
    // { const temp = items.length * scale; rises += temp > limit ? 1 : 0; }
    expect(boundary(at(10, 'block'))).toEqual({
      in: ['items:value', 'limit:value', 'rises:value', 'scale:value'], out: ['rises:value'], mutates: [], flow: [], facts: [],
    });
    expect(boundary(at(11))).toEqual({ in: ['items:value', 'scale:value'], out: ['temp:value'], mutates: [], flow: [], facts: [] });
    // the whole handler body gives nothing out: callback parameters and closures' reads stay inside it
    expect(boundary(at(2))).toEqual({ in: ['items:value', 'limit:value'], out: [], mutates: [], flow: ['returns'], facts: [] });
  });

  it('a closure reading an outer local keeps the local live after every write; the closure itself is a function value (SL3014)', () => {
    // let offset = 1; const shift = (n) => n + offset; offset = rises;
    expect(boundary(at(14))).toEqual({ in: [], out: ['offset:value'], mutates: [], flow: [], facts: [] });
    expect(boundary(at(15))).toEqual({
      in: ['offset:value'], out: ['shift:unserializable'], mutates: [], flow: [], facts: ['no-cut SL3014 shift 15:3-15:51'],
    });
    // nothing after line 16 reads offset directly: only the closure declared before it does
    expect(boundary(at(16))).toEqual({ in: ['offset:value', 'rises:value'], out: ['offset:value'], mutates: [], flow: [], facts: [] });
    expect(boundary(at(17))).toEqual({
      in: ['items:value', 'shift:unserializable'], out: ['shifted:value'], mutates: [], flow: [], facts: ['no-cut SL3014 shift 17:3-17:36'],
    });
    const fact = at(15).facts[0];
    expect(fact?.related.map((r) => span(r.range))).toEqual(['15:9-15:14']);
  });

  it('(return) is live-out of segments that return a value, not of a bare `return;`', () => {
    expect(boundary(at(18))).toEqual({ in: ['shifted:value'], out: ['(return):value'], mutates: [], flow: ['returns'], facts: [] });
    expect(boundary(at(23, 'branch', 'early'))).toEqual({ in: ['flag:value'], out: [], mutates: [], flow: ['returns'], facts: [] });
    expect(boundary(at(23, 'statement', 'early'))).toEqual({ in: [], out: [], mutates: [], flow: ['returns'], facts: [] });
  });

  it('a mutated parameter aliases the caller\'s object: mutates, live-out and SL3003', () => {
    expect(boundary(at(24, 'statement', 'early'))).toEqual({
      in: ['log:value'], out: ['log:value'], mutates: ['log'], flow: [], facts: ['no-cut SL3003 log 24:3-24:27'],
    });
    expect(at(24, 'statement', 'early').count).toBe(0.5);
  });
});

describe('value kinds (case values)', () => {
  const graph = graphOf('values');
  const at = (line: number) => segmentAt(graph, 'record', 'src/orders.ts', line);
  const worker = (line: number, kind?: Parameters<typeof segmentAt>[4]) => segmentAt(graph, 'fetch', 'src/worker.ts', line, kind);

  it('detects the two stores it uses', () => {
    expect(diags(analyzeCase('values').diagnostics)).toEqual([
      'SL2009 info src/orders.ts:1:16-1:20',
      'SL2009 info src/worker.ts:2:10-2:21',
    ]);
  });

  it('a pg Pool is a store handle: it crosses nothing and forbids nothing', () => {
    expect(boundary(at(14))).toEqual({ in: [], out: ['db:store-handle'], mutates: [], flow: [], facts: [] });
    const db = liveOutOf(at(14))[0];
    expect(db && { bytes: db.bytes, reason: db.reason !== null }).toEqual({ bytes: 0, reason: true });
  });

  it('a pooled client from pool.connect() is a resource: SL3002 on every segment it crosses', () => {
    expect(boundary(at(15))).toEqual({
      in: ['db:store-handle'], out: ['client:resource'], mutates: [], flow: ['awaits'], facts: ['no-cut SL3002 client 15:3-15:37'],
    });
    expect(boundary(at(16))).toEqual({
      in: ['client:resource'], out: ['rows:value'], mutates: [], flow: ['awaits'], facts: ['no-cut SL3002 client 16:3-16:90'],
    });
    expect(accessesOf(graph, at(16))).toEqual(['pg read src/orders.ts:16:26-16:89 ×1']);
    expect(boundary(at(17))).toEqual({ in: ['client:resource'], out: [], mutates: [], flow: [], facts: ['no-cut SL3002 client 17:3-17:20'] });
    // the fact points back at the declaration
    expect(at(17).facts[0]?.related.map((r) => span(r.range))).toEqual(['15:9-15:15']);
  });

  it('a Promise and a class instance with methods are not serialisable (SL3001)', () => {
    expect(boundary(at(18))).toEqual({
      in: ['db:store-handle'], out: ['pending:unserializable'], mutates: [], flow: [], facts: ['no-cut SL3001 pending 18:3-18:40'],
    });
    expect(boundary(at(19))).toEqual({
      in: ['pending:unserializable'], out: ['done:value'], mutates: [], flow: ['awaits'], facts: ['no-cut SL3001 pending 19:3-19:30'],
    });
    expect(boundary(at(20))).toEqual({ in: [], out: ['tally:unserializable'], mutates: [], flow: [], facts: ['no-cut SL3001 tally 20:3-20:29'] });
  });

  it('a mutated parameter gets SL3003; a mutated local that is never aliased does not, but is listed and live-out', () => {
    expect(boundary(at(22))).toEqual({
      in: ['order:value'], out: ['order:value'], mutates: ['order'], flow: [], facts: ['no-cut SL3003 order 22:3-22:31'],
    });
    expect(boundary(at(24))).toEqual({ in: ['done:value', 'notes:value'], out: ['notes:value'], mutates: ['notes'], flow: [], facts: [] });
  });

  it('a Workers env is a bag of store handles and the request is request-scoped: neither forbids a cut', () => {
    expect(boundary(worker(6))).toEqual({ in: ['env:store-handle', 'request:request'], out: [], mutates: [], flow: ['returns', 'awaits'], facts: [] });
    expect(boundary(worker(8))).toEqual({ in: ['env:store-handle', 'key:value'], out: ['cached:value'], mutates: [], flow: ['awaits'], facts: [] });
    expect(accessesOf(graph, worker(8))).toEqual(['cloudflare-kv read src/worker.ts:8:26-8:44 ×1']);
    // after the cache-hit return only the misses write
    expect(accessesOf(graph, worker(11))).toEqual(['cloudflare-kv write src/worker.ts:11:11-11:35 ×0.5']);
    // a Response is request-scoped too
    expect(boundary(worker(9, 'branch'))).toEqual({ in: ['cached:value'], out: ['(return):request'], mutates: [], flow: ['returns'], facts: [] });
  });
});
