import type { PlacementReason } from '../src/ir/index.js';
import { formatMessage } from '../src/diagnostics/index.js';
import { formatMs, round } from './measure.js';
import type { SolvedTables } from './placement.js';
import type { Constraint, EntryModel } from './problem-build.js';
import { rpcsInto, type Placement } from './problem.js';

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
          const rpcs = rpcsInto(p, c, kids[i - 1] ?? -1, continues);
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

/** Which part grows most (an index into WORDS). */
function dominant(there: Float64Array, here: Float64Array): number {
  let pick: number = ORDER[0];
  let most = -Infinity;
  for (const i of ORDER) {
    const d = there[i]! - here[i]!;
    if (d > most) {
      most = d;
      pick = i;
    }
  }
  return pick;
}

/** The parts of a cost difference that are not zero at 1 µs, largest first: `store round trips +700 ms, compute −0.2 ms`. */
function describe(there: Float64Array, here: Float64Array): string {
  // Four parts: a selection sort by size over indices, without allocating.
  let out = '';
  let used = 0;
  for (let n = 0; n < 4; n++) {
    let pick = -1;
    let size = 0;
    for (const i of ORDER) {
      if ((used & (1 << i)) !== 0) continue;
      const s = round(Math.abs(there[i]! - here[i]!));
      if (s > size) {
        size = s;
        pick = i;
      }
    }
    if (pick < 0) break;
    used |= 1 << pick;
    out += `${out === '' ? '' : ', '}${WORDS[pick]} ${there[pick]! > here[pick]! ? '+' : '−'}${formatMs(size)} ms`;
  }
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
      out[2] += rtt[u * k + x]! * rpcsInto(p, s, prev, continues);
      out[3] += count[s]! * bytes[s]! * msPerByte[u * k + x]!;
    }
    const next = kids !== null && i + 1 < kids.length ? kids[i + 1]! : -1;
    if (next >= 0 && placement[next] !== u) {
      const w = placement[next]!;
      const continues = batches && w === x;
      out[2] += rtt[u * k + w]! * rpcsInto(p, next, s, continues);
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

  // Reasons that repeat (the same constraint about the same stop, a tie at a stop) are
  // made once and shared: the plan is read-only data.
  const sharedReasons = new Map<Constraint, PlacementReason[]>();
  const blocked = (c: Constraint, code: 'SL4101' | 'SL4103', v: number, about: number): PlacementReason => {
    let list = sharedReasons.get(c);
    if (list === undefined) sharedReasons.set(c, (list = new Array<PlacementReason>(2 * k + 1)));
    const slot = (code === 'SL4101' ? 0 : k) + v;
    return (list[slot] ??= { code: c.code, message: formatMessage(code, { stop: names[about]!, detail: c.message }), stop: names[v]!, deltaMs: null });
  };
  const constraintReason = (c: Constraint): PlacementReason => {
    let list = sharedReasons.get(c);
    if (list === undefined) sharedReasons.set(c, (list = new Array<PlacementReason>(2 * k + 1)));
    return (list[2 * k] ??= { code: c.code, message: c.message, stop: null, deltaMs: null });
  };
  const tieReason: PlacementReason[] = names.map((stop) => ({ code: 'SL4111', message: formatMessage('SL4111', { stop }), stop, deltaMs: 0 }));

  const followText = new Array<string>(4 * k);
  const herePrice = new Float64Array(4);
  const therePrice = new Float64Array(4);
  const out: PlacementReason[][] = [];
  for (let s = 0; s < n; s++) {
    const reasons: PlacementReason[] = model.constraints[s]!.map(constraintReason);
    const cur = placement[s]!;
    const ps = parent[s]!;
    const u = ps < 0 ? p.arrival : placement[ps]!;
    const here = priceAt(s, cur, herePrice);
    const tie = noCut[s] === 1 ? noCutOf(s) : undefined;
    const decides = ps < 0 || cur !== u || model.accesses[s]!.length > 0 || model.constraints[s]!.length > 0;
    for (let v = 0; v < k; v++) {
      if (v === cur) continue;
      const stop = names[v]!;
      const blocker = model.blocker[s * k + v];
      if (allowed[s * k + v] !== 1 && blocker !== null && blocker !== undefined) {
        reasons.push(blocked(blocker, 'SL4101', v, v));
        continue;
      }
      if (tie !== undefined && v !== u) {
        reasons.push(blocked(tie, 'SL4103', v, u));
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
      const delta = round(Math.max(0, priceAt(s, v, therePrice) - here));
      if (delta === 0) {
        reasons.push(tieReason[v]!);
        continue;
      }
      // Every part is spelled out where a decision is made (a root, a segment placed away
      // from its parent, one with accesses or constraints). A segment that simply follows
      // its parent names the part that grows most, in a message shared by all such
      // segments: writing every number of every alternative of 100k segments would cost
      // more than planning them.
      if (decides) {
        reasons.push({ code: 'SL4110', message: formatMessage('SL4110', { stop, delta: formatMs(delta), detail: describe(therePrice, herePrice) }), stop, deltaMs: delta });
      } else {
        const part = dominant(therePrice, herePrice);
        reasons.push({ code: 'SL4112', message: (followText[v * 4 + part] ??= formatMessage('SL4112', { stop, part: WORDS[part]! })), stop, deltaMs: delta });
      }
    }
    out.push(reasons);
  }
  return out;
}
