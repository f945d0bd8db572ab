import type { Cut, PlacedSegment, Plan, Stop } from '../../ir/index.js';
import { escapeHtml } from './escape.js';
import { clip, formatBytes, formatCount, formatMs, plural } from './format.js';
import type { EntryView } from './model.js';
import { segmentTip } from './tips.js';

/** Most segment boxes one entry's picture draws; deeper segments fold into their ancestors. */
export const MAX_DRAWN_SEGMENTS = 160;

const LABEL_W = 128; // lane labels
const MARK_W = 22; // the request marker before the first box
const X0 = LABEL_W + MARK_W;
const TARGET_W = 1120; // the picture's width when it has to compress
const MIN_COL = 7;
const MIN_W = 640; // the boxes' width at least, however few
const MAX_COL = 64;
const ROW_H = 22;
const BOX_H = 18;
const LANE_PAD = 8;
const GAP = 34; // between lanes: where cut labels go
const TOP = 8;
const CHAR_W = 6.7; // 11px monospace

interface Box {
  readonly seg: PlacedSegment;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly lane: number;
}

/**
 * The line as an SVG picture: one lane per stop (top to bottom in line order), each
 * segment a box in its stop's lane, x in execution (pre-order) order, a box spanning the
 * columns of its drawn descendants (a flame chart per lane), and one arrow per cut from the
 * parent's box to the first box of the run (from the arrival lane for a moved root).
 */
export function lanesSvg(plan: Plan, view: EntryView, index: number): string {
  const stops = plan.line.stops;
  const stopAt = new Map(stops.map((s, i) => [s.name, i]));
  const arrival = stopAt.get(view.entry.arrives) ?? 0;
  const laneOf = (s: PlacedSegment): number => (s.stop === null ? arrival : (stopAt.get(s.stop) ?? arrival));

  const drawn = drawnSegments(view);
  const hidden = view.segments.length - drawn.length;
  const n = Math.max(1, drawn.length);
  // Compress x to fit the target width; small trees still get a readable minimum width.
  const col = Math.max(MIN_COL, Math.min(Math.max(MAX_COL, Math.floor(MIN_W / n)), Math.floor((TARGET_W - X0 - 16) / n)));

  // Columns: pre-order position; span: the drawn subtree.
  const drawnIds = new Set(drawn.map((s) => s.id));
  const colOf = new Map<string, number>();
  drawn.forEach((s, i) => colOf.set(s.id, i));
  const span = new Map<string, number>();
  for (let i = drawn.length - 1; i >= 0; i--) {
    const s = drawn[i]!;
    const kids = (view.children.get(s.id) ?? []).filter((c) => drawnIds.has(c.id));
    const last = kids.length === 0 ? i : colOf.get(kids[kids.length - 1]!.id)! + span.get(kids[kids.length - 1]!.id)! - 1;
    span.set(s.id, last - i + 1);
  }
  // Row inside the lane: how many drawn ancestors share the lane.
  const row = new Map<string, number>();
  for (const s of drawn) {
    let r = 0;
    for (let p = s.parent === null ? undefined : view.byId.get(s.parent); p !== undefined; p = p.parent === null ? undefined : view.byId.get(p.parent)) {
      if (drawnIds.has(p.id) && laneOf(p) === laneOf(s)) r++;
    }
    row.set(s.id, r);
  }
  const rows = stops.map((_, l) => 1 + Math.max(0, ...drawn.filter((s) => laneOf(s) === l).map((s) => row.get(s.id)!)));
  const notes = stops.map((stop, l) => laneNotes(stop, l === arrival));
  const laneH = rows.map((r, l) => Math.max(r * ROW_H + 2 * LANE_PAD - (ROW_H - BOX_H), 24 + 13 * notes[l]!.length));
  const laneY: number[] = [];
  let y = TOP;
  for (const h of laneH) {
    laneY.push(y);
    y += h + GAP;
  }
  const height = y - GAP + TOP;
  const width = X0 + drawn.length * col + 16;

  const boxes = new Map<string, Box>();
  for (const s of drawn) {
    const lane = laneOf(s);
    boxes.set(s.id, { seg: s, lane, x: X0 + colOf.get(s.id)! * col + 1, y: laneY[lane]! + LANE_PAD + row.get(s.id)! * ROW_H, w: span.get(s.id)! * col - 2 });
  }

  const out: string[] = [];
  const marker = `sl-arrow-${index}`;
  out.push(
    `<svg class="line-picture" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(`Placement of ${view.entry.name} on the line`)}">`,
    `<defs><marker id="${marker}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrowhead"/></marker></defs>`,
  );
  for (const [l, stop] of stops.entries()) {
    const top = laneY[l]!;
    const h = laneH[l]!;
    out.push(`<g class="lane stop-${l}" data-stop="${escapeHtml(stop.name)}">`);
    out.push(`<rect class="lane-bg" x="0" y="${top}" width="${width}" height="${h}" rx="4"/>`);
    out.push(`<text class="lane-label" x="10" y="${top + 17}">${escapeHtml(clip(stop.name, 16))}</text>`);
    for (const [k, note] of notes[l]!.entries()) out.push(`<text class="lane-note" x="10" y="${top + 31 + 13 * k}">${escapeHtml(note)}</text>`);
    for (const s of drawn) {
      const b = boxes.get(s.id)!;
      if (b.lane !== l) continue;
      out.push(segmentBox(b, view));
    }
    out.push('</g>');
  }
  // The request arrives here.
  const ay = laneY[arrival]! + LANE_PAD + BOX_H / 2;
  out.push(`<g class="request"><circle cx="${LABEL_W + 8}" cy="${ay}" r="5"/><title>request arrives at ${escapeHtml(view.entry.arrives)}</title></g>`);

  out.push('<g class="cuts">');
  const labelSlots = new Map<string, number[]>(); // band → right ends of labels placed so far
  for (const cut of view.cuts) out.push(cutArrow(cut, boxes, { laneY, laneH, arrival, stopAt, marker, labelSlots, ay, width }));
  out.push('</g>');
  out.push('</svg>');
  const note = hidden > 0 ? `<p class="note">${escapeHtml(`${plural(hidden, 'deeper segment')} not drawn (folded into the boxes that contain them); the source view below shows every line.`)}</p>` : '';
  return `<div class="picture">${out.join('\n')}</div>${note}`;
}

