import type { Baseline, Diagnostic, Plan, PlannedEntry } from '../ir/index.js';
import { escapeHtml, jsonForScript } from './html/escape.js';
import { clip, formatBytes, formatCount, formatMs, formatRatio, lineText, linkKeys, plural, roundTripsOn } from './html/format.js';
import { lanesSvg } from './html/lanes.js';
import { entryViews, type EntryView } from './html/model.js';
import { pageCss, pageScript } from './html/page.js';
import { sourceView } from './html/source-view.js';
import { trustHtml } from './trust-section.js';
import { segmentTipData, type SegmentTipData } from './html/tips.js';

export interface PlanHtmlOptions {
  /** The page title; `stopline plan` by default. */
  readonly title?: string;
}

/**
 * The plan as one self-contained HTML page (inline CSS and script, nothing fetched):
 * per entry its numbers against the baselines, a picture of the line (one lane per stop,
 * a box per segment in execution order, an arrow per cut) and its source with every line
 * coloured by the stop that runs it; hovering a box or a line shows the segment's reasons.
 * `sources` maps a file path relative to the project root to its text. Deterministic.
 */
export function planHtml(plan: Plan, sources: ReadonlyMap<string, string>, options: PlanHtmlOptions = {}): string {
  const title = options.title ?? 'stopline plan';
  const views = entryViews(plan);
  const tips: Record<string, SegmentTipData> = {};
  for (const v of views) for (const s of v.segments) tips[s.id] = segmentTipData(s);

  const body: string[] = [];
  body.push('<header>', `<h1>${escapeHtml(title)}</h1>`, `<div class="muted">${escapeHtml(summaryLine(plan, views))}</div>`, legend(plan), '</header>');
  if (plan.entries.length === 0) body.push('<p>No entries: nothing was planned.</p>');
  else body.push(overview(views));
  for (const [i, v] of views.entries()) body.push(entrySection(plan, v, i, sources));
  body.push(trustHtml(plan));
  body.push(diagnosticsSection(plan.diagnostics));

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
${pageCss(plan.line)}
</style>
</head>
<body>
${body.join('\n')}
<div id="sl-tip" role="tooltip" hidden></div>
<script type="application/json" id="sl-data">${jsonForScript(tips)}</script>
<script>
${pageScript}
</script>
</body>
</html>
`;
}

function summaryLine(plan: Plan, views: readonly EntryView[]): string {
  const moved = views.reduce((n, v) => n + v.moved.length, 0);
  const stores = plan.stores.map((s) => `${s.name} (${s.consistency}, home ${s.home}${s.replicas.length > 0 ? `, replicas ${s.replicas.join(', ')}` : ''})`);
  return [
    lineText(plan),
    plural(plan.entries.length, 'entry', 'entries'),
    `${plural(plan.cuts.length, 'cut')} moving ${plural(moved, 'segment')}`,
    ...(stores.length > 0 ? [`stores: ${stores.join(', ')}`] : []),
    plan.model.counts === 'static' ? 'static counts' : `counts from ${plan.model.counts.profile}`,
  ].join(' · ');
}

function legend(plan: Plan): string {
  const items = plan.line.stops.map((s, i) => `<li class="stop-${i}" data-stop="${escapeHtml(s.name)}"><span class="swatch"></span>${escapeHtml(s.name)}${s.trusted ? '' : ' <span class="muted">(untrusted)</span>'}</li>`);
  const unplaced = plan.entries.some((e) => e.status === 'unsatisfiable') ? ['<li><span class="swatch unplaced"></span>not placed (unsatisfiable)</li>'] : [];
  return `<ul class="legend" aria-label="stops">${[...items, ...unplaced].join('')}</ul>`;
}

function overview(views: readonly EntryView[]): string {
  const rows = views.map((v, i) => {
    const e = v.entry;
    const planned = e.status === 'planned' && e.latencyMs !== null;
    const latency = planned ? formatMs(e.latencyMs!) : '<span class="tag bad">unsatisfiable</span>';
    return `<tr><td><a href="#entry-${i}"><code>${escapeHtml(e.name)}</code></a></td><td>${escapeHtml(e.arrives)}</td><td class="num">${latency}</td>${ratioCell(e, e.baselines.arrival)}${ratioCell(e, e.baselines.origin)}${ratioCell(e, e.baselines.bestSingleStop, true)}<td class="num">${v.cuts.length}</td><td class="num">${v.moved.length}</td></tr>`;
  });
  return `<table class="overview"><thead><tr><th>entry</th><th>arrives</th><th>latency</th><th>vs all at arrival</th><th>vs all at origin</th><th>vs best single stop</th><th>cuts</th><th title="segments placed at another stop than their parent (cut members)">moved</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function ratioCell(e: PlannedEntry, b: Baseline, showStop = false): string {
  const at = showStop ? ` at ${escapeHtml(b.stop)}` : '';
  if (!b.feasible) return `<td><span class="tag bad">infeasible</span> <span class="muted">${formatMs(b.latencyMs)}${at}</span></td>`;
  if (e.status !== 'planned' || e.latencyMs === null) return `<td>${formatMs(b.latencyMs)}${at}</td>`;
  return `<td><b>${formatRatio(e.latencyMs, b.latencyMs)}</b> <span class="muted">of ${formatMs(b.latencyMs)}${at}</span></td>`;
}

function entrySection(plan: Plan, v: EntryView, index: number, sources: ReadonlyMap<string, string>): string {
  const e = v.entry;
  const out: string[] = [];
  out.push(`<section class="entry" id="entry-${index}" data-entry="${escapeHtml(e.name)}">`);
  out.push(`<h2><code>${escapeHtml(e.name)}</code><small>arrives at ${escapeHtml(e.arrives)} · ${escapeHtml(e.source)} · ${escapeHtml(`${e.file}:${e.start.line}–${e.end.line}`)}</small></h2>`);
  if (e.status === 'unsatisfiable') {
    out.push(`<p><span class="tag bad">unsatisfiable</span> Its hard constraints conflict: no placement exists (see the SL4001 diagnostic below). Segments are drawn at the arrival stop, unplaced.</p>`);
  }
  out.push(numbersTable(plan, v));
  if (e.breakdown !== null) {
    const b = e.breakdown;
    out.push(`<div class="breakdown">${escapeHtml(`latency = compute ${formatMs(b.computeMs)} + store round trips ${formatMs(b.accessMs)} + cut round trips ${formatMs(b.cutMs)} + transfer ${formatMs(b.transferMs)} · ${plural(e.moved, 'segment')} away from the arrival stop`)}</div>`);
  }
  out.push(lanesSvg(plan, v, index));
  if (v.cuts.length > 0) {
    out.push('<ul class="cut-list">');
    for (const c of v.cuts) {
      const first = v.byId.get(c.child);
      const what = first === undefined ? c.child : `${first.kind} ${clip(first.label, 70)} (${first.file}:${first.start.line})`;
      const more = c.run.length > 1 ? ` and ${plural(c.run.length - 1, 'more segment')} in one RPC` : '';
      const payload = c.payload.length === 0 ? 'no payload' : `payload ${c.payload.join(', ')}`;
      out.push(`<li><b>${escapeHtml(`${c.from} → ${c.to}`)}</b> ${escapeHtml(`${c.parent === null ? 'the request itself: ' : ''}${what}${more} · ${formatCount(c.count)} RPC per request · ${payload} (${formatBytes(c.bytes)} per RPC) · +${formatMs(c.costMs)}`)}</li>`);
    }
    out.push('</ul>');
  } else if (e.status === 'planned') {
    out.push(`<p class="note">${escapeHtml(`No cut: the whole entry runs at ${v.segments[0]?.stop ?? e.arrives}.`)}</p>`);
  }
  out.push('<h3>Source</h3>');
  out.push(sourceView(plan, v, sources));
  out.push('</section>');
  return out.join('\n');
}

function numbersTable(plan: Plan, v: EntryView): string {
  const e = v.entry;
  const links = linkKeys(plan.line);
  const used = plan.line.stops.filter((s) => v.segments.some((x) => x.stop === s.name)).map((s) => s.name);
  const head = `<tr><th></th><th>stop</th><th>latency</th><th>plan ÷ this</th>${links.map((k) => `<th>RT ${escapeHtml(k)}</th>`).join('')}<th>strong away</th></tr>`;
  const planned = e.status === 'planned' && e.latencyMs !== null;
  const rows: string[] = [];
  rows.push(
    `<tr class="plan"><td>plan</td><td>${escapeHtml(used.length === 0 ? '—' : used.join(' + '))}</td><td class="num">${planned ? formatMs(e.latencyMs!) : '<span class="tag bad">unsatisfiable</span>'}</td><td class="num">—</td>${links.map((k) => `<td class="num">${planned ? roundTripsOn(e.roundTrips, k) : '—'}</td>`).join('')}<td class="num">${planned && e.strongRemote !== null ? formatCount(e.strongRemote) : '—'}</td></tr>`,
  );
  const named: [string, Baseline][] = [
    ['everything at the arrival stop', e.baselines.arrival],
    ['everything at the origin', e.baselines.origin],
    ['best single stop', e.baselines.bestSingleStop],
  ];
  for (const [name, b] of named) {
    const ratio = !b.feasible ? '<span class="tag bad">infeasible</span>' : planned ? formatRatio(e.latencyMs!, b.latencyMs) : '—';
    rows.push(
      `<tr class="${b.feasible ? 'baseline' : 'baseline infeasible'}"><td>${escapeHtml(name)}</td><td>${escapeHtml(b.stop)}</td><td class="num">${formatMs(b.latencyMs)}</td><td class="num">${ratio}</td>${links.map((k) => `<td class="num">${roundTripsOn(b.roundTrips, k)}</td>`).join('')}<td class="num">${formatCount(b.strongRemote)}</td></tr>`,
    );
  }
  return `<table class="numbers"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}

function diagnosticsSection(diagnostics: readonly Diagnostic[]): string {
  const listed = diagnostics.filter((d) => d.category !== 'info');
  if (listed.length === 0) return '';
  const items = listed.map((d) => {
    const place = d.range === null ? '' : ` <code>${escapeHtml(`${d.range.file}:${d.range.start.line}:${d.range.start.column}`)}</code>`;
    return `<li><span class="tag ${d.category === 'error' ? 'bad' : 'warn'}">${escapeHtml(d.category)}</span> <code>${escapeHtml(d.code)}</code>${place} ${escapeHtml(d.message)}</li>`;
  });
  return `<section class="diagnostics"><h2>Diagnostics</h2><ul>${items.join('')}</ul></section>`;
}
