import type { StoplineConfig } from '../config/index.js';
import type { Plan, SegmentGraph, SourceRange } from '../ir/index.js';
import { getPreset } from '../presets/index.js';
import { addrKey, LINK_KEY, LINK_KEY_PREVIOUS } from './contract.js';

/**
 * What a server stop needs from its host that a build's manifest does not already say,
 * computed once at build time from the plan, the graph and the sources, and written into
 * the manifest (`stops[].host`) so the descriptors are generated from the manifest alone:
 *
 *   calls     the trusted stops it calls (a cut whose parent side runs here): each needs
 *             `STOPLINE_ADDR_<STOP>` and an allowed outbound host
 *   config    every configuration key its guest reads through wasi:config/store: the link
 *             keys (every server stop seals or checks the envelope), one address per stop
 *             it calls, then the program's own `process.env` names read by the segments
 *             placed here (the SL3005 facts: `process.env.X`, `process.env['X']`,
 *             `Deno.env.get('X')`, fastly `env('X')`); a read of the whole environment
 *             names no key and adds none
 *   outbound  the origins (`https://api.example.com`) of http stores (preset `fetch`,
 *             `urlPrefix`) accessed here
 */
export interface StopHostFacts {
  readonly calls: readonly string[];
  readonly config: readonly string[];
  readonly outbound: readonly string[];
}

export function stopHostFacts(stop: string, plan: Plan, graph: SegmentGraph, sources: ReadonlyMap<string, string>, config: StoplineConfig): StopHostFacts {
  const trusted = new Set(config.line.stops.filter((s) => s.trusted).map((s) => s.name));
  const calls = sorted(plan.cuts.filter((c) => c.from === stop && c.to !== stop && trusted.has(c.to)).map((c) => c.to));

  const placedHere = new Set(plan.segments.filter((s) => s.stop === stop).map((s) => s.id));
  const programKeys: string[] = [];
  for (const segment of graph.segments) {
    if (!placedHere.has(segment.id)) continue;
    for (const fact of segment.facts) {
      if (fact.kind !== 'secret' || fact.code !== 'SL3005') continue;
      const key = configKeyAt(fact.range, sources);
      if (key !== null) programKeys.push(key);
    }
  }

  const outbound: string[] = [];
  for (const segment of plan.segments) {
    if (segment.stop !== stop) continue;
    for (const access of segment.accesses) {
      const store = config.stores.find((s) => s.name === access.store);
      if (store === undefined || store.urlPrefix === null || getPreset(store.preset)?.store?.kind !== 'http') continue;
      const origin = originOf(store.urlPrefix);
      if (origin !== null) outbound.push(origin);
    }
  }

  return {
    calls,
    config: [LINK_KEY, LINK_KEY_PREVIOUS, ...calls.map(addrKey), ...sorted(programKeys).filter((k) => !k.startsWith('STOPLINE_'))],
    outbound: sorted(outbound),
  };
}

/**
 * The configuration key a secret read at `range` names, or null when it names none (the
 * whole `process.env`, a computed key). The range is the analyzer's: `process.env` itself
 * (the key follows it), or a call such as `Deno.env.get('X')` (the key is its argument).
 */
export function configKeyAt(range: SourceRange, sources: ReadonlyMap<string, string>): string | null {
  const text = sources.get(range.file);
  if (text === undefined) return null;
  const lines = text.split('\n');
  const line = lines[range.end.line - 1];
  if (line === undefined) return null;
  const inside = range.start.line === range.end.line ? line.slice(range.start.column - 1, range.end.column - 1) : '';
  if (/(^|\.)env$/.test(inside.replace(/\s+/g, ''))) {
    const after = line.slice(range.end.column - 1);
    const member = /^\s*(?:\?\.|!?\.)\s*([A-Za-z_$][\w$]*)/.exec(after) ?? /^\s*(?:\?\.)?\s*\[\s*(['"`])([^'"`\\]+)\1\s*\]/.exec(after);
    if (member === null) return null;
    return member[2] ?? member[1] ?? null;
  }
  const argument = /\(\s*(['"`])([^'"`\\]+)\1/.exec(inside);
  return argument?.[2] ?? null;
}

function originOf(urlPrefix: string): string | null {
  try {
    return new URL(urlPrefix).origin;
  } catch {
    return null;
  }
}

function sorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
