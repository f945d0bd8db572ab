import type { Cut } from '../src/ir/index.js';
import { round } from './measure.js';
import type { EntryModel } from './problem-build.js';
import { rpcCount, type Placement } from './problem.js';

function variableName(id: string): string {
  const at = id.indexOf('@');
  return at < 0 ? id : id.slice(0, at);
}

/**
 * The cuts of a placement: under each parent, each maximal run of consecutive children
 * at one stop other than the parent's (one child per run under a branch, whose sides are
 * alternatives), and the root when it runs away from the arrival stop.
 */
export function cutsOf(model: EntryModel, placement: Placement): Cut[] {
  const p = model.problem;
  const { k, names } = model.metrics;
  const cuts: Cut[] = [];
  const emit = (parent: number, members: readonly number[], from: number, rpcs: number): void => {
    const to = placement[members[0]!]!;
    const payload = new Set<string>();
    const handles = new Set<string>();
    const add = (id: string): void => {
      (model.variableKind.get(id) === 'store-handle' ? handles : payload).add(variableName(id));
    };
    let bytes = 0;
    let transfer = 0;
    for (const m of members) {
      const seg = model.segments[m]!;
      for (const id of seg.liveIn) add(id);
      for (const id of seg.liveOut) add(id);
      bytes += p.bytes[m]!;
      transfer += p.count[m]! * p.bytes[m]! * p.msPerByte[from * k + to]!;
    }
    cuts.push({
      entry: model.entry.name,
      parent: parent < 0 ? null : model.segments[parent]!.id,
      child: model.segments[members[0]!]!.id,
      run: members.map((m) => model.segments[m]!.id),
      from: names[from]!,
      to: names[to]!,
      count: round(rpcs),
      payload: [...payload].sort(),
      handles: [...handles].sort(),
      bytes: Math.round(bytes),
      costMs: round(p.rtt[from * k + to]! * rpcs + transfer),
    });
  };
  if (p.n === 0) return cuts;
  if (placement[0] !== p.arrival) emit(-1, [0], p.arrival, p.count[0]!);
  for (let s = 0; s < p.n; s++) {
    const kids = p.children[s]!;
    const from = placement[s]!;
    let i = 0;
    while (i < kids.length) {
      const to = placement[kids[i]!]!;
      if (to === from) {
        i++;
        continue;
      }
      const members = [kids[i]!];
      let rpcs = rpcCount(p, placement, kids[i]!, i, kids, s);
      let j = i + 1;
      while (p.alternatives[s] !== 1 && j < kids.length && placement[kids[j]!] === to) {
        members.push(kids[j]!);
        rpcs += rpcCount(p, placement, kids[j]!, j, kids, s);
        j++;
      }
      emit(s, members, from, rpcs);
      i = j;
    }
  }
  return cuts;
}
