import type { Line, SourceRange, Store } from '../src/ir/index.js';
import { storeDefaults, type StoplineConfig } from '../src/config/index.js';
import { getPreset } from '../src/presets/index.js';
import { diagnostic } from '../src/diagnostics/index.js';
import type { DiagnosticSink } from './context.js';

/**
 * The stores of the analysis: every store of stopline.yaml (defaults already filled in by
 * the config loader), plus one store per store preset the program uses that no configured store
 * names (detected; an info diagnostic says so). `fetch` is never detected: without a
 * URL prefix there is no telling an origin API from any other request.
 */
export function resolveStores(config: StoplineConfig, line: Line, detected: readonly { preset: string; range: SourceRange }[], sink: DiagnosticSink): Store[] {
  const stops = line.stops.map((s) => s.name);
  const stores: Store[] = [];
  for (const s of config.stores) {
    const preset = getPreset(s.preset);
    if (!preset?.store) continue;
    // The config loader has already filled in the preset's defaults.
    stores.push({
      name: s.name,
      preset: s.preset,
      kind: preset.store.kind,
      consistency: s.consistency,
      home: s.home,
      replicas: [...s.replicas],
      binding: s.binding,
      urlPrefix: s.urlPrefix,
      declared: 'config',
    });
  }
  for (const d of detected) {
    if (d.preset === 'fetch' || stores.some((s) => s.preset === d.preset)) continue;
    const preset = getPreset(d.preset);
    if (!preset?.store) continue;
    const defaults = storeDefaults(preset.store, stops);
    const name = stores.some((s) => s.name === d.preset) ? `${d.preset}-detected` : d.preset;
    stores.push({
      name,
      preset: d.preset,
      kind: preset.store.kind,
      consistency: defaults.consistency,
      home: defaults.home,
      replicas: [...defaults.replicas],
      binding: null,
      urlPrefix: null,
      declared: 'detected',
    });
    sink.add(diagnostic('SL2009', d.range, { store: name, preset: d.preset }));
  }
  return stores.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
