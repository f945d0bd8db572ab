import type { Segment } from '../src/ir/index.js';
import { formatMessage } from '../src/diagnostics/index.js';
import type { LineMetrics } from './line-metrics.js';
import type { Constraint } from './problem-build.js';

/**
 * Secrets never cross a cut towards an untrusted stop (DESIGN.md, Trust and reliability).
 * The analyzer marks the variables that carry a secret (`LiveVariable.secret`,
 * analyzer/confidentiality.ts); a cut carries a segment's live-ins to it and its live-outs
 * back to its parent. So a segment with such a variable live in or live out is never on an
 * untrusted stop, and neither is the parent it passes one out to (SL4302). A statement that
 * returns or throws a secret is a `secret` fact (SL3016); the segments the value crosses on
 * its way up are kept off too (SL4302: a return up to the statement of the call that
 * receives it, a throw up to the root). Together: no secret is in a payload towards an
 * untrusted stop, whatever the costs.
 */
export function secretConstraints(segments: readonly Segment[], parent: Int32Array, secret: ReadonlySet<string>, metrics: LineMetrics): Constraint[][] {
  const out: Constraint[][] = segments.map(() => []);
  if (secret.size === 0 || metrics.trusted.every((t) => t)) return out;
  const allowed = Array.from({ length: metrics.k }, (_, t) => metrics.trusted[t]!);
  const add = (s: number, variable: string, detail: string, range: Segment['range']): void => {
    if (out[s]!.some((c) => c.code === 'SL4302')) return;
    const name = variable.slice(0, variable.indexOf('@'));
    out[s]!.push({
      code: 'SL4302',
      message: formatMessage('SL4302', { variable: name, detail }),
      range,
      related: [],
      allowed,
    });
  };
  // A returned or thrown secret (SL3016) crosses every segment up to where it lands: a
  // return to the call's statement, a throw to the root.
  segments.forEach((seg, s) => {
    if (!seg.facts.some((f) => f.code === 'SL3016')) return;
    const returns = seg.control.returns;
    const value = returns ? '(return)' : '(thrown error)';
    for (let a = parent[s]!; a >= 0; a = parent[a]!) {
      add(a, `${value}@`, returns ? 'the returned value crosses here; it never crosses to an untrusted stop' : 'the thrown error crosses here; it never crosses to an untrusted stop', seg.range);
      if (returns && segments[a]!.kind === 'call') {
        if (parent[a]! >= 0) add(parent[a]!, `${value}@`, 'the returned value lands here; it never crosses to an untrusted stop', seg.range);
        break;
      }
    }
  });
  segments.forEach((seg, s) => {
    const held = seg.liveIn.find((v) => secret.has(v)) ?? seg.liveOut.find((v) => secret.has(v));
    if (held !== undefined) add(s, held, 'it never crosses to an untrusted stop', seg.range);
    const passed = seg.liveOut.find((v) => secret.has(v));
    if (passed !== undefined && parent[s]! >= 0) add(parent[s]!, passed, 'a child passes it out here; it never crosses to an untrusted stop', seg.range);
  });
  return out;
}