function segmentBox(b: Box, view: EntryView): string {
  const s = b.seg;
  const cls = ['segment', s.stop === null ? 'unplaced' : '', view.cutOf.has(s.id) ? 'moved' : ''].filter((c) => c !== '').join(' ');
  const chars = Math.floor((b.w - 8) / CHAR_W);
  const text = chars >= 3 ? `<text class="box-label" x="${b.x + 4}" y="${b.y + 13}">${escapeHtml(clip(s.label, chars))}</text>` : '';
  return `<rect class="${cls}" data-segment="${escapeHtml(s.id)}" x="${b.x}" y="${b.y}" width="${Math.max(2, b.w)}" height="${BOX_H}" rx="3"><title>${escapeHtml(segmentTip(s))}</title></rect>${text}`;
}

interface CutContext {
  readonly laneY: readonly number[];
  readonly laneH: readonly number[];
  readonly arrival: number;
  readonly stopAt: ReadonlyMap<string, number>;
  readonly marker: string;
  readonly labelSlots: Map<string, number[]>;
  readonly ay: number;
  readonly width: number;
}

function cutArrow(cut: Cut, boxes: ReadonlyMap<string, Box>, ctx: CutContext): string {
  const child = boxes.get(cut.child) ?? boxes.get(cut.run[0] ?? '');
  const from = ctx.stopAt.get(cut.from) ?? ctx.arrival;
  const to = ctx.stopAt.get(cut.to) ?? ctx.arrival;
  const label = cutLabel(cut);
  const tip = `${cut.from} → ${cut.to}: ${formatCount(cut.count)} RPC per request, payload ${cut.payload.length === 0 ? '(none)' : cut.payload.join(', ')} (${formatBytes(cut.bytes)} per RPC), +${formatMs(cut.costMs)} per request${cut.run.length > 1 ? `; batches ${cut.run.length} segments` : ''}`;
  const open = `<g class="cut" data-from="${escapeHtml(cut.from)}" data-to="${escapeHtml(cut.to)}" data-child="${escapeHtml(cut.child)}" data-tip="${escapeHtml(tip)}"><title>${escapeHtml(tip)}</title>`;
  if (child === undefined) return `${open}</g>`;
  const parent = cut.parent === null ? undefined : boxes.get(cut.parent);
  let d: string;
  let lx: number;
  let ly: number;
  if (parent === undefined) {
    // A moved root: from the request marker in the arrival lane, down (or up) then into the box.
    const x = LABEL_W + 8;
    const ty = child.y + BOX_H / 2;
    d = `M${x},${ctx.ay + (ty > ctx.ay ? 6 : -6)} L${x},${ty} L${child.x - 1},${ty}`;
    lx = x + 6;
    ly = bandY(ctx, from, to);
  } else {
    const x = child.x + Math.min(8, Math.max(1, child.w / 2));
    const down = to > from;
    const y1 = down ? parent.y + BOX_H : parent.y;
    const y2 = down ? child.y - 1 : child.y + BOX_H + 1;
    d = `M${x},${y1} L${x},${y2}`;
    lx = x + 5;
    ly = bandY(ctx, from, to);
  }
  // Right of the arrow, or left of it near the right edge; labels in one band take the
  // first row whose last label ends before this one starts.
  const w = label.length * 6.2 + 8;
  const right = lx + w <= ctx.width - 4;
  const left = right ? lx : lx - 10 - w;
  if (!right) lx -= 10;
  const band = `${ly}`;
  const ends = ctx.labelSlots.get(band) ?? [];
  let row = 0;
  while (row < ends.length && (ends[row] ?? 0) > left) row++;
  ends[row] = left + w;
  ctx.labelSlots.set(band, ends);
  const y = ly + row * 12;
  const anchor = right ? '' : ' text-anchor="end"';
  return `${open}<path d="${d}" marker-end="url(#${ctx.marker})"/><text class="cut-label" x="${lx.toFixed(1)}" y="${y}"${anchor}>${escapeHtml(label)}</text></g>`;
}

