import type { Baseline, Cut, Diagnostic, PlacedSegment, Plan, PlannedEntry } from '../ir/index.js';
import { mdCode, mdText, urlPath } from './html/escape.js';
import { clip, formatBytes, formatChange, formatCount, formatMs, formatRatio, lineText, linkKeys, plural, roundTripsOn } from './html/format.js';
import { entryViews, type EntryView } from './html/model.js';
import { trustMarkdown } from './trust-section.js';

export interface PlanMarkdownOptions {
  /**
   * Prefix for source links, e.g. `https://github.com/acme/shop/blob/<sha>/`: a place
   * becomes `[src/handlers.ts:16](<linkBase>src/handlers.ts#L16)`. Without it the link
   * target is the plain relative path (`src/handlers.ts#L16`).
   */
  readonly linkBase?: string;
  /** An earlier plan (e.g. of the base branch): adds a "compared with the baseline" column. */
  readonly baseline?: Plan | null;
}

/** GitHub refuses comments over 65,536 characters; the report stays under this. */
export const MARKDOWN_MAX_CHARS = 60_000;

const MAX_TABLE_ROWS = 50;
const MAX_CUTS_PER_ENTRY = 10;
const MAX_MEMBERS_PER_CUT = 5;
const MAX_REASONS = 4;
const MAX_DIAGNOSTICS = 20;
const BUDGET_TABLE = 22_000;
const BUDGET_MOVED = 28_000;
const BUDGET_DIAGNOSTICS = 7_000;

/**
 * The plan as markdown for a pull-request comment: one table with a row per entry
 * (latency, round trips per link, strong-store accesses away from home, ratios to the
 * baselines), the segments that moved away from their parent's stop with their cut and
 * reasons, then errors and warnings. Long lists end in "… and N more"; the whole text
 * stays under {@link MARKDOWN_MAX_CHARS}. Deterministic: the same plan gives the same text.
 */
