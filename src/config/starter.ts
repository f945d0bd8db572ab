import { stringify } from 'yaml';
import type { Line, Stop } from '../ir/index.js';
import { presets as registry } from '../presets/index.js';
import type { Preset } from '../presets/types.js';
import { DEFAULT_ANALYSIS, defaultLine, storeDefaults } from './defaults.js';
import { parseBinding, parseFunctionTarget, parseRoute, STOP_NAME } from './targets.js';

/** A store `stopline init` detected: a name and the preset whose package the service imports. */
export interface StarterStore {
  readonly name: string;
  readonly preset: string;
  /** `file#export`, when init could tell which binding reaches the store. */
  readonly binding?: string;
  /** For http stores (preset fetch). */
  readonly urlPrefix?: string;
}

/** A candidate entry: `function` (`file#name`) or `route` (`METHOD /path`), with why init proposes it. */
export interface StarterEntry {
  readonly function?: string;
  readonly route?: string;
  readonly arrives: string;
  readonly note: string;
}

export interface StarterInput {
  readonly stores: readonly StarterStore[];
  readonly entries: readonly StarterEntry[];
  /** Default: the default line (client → edge → origin). */
  readonly line?: Line;
  /** Written as `tsconfig:` when given; else left as a comment (the project's tsconfig.json is used). */
  readonly tsconfig?: string;
}

export interface StarterOptions {
  /** Presets to fill store defaults from; default: the registry in src/presets. */
  readonly presets?: readonly Preset[];
}

