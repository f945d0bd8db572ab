import type { PlacedSegment, Plan } from '../../ir/index.js';
import { escapeHtml } from './escape.js';
import { formatBytes, formatCount } from './format.js';
import type { EntryView } from './model.js';

/** Most source lines one entry's view shows. */
export const MAX_SOURCE_LINES = 1500;
/** Lines between two covered ranges of a file shown rather than elided. */
const JOIN_GAP = 3;

interface Span {
  readonly first: number;
  readonly last: number;
}

/**
 * The entry's code, line by line: the handler's file first, then each file its inlined
 * callees come from, only the ranges segments cover. Every line gets the class of the
 * stop of the innermost segment covering it (`stop-<index>`, `data-stop`, `data-segment`
 * for the tooltip); the first line of a moved segment carries a badge naming its cut.
 */
export function sourceView(plan: Plan, view: EntryView, sources: ReadonlyMap<string, string>): string {
  const stopAt = new Map(plan.line.stops.map((s, i) => [s.name, i]));
  const files: string[] = [view.entry.file];
  for (const s of view.segments) if (!files.includes(s.file)) files.push(s.file);

  const out: string[] = ['<div class="source">'];
  let budget = MAX_SOURCE_LINES;
  let elided = 0;
  for (const file of files) {
    const segs = view.segments.filter((s) => s.file === file);
    const spans: Span[] = segs.map((s) => ({ first: s.start.line, last: lastLine(s) }));
    if (file === view.entry.file) spans.push({ first: view.entry.start.line, last: view.entry.end.line });
    const chunks = merge(spans);
    const text = sources.get(file);
    out.push(`<div class="file" data-file="${escapeHtml(file)}"><div class="file-name">${escapeHtml(file)}</div>`);
    if (text === undefined) {
      out.push(`<p class="note">${escapeHtml(`Source not available (lines ${chunks.map((c) => `${c.first}–${c.last}`).join(', ')}).`)}</p></div>`);
      continue;
    }
    const lines = text.split(/\r?\n/);
    out.push('<div class="code">');
    for (const [ci, chunk] of chunks.entries()) {
      if (ci > 0) out.push('<div class="gap">⋯</div>');
      for (let n = chunk.first; n <= chunk.last && n <= lines.length; n++) {
        if (budget <= 0) {
          elided++;
          continue;
        }
        budget--;
        const line = lines[n - 1] ?? '';
        out.push(lineHtml(n, line, innermost(segs, n, firstColumn(line), view), view, stopAt));
      }
    }
    out.push('</div></div>');
  }
  if (elided > 0) out.push(`<p class="note">${escapeHtml(`… and ${elided} more lines not shown`)}</p>`);
  out.push('</div>');
  return out.join('\n');
}

function lineHtml(n: number, text: string, seg: PlacedSegment | undefined, view: EntryView, stopAt: ReadonlyMap<string, number>): string {
  const body = `<span class="no">${n}</span><span class="tx">${escapeHtml(text) || ' '}</span>`;
  if (seg === undefined) return `<div class="ln" data-line="${n}">${body}</div>`;
  const i = seg.stop === null ? undefined : stopAt.get(seg.stop);
  const cls = i === undefined ? 'ln unplaced' : `ln stop-${i}`;
  return `<div class="${cls}" data-line="${n}" data-stop="${escapeHtml(seg.stop ?? '')}" data-segment="${escapeHtml(seg.id)}">${body}${badges(n, view, stopAt)}</div>`;
}

/** Badges for the moved segments that start on line `n`. */
function badges(n: number, view: EntryView, stopAt: ReadonlyMap<string, number>): string {
  const out: string[] = [];
  for (const s of view.moved) {
    if (s.start.line !== n || s.stop === null) continue;
    const cut = view.cutOf.get(s.id);
    const first = cut === undefined || cut.child === s.id || cut.run[0] === s.id;
    const tip = cut === undefined
      ? `moved to ${s.stop}`
      : `${cut.from} → ${cut.to}${cut.parent === null ? ' (the request itself crosses)' : ''}: ${formatCount(cut.count)} RPC per request, payload ${cut.payload.length === 0 ? '(none)' : cut.payload.join(', ')} (${formatBytes(cut.bytes)} per RPC)${first ? '' : ' — batched with the segment before'}`;
    out.push(`<span class="badge stop-${stopAt.get(s.stop) ?? 0}" data-tip="${escapeHtml(tip)}">${escapeHtml(`⇢ ${s.stop}${first ? '' : ' (same RPC)'}`)}</span>`);
  }
  return out.join('');
}

/**
 * The segment a line belongs to: the deepest one covering its first non-blank character
 * (so `for (…) {` is the loop, not the body block that opens at its `{`), else the deepest
 * one with any character on the line (a handler's signature line belongs to its body).
 */
function innermost(segs: readonly PlacedSegment[], n: number, column: number, view: EntryView): PlacedSegment | undefined {
  let best: PlacedSegment | undefined;
  let bestDepth = -1;
  let touching: PlacedSegment | undefined;
  let touchingDepth = -1;
  for (const s of segs) {
    if (s.start.line > n || lastLine(s) < n) continue;
    const d = view.depth.get(s.id) ?? 0;
    const starts = s.start.line < n || s.start.column <= column;
    const ends = s.end.line > n || s.end.column > column;
    if (starts && ends && d > bestDepth) {
      best = s;
      bestDepth = d;
    }
    if (d > touchingDepth) {
      touching = s;
      touchingDepth = d;
    }
  }
  return best ?? touching;
}

/** 1-based column of the first non-blank character (1 for a blank line). */
function firstColumn(line: string): number {
  const m = /\S/.exec(line);
  return m === null ? 1 : m.index + 1;
}

/** The last line a segment has characters on (`end` is exclusive). */
function lastLine(s: PlacedSegment): number {
  return s.end.column <= 1 && s.end.line > s.start.line ? s.end.line - 1 : s.end.line;
}

function merge(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.first - b.first || a.last - b.last);
  const out: Span[] = [];
  for (const s of sorted) {
    const prev = out[out.length - 1];
    if (prev !== undefined && s.first <= prev.last + JOIN_GAP + 1) out[out.length - 1] = { first: prev.first, last: Math.max(prev.last, s.last) };
    else out.push(s);
  }
  return out;
}
