import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RequestCase } from '../../src/runtime/original/index.js';
import { caseSeedFile } from '../../src/runtime/original/corpus.js';
import { dumpStores, openConfiguredStores, seedStores } from '../../src/runtime/original/stores.js';
import { ORIGINAL_CLOCK_START } from '../../src/runtime/original/run.js';
import { VirtualClock } from '../../src/runtime/stores/index.js';
import { faultAt, type Fault, type LinkFaults } from '../../src/runtime/line/faults.js';
import { writesByPlan, writingSegments, type RpcPolicyOptions } from '../../src/runtime/line/rpc-policy.js';
import type { ComponentsResult } from '../../src/runtime/line/run-components.js';
import { differentialFixture, type DifferentialFixture } from '../helpers/differential.js';

/**
 * The fixtures' corpora on REAL components under every fault the local line injects
 * (src/runtime/line/faults.ts), at every link call of every request:
 *
 * - one fault on the call's first attempt (drop the request, drop the answer, delay it a
 *   little, delay it past the deadline, duplicate it, deliver a late copy after the next
 *   message, stop the callee between running and answering): the caller's host retries
 *   (rpc-policy.ts), the callee's host answers a writing region once (idempotency.ts), so
 *   the request gives exactly what it gives without faults — response and final stores: no
 *   write lost, none duplicated;
 * - a crash of the callee in the middle of the region (right after its first write): when
 *   it left nothing durable (a transaction rolled back) the retry gives exactly the
 *   fault-free outcome; when it left a durable write the call is not run again and the
 *   request fails safely (below) with the stores as the original leaves them dying there;
 * - the same fault on EVERY attempt of the call (the callee unreachable for good): the
 *   request fails — the arrival stop's entry throws a `StoplineRpcError`, or the program's
 *   own error handling turns it into a 5xx — and never reports success; its stores are the
 *   state before the request, the one the request leaves without faults, or the request
 *   stopped at the failing cut, before or after its region ran once (states the original
 *   program produces when it stops there: retries never write twice, nothing runs after).
 *
 * The fault-free run on the components is the reference (the differential tests compare it
 * with the original program).
 */

const ONCE: readonly (readonly [string, Fault])[] = [
  ['drop-request', { kind: 'drop-request' }],
  ['drop-response', { kind: 'drop-response' }],
  ['delay', { kind: 'delay', delayMs: 7 }],
  ['delay-past-deadline', { kind: 'delay', delayMs: 'past-deadline' }],
  ['duplicate', { kind: 'duplicate' }],
  ['reorder', { kind: 'reorder' }],
  ['stop', { kind: 'stop' }],
  ['crash', { kind: 'crash' }],
];
/** Faults that make a call fail when every attempt meets them (the others only cost time or copies). */
const RETRIED = new Set(['drop-request', 'drop-response', 'delay-past-deadline', 'stop', 'crash']);

type Outcome = Omit<ComponentsResult, 'trace' | 'virtualMs' | 'timings'>;
const outcomeOf = ({ trace: _t, virtualMs: _v, timings: _m, ...rest }: ComponentsResult): Outcome => rest;
const linkCalls = (r: ComponentsResult): number => r.trace.filter((t) => t.kind === 'link').length;

async function storesBefore(fixture: DifferentialFixture, c: RequestCase): Promise<unknown> {
  const stores = await openConfiguredStores(fixture.config, { clock: new VirtualClock(ORIGINAL_CLOCK_START) });
  try {
    const seed = caseSeedFile(c, fixture.dir, fixture.seedFile);
    if (seed) seedStores(stores, path.resolve(seed));
    return dumpStores(stores);
  } finally {
    stores.close();
  }
}

interface Tally {
  runs: number;
  /** persistent faults whose request threw StoplineRpcError out of its entry */
  rpcErrors: number;
  /** persistent faults the program's own error handling answered with a 5xx */
  serverErrors: number;
  /** crashes inside a region that left a durable write: the call was not run again, the request failed */
  interrupted: number;
  /** crashes inside a region that left nothing durable (no write yet, or a rolled-back transaction): retried to the same outcome */
  crashRetried: number;
}

/** A faulted run, with the stores as the faulted call's first two attempts find them (the request stopped at the cut, before and after the region ran once). */
async function observed(fixture: DifferentialFixture, c: RequestCase, rpc: RpcPolicyOptions, schedule: LinkFaults, call: number): Promise<{ r: ComponentsResult; atAttempt: unknown[] }> {
  let dump: () => unknown = () => undefined;
  const atAttempt: unknown[] = [];
  const faults: LinkFaults = {
    restarts: schedule.restarts,
    at(a) {
      const f = schedule.at(a);
      if (a.call === call && a.attempt < 2) atAttempt.push(dump());
      return f;
    },
  };
  const r = await fixture.runComponents(c, { rpc, faults, observeStores: (d) => (dump = d) });
  return { r, atAttempt };
}

/**
 * A request that failed under a fault failed safely: it surfaces as the typed error with the crossing's code (or the
 * program's own 5xx for it), never as a value; and its stores are a state the original program produces — the
 * request's own outcome, the state before it, or the request stopped at the cut (as the original stops when its
 * process dies there), before the region or after it ran once (a retry never runs a writing region again). Nothing
 * is written after the failure.
 */
