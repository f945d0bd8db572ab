import fs from 'node:fs';
import path from 'node:path';
import { analyze } from '../../../analyzer/index.js';
import { handlerRef } from '../../../codegen/outline/handler-ref.js';
import { parseFile, spanOf } from '../../../codegen/outline/text.js';
import type { StoplineConfig } from '../../config/index.js';
import type { EntrySource, SegmentGraph, StopName } from '../../ir/index.js';
import { OriginalLoadError } from './transpile.js';

/**
 * Where an entry's handler is, for the runners that call it by name (runOriginal, and the
 * arrival stop for runOnComponents): a `function:` entry of stopline.yaml names it
 * (`src/handlers.ts#viewCart`); an entry the analyzer finds in the code (a `@stopline
 * entry` tag, `export default { fetch }`) is looked up in the segment graph and reached
 * through its module's exports exactly as codegen reaches it (codegen/outline/handler-ref.ts):
 * `src/index.ts#default.fetch` for the method of `export default { fetch }`, which
 * loadOriginal calls with its object as `this`.
 *
 * The graph is the caller's when it has one (the differential tests plan the project
 * anyway); otherwise the project is analysed here, once per call.
 *
 * Not callable by name (an OriginalLoadError): framework routes (Hono, Express: the
 * framework serves them) and handlers no export reaches (an `addEventListener('fetch')`
 * callback).
 */

export interface EntryTarget {
  readonly name: string;
  readonly arrives: StopName;
  readonly source: EntrySource;
  /** `file#export` or `file#Object.method`, as loadOriginal takes it. */
  readonly target: string;
}

function configFunction(config: StoplineConfig, name: string): EntryTarget | null {
  const e = config.entries.find((c) => (c.name ?? c.function?.name) === name && c.function !== null);
  if (!e?.function) return null;
  return { name, arrives: e.arrives, source: 'config', target: `${e.function.file}#${e.function.name}` };
}

function graphOf(projectDir: string, config: StoplineConfig, graph: SegmentGraph | null | undefined): SegmentGraph {
  return graph ?? analyze({ rootDir: path.resolve(projectDir), config });
}

/** The arrival stop of entry `name` (config first, then the analyzer's entries). */
export function entryArrival(projectDir: string, config: StoplineConfig, name: string, graph?: SegmentGraph | null): StopName {
  const configured = config.entries.find((c) => (c.name ?? c.function?.name) === name);
  if (configured) return configured.arrives;
  const found = graphOf(projectDir, config, graph).entries.find((e) => e.name === name);
  if (!found) throw new OriginalLoadError(`No entry named '${name}' in the project (config or code)`);
  return found.arrives;
}

/** How to call entry `name`; see the module comment. */
export function resolveEntry(projectDir: string, config: StoplineConfig, name: string, graph?: SegmentGraph | null): EntryTarget {
  const configured = configFunction(config, name);
  if (configured) return configured;
  const g = graphOf(projectDir, config, graph);
  const entry = g.entries.find((e) => e.name === name);
  if (!entry) throw new OriginalLoadError(`No entry named '${name}' in the project (config or code); entries: ${g.entries.map((e) => e.name).join(', ') || 'none'}`);
  if (entry.source === 'hono' || entry.source === 'express') {
    throw new OriginalLoadError(`Entry '${name}' is a ${entry.source} route: the framework serves it, nothing calls its handler by name`);
  }
  const file = entry.handler.range.file;
  let text: string;
  try {
    text = fs.readFileSync(path.join(path.resolve(projectDir), file), 'utf8');
  } catch (error) {
    throw new OriginalLoadError(`Entry '${name}': cannot read ${file}: ${(error as Error).message}`);
  }
  const parsed = parseFile(file, text);
  const ref = handlerRef(parsed, spanOf(parsed, entry.handler.range));
  if (ref === null) throw new OriginalLoadError(`Entry '${name}': its handler (${file}:${entry.handler.range.start.line}) is not reachable through an export of ${file}`);
  return { name, arrives: entry.arrives, source: entry.source, target: `${file}#${[ref.exportName, ...ref.member].join('.')}` };
}