/** One YAML scalar, quoted only where YAML needs it, never folded. */
function scalar(value: string | number | boolean | null): string {
  return stringify(value, { lineWidth: 0, minContentWidth: 0 }).trimEnd();
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

const commented = (lines: readonly string[]): string[] => lines.map((l) => (l.trim() === '' ? '#' : `# ${l}`));

function renderLine(line: Line): string[] {
  const out = [
    '# The line: the stops a request passes, ordered from the client to the origin.',
    '#   stop           the stop\'s name (used by entries, pins and stores below)',
    '#   trusted        untrusted stops never hold secrets nor decide strong writes',
    '#                  (default: false for the first stop, true for the rest)',
    '#   slowdown       compute time relative to the origin; 4 = four times slower (default 1)',
    '#   latencyMs      one-way latency to the previous stop, in ms (required for every stop but the first)',
    '#   bandwidthMbps  bandwidth of the hop to the previous stop, in Mbit/s (null = not limited)',
    'line:',
  ];
  line.stops.forEach((stop: Stop, i) => {
    out.push(`  - stop: ${scalar(stop.name)}`);
    out.push(`    trusted: ${scalar(stop.trusted)}`);
    out.push(`    slowdown: ${scalar(stop.slowdown)}`);
    if (i > 0) {
      out.push(`    latencyMs: ${scalar(stop.latencyMs)}`);
      out.push(`    bandwidthMbps: ${scalar(stop.bandwidthMbps)}`);
    }
  });
  return out;
}

function renderStores(stores: readonly StarterStore[], presets: readonly Preset[], line: Line): string[] {
  const stops = line.stops.map((s) => s.name);
  const out = [
    '# Stores: the data sources the service reads and writes, by name.',
    '#   preset       the library that reaches the store (required)',
    '#   consistency  strong | eventual | local (default: the preset\'s)',
    '#   home         the stop that holds the authoritative copy (default: the preset\'s)',
    '#   replicas     stops that hold eventually consistent copies (default: the preset\'s)',
    '#   binding      `file#export` or `file#Interface.property`: only calls through it reach this store',
    '#                (required when several stores use the same preset)',
    '#   urlPrefix    for preset fetch: the URL prefix of the API (required there)',
  ];
  const seen = new Set<string>();
  const unique = stores.filter((s) => {
    const ok = s.name !== '' && !seen.has(s.name);
    seen.add(s.name);
    return ok;
  });
  const byPreset = new Map<string, number>();
  for (const s of unique) byPreset.set(s.preset, (byPreset.get(s.preset) ?? 0) + 1);

  const blocks: string[][] = [];
  for (const s of unique) {
    const preset = presets.find((p) => p.name === s.preset);
    const binding = s.binding === undefined ? null : parseBinding(s.binding);
    const block: string[] = [];
    let problem: string | null = null;
    if (preset === undefined) {
      problem = `unknown preset '${s.preset}'`;
    } else if (preset.store === null || preset.capability !== null) {
      problem = `preset '${s.preset}' is a capability, not a store`;
    } else if (binding === null && (byPreset.get(s.preset) ?? 0) > 1) {
      problem = `several stores use preset '${s.preset}': give each a binding (file#export), then uncomment`;
    } else if (preset.store.kind === 'http' && (s.urlPrefix === undefined || s.urlPrefix === '')) {
      problem = 'set urlPrefix to the URL prefix of the API, then uncomment';
    }
    block.push(`${scalar(s.name)}:`);
    block.push(`  preset: ${scalar(s.preset)}${preset === undefined ? '' : `   # ${oneLine(preset.description)}`}`);
    if (preset?.store != null) {
      const d = storeDefaults(preset.store, stops);
      block.push(`  consistency: ${d.consistency}   # the preset's default, as are home and replicas`);
      block.push(`  home: ${scalar(d.home)}`);
      block.push(`  replicas: [${d.replicas.map(scalar).join(', ')}]`);
      if (binding !== null) block.push(`  binding: ${scalar(binding)}`);
      if (preset.store.kind === 'http') block.push(`  urlPrefix: ${scalar(s.urlPrefix ?? 'https://api.example.com/')}`);
    }
    if (s.binding !== undefined && binding === null) block.push(`  # binding: ${oneLine(s.binding)}   (not file#export; fix it and uncomment)`);
    blocks.push(problem === null ? block.map((l) => `  ${l}`) : [`  # ${oneLine(problem)}:`, ...commented(block).map((l) => `  ${l}`)]);
  }
  const live = blocks.filter((b) => !(b[0] ?? '').trimStart().startsWith('#'));
  if (live.length === 0) {
    out.push('stores: {}');
    if (blocks.length === 0) {
      out.push(...commented(['stores:', '  orders:', '    preset: pg', '    binding: src/db.ts#pool']));
    }
  } else {
    out.push('stores:');
  }
  for (const b of blocks) out.push(...b);
  return out;
}

function renderEntries(entries: readonly StarterEntry[], line: Line): string[] {
  const stops = new Set(line.stops.map((s) => s.name));
  const out = [
    '# Entries: where requests arrive, and the stop they arrive at.',
    '#   function  `file#name` of the handler   (or)   route  `METHOD /path` of a framework route',
    '#   arrives   the stop the request arrives at',
    '#   name      optional display name',
  ];
  const blocks: { live: boolean; lines: string[] }[] = entries.map((e) => {
    const lines: string[] = [];
    let problem: string | null = null;
    if (e.function !== undefined && e.route !== undefined) problem = 'give either function or route, not both';
    else if (e.function === undefined && e.route === undefined) problem = 'no function or route';
    else if (e.function !== undefined && parseFunctionTarget(e.function) === null) problem = 'function is not file#name';
    else if (e.route !== undefined && parseRoute(e.route) === null) problem = 'route is not METHOD /path';
    else if (!stops.has(e.arrives)) problem = `'${e.arrives}' is not a stop on the line`;
    const body = [
      e.function !== undefined ? `- function: ${scalar(e.function)}` : `- route: ${scalar(e.route ?? '')}`,
      `  arrives: ${scalar(e.arrives)}`,
    ];
    if (e.note.trim() !== '') lines.push(`  # ${oneLine(e.note)}`);
    if (problem === null) lines.push(...body.map((l) => `  ${l}`));
    else lines.push(`  # ${oneLine(problem)}:`, ...commented(body).map((l) => `  ${l}`));
    return { live: problem === null, lines };
  });
  if (blocks.some((b) => b.live)) out.push('entries:');
  else {
    out.push('entries: []');
    if (blocks.length === 0) out.push(...commented(['entries:', '  - function: src/handlers.ts#viewCart', '    arrives: edge', '  - route: GET /cart/:id', '    arrives: edge']));
  }
  for (const b of blocks) out.push(...b.lines);
  return out;
}

function analysisLines(): string[] {
  const rows: [string, number, string][] = [
    ['loopFactor', DEFAULT_ANALYSIS.loopFactor, 'times a loop body runs when its bound is unknown'],
    ['branchProbability', DEFAULT_ANALYSIS.branchProbability, 'probability of the then side of an if'],
    ['inlineDepth', DEFAULT_ANALYSIS.inlineDepth, "deepest chain of the service's own calls inlined"],
    ['inlineBudget', DEFAULT_ANALYSIS.inlineBudget, 'most segments in one entry'],
  ];
  const width = Math.max(...rows.map(([k, v]) => `${k}: ${v}`.length));
  return rows.map(([k, v, note]) => `  ${`${k}: ${v}`.padEnd(width)}   # ${note}`);
}

/** Whether `line` can be written as stopline.yaml (else the default line is written). */
function isValidLine(line: Line): boolean {
  const names = line.stops.map((s) => s.name);
  return (
    names.length > 0 &&
    new Set(names).size === names.length &&
    line.stops.every((s, i) =>
      STOP_NAME.test(s.name) &&
      Number.isFinite(s.slowdown) && s.slowdown > 0 &&
      // The first stop's latency and bandwidth are not written (it has no previous stop).
      (i === 0 || (Number.isFinite(s.latencyMs) && s.latencyMs >= 0)) &&
      (i === 0 || s.bandwidthMbps === null || (Number.isFinite(s.bandwidthMbps) && s.bandwidthMbps > 0)),
    )
  );
}

/**
 * The text of a starter stopline.yaml for `stopline init`: the line written out, the
 * detected stores with their preset's defaults, the candidate entries, every key
 * explained in a comment. What would not validate (an unknown preset, two stores of one
 * preset without bindings, an entry arriving at no stop) is written commented out with
 * the reason, so the text always parses back without diagnostics. A `line` that could
 * not be written validly (duplicate or malformed stop names…) is replaced by the default line.
 */
export function renderStarterConfig(input: StarterInput, options: StarterOptions = {}): string {
  const presets = options.presets ?? registry;
  const line = input.line !== undefined && isValidLine(input.line) ? input.line : defaultLine();
  const out: string[] = [
    '# stopline.yaml: how stopline places this service on the line client → edge → origin.',
    '# Written by `stopline init`; review it, then run `stopline analyze`.',
    '',
    '# The tsconfig to analyse, relative to this directory (default: tsconfig.json).',
    input.tsconfig === undefined ? '# tsconfig: tsconfig.json' : `tsconfig: ${scalar(input.tsconfig)}`,
    '',
    ...renderLine(line),
    '',
    ...renderStores(input.stores, presets, line),
    '',
    ...renderEntries(input.entries, line),
    '',
    '# Pins: force a function (`function: file#name`) or a line of code (`at: file:line`) to one stop.',
    'pins: []',
    ...commented(['pins:', '  - function: src/audit.ts#record', '    stop: origin']),
    '',
    '# Analysis settings (the defaults are shown).',
    ...commented(['analysis:', ...analysisLines()]),
  ];
  return `${out.join('\n')}\n`;
}