function expectFailedSafely(label: string, r: ComponentsResult, accepted: readonly unknown[], codes: readonly string[], tally: Tally): void {
  if (r.error !== undefined) {
    expect(r.error.name, label).toBe('StoplineRpcError');
    expect(codes, label).toContain(r.error.props['code']);
    tally.rpcErrors++;
  } else {
    expect(r.status, `${label}: ${JSON.stringify({ status: r.status, body: r.body })}`).toBeGreaterThanOrEqual(500);
    tally.serverErrors++;
  }
  expect(accepted, `${label}: stores`).toContainEqual(r.stores);
}

/** Runs one case under every fault at every call, counting into `tally`. */
async function underEveryFault(fixture: DifferentialFixture, c: RequestCase, rpc: RpcPolicyOptions, tally: Tally): Promise<void> {
  const reference = await fixture.runComponents(c, { rpc });
  const expected = outcomeOf(reference);
  const before = await storesBefore(fixture, c);
  const calls = linkCalls(reference);
  for (let call = 0; call < calls; call++) {
    for (const [name, fault] of ONCE) {
      const label = `${name} once at call ${call}`;
      const { r, atAttempt } = await observed(fixture, c, rpc, faultAt(call, fault), call);
      tally.runs++;
      // The fault did happen: a lost or late answer costs one more attempt.
      if (RETRIED.has(name)) expect(linkCalls(r), `${label}: attempts`).toBeGreaterThan(calls);
      if (name === 'crash' && r.trace.some((t) => t.kind === 'link' && t.outcome === 'internal')) {
        // The crash left a durable write: the retry was refused rather than run twice.
        expectFailedSafely(label, r, [before, ...atAttempt], ['internal'], tally);
        tally.interrupted++;
        continue;
      }
      if (name === 'crash') tally.crashRetried++;
      expect(outcomeOf(r), label).toEqual(expected);
    }
    for (const [name, fault] of ONCE.filter(([n]) => RETRIED.has(n))) {
      const label = `${name} on every attempt of call ${call}`;
      const { r, atAttempt } = await observed(fixture, c, rpc, faultAt(call, fault, { every: true }), call);
      tally.runs++;
      expect(atAttempt.length, label).toBeGreaterThan(0);
      expectFailedSafely(label, r, [before, expected.stores, ...atAttempt], ['timeout', 'unavailable', 'internal'], tally);
    }
  }
}

function faultSuite(dir: string, options: Parameters<typeof differentialFixture>[1], expected: { readonly rpcErrors: boolean; readonly serverErrors: boolean; readonly writingCuts: boolean }, pick: (c: RequestCase) => boolean = () => true): void {
  const fixture = differentialFixture(dir, options);
  const rpc: RpcPolicyOptions = { writes: writesByPlan(fixture.plan) };
  beforeAll(() => fixture.build(), 900_000);

  it('knows which cuts write from the plan', () => {
    const writing = writingSegments(fixture.plan);
    expect(writing.size > 0).toBe(expected.writingCuts);
    expect(writing.size).toBeLessThanOrEqual(new Set(fixture.plan.cuts.map((c) => c.child)).size);
  });

  const cases = fixture.cases().filter(([, c]) => pick(c));
  const tally: Tally = { runs: 0, rpcErrors: 0, serverErrors: 0, interrupted: 0, crashRetried: 0 };
  it.each(cases)('%s', async (_name, c) => {
    await underEveryFault(fixture, c, rpc, tally);
  }, 600_000);

  it('faulted every call of the corpus, and saw the failures surface', () => {
    expect(tally.runs).toBeGreaterThan(cases.length);
    expect(tally.rpcErrors > 0).toBe(expected.rpcErrors);
    expect(tally.serverErrors > 0).toBe(expected.serverErrors);
    expect(tally.crashRetried + tally.interrupted).toBeGreaterThan(0);
    console.info(`${dir}: ${cases.length} cases, ${tally.runs} faulted runs (${tally.rpcErrors} StoplineRpcError, ${tally.serverErrors} 5xx; crashes mid-region: ${tally.crashRetried} retried, ${tally.interrupted} interrupted after a durable write)`);
  });
}

describe('shop under faults', () => faultSuite('fixtures/shop', {}, { rpcErrors: true, serverErrors: false, writingCuts: true }));
// Express's final handler answers an error passed to next() with a 500.
describe('conduit under faults', () => faultSuite('fixtures/conduit', { guestClock: 'request' }, { rpcErrors: false, serverErrors: true, writingCuts: true }));
// pages' edge → origin region only reads the content database (the fragment cache is filled at the edge, after the call).
describe('pages under faults', () => faultSuite('fixtures/pages', {}, { rpcErrors: true, serverErrors: false, writingCuts: false }));
// offload's client → edge region signs with the clock (`expires`): a retried call runs later on the line's clock, so
// the program's clock is the request's arrival time here (as for conduit), and only time lost to a fault differs.
// Its region writes nothing (the draft is written to web storage at the client, after the call).
describe('offload under faults', () => faultSuite('fixtures/offload', { guestClock: 'request' }, { rpcErrors: true, serverErrors: false, writingCuts: false }));
