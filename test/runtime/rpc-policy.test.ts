import { describe, expect, it } from 'vitest';
import type { LinkOutcome } from '../../src/runtime/line/host.js';
import { faultAt, seededFaults, transmit, type Fault } from '../../src/runtime/line/faults.js';
import { IdempotencyTable } from '../../src/runtime/line/idempotency.js';
import { rpcPolicy } from '../../src/runtime/line/rpc-policy.js';

/**
 * The caller's policy (deadline, retries, keys), the callee's memory and the faults on a
 * fake line: a callee that counts how often its region runs and a clock in virtual ms.
 * The real components under the same faults: faults.test.ts.
 */

const line = ['client', 'edge', 'origin'];
const oneWay: Record<string, number> = { client: 0, edge: 10, origin: 35 };
const rtt = (a: string, b: string): number => {
  const [i, j] = [line.indexOf(a), line.indexOf(b)].sort();
  let sum = 0;
  for (let k = i! + 1; k <= j!; k++) sum += oneWay[line[k]!]!;
  return 2 * sum;
};

function fakeLine(options: { writes?: boolean; faults?: ReturnType<typeof faultAt>; inTransaction?: boolean } = {}) {
  let now = 0;
  let runs = 0;
  // The callee's store: each run writes one row, durably or inside a transaction a crash rolls back.
  let rows = 0;
  const region = (crash: boolean): LinkOutcome => {
    runs++;
    if (crash) return options.inTransaction ? { ok: false, error: { code: 'internal', message: 'trapped' } } : (rows++, { ok: false, error: { code: 'internal', message: 'trapped' } });
    rows++;
    return { ok: true, value: `answer ${runs}` };
  };
  const late: (() => void)[] = [];
  const memory = new IdempotencyTable(10_000);
  const policy = rpcPolicy({ writes: () => options.writes ?? true }, line, rtt);
  const attempts: string[] = [];
  const call = (): LinkOutcome =>
    policy.call('edge', 'origin', 'seg', (info) => {
      const due = late.splice(0);
      const outcome = transmit(options.faults?.at(info) ?? null, {
        halfMs: rtt('edge', 'origin') / 2,
        deadlineMs: info.deadlineMs,
        now: () => now,
        advance: (ms) => void (now += ms),
        deliver: () => memory.answer(info.key, now, () => region(false), () => String(rows)),
        deliverCrashing: () => memory.answer(info.key, now, () => region(true), () => String(rows)),
        stop: () => undefined,
        later: (d) => void late.push(d),
      });
      attempts.push(outcome.ok ? 'ok' : outcome.error.code);
      for (const d of due) d();
      return outcome;
    });
  return { call, attempts, runs: () => runs, rows: () => rows, now: () => now, flush: () => late.splice(0).forEach((d) => d()), policy };
}

describe('deadlines', () => {
  it('derives each call’s deadline from the line’s latencies, with the callee’s own retries', () => {
    const policy = rpcPolicy({}, line, rtt);
    expect(policy.deadline('edge', 'origin')).toBe(20 * 70);
    expect(policy.deadline('client', 'edge')).toBe(20 * 20 + 3 * 1400);
    expect(policy.deadline('client', 'origin')).toBe(20 * 90);
    expect(rpcPolicy({ deadlineMs: 250 }, line, rtt).deadline('client', 'edge')).toBe(250);
    expect(() => rpcPolicy({ attempts: 0 }, line, rtt)).toThrow(RangeError);
  });
});

