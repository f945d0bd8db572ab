import type { PlacedSegment } from '../../ir/index.js';
import { formatCount } from './format.js';

/** What a segment's tooltip says, as data: the page script renders it (text only, never HTML). */
export interface SegmentTipData {
  /** Label. */
  readonly l: string;
  /** `loop at origin · src/handlers.ts:16 · ×0.5 per request` */
  readonly m: string;
  /** Accesses, one line each. */
  readonly a: readonly string[];
  /** Reasons: [code, message]. */
  readonly r: readonly (readonly [string, string])[];
  /** File, first and last line: the source lines to highlight with the box. */
  readonly f: string;
  readonly s: number;
  readonly e: number;
}

export function segmentTipData(s: PlacedSegment): SegmentTipData {
  return {
    l: s.label,
    m: `${s.kind} at ${s.stop ?? 'no stop (unsatisfiable)'} · ${s.file}:${s.start.line}–${s.end.line} · ×${formatCount(s.count)} per request`,
    a: s.accesses.map((a) => `${a.op} ${a.store} (${a.api}) ×${formatCount(a.count)}${a.servedAt === null ? '' : `, served at ${a.servedAt}`}`),
    r: s.reasons.map((r) => [r.code, r.message] as const),
    f: s.file,
    s: s.start.line,
    e: s.end.column <= 1 && s.end.line > s.start.line ? s.end.line - 1 : s.end.line,
  };
}

/** The same as plain text (an SVG `<title>`, read without the script). */
export function segmentTip(s: PlacedSegment): string {
  const d = segmentTipData(s);
  return [d.l, d.m, ...d.a.map((a) => `▸ ${a}`), ...d.r.map(([code, msg]) => `${code} ${msg}`)].join('\n');
}
