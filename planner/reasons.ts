import type { PlacementReason } from '../src/ir/index.js';
import { formatMessage } from '../src/diagnostics/index.js';
import { round } from './measure.js';
import type { SolvedTables } from './placement.js';
import type { Constraint, EntryModel } from './problem-build.js';
import type { Placement } from './problem.js';

/**
 * Why each segment runs where it does. For every other stop the segment could take, the
 * reason is either the constraint that forbids it (with the fact's own code) or the
 * price of going there: the segment's subtree re-planned optimally at that stop (the
 * programme's `best` table), everything else kept as planned. That alternative is a
 * real placement, so its extra cost is an honest "what it would cost", never negative.
 */

/** The four parts of `best(s, t)`, rebuilt from the programme's back-pointers: n × k each. */
interface PartsTable {
  readonly compute: Float64Array;
  readonly access: Float64Array;
  readonly cut: Float64Array;
  readonly transfer: Float64Array;
}

function partsTable(model: EntryModel, tables: SolvedTables): PartsTable {
  const p = model.problem;
  const { n, k, children, count, bytes, rtt, msPerByte, alternatives } = p;
  const compute = new Float64Array(n * k);
  const access = new Float64Array(n * k);
  const cut = new Float64Array(n * k);
  const transfer = new Float64Array(n * k);
  const stops: number[] = [];
  for (let s = n - 1; s >= 0; s--) {
    const kids = children[s]!;
    for (let t = 0; t < k; t++) {
      const at = s * k + t;
      if (tables.best[at] === Infinity) continue;
      compute[at] = p.compute[at]!;
      access[at] = p.own[at]! - p.compute[at]!;
      stops.length = kids.length;
      let v = tables.lastStop[at]!;
      for (let i = kids.length - 1; i >= 0; i--) {
        stops[i] = v;
        v = tables.prevStop[(kids[i]! * k + t) * k + v]!;
      }
      for (let i = 0; i < kids.length; i++) {
        const c = kids[i]!;
        const cv = stops[i]!;
        const sub = c * k + cv;
        compute[at] = compute[at]! + compute[sub]!;
        access[at] = access[at]! + access[sub]!;
        let edgeCut = 0;
        let edgeTransfer = 0;
        if (cv !== t) {
          const continues = i > 0 && alternatives[s] !== 1 && stops[i - 1] === cv;
          const rpcs = continues ? Math.max(0, count[c]! - count[kids[i - 1]!]!) : count[c]!;
          edgeCut = rtt[t * k + cv]! * rpcs;
          edgeTransfer = count[c]! * bytes[c]! * msPerByte[t * k + cv]!;
        }
        cut[at] = cut[at]! + cut[sub]! + edgeCut;
        transfer[at] = transfer[at]! + transfer[sub]! + edgeTransfer;
      }
    }
  }
  return { compute, access, cut, transfer };
}

interface Parts {
  compute: number;
  access: number;
  cut: number;
  transfer: number;
}

const sum = (x: Parts): number => x.compute + x.access + x.cut + x.transfer;

function describe(delta: Parts): string {
  const words: [keyof Parts, string][] = [
    ['access', 'store round trips'],
    ['cut', 'round trips over cuts'],
    ['transfer', 'payload transfer'],
    ['compute', 'compute'],
  ];
  const shown = words
    .filter(([key]) => Math.abs(round(delta[key])) > 0)
    .sort((a, b) => Math.abs(delta[b[0]]) - Math.abs(delta[a[0]]))
    .map(([key, word]) => `${word} ${delta[key] > 0 ? '+' : '−'}${round(Math.abs(delta[key]))} ms`);
  return shown.join(', ');
}