export function planMarkdown(plan: Plan, options: PlanMarkdownOptions = {}): string {
  const link = linker(options.linkBase);
  const views = entryViews(plan);
  const out: string[] = [];

  out.push('## stopline plan', '');
  const movedCount = views.reduce((n, v) => n + v.moved.length, 0);
  const unsat = plan.entries.filter((e) => e.status === 'unsatisfiable').length;
  const counts = plan.model.counts === 'static' ? 'static counts' : `counts from ${mdCode(plan.model.counts.profile)}`;
  out.push(
    [
      `${plural(plan.entries.length, 'entry', 'entries')} on ${mdText(lineText(plan))}`,
      `${plural(plan.cuts.length, 'cut')} moving ${plural(movedCount, 'segment')}`,
      ...(unsat > 0 ? [`**${unsat} unsatisfiable**`] : []),
      counts,
    ].join(' · '),
    '',
  );

  if (plan.entries.length === 0) out.push('No entries: nothing was planned.', '');
  else out.push(...entriesTable(plan, options.baseline ?? null), '');

  out.push(...movedSection(views, link));
  out.push(...trustMarkdown(plan, link));
  out.push(...diagnosticsSection(plan.diagnostics, link));

  let text = `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
  if (text.length > MARKDOWN_MAX_CHARS) {
    // The section budgets keep us far below this; a guard for pathological single items.
    const note = '\n\n… (report cut at the comment size limit)\n';
    text = `${text.slice(0, MARKDOWN_MAX_CHARS - note.length).replace(/\n[^\n]*$/, '')}${note}`;
  }
  return text;
}

// ── entries table ───────────────────────────────────────────────────────────────────────

function entriesTable(plan: Plan, baseline: Plan | null): string[] {
  const links = linkKeys(plan.line);
  const header = [
    'entry',
    'arrives',
    'latency',
    ...links.map((k) => `RT ${k}`),
    'strong away',
    'vs all at arrival',
    'vs all at origin',
    'vs best single stop',
    ...(baseline ? ['compared with the baseline'] : []),
  ];
  const align = header.map((_, i) => (i >= 2 && i < 3 + links.length + 1 ? '--:' : ':--'));
  const rows = [`| ${header.join(' | ')} |`, `| ${align.join(' | ')} |`];
  const before = new Map((baseline?.entries ?? []).map((e) => [e.name, e]));
  let used = rows.join('\n').length;
  let shown = 0;
  for (const e of plan.entries) {
    const row = `| ${entryRow(e, links, baseline ? (before.get(e.name) ?? null) : undefined).join(' | ')} |`;
    if (shown >= MAX_TABLE_ROWS || used + row.length + 1 > BUDGET_TABLE) break;
    rows.push(row);
    used += row.length + 1;
    shown++;
  }
  const out = [...rows];
  if (shown < plan.entries.length) out.push('', `… and ${plan.entries.length - shown} more entries`);
  if (baseline) {
    const gone = baseline.entries.filter((b) => !plan.entries.some((e) => e.name === b.name)).map((b) => b.name);
    if (gone.length > 0) {
      const names = gone.slice(0, 10).map((n) => mdCode(clip(n, 80))).join(', ');
      out.push('', `Not in this plan any more (were in the baseline): ${names}${gone.length > 10 ? ` … and ${gone.length - 10} more` : ''}`);
    }
  }
  out.push(
    '',
    '<sub>RT: expected round trips per request over each link · strong away: strong-store accesses per request executed away from the store’s home · ratios: planned latency ÷ baseline latency, lower is better · <i>infeasible</i>: a hard constraint forbids running the whole entry at that stop</sub>',
  );
  return out;
}

/** The cells of one entry's row; `before` is undefined without a baseline plan, null when the entry is new. */
function entryRow(e: PlannedEntry, links: readonly string[], before: PlannedEntry | null | undefined): string[] {
  const planned = e.status === 'planned' && e.latencyMs !== null;
  const cells = [
    mdCode(clip(e.name, 80), true),
    mdText(e.arrives),
    planned ? formatMs(e.latencyMs!) : '**unsatisfiable**',
    ...links.map((k) => (planned ? roundTripsOn(e.roundTrips, k) : '—')),
    planned && e.strongRemote !== null ? formatCount(e.strongRemote) : '—',
    baselineCell(e, e.baselines.arrival, false),
    baselineCell(e, e.baselines.origin, false),
    baselineCell(e, e.baselines.bestSingleStop, true),
  ];
  if (before !== undefined) cells.push(compareCell(before, e));
  return cells;
}

function baselineCell(e: PlannedEntry, b: Baseline, showStop: boolean): string {
  const at = showStop ? ` at ${mdText(b.stop)}` : '';
  if (!b.feasible) return `⛔ _infeasible_ (${formatMs(b.latencyMs)}${at})`;
  if (e.status !== 'planned' || e.latencyMs === null) return `${formatMs(b.latencyMs)}${at}`;
  return `**${formatRatio(e.latencyMs, b.latencyMs)}** of ${formatMs(b.latencyMs)}${at}`;
}

function compareCell(before: PlannedEntry | null, after: PlannedEntry): string {
  if (before === null) return 'new entry';
  const b = before.status === 'planned' ? before.latencyMs : null;
  const a = after.status === 'planned' ? after.latencyMs : null;
  if (b === null && a === null) return 'unsatisfiable → unsatisfiable';
  if (b === null) return `unsatisfiable → ${formatMs(a!)}`;
  if (a === null) return `${formatMs(b)} → **unsatisfiable**`;
  if (a === b) return `${formatMs(a)} (unchanged)`;
  return `${formatMs(b)} → ${formatMs(a)} (${formatChange(b, a)})`;
}

// ── moved segments ──────────────────────────────────────────────────────────────────────

interface Budget {
  left: number;
}

/** Adds `lines` when they fit in the budget; false (and nothing added) when they do not. */
function fit(out: string[], lines: readonly string[], budget: Budget): boolean {
  const size = lines.reduce((n, l) => n + l.length + 1, 0);
  if (size > budget.left) return false;
  out.push(...lines);
  budget.left -= size;
  return true;
}

/** Adds `lines` whatever the budget (short closing notes), still counting them. */
function force(out: string[], lines: readonly string[], budget: Budget): void {
  out.push(...lines);
  budget.left -= lines.reduce((n, l) => n + l.length + 1, 0);
}

function movedSection(views: readonly EntryView[], link: Linker): string[] {
  const withMoves = views.filter((v) => v.moved.length > 0);
  if (withMoves.length === 0) {
    return views.length === 0 ? [] : ['### Segments that moved', '', 'None: every segment runs at its parent’s stop (every root at its arrival stop).', ''];
  }
  const out = ['### Segments that moved', '', `Each moved segment runs at another stop than its parent (a root: than the arrival stop); a run of them is one cut, one RPC per entry into it.`, ''];
  // Room kept for the closing "… and N more" line.
  const budget: Budget = { left: BUDGET_MOVED - 1200 };
  for (const [i, v] of withMoves.entries()) {
    if (entryMoves(v, link, budget, out)) continue;
    const rest = withMoves.slice(i + 1);
    if (rest.length > 0) {
      const segments = rest.reduce((n, r) => n + r.moved.length, 0);
      out.push(`… and ${plural(segments, 'more moved segment', 'more moved segments')} in ${plural(rest.length, 'more entry', 'more entries')}: ${rest.slice(0, 10).map((r) => mdCode(clip(r.entry.name, 60))).join(', ')}${rest.length > 10 ? ', …' : ''}`, '');
    }
    break;
  }
  return out;
}

/** Appends one entry's moved segments, grouped by cut; false when the budget ran out inside it. */
function entryMoves(v: EntryView, link: Linker, budget: Budget, out: string[]): boolean {
  const cutCost = v.cuts.reduce((n, c) => n + c.costMs, 0);
  if (!fit(out, [`**${mdCode(clip(v.entry.name, 80))}** — ${plural(v.moved.length, 'segment')} moved, ${plural(v.cuts.length, 'cut')} costing ${formatMs(cutCost)} per request`, ''], budget)) {
    out.push(`… and ${plural(v.moved.length, 'more moved segment', 'more moved segments')} in ${mdCode(clip(v.entry.name, 80))}`, '');
    return false;
  }
  // Group the moved segments by the cut that carries them, in tree order.
  const groups: { cut: Cut | null; members: PlacedSegment[] }[] = [];
  const byCut = new Map<Cut, PlacedSegment[]>();
  for (const s of v.moved) {
    const cut = v.cutOf.get(s.id) ?? null;
    if (cut === null) {
      groups.push({ cut: null, members: [s] });
      continue;
    }
    let members = byCut.get(cut);
    if (!members) {
      members = [];
      byCut.set(cut, members);
      groups.push({ cut, members });
    }
    members.push(s);
  }
  let shown = 0;
  const more = (what: string): string => `- … and ${plural(v.moved.length - shown, 'more moved segment', 'more moved segments')}${what}`;
  for (const [i, g] of groups.entries()) {
    if (i >= MAX_CUTS_PER_ENTRY) {
      force(out, [more(` in ${plural(groups.length - i, 'more cut')}`), ''], budget);
      return true;
    }
    const lines = [`- ${cutLine(g.cut, g.members[0]!, v)}`];
    let listed = 0;
    for (const [j, s] of g.members.entries()) {
      if (j >= MAX_MEMBERS_PER_CUT) break;
      const item = [`  - ${link(s.file, s.start.line)} ${s.kind} ${mdCode(clip(s.label, 80))}${s.count === 1 ? '' : ` ×${formatCount(s.count)}`}`];
      for (const [k, r] of s.reasons.entries()) {
        if (k >= MAX_REASONS) {
          item.push(`    - … and ${plural(s.reasons.length - k, 'more reason')}`);
          break;
        }
        item.push(`    - ${mdCode(r.code)} ${mdText(clip(r.message, 240))}`);
      }
      if (s.reasons.length === 0) item.push('    - (no reason recorded)');
      // The first member goes with its cut's line; later ones alone.
      if (j === 0) lines.push(...item);
      else if (!fit(out, item, budget)) {
        out.push(more(''), '');
        return false;
      }
      if (j === 0 && !fit(out, lines, budget)) {
        out.push(more(''), '');
        return false;
      }
      shown++;
      listed++;
    }
    if (listed < g.members.length) force(out, [`  - … and ${plural(g.members.length - listed, 'more segment')} in this run`], budget);
    shown += g.members.length - listed;
  }
  force(out, [''], budget);
  return true;
}

function cutLine(cut: Cut | null, first: PlacedSegment, v: EntryView): string {
  if (cut === null) {
    const parent = first.parent === null ? null : v.byId.get(first.parent);
    return `**${mdText(parent?.stop ?? v.entry.arrives)} → ${mdText(first.stop ?? '?')}** (no cut recorded for it in the plan)`;
  }
  const parts = [`**${mdText(cut.from)} → ${mdText(cut.to)}**`];
  if (cut.parent === null) parts.push('the request itself crosses');
  parts.push(`${formatCount(cut.count)} RPC per request`);
  const payload = cut.payload.length === 0 ? 'no payload' : `payload ${cut.payload.slice(0, 8).map((p) => mdCode(clip(p, 40))).join(', ')}${cut.payload.length > 8 ? ` … and ${cut.payload.length - 8} more` : ''}`;
  parts.push(`${payload} (${formatBytes(cut.bytes)} per RPC)`);
  if (cut.handles.length > 0) parts.push(`store handles ${cut.handles.map((h) => mdCode(clip(h, 40))).join(', ')} bound at ${mdText(cut.to)}`);
  parts.push(`+${formatMs(cut.costMs)}`);
  return parts.join(', ');
}

// ── diagnostics ─────────────────────────────────────────────────────────────────────────

function diagnosticsSection(diagnostics: readonly Diagnostic[], link: Linker): string[] {
  const listed = diagnostics.filter((d) => d.category === 'error' || d.category === 'warning');
  const infos = diagnostics.length - listed.length;
  if (listed.length === 0) return [];
  const errors = listed.filter((d) => d.category === 'error').length;
  const out = ['### Diagnostics', '', `${plural(errors, 'error')}, ${plural(listed.length - errors, 'warning')}${infos > 0 ? ` (${plural(infos, 'info')} not listed)` : ''}`, ''];
  let used = 0;
  for (const [i, d] of listed.entries()) {
    const place = d.range === null ? '' : ` ${link(d.range.file, d.range.start.line)}`;
    const item = `- **${d.category}** ${mdCode(d.code)}${place} ${mdText(clip(d.message, 300))}`;
    if (i >= MAX_DIAGNOSTICS || used + item.length + 1 > BUDGET_DIAGNOSTICS) {
      out.push(`- … and ${listed.length - i} more`);
      break;
    }
    out.push(item);
    used += item.length + 1;
  }
  out.push('');
  return out;
}

// ── links ───────────────────────────────────────────────────────────────────────────────

type Linker = (file: string, line: number) => string;

function linker(linkBase: string | undefined): Linker {
  const base = linkBase === undefined || linkBase === '' ? '' : linkBase.endsWith('/') ? linkBase : `${linkBase}/`;
  return (file, line) => `[${mdText(`${file}:${line}`)}](${base}${urlPath(file)}#L${line})`;
}
