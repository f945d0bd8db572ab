import type { Line, Plan, RoundTrips } from '../../ir/index.js';

/**
 * Number and text formatting shared by the markdown and HTML reports. Everything is a
 * pure function of its input, so reports are byte-identical for the same plan.
 */

/** A decimal with precision that suits its size: 1579, 140.9, 70.63, 0.284 (trailing zeros dropped). */
export function formatDecimal(n: number): string {
  const a = Math.abs(n);
  const digits = a >= 1000 ? 0 : a >= 100 ? 1 : a >= 10 ? 2 : 3;
  return trimZeros(n.toFixed(digits));
}

/** Milliseconds: `70.63 ms`. */
export function formatMs(ms: number): string {
  return `${formatDecimal(ms)} ms`;
}

/** A count (round trips, executions, RPCs per request) with up to three decimals: `0.5`, `11.275`. */
export function formatCount(n: number): string {
  return trimZeros(n.toFixed(3));
}

/** Planned latency over a baseline's, `0.10×`; `—` when the baseline costs nothing but the plan does. */
export function formatRatio(planned: number, baseline: number): string {
  if (baseline <= 0) return planned <= 0 ? '1.00×' : '—';
  const r = planned / baseline;
  if (r < 0.005) return '<0.01×';
  return `${r >= 100 ? r.toFixed(0) : r.toFixed(2)}×`;
}

/** Bytes in SI units: `512 B`, `1.7 kB`, `25 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${Math.round(bytes)} B`;
  if (bytes < 1_000_000) return `${trimZeros((bytes / 1000).toFixed(1))} kB`;
  return `${trimZeros((bytes / 1_000_000).toFixed(1))} MB`;
}

/** Signed change in percent: `−90%`, `+12%`, `±0%`. */
export function formatChange(before: number, after: number): string {
  if (before <= 0) return after <= 0 ? '±0%' : 'new cost';
  const pct = Math.round(((after - before) / before) * 100);
  if (pct === 0) return '±0%';
  return pct < 0 ? `−${-pct}%` : `+${pct}%`;
}

function trimZeros(s: string): string {
  const t = s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
  return t === '-0' ? '0' : t;
}

/** The `roundTrips` keys of a line, in line order: `client-edge`, `edge-origin`. */
export function linkKeys(line: Line): string[] {
  const keys: string[] = [];
  for (let i = 0; i + 1 < line.stops.length; i++) keys.push(`${line.stops[i]!.name}-${line.stops[i + 1]!.name}`);
  return keys;
}

/** Round trips over one link, `—` when the plan has no number for it. */
export function roundTripsOn(trips: RoundTrips | null, key: string): string {
  const n = trips?.[key];
  return n === undefined ? '—' : formatCount(n);
}

/** The line as text: `client ─20 ms─ edge ─70 ms─ origin`. */
export function lineText(plan: Plan): string {
  return plan.line.stops.map((s, i) => (i === 0 ? s.name : `─${formatDecimal(s.latencyMs)} ms─ ${s.name}`)).join(' ');
}

/** Cuts a text to `max` characters, ending in `…` when it was longer; newlines become spaces. */
export function clip(text: string, max: number): string {
  const flat = text.replace(/\s*\r?\n\s*/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, Math.max(0, max - 1))}…`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