export function reasonsFor(model: EntryModel, tables: SolvedTables, placement: Placement): PlacementReason[][] {
  const p = model.problem;
  const { n, k, children, parent, count, bytes, rtt, msPerByte, alternatives, allowed, noCut } = p;
  const names = model.metrics.names;
  const parts = partsTable(model, tables);
  const siblingIndex = new Int32Array(n);
  for (let s = 0; s < n; s++) children[s]!.forEach((c, i) => (siblingIndex[c] = i));

  const priceAt = (s: number, x: number): Parts => {
    const at = s * k + x;
    const out: Parts = { compute: parts.compute[at]!, access: parts.access[at]!, cut: parts.cut[at]!, transfer: parts.transfer[at]! };
    const ps = parent[s]!;
    const u = ps < 0 ? p.arrival : placement[ps]!;
    const kids = ps < 0 ? [s] : children[ps]!;
    const i = ps < 0 ? 0 : siblingIndex[s]!;
    const batches = ps >= 0 && alternatives[ps] !== 1;
    if (x !== u) {
      const prev = i > 0 ? kids[i - 1]! : -1;
      const continues = batches && prev >= 0 && placement[prev] === x;
      out.cut += rtt[u * k + x]! * (continues ? Math.max(0, count[s]! - count[prev]!) : count[s]!);
      out.transfer += count[s]! * bytes[s]! * msPerByte[u * k + x]!;
    }
    const next = i + 1 < kids.length ? kids[i + 1]! : -1;
    if (next >= 0 && placement[next] !== u) {
      const w = placement[next]!;
      const continues = batches && w === x;
      out.cut += rtt[u * k + w]! * (continues ? Math.max(0, count[next]! - count[s]!) : count[next]!);
    }
    return out;
  };

  const noCutOf = (s: number): Constraint | undefined => model.constraints[s]!.find((c) => c.allowed === 'no-cut');

  /** With s at v impossible only because of its subtree: follow the no-cut chain to the constraint that blocks it. */
  const blockedBelow = (s: number, v: number): { segment: number; constraint: Constraint } | null => {
    let at = s;
    for (;;) {
      const next = children[at]!.find((c) => noCut[c] === 1 && (allowed[c * k + v] !== 1 || tables.best[c * k + v] === Infinity));
      if (next === undefined) return null;
      const own = model.blocker[next * k + v];
      if (allowed[next * k + v] !== 1 && own !== null && own !== undefined) return { segment: next, constraint: own };
      at = next;
    }
  };

  const out: PlacementReason[][] = [];
  for (let s = 0; s < n; s++) {
    const reasons: PlacementReason[] = model.constraints[s]!.map((c) => ({ code: c.code, message: c.message, stop: null, deltaMs: null }));
    const cur = placement[s]!;
    const ps = parent[s]!;
    const u = ps < 0 ? p.arrival : placement[ps]!;
    const here = sum(priceAt(s, cur));
    const herePrice = priceAt(s, cur);
    for (let v = 0; v < k; v++) {
      if (v === cur) continue;
      const stop = names[v]!;
      const blocker = model.blocker[s * k + v];
      if (allowed[s * k + v] !== 1 && blocker !== null && blocker !== undefined) {
        reasons.push({ code: blocker.code, message: formatMessage('SL4101', { stop, detail: blocker.message }), stop, deltaMs: null });
        continue;
      }
      const tie = noCutOf(s);
      if (noCut[s] === 1 && v !== u && tie !== undefined) {
        reasons.push({ code: tie.code, message: formatMessage('SL4103', { stop: names[u]!, detail: tie.message }), stop, deltaMs: null });
        continue;
      }
      if (tables.best[s * k + v] === Infinity) {
        const below = blockedBelow(s, v);
        const detail = below === null
          ? 'code inside it cannot run there'
          : `${model.segments[below.segment]!.label} (line ${model.segments[below.segment]!.range.start.line}) must stay with it, and ${below.constraint.message}`;
        reasons.push({ code: below?.constraint.code ?? 'SL4101', message: formatMessage('SL4101', { stop, detail }), stop, deltaMs: null });
        continue;
      }
      const there = priceAt(s, v);
      const delta = Math.max(0, sum(there) - here);
      if (round(delta) === 0) {
        reasons.push({ code: 'SL4111', message: formatMessage('SL4111', { stop }), stop, deltaMs: 0 });
        continue;
      }
      const diff: Parts = {
        compute: there.compute - herePrice.compute,
        access: there.access - herePrice.access,
        cut: there.cut - herePrice.cut,
        transfer: there.transfer - herePrice.transfer,
      };
      reasons.push({ code: 'SL4110', message: formatMessage('SL4110', { stop, delta: round(delta), detail: describe(diff) }), stop, deltaMs: round(delta) });
    }
    out.push(reasons);
  }
  return out;
}
