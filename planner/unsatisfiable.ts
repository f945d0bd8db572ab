import type { Diagnostic, RelatedNote } from '../src/ir/index.js';
import { diagnostic } from '../src/diagnostics/index.js';
import type { EntryModel } from './problem-build.js';

/**
 * Why an entry has no feasible placement. Every hard constraint is either a set of
 * stops one segment may take or a no-cut tie between a segment and its parent, so the
 * entry is infeasible exactly when some group of segments tied together by no-cut facts
 * (with the arrival stop, if the root is tied to it) has no stop they all allow. The
 * diagnostic names that group's constraints: the facts that conflict.
 */
export function explainUnsatisfiable(model: EntryModel): Diagnostic {
  const p = model.problem;
  const { n, k } = p;
  const names = model.metrics.names;
  // The top of each segment's no-cut group; -1 stands for the arrival stop.
  const top = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    if (p.noCut[s] !== 1) top[s] = s;
    else top[s] = p.parent[s]! < 0 ? -1 : top[p.parent[s]!]!;
  }
  const groups = new Map<number, number[]>();
  for (let s = 0; s < n; s++) {
    const members = groups.get(top[s]!) ?? [];
    members.push(s);
    groups.set(top[s]!, members);
  }
  for (const [head, members] of [...groups].sort((a, b) => a[0] - b[0])) {
    const open = Array.from({ length: k }, (_, t) => head !== -1 || t === p.arrival);
    for (const s of members) for (let t = 0; t < k; t++) if (p.allowed[s * k + t] !== 1) open[t] = false;
    if (open.some(Boolean)) continue;
    const related: RelatedNote[] = [];
    const codes: string[] = [];
    for (const s of members) {
      for (const c of model.constraints[s]!) {
        related.push({ message: `${c.code}: ${c.message}`, range: c.range });
        codes.push(c.code);
      }
    }
    const label = `'${model.segments[head === -1 ? 0 : head]!.label}'`;
    const where = head === -1
      ? `${label} (tied to the arrival stop '${names[p.arrival]}')`
      : members.length > 1 ? `${label} and the code that must stay with it` : label;
    const detail = `${where} has no stop that satisfies all of ${[...new Set(codes)].sort().join(', ')}`;
    const range = head === -1 ? model.entry.handler.range : model.segments[head]!.range;
    return diagnostic('SL4001', range, { entry: model.entry.name, detail }, related);
  }
  // Unreachable for a well-formed problem; still a diagnostic, never a crash.
  return diagnostic('SL4001', model.entry.handler.range, { entry: model.entry.name, detail: 'its constraints leave no stop for some segment' });
}
