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

/** Indices into a 4-number price: [compute, store round trips, cut round trips, transfer]. */
const WORDS = ['compute', 'store round trips', 'round trips over cuts', 'payload transfer'] as const;
const ORDER = [1, 2, 3, 0] as const;

/** The parts of a cost difference that are not zero at 1 µs, largest first: `store round trips +700 ms, compute −0.2 ms`. */
function describe(there: Float64Array, here: Float64Array): string {
  const shown: { size: number; text: string }[] = [];
  for (const i of ORDER) {
    const d = there[i]! - here[i]!;
    const size = round(Math.abs(d));
    if (size > 0) shown.push({ size, text: `${WORDS[i]} ${d > 0 ? '+' : '−'}${size} ms` });
  }
  shown.sort((a, b) => b.size - a.size);
  let out = '';
  for (const x of shown) out += (out === '' ? '' : ', ') + x.text;
  return out;
}

export function reasonsFor(model: EntryModel, tables: SolvedTables, placement: Placement): PlacementReason[][] {
  const p = model.problem;
  const { n, k, children, parent, count, bytes, rtt, msPerByte, alternatives, allowed, noCut } = p;
  const names = model.metrics.names;
  const parts = partsTable(model, tables);
  const siblingIndex = new Int32Array(n);
  for (let s = 0; s < n; s++) children[s]!.forEach((c, i) => (siblingIndex[c] = i));

  /** The cost that depends on where s runs, s at x, everything else as planned: into `out`, returns the sum. */
  const priceAt = (s: number, x: number, out: Float64Array): number => {
    const at = s * k + x;
    out[0] = parts.compute[at]!;
    out[1] = parts.access[at]!;
    out[2] = parts.cut[at]!;
    out[3] = parts.transfer[at]!;
    const ps = parent[s]!;
    const u = ps < 0 ? p.arrival : placement[ps]!;
    const kids = ps < 0 ? null : children[ps]!;
    const i = ps < 0 ? 0 : siblingIndex[s]!;
    const batches = ps >= 0 && alternatives[ps] !== 1;
    if (x !== u) {
      const prev = kids !== null && i > 0 ? kids[i - 1]! : -1;
      const continues = batches && prev >= 0 && placement[prev] === x;
      out[2] += rtt[u * k + x]! * (continues ? Math.max(0, count[s]! - count[prev]!) : count[s]!);
      out[3] += count[s]! * bytes[s]! * msPerByte[u * k + x]!;
    }
    const next = kids !== null && i + 1 < kids.length ? kids[i + 1]! : -1;
    if (next >= 0 && placement[next] !== u) {
      const w = placement[next]!;
      const continues = batches && w === x;
      out[2] += rtt[u * k + w]! * (continues ? Math.max(0, count[next]! - count[s]!) : count[next]!);
    }
    return out[0]! + out[1]! + out[2]! + out[3]!;
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

  // Messages that repeat (the same constraint, the same stop) are made once.
  const blockedText = new Map<Constraint, string[]>();
  const blocked = (c: Constraint, code: 'SL4101' | 'SL4103', v: number, stop: string): string => {
    let texts = blockedText.get(c);
    if (texts === undefined) blockedText.set(c, (texts = new Array<string>(2 * k)));
    const slot = (code === 'SL4101' ? 0 : k) + v;
    return (texts[slot] ??= formatMessage(code, { stop, detail: c.message }));
  };
  const tieText = names.map((stop) => formatMessage('SL4111', { stop }));

  const herePrice = new Float64Array(4);
  const therePrice = new Float64Array(4);
  const out: PlacementReason[][] = [];
  for (let s = 0; s < n; s++) {
    const reasons: PlacementReason[] = model.constraints[s]!.map((c) => ({ code: c.code, message: c.message, stop: null, deltaMs: null }));
    const cur = placement[s]!;
    const ps = parent[s]!;
    const u = ps < 0 ? p.arrival : placement[ps]!;
    const here = priceAt(s, cur, herePrice);
    for (let v = 0; v < k; v++) {
      if (v === cur) continue;
      const stop = names[v]!;
      const blocker = model.blocker[s * k + v];
      if (allowed[s * k + v] !== 1 && blocker !== null && blocker !== undefined) {
        reasons.push({ code: blocker.code, message: blocked(blocker, 'SL4101', v, stop), stop, deltaMs: null });
        continue;
      }
      const tie = noCutOf(s);
      if (noCut[s] === 1 && v !== u && tie !== undefined) {
        reasons.push({ code: tie.code, message: blocked(tie, 'SL4103', u, names[u]!), stop, deltaMs: null });
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
      const delta = Math.max(0, priceAt(s, v, therePrice) - here);
      if (round(delta) === 0) {
        reasons.push({ code: 'SL4111', message: tieText[v]!, stop, deltaMs: 0 });
        continue;
      }
      reasons.push({ code: 'SL4110', message: formatMessage('SL4110', { stop, delta: round(delta), detail: describe(therePrice, herePrice) }), stop, deltaMs: round(delta) });
    }
    out.push(reasons);
  }
  return out;
}
