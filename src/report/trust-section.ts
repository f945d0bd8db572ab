import type { Diagnostic, Plan } from '../ir/index.js';
import { escapeHtml, mdCode, mdText } from './html/escape.js';
import { clip, plural } from './html/format.js';

/**
 * The trust section of the plan reports (markdown and HTML): what the trust model is, how
 * many segments it keeps off untrusted stops and why (secrets SL3005, strong writes SL4102,
 * their decisions SL3015), and each unchecked flow of an untrusted value into a strong
 * write (SL4301) with its data-flow path. Only for a line with an untrusted stop.
 */
const TRUST_CODES = ['SL3005', 'SL4102', 'SL3015'] as const;
const MAX_FLOWS = 10;
const MAX_STEPS = 8;
/** Characters for the listed flows in markdown: the other sections' budgets leave about this much under the comment limit. */
const BUDGET_FLOWS = 2_000;

export const TRUST_MODEL =
  'The client is untrusted: a segment that reads a secret (SL3005), writes to a strong store (SL4102) or decides such a write — a guard of it, a value written such as a price or a quantity (SL3015) — never runs on an untrusted stop. ' +
  'A value that comes from the client (a request field, an argument of an entry at the client, client state) and reaches a strong write without a check at a trusted stop is reported (SL4301).';

interface TrustSummary {
  readonly untrusted: readonly string[];
  /** Segments kept off an untrusted stop, per constraint code. */
  readonly kept: ReadonlyMap<string, number>;
  readonly flows: readonly Diagnostic[];
}

function summary(plan: Plan): TrustSummary | null {
  const untrusted = plan.line.stops.filter((s) => !s.trusted).map((s) => s.name);
  if (untrusted.length === 0) return null;
  const kept = new Map<string, number>();
  for (const seg of plan.segments) {
    const code = seg.reasons.find((r) => r.stop !== null && untrusted.includes(r.stop) && (TRUST_CODES as readonly string[]).includes(r.code))?.code;
    if (code !== undefined) kept.set(code, (kept.get(code) ?? 0) + 1);
  }
  return { untrusted, kept, flows: plan.diagnostics.filter((d) => d.code === 'SL4301') };
}

function keptText(s: TrustSummary): string {
  const parts = TRUST_CODES.filter((c) => (s.kept.get(c) ?? 0) > 0).map((c) => `${s.kept.get(c)} by ${c}`);
  const total = [...s.kept.values()].reduce((a, b) => a + b, 0);
  return `${plural(total, 'segment')} kept off ${s.untrusted.join(', ')}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}; ${plural(s.flows.length, 'unchecked flow')} into strong writes`;
}

export function trustMarkdown(plan: Plan, link: (file: string, line: number) => string): string[] {
  const s = summary(plan);
  if (s === null) return [];
  const out = ['### Trust', '', mdText(TRUST_MODEL), '', mdText(keptText(s)), ''];
  let used = 0;
  for (const [i, d] of s.flows.entries()) {
    const place = d.range === null ? '' : ` ${link(d.range.file, d.range.start.line)}`;
    const lines = [`- ${mdCode(d.code)}${place} ${mdText(clip(d.message, 200))}`];
    for (const note of d.related.slice(0, MAX_STEPS)) lines.push(`  1. ${link(note.range.file, note.range.start.line)} ${mdText(clip(note.message, 80))}`);
    if (d.related.length > MAX_STEPS) lines.push(`  1. … ${d.related.length - MAX_STEPS} more steps`);
    const size = lines.reduce((n, l) => n + l.length + 1, 0);
    if (i >= MAX_FLOWS || (i > 0 && used + size > BUDGET_FLOWS)) {
      out.push(`- … and ${s.flows.length - i} more (plan.json and SARIF have them all)`);
      break;
    }
    out.push(...lines);
    used += size;
  }
  if (s.flows.length > 0) out.push('');
  return out;
}

export function trustHtml(plan: Plan): string {
  const s = summary(plan);
  if (s === null) return '';
  const place = (r: Diagnostic['range']): string => r === null ? '' : ` <code>${escapeHtml(`${r.file}:${r.start.line}:${r.start.column}`)}</code>`;
  const flows = s.flows.map((d) => {
    const steps = d.related.map((n) => `<li>${place(n.range)} ${escapeHtml(n.message)}</li>`).join('');
    return `<li><code>${escapeHtml(d.code)}</code>${place(d.range)} ${escapeHtml(d.message)}<ol>${steps}</ol></li>`;
  });
  return `<section class="trust"><h2>Trust</h2><p>${escapeHtml(TRUST_MODEL)}</p><p class="muted">${escapeHtml(keptText(s))}</p>${flows.length > 0 ? `<ul>${flows.join('')}</ul>` : ''}</section>`;
}
