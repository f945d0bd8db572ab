import type { z } from 'zod';
import type { Diagnostic, Stop, StopName } from '../ir/index.js';
import { compareDiagnostics, diagnostic, hasErrors } from '../diagnostics/index.js';
import { presets as registry } from '../presets/index.js';
import type { Preset } from '../presets/types.js';
import { crossChecks, isRecord, whereText } from './check.js';
import { DEFAULT_ANALYSIS, defaultLine, storeDefaults } from './defaults.js';
import { allowedKeys, configSchema, type RawConfig, type RefinementCode, type SchemaContext } from './schema.js';
import { suggestionText } from './suggest.js';
import { parseBinding, parseFunctionTarget, parseLocationTarget, parseRoute } from './targets.js';
import type { EntryConfig, PinConfig, StoplineConfig, StoreConfig } from './types.js';
import { YamlSource, type Path } from './yaml-source.js';

export interface ConfigResult {
  /** Null if and only if `diagnostics` holds an error. */
  readonly config: StoplineConfig | null;
  readonly diagnostics: Diagnostic[];
}

export interface ParseOptions {
  /** The presets store names are resolved against; default: the registry in src/presets. */
  readonly presets?: readonly Preset[];
}

type Issue = z.core.$ZodIssue;

const REFINEMENT_CODES: readonly string[] = ['SL1003', 'SL1004', 'SL1005', 'SL1007', 'SL1017', 'SL1018'] satisfies RefinementCode[];

function toPath(path: readonly PropertyKey[]): Path {
  return path.map((p) => (typeof p === 'number' ? p : String(p)));
}

function valueAt(raw: unknown, path: Path): unknown {
  let cur: unknown = raw;
  for (const element of path) {
    if (Array.isArray(cur) && typeof element === 'number') cur = cur[element] as unknown;
    else if (isRecord(cur)) cur = cur[String(element)];
    else return undefined;
  }
  return cur;
}

function isMissing(raw: unknown, path: Path): boolean {
  if (path.length === 0) return false;
  const parent = valueAt(raw, path.slice(0, -1));
  const last = path[path.length - 1];
  return isRecord(parent) && typeof last === 'string' && !(last in parent);
}

/** zod's message without its "Invalid input: " prefix, as the {detail} of SL1003. */
function detailOf(issue: Issue): string {
  const message = issue.message.replace(/^Invalid [a-z ]+: /, '').replace(/^Too (small|big): /, '');
  return message.charAt(0).toLowerCase() + message.slice(1);
}

function refinementCode(issue: Issue): RefinementCode | null {
  if (issue.code !== 'custom') return null;
  const params: unknown = issue.params;
  const code = isRecord(params) ? params['code'] : undefined;
  return typeof code === 'string' && REFINEMENT_CODES.includes(code) ? (code as RefinementCode) : null;
}

function issueDiagnostics(issue: Issue, src: YamlSource, raw: unknown, ctx: SchemaContext): Diagnostic[] {
  const path = toPath(issue.path);
  const where = whereText(path);
  const value = valueAt(raw, path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) =>
        diagnostic('SL1002', src.keyRange([...path, key]), {
          key,
          where,
          suggestion: suggestionText(key, allowedKeys(path)),
        }),
      );
    case 'invalid_type':
      if (isMissing(raw, path)) {
        const parent = path.slice(0, -1);
        return [diagnostic('SL1008', src.headRange(parent), { key: String(path[path.length - 1]), where: whereText(parent) })];
      }
      return [diagnostic('SL1003', src.valueRange(path), { where, detail: detailOf(issue) })];
    case 'invalid_key':
      return [diagnostic('SL1003', src.keyRange(path), { where: whereText(path.slice(0, -1)), detail: 'a name must not be empty' })];
    default:
      break;
  }
  const text = typeof value === 'string' ? value : '';
  const stops = ctx.stops === null ? '' : [...ctx.stops].map((s) => `'${s}'`).join(', ');
  const store = String(path[1] ?? '');
  switch (refinementCode(issue)) {
    case 'SL1004':
      return [diagnostic('SL1004', src.valueRange(path), { stop: text, stops })];
    case 'SL1005':
      return [diagnostic('SL1005', src.valueRange(path), {
        preset: text,
        suggestion: suggestionText(text, ctx.presets.filter((p) => p.store !== null && p.capability === null).map((p) => p.name)),
      })];
    case 'SL1007':
      return [diagnostic('SL1007', src.valueRange(path), { store, stop: text })];
    case 'SL1017':
      return [diagnostic('SL1017', src.valueRange(path), { store, stop: text })];
    case 'SL1018':
      return [diagnostic('SL1018', src.valueRange(path), { preset: text, store })];
    default:
      return [diagnostic('SL1003', src.valueRange(path), { where, detail: detailOf(issue) })];
  }
}

