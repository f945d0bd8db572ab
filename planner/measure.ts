import type { RoundTrips } from '../src/ir/index.js';
import type { EntryModel } from './problem-build.js';
import { rpcCount, type Placement } from './problem.js';

/** What a placement costs in exchanges rather than milliseconds. */
export interface Traffic {
  /** Expected exchanges per request over each adjacent link (index h: stop h − 1 to h). */
  readonly links: Float64Array;
  /** Expected strong-store accesses per request executed away from the store's home. */
  readonly strongRemote: number;
}

function addSpan(links: Float64Array, a: number, b: number, times: number): void {
  for (let h = Math.min(a, b) + 1; h <= Math.max(a, b); h++) links[h - 1] = links[h - 1]! + times;
}

/** Every RPC crosses each link between its two stops once; so does every remote access. */
export function traffic(model: EntryModel, placement: Placement): Traffic {
  const p = model.problem;
  const links = new Float64Array(Math.max(0, p.k - 1));
  if (placement[0] !== p.arrival) addSpan(links, p.arrival, placement[0]!, p.count[0]!);
  for (let s = 0; s < p.n; s++) {
    const kids = p.children[s]!;
    for (let i = 0; i < kids.length; i++) {
      const c = kids[i]!;
      if (placement[c] !== placement[s]) addSpan(links, placement[s]!, placement[c]!, rpcCount(p, placement, c, i, kids, s));
    }
  }
  let strongRemote = 0;
  for (let s = 0; s < p.n; s++) {
    const t = placement[s]!;
    for (const m of model.accesses[s]!) {
      const server = m.server[t]!;
      if (server !== t) addSpan(links, t, server, m.count);
      if (m.store?.consistency === 'strong' && model.metrics.names[t] !== m.store.home) strongRemote += m.count;
    }
  }
  return { links, strongRemote };
}

/** Milliseconds and counts in plan.json are rounded to 1 µs (and 1e-6 of a count): stable across machines. */
export function round(x: number): number {
  const r = Math.round(x * 1000) / 1000;
  return Object.is(r, -0) ? 0 : r;
}

export function roundTripsOf(model: EntryModel, links: Float64Array): RoundTrips {
  const out: Record<string, number> = {};
  model.metrics.links.forEach((name, h) => (out[name] = round(links[h]!)));
  return out;
}

/**
 * `String(round(x))` without the general number-to-text conversion (which dominates
 * writing hundreds of thousands of reasons): the value in µs is an integer, printed as
 * integer and fraction. Same text as `String(round(x))` for |x| < 2^53 µs.
 */
export function formatMs(x: number): string {
  let micros = Math.round(x * 1000);
  if (!Number.isSafeInteger(micros)) return String(round(x));
  let sign = '';
  if (micros < 0) {
    sign = '-';
    micros = -micros;
  }
  const whole = Math.floor(micros / 1000);
  let fraction = micros - whole * 1000;
  if (fraction === 0) return sign + whole;
  let digits = 3;
  while (fraction % 10 === 0) {
    fraction /= 10;
    digits--;
  }
  let text = String(fraction);
  while (text.length < digits) text = `0${text}`;
  return `${sign}${whole}.${text}`;
}