describe('one fault on the first attempt, retried', () => {
  const once = (fault: Fault, writes = true) => {
    const l = fakeLine({ writes, faults: faultAt(0, fault) });
    const outcome = l.call();
    l.flush();
    return { outcome, attempts: l.attempts, runs: l.runs(), now: l.now() };
  };

  it('a lost request times out after the deadline; the retry runs the region once', () => {
    expect(once({ kind: 'drop-request' })).toEqual({ outcome: { ok: true, value: 'answer 1' }, attempts: ['timeout', 'ok'], runs: 1, now: 1400 + 70 });
  });

  it('a lost answer of a writing region: the retry is answered from the callee’s memory', () => {
    expect(once({ kind: 'drop-response' })).toEqual({ outcome: { ok: true, value: 'answer 1' }, attempts: ['timeout', 'ok'], runs: 1, now: 1400 + 70 });
  });

  it('a lost answer of a read-only region: the retry runs it again', () => {
    expect(once({ kind: 'drop-response' }, false)).toEqual({ outcome: { ok: true, value: 'answer 2' }, attempts: ['timeout', 'ok'], runs: 2, now: 1400 + 70 });
  });

  it('a short delay costs its time; one past the deadline is a timeout, and the region still ran once', () => {
    expect(once({ kind: 'delay', delayMs: 7 })).toEqual({ outcome: { ok: true, value: 'answer 1' }, attempts: ['ok'], runs: 1, now: 77 });
    expect(once({ kind: 'delay', delayMs: 'past-deadline' })).toMatchObject({ outcome: { ok: true, value: 'answer 1' }, attempts: ['timeout', 'ok'], runs: 1 });
  });

  it('duplicates and late copies of a writing region run it once', () => {
    expect(once({ kind: 'duplicate' })).toMatchObject({ attempts: ['ok'], runs: 1 });
    expect(once({ kind: 'reorder' })).toMatchObject({ attempts: ['ok'], runs: 1 });
    expect(once({ kind: 'duplicate' }, false)).toMatchObject({ attempts: ['ok'], runs: 2 });
  });

  it('a stop going down before answering is unavailable at once; the retry is answered from memory', () => {
    expect(once({ kind: 'stop' })).toEqual({ outcome: { ok: true, value: 'answer 1' }, attempts: ['unavailable', 'ok'], runs: 1, now: 70 + 70 });
  });
});

describe('a stop crashing in the middle of a writing region', () => {
  it('after a write its transaction rolled back: nothing durable happened, the retry runs the region afresh', () => {
    const l = fakeLine({ inTransaction: true, faults: faultAt(0, { kind: 'crash' }) });
    expect(l.call()).toEqual({ ok: true, value: 'answer 2' });
    expect(l.attempts).toEqual(['unavailable', 'ok']);
    expect(l.rows()).toBe(1);
  });

  it('after a durable write: the call is refused from then on (internal, final), so the write is never made twice', () => {
    const l = fakeLine({ faults: faultAt(0, { kind: 'crash' }) });
    expect(l.call()).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(l.attempts).toEqual(['unavailable', 'internal']);
    expect(l.runs()).toBe(1);
    expect(l.rows()).toBe(1);
  });

  it('a read-only region carries no key: it is simply run again', () => {
    const l = fakeLine({ writes: false, faults: faultAt(0, { kind: 'crash' }) });
    expect(l.call()).toEqual({ ok: true, value: 'answer 2' });
    expect(l.attempts).toEqual(['unavailable', 'ok']);
  });
});

describe('a fault on every attempt', () => {
  it('gives up after three attempts with the last rpc-error, never a value', () => {
    const l = fakeLine({ faults: faultAt(0, { kind: 'drop-response' }, { every: true }) });
    const outcome = l.call();
    expect(outcome).toMatchObject({ ok: false, error: { code: 'timeout' } });
    expect(!outcome.ok && outcome.error.message).toMatch(/after 3 attempts/);
    expect(l.attempts).toEqual(['timeout', 'timeout', 'timeout']);
    expect(l.runs()).toBe(1);
  });
});

describe('seeded faults', () => {
  it('are the same for the same seed', () => {
    const draw = (seed: number) => {
      const f = seededFaults(seed, 0.5);
      return Array.from({ length: 20 }, (_, i) => f.at({ from: 'edge', to: 'origin', segment: 's', call: i, attempt: 0, key: null, deadlineMs: 1 }));
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    expect(draw(7).filter((f) => f !== null).length).toBeGreaterThan(0);
  });
});
