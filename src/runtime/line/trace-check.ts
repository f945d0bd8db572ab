import type { Plan, RoundTrips, StopName } from '../../ir/index.js';
import type { LineCrossing } from './line.js';

/**
 * What a run's trace says against its plan: the round trips it made over each link, and
 * every crossing the plan does not account for.
 *
 * The plan's `roundTrips` are expectations over static branch probabilities; one request
 * takes one path. For that path the model predicts exactly this: one exchange over each
 * link between the two stops for every entry into a cut (the RPC), and for every access
 * executed at a stop that cannot serve it (`servedAt` ≠ the segment's stop). So a trace is
 * consistent with its plan when each `link` crossing is the RPC of one of the entry's
 * cuts (same head segment, same two stops) and each `access` crossing is an access of one
 * of the entry's segments placed at the crossing's origin and served at its target.
 */

/** Exchanges per adjacent link (`client-edge`…) of a trace: a crossing counts once on every link between its two stops. */
export function roundTripsOfTrace(trace: readonly LineCrossing[], line: readonly StopName[]): RoundTrips {
  const out: Record<string, number> = {};
  for (let h = 1; h < line.length; h++) out[`${line[h - 1]}-${line[h]}`] = 0;
  for (const c of trace) {
    const a = line.indexOf(c.from);
    const b = line.indexOf(c.to);
    if (a < 0 || b < 0) continue;
    for (let h = Math.min(a, b) + 1; h <= Math.max(a, b); h++) {
      const name = `${line[h - 1]}-${line[h]}`;
      out[name] = (out[name] ?? 0) + 1;
    }
  }
  return out;
}

/** The crossings of `trace` (one request of `entry`) that no cut or access of the plan accounts for, described. */
export function unexplainedCrossings(plan: Plan, entry: string, trace: readonly LineCrossing[]): string[] {
  const cuts = plan.cuts.filter((c) => c.entry === entry);
  const segments = plan.segments.filter((s) => s.entry === entry);
  const out: string[] = [];
  for (const c of trace) {
    if (c.kind === 'link') {
      if (!cuts.some((cut) => cut.child === c.segment && cut.from === c.from && cut.to === c.to)) out.push(`link ${c.from}→${c.to} ${c.segment}: not a cut of ${entry}`);
      continue;
    }
    const [, store] = c.segment.split(':');
    const explained = segments.some((s) => s.stop === c.from && s.accesses.some((a) => a.store === store && a.servedAt === c.to));
    if (!explained) out.push(`access ${c.from}→${c.to} ${c.segment}: no access of store '${store}' placed at ${c.from} is served at ${c.to} in ${entry}`);
  }
  return out;
}