/** Stop names as written (even if other keys of the stops are wrong), the default line's when absent. */
function writtenStops(raw: Record<string, unknown>): ReadonlySet<string> | null {
  const line = raw['line'];
  if (line === undefined || line === null) return new Set(defaultLine().stops.map((s) => s.name));
  if (!Array.isArray(line)) return null;
  const names = new Set<string>();
  for (const item of line as unknown[]) {
    if (isRecord(item) && typeof item['stop'] === 'string') names.add(item['stop']);
  }
  // An empty line is reported once (SL1003), not again at every reference to a stop.
  return names.size === 0 ? null : names;
}

function uniq<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/** Builds the config from a document that passed every check. */
function build(data: RawConfig, src: YamlSource, presets: readonly Preset[]): StoplineConfig {
  const stops: Stop[] = data.line
    ? data.line.map((s, i) => ({
        name: s.stop,
        trusted: s.trusted ?? i > 0,
        slowdown: s.slowdown ?? 1,
        latencyMs: i === 0 ? 0 : (s.latencyMs ?? 0),
        bandwidthMbps: i === 0 ? null : (s.bandwidthMbps ?? null),
      }))
    : [...defaultLine().stops];
  const names: StopName[] = stops.map((s) => s.name);

  const stores: StoreConfig[] = [];
  for (const [name, s] of Object.entries(data.stores ?? {})) {
    const preset = presets.find((p) => p.name === s.preset);
    if (preset?.store == null) continue; // unreachable: the schema rejected it
    const defaults = storeDefaults(preset.store, names);
    stores.push({
      name,
      preset: s.preset,
      consistency: s.consistency ?? defaults.consistency,
      home: s.home ?? defaults.home,
      replicas: uniq(s.replicas ?? defaults.replicas),
      binding: s.binding === undefined ? null : parseBinding(s.binding),
      urlPrefix: preset.store.kind === 'http' ? (s.urlPrefix ?? null) : null, // elsewhere ignored (SL1025)
      at: src.keyRange(['stores', name]),
    });
  }

  const entries: EntryConfig[] = (data.entries ?? []).map((e, i) => ({
    function: e.function === undefined ? null : parseFunctionTarget(e.function),
    route: e.route === undefined ? null : parseRoute(e.route),
    name: e.name ?? null,
    arrives: e.arrives,
    at: src.valueRange(['entries', i, e.function === undefined ? 'route' : 'function']),
  }));

  const pins: PinConfig[] = (data.pins ?? []).map((p, i) => ({
    function: p.function === undefined ? null : parseFunctionTarget(p.function),
    location: p.at === undefined ? null : parseLocationTarget(p.at),
    stop: p.stop,
    at: src.valueRange(['pins', i, p.function === undefined ? 'at' : 'function']),
  }));

  const a = data.analysis ?? {};
  return {
    file: src.file,
    tsconfig: data.tsconfig ?? null,
    line: { stops },
    stores,
    entries,
    pins,
    analysis: {
      loopFactor: a.loopFactor ?? DEFAULT_ANALYSIS.loopFactor,
      branchProbability: a.branchProbability ?? DEFAULT_ANALYSIS.branchProbability,
      inlineDepth: a.inlineDepth ?? DEFAULT_ANALYSIS.inlineDepth,
      inlineBudget: a.inlineBudget ?? DEFAULT_ANALYSIS.inlineBudget,
    },
  };
}

function sameDiagnostic(a: Diagnostic, b: Diagnostic): boolean {
  return a.code === b.code && JSON.stringify(a.range) === JSON.stringify(b.range) && a.message === b.message;
}

function finish(diagnostics: Diagnostic[]): Diagnostic[] {
  const sorted = [...diagnostics].sort(compareDiagnostics);
  return sorted.filter((d, i) => i === 0 || !sameDiagnostic(d, sorted[i - 1] as Diagnostic));
}

/**
 * Parses and validates the text of a stopline.yaml. Pure: no file system. `file` is the
 * config's path relative to the project root (forward slashes); every range names it.
 * Reports every problem found; the config is null exactly when one of them is an error.
 */
export function parseConfig(text: string, file: string, options: ParseOptions = {}): ConfigResult {
  const presets = options.presets ?? registry;
  const src = new YamlSource(text, file);
  const syntax = src.syntaxErrors();
  if (syntax.length > 0) {
    return {
      config: null,
      diagnostics: finish(syntax.map((e) => diagnostic('SL1001', e.range, { detail: e.message }))),
    };
  }
  const converted = src.value();
  if (!converted.ok) {
    return { config: null, diagnostics: [diagnostic('SL1001', converted.error.range, { detail: converted.error.message })] };
  }
  const value = converted.value;
  const raw: unknown = value === null || value === undefined ? {} : value;
  const ctx: SchemaContext = { stops: isRecord(raw) ? writtenStops(raw) : null, presets };
  const result = configSchema(ctx).safeParse(raw);
  const diagnostics: Diagnostic[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) diagnostics.push(...issueDiagnostics(issue, src, raw, ctx));
  }
  if (isRecord(raw)) diagnostics.push(...crossChecks(src, raw, presets));
  const sorted = finish(diagnostics);
  if (!result.success || hasErrors(sorted)) return { config: null, diagnostics: sorted };
  return { config: build(result.data, src, presets), diagnostics: sorted };
}
