import type { StopSources } from '../../src/ir/index.js';
import { linkDeadlines } from '../lower/http-link.js';
import type { HttpEntry } from '../lower/http-serve.js';
import { js } from './lowerings/types.js';

/**
 * The part of a server stop's entry module that serves it over HTTP (issue #6): the
 * `incomingHandler` export (`wasi:http/incoming-handler@0.2.10`, codegen/lower/http-wasi.ts
 * and http-serve.ts: dispatch POSTs into the same `invoke` as the dispatch export, health,
 * the entries arriving here at their routes), and the link's HTTP transport
 * (http-link.ts: a call to a stop whose address the configuration names goes out as a
 * `fetch`, with the line policy's deadlines computed here from the line).
 */

export const HTTP_TYPES_IMPORT = 'wasi:http/types@0.2.10';

export interface HttpEntryParts {
  /** import lines of the entry module */
  readonly imports: readonly string[];
  /** statements before the link is bound: defines `__transport` */
  readonly transport: readonly string[];
  /** statements after `__dispatch` exists: the export */
  readonly exports: readonly string[];
}

/** Entry name → its route (the graph's `entries[].route`; absent or null: none). */
export type EntryRoutes = Readonly<Record<string, { readonly method: string; readonly path: string } | null>>;

export function httpEntryParts(
  stop: StopSources,
  options: { readonly lowering: (name: string) => string; readonly line: readonly { readonly name: string; readonly latencyMs: number }[]; readonly routes: EntryRoutes },
): HttpEntryParts {
  const entries: HttpEntry[] = stop.entries.map((e) => ({ name: e.name, route: options.routes[e.name] ?? null, express: e.serve === 'express' }));
  const deadlines = options.line.some((s) => s.name === stop.stop) ? linkDeadlines(options.line, stop.stop) : {};
  return {
    imports: [
      `import * as __httpTypes from ${js(HTTP_TYPES_IMPORT)};`,
      `import { createHttpServe } from ${js(options.lowering('http-serve'))};`,
      `import { createIncomingHandler } from ${js(options.lowering('http-wasi'))};`,
      `import { createHttpTransport } from ${js(options.lowering('http-link'))};`,
    ],
    transport: [`const __transport = createHttpTransport({ config: __config, deadlines: JSON.parse(${js(JSON.stringify(deadlines))}) });`],
    exports: [
      `const __incoming = createIncomingHandler(__httpTypes, createHttpServe({ stop: ${js(stop.stop)}, dispatch: __dispatch, env, entries: JSON.parse(${js(JSON.stringify(entries))}), errorClasses: __shared.errorClasses }));`,
      'export const incomingHandler = { handle(request, outparam) { enterRuntime(); return __incoming.handle(request, outparam); } };',
    ],
  };
}
