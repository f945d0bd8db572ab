import type { Line } from '../../ir/index.js';

/** Stop colours by position on the line (client, edge, origin for the usual three). */
const PALETTE = ['#e8590c', '#1c7ed6', '#2f9e44', '#ae3ec9', '#c92a2a', '#0b7285', '#5f3dc4', '#e67700', '#495057'] as const;

export function stopColour(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}

function rgba(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** The page's style sheet: system fonts only, one colour class per stop. */
export function pageCss(line: Line): string {
  const stops = line.stops
    .map((_, i) => {
      const c = stopColour(i);
      return `.stop-${i}{--stop:${c};--tint:${rgba(c, 0.12)};--fill:${rgba(c, 0.3)};--lane:${rgba(c, 0.06)}}`;
    })
    .join('\n');
  return `${stops}
:root{--ink:#1f2328;--muted:#656d76;--rule:#d0d7de;--bg:#fff;--code:ui-monospace,SFMono-Regular,"SF Mono",Menlo,Consolas,"Liberation Mono",monospace}
*{box-sizing:border-box}
body{margin:0;padding:24px 32px 64px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:18px;margin:0 0 8px}
h2 code{font-size:17px}
h2 small{font-weight:normal;color:var(--muted);font-size:13px;margin-left:8px}
h3{font-size:14px;margin:18px 0 6px}
code{font-family:var(--code);font-size:12.5px}
a{color:#0969da;text-decoration:none}
a:hover{text-decoration:underline}
.muted,.note{color:var(--muted)}
.note{font-size:12.5px;margin:4px 0}
header{margin-bottom:16px}
.legend{display:flex;flex-wrap:wrap;gap:14px;margin:8px 0 0;padding:0;list-style:none;font-size:13px}
.legend li{display:flex;align-items:center;gap:6px}
.swatch{display:inline-block;width:14px;height:14px;border-radius:3px;background:var(--fill);border:1.5px solid var(--stop)}
.swatch.unplaced{--stop:#868e96;--fill:#f1f3f5;border-style:dashed}
table{border-collapse:collapse;font-size:13px}
th,td{border:1px solid var(--rule);padding:4px 9px;text-align:left;vertical-align:top}
th{background:#f6f8fa;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.plan td{font-weight:600}
tr.infeasible td{color:var(--muted)}
.tag{display:inline-block;padding:0 6px;border-radius:9px;font-size:11.5px;font-weight:600;line-height:18px}
.tag.bad{background:#ffebe9;color:#cf222e}
.tag.warn{background:#fff8c5;color:#9a6700}
section.entry{margin:28px 0;padding-top:18px;border-top:1px solid var(--rule)}
.breakdown{margin:6px 0 12px;color:var(--muted);font-size:13px}
.picture{overflow-x:auto;margin:12px 0 4px;padding-bottom:4px}
svg.line-picture{display:block;font-family:var(--code)}
.lane-bg{fill:var(--lane);stroke:var(--stop);stroke-opacity:.35}
.lane-label{font:600 13px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;fill:var(--stop)}
.lane-note{font:11px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;fill:var(--muted)}
rect.segment{fill:var(--fill);stroke:var(--stop);stroke-width:1;cursor:default}
rect.segment.moved{stroke-width:2.2}
rect.segment.unplaced{fill:#f1f3f5;stroke:#868e96;stroke-dasharray:3 2}
rect.segment.hl,rect.segment:hover{fill:var(--stop);fill-opacity:.55}
.box-label{font-size:11px;fill:#1f2328;pointer-events:none}
.request circle{fill:#1f2328}
g.cut path{fill:none;stroke:#1f2328;stroke-width:1.6}
g.cut:hover path{stroke-width:2.6}
.arrowhead{fill:#1f2328}
.cut-label{font-size:11px;fill:#1f2328;paint-order:stroke;stroke:#fff;stroke-width:4px;stroke-linejoin:round}
ul.cut-list{margin:6px 0 0;padding-left:20px;font-size:13px}
ul.cut-list li{margin:2px 0}
.source{margin-top:14px}
.file{margin:10px 0;border:1px solid var(--rule);border-radius:6px;overflow:hidden}
.file-name{font:600 12.5px var(--code);padding:5px 10px;background:#f6f8fa;border-bottom:1px solid var(--rule)}
.code{font:12.5px/1.55 var(--code);overflow-x:auto}
.ln{display:flex;white-space:pre;border-left:4px solid transparent}
.ln[data-stop]{background:var(--tint);border-left-color:var(--stop)}
.ln.unplaced{background:repeating-linear-gradient(135deg,#f8f9fa 0 6px,#f1f3f5 6px 12px);border-left-color:#868e96}
.ln.hl{outline:1px solid var(--stop);outline-offset:-1px;background:var(--fill)}
.ln .no{flex:none;width:48px;padding-right:10px;text-align:right;color:var(--muted);user-select:none}
.ln .tx{flex:none;tab-size:2}
.badge{flex:none;margin-left:14px;padding:0 7px;border-radius:9px;background:var(--stop);color:#fff;font:600 11px/18px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;align-self:center}
.gap{color:var(--muted);padding-left:22px;background:#f6f8fa}
.diagnostics li{margin:3px 0}
#sl-tip{position:fixed;z-index:10;max-width:560px;padding:8px 10px;border-radius:6px;background:#1f2328;color:#fff;font-size:12.5px;line-height:1.4;box-shadow:0 4px 14px rgba(0,0,0,.25);pointer-events:none}
#sl-tip[hidden]{display:none}
#sl-tip .tip-label{font:600 12.5px var(--code);margin-bottom:2px;white-space:pre-wrap}
#sl-tip .tip-meta{color:#c9d1d9}
#sl-tip .tip-access{color:#c9d1d9}
#sl-tip .tip-reason{margin-top:3px}
#sl-tip code{color:#ffd8a8;font-size:11.5px}
@media print{#sl-tip{display:none}}`;
}

/**
 * The page's only script: a tooltip for every element with `data-segment` (its label,
 * stop and reasons, from the JSON in #sl-data) or `data-tip` (plain text), and the
 * highlight of a segment's box and source lines together. Text only: it never parses HTML.
 */
export const pageScript = `(function () {
  var dataNode = document.getElementById('sl-data');
  var data = dataNode ? JSON.parse(dataNode.textContent || '{}') : {};
  var tip = document.getElementById('sl-tip');
  if (!tip) return;
  // The SVG <title>s say the same for readers without script; here the tooltip replaces them.
  document.querySelectorAll('[data-segment] > title, [data-tip] > title').forEach(function (t) { t.remove(); });
  function add(cls, text) {
    var el = document.createElement('div');
    el.className = cls;
    el.textContent = text;
    tip.appendChild(el);
    return el;
  }
  function render(el) {
    tip.replaceChildren();
    var id = el.getAttribute('data-tip') === null ? el.getAttribute('data-segment') : null;
    var d = id ? data[id] : null;
    if (!d) { add('tip-meta', el.getAttribute('data-tip') || ''); return; }
    add('tip-label', d.l);
    add('tip-meta', d.m);
    d.a.forEach(function (a) { add('tip-access', '\\u25B8 ' + a); });
    d.r.forEach(function (r) {
      var row = add('tip-reason', '');
      var code = document.createElement('code');
      code.textContent = r[0];
      row.append(code, ' ' + r[1]);
    });
    if (d.r.length === 0) add('tip-meta', 'no placement reason recorded');
  }
  function place(e) {
    var pad = 14, w = tip.offsetWidth, h = tip.offsetHeight;
    var x = e.clientX + pad, y = e.clientY + pad;
    if (x + w > window.innerWidth - 4) x = Math.max(4, e.clientX - w - pad);
    if (y + h > window.innerHeight - 4) y = Math.max(4, e.clientY - h - pad);
    tip.style.left = x + 'px';
    tip.style.top = y + 'px';
  }
  // A segment lights up with its box and every source line of its range (its children's too).
  function highlight(el, on) {
    var id = el && el.getAttribute('data-segment');
    if (!id) return;
    document.querySelectorAll('rect[data-segment="' + CSS.escape(id) + '"]').forEach(function (x) { x.classList.toggle('hl', on); });
    var d = data[id], section = el.closest('section.entry');
    if (!d || !section) return;
    section.querySelectorAll('.file[data-file="' + CSS.escape(d.f) + '"] .ln[data-line]').forEach(function (x) {
      var n = Number(x.getAttribute('data-line'));
      if (n >= d.s && n <= d.e) x.classList.toggle('hl', on);
    });
  }
  var current = null;
  document.addEventListener('mouseover', function (e) {
    var el = e.target instanceof Element ? e.target.closest('[data-tip], [data-segment]') : null;
    if (el === current) return;
    highlight(current, false);
    current = el;
    if (!el) { tip.hidden = true; return; }
    highlight(el, true);
    render(el);
    tip.hidden = false;
    place(e);
  });
  document.addEventListener('mousemove', function (e) { if (current) place(e); });
})();`;
