import type { Diagnostic, RelatedNote } from '../ir/index.js';
import { diagnostic } from '../diagnostics/index.js';
import type { Preset } from '../presets/types.js';
import { parseFunctionTarget, parseLocationTarget } from './targets.js';
import type { Path, YamlSource } from './yaml-source.js';

/**
 * Checks across several values of stopline.yaml, which a schema of independent values
 * cannot express: duplicate stops, latency of the first and later stops, one of
 * function/route (function/at), urlPrefix against the preset, several stores of one
 * preset without bindings, contradictory pins. They run on the raw document, so they
 * report even when other parts of it are invalid; values of the wrong type are skipped
 * (the schema reports those).
 */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `line[1].latencyMs`, `stores.orders`, or `the top level`. */
export function whereText(path: Path): string {
  if (path.length === 0) return 'the top level';
  let text = '';
  for (const element of path) {
    text += typeof element === 'number' ? `[${element}]` : text === '' ? element : `.${element}`;
  }
  return text;
}

const quoteList = (names: readonly string[]): string => names.map((n) => `'${n}'`).join(', ');

function storePreset(presets: readonly Preset[], name: unknown): Preset | null {
  if (typeof name !== 'string') return null;
  const preset = presets.find((p) => p.name === name);
  return preset !== undefined && preset.store !== null && preset.capability === null ? preset : null;
}

function checkLine(src: YamlSource, line: unknown, out: Diagnostic[]): void {
  if (!Array.isArray(line)) return;
  const seen = new Map<string, Path>();
  line.forEach((item: unknown, i) => {
    if (!isRecord(item)) return;
    const here: Path = ['line', i];
    const name = item['stop'];
    if (typeof name === 'string') {
      const first = seen.get(name);
      if (first === undefined) {
        seen.set(name, [...here, 'stop']);
      } else {
        const note: RelatedNote = { message: `'${name}' is first declared here`, range: src.valueRange(first) };
        out.push(diagnostic('SL1006', src.valueRange([...here, 'stop']), { stop: name }, [note]));
      }
    }
    if (i === 0) {
      const latency = item['latencyMs'];
      if (typeof latency === 'number' && latency !== 0) {
        out.push(diagnostic('SL1003', src.valueRange([...here, 'latencyMs']), {
          where: whereText([...here, 'latencyMs']),
          detail: 'the first stop has no previous stop; its latency is 0',
        }));
      }
      const bandwidth = item['bandwidthMbps'];
      if (typeof bandwidth === 'number') {
        out.push(diagnostic('SL1003', src.valueRange([...here, 'bandwidthMbps']), {
          where: whereText([...here, 'bandwidthMbps']),
          detail: 'the first stop has no hop to a previous stop',
        }));
      }
    } else if (!('latencyMs' in item)) {
      out.push(diagnostic('SL1008', src.headRange(here), { key: 'latencyMs', where: whereText(here) }));
    }
  });
}

function checkStores(src: YamlSource, stores: unknown, presets: readonly Preset[], out: Diagnostic[]): void {
  if (!isRecord(stores)) return;
  const byPreset = new Map<string, string[]>();
  for (const [name, store] of Object.entries(stores)) {
    if (!isRecord(store)) continue;
    const here: Path = ['stores', name];
    const preset = storePreset(presets, store['preset']);
    if (preset === null) continue;
    const group = byPreset.get(preset.name) ?? [];
    group.push(name);
    byPreset.set(preset.name, group);
    const http = preset.store?.kind === 'http';
    if (http && !('urlPrefix' in store)) {
      out.push(diagnostic('SL1008', src.headRange(here), { key: 'urlPrefix', where: whereText(here) }));
    } else if (!http && 'urlPrefix' in store) {
      out.push(diagnostic('SL1025', src.keyRange([...here, 'urlPrefix']), { store: name, preset: preset.name }));
    }
  }
  for (const [preset, names] of byPreset) {
    if (names.length < 2) continue;
    const unbound = names.filter((n) => {
      const store = stores[n];
      return isRecord(store) && !('binding' in store);
    });
    const blamed = unbound[0];
    if (blamed === undefined) continue;
    const related: RelatedNote[] = names
      .filter((n) => n !== blamed)
      .map((n) => ({ message: `store '${n}' also uses preset '${preset}'`, range: src.keyRange(['stores', n]) }));
    out.push(diagnostic('SL1012', src.keyRange(['stores', blamed]), { stores: quoteList(names), preset }, related));
  }
}

/**
 * Each entry names `function` or `route` (both: the function is served at that route over
 * HTTP), each pin exactly one of `function`/`at`.
 */
function checkOneOf(src: YamlSource, section: 'entries' | 'pins', items: unknown, keys: readonly [string, string], out: Diagnostic[], both = false): void {
  if (!Array.isArray(items)) return;
  const [a, b] = keys;
  items.forEach((item: unknown, i) => {
    if (!isRecord(item)) return;
    const here: Path = [section, i];
    if (!(a in item) && !(b in item)) {
      out.push(diagnostic('SL1008', src.headRange(here), { key: `${a} or ${b}`, where: whereText(here) }));
    } else if (a in item && b in item && !both) {
      out.push(diagnostic('SL1003', src.keyRange([...here, b]), {
        where: whereText(here),
        detail: `give either ${a} or ${b}, not both`,
      }));
    }
  });
}

function checkPins(src: YamlSource, pins: unknown, out: Diagnostic[]): void {
  if (!Array.isArray(pins)) return;
  const firsts = new Map<string, { stop: string; path: Path }>();
  pins.forEach((pin: unknown, i) => {
    if (!isRecord(pin)) return;
    const stop = pin['stop'];
    const fn = pin['function'];
    const at = pin['at'];
    if (typeof stop !== 'string' || ('function' in pin && 'at' in pin)) return;
    let target: string | null = null;
    let path: Path = ['pins', i];
    if (typeof fn === 'string') {
      const t = parseFunctionTarget(fn);
      if (t !== null) target = `${t.file}#${t.name}`;
      path = ['pins', i, 'function'];
    } else if (typeof at === 'string') {
      const t = parseLocationTarget(at);
      if (t !== null) target = `${t.file}:${t.line}`;
      path = ['pins', i, 'at'];
    }
    if (target === null) return;
    const first = firsts.get(target);
    if (first === undefined) {
      firsts.set(target, { stop, path });
    } else if (first.stop !== stop) {
      const note: RelatedNote = { message: `first pinned to '${first.stop}' here`, range: src.valueRange(first.path) };
      out.push(diagnostic('SL1016', src.valueRange(path), { target, first: first.stop, second: stop }, [note]));
    }
  });
}

export function crossChecks(src: YamlSource, raw: Record<string, unknown>, presets: readonly Preset[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  checkLine(src, raw['line'], out);
  checkStores(src, raw['stores'], presets, out);
  checkOneOf(src, 'entries', raw['entries'], ['function', 'route'], out, true);
  checkOneOf(src, 'pins', raw['pins'], ['function', 'at'], out);
  checkPins(src, raw['pins'], out);
  return out;
}