/** The y of the label band: the gap just before the target lane. */
function bandY(ctx: CutContext, from: number, to: number): number {
  if (to > from) return ctx.laneY[to]! - GAP + 14;
  if (to < from) return ctx.laneY[to]! + ctx.laneH[to]! + 14;
  return ctx.laneY[to]! - 4;
}

/** What the lane says under the stop's name: arrival, trust, compute speed (each short enough for the label column). */
function laneNotes(stop: Stop, arrival: boolean): string[] {
  const notes: string[] = [];
  if (arrival) notes.push('arrival');
  const traits = [stop.trusted ? null : 'untrusted', stop.slowdown === 1 ? null : `×${formatCount(stop.slowdown)} compute`].filter((x) => x !== null);
  if (traits.length > 0) notes.push(clip(traits.join(' · '), 22));
  return notes;
}

function cutLabel(cut: Cut): string {
  const payload = cut.payload.length === 0 ? 'no payload' : clip(cut.payload.join(', '), 48);
  return `${payload} · ${formatBytes(cut.bytes)} · ${formatCount(cut.count)} RPC/req`;
}

/**
 * The segments the picture draws: all of them when they fit, else every segment down to
 * the deepest depth that fits, plus every cut's run members and their ancestors.
 */
function drawnSegments(view: EntryView): PlacedSegment[] {
  if (view.segments.length <= MAX_DRAWN_SEGMENTS) return [...view.segments];
  const must = new Set<string>();
  for (const c of view.cuts) {
    for (const id of [c.child, ...(c.parent === null ? [] : [c.parent])]) {
      for (let s = view.byId.get(id); s !== undefined; s = s.parent === null ? undefined : view.byId.get(s.parent)) must.add(s.id);
    }
  }
  let best: PlacedSegment[] = view.segments.filter((s) => must.has(s.id) || view.depth.get(s.id) === 0);
  for (let d = 0; ; d++) {
    const pick = view.segments.filter((s) => must.has(s.id) || (view.depth.get(s.id) ?? 0) <= d);
    if (pick.length > MAX_DRAWN_SEGMENTS) break;
    best = pick;
    if (pick.length === view.segments.length) break;
  }
  return best;
}
