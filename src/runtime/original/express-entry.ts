import fs from 'node:fs';
import path from 'node:path';
import { findExpressApps } from '../../../codegen/outline/express-app.js';
import type { StoplineConfig } from '../../config/index.js';
import type { SegmentGraph, StopName } from '../../ir/index.js';
import { serveWithNodeHttp, type RequestListener } from './express-server.js';
import type { OriginalProgram } from './load.js';
import { OriginalLoadError, readProjectSources } from './transpile.js';

/**
 * Express route entries in runOriginal: a `route:` entry of stopline.yaml, or a route the
 * analyzer finds (named `<METHOD> <path>`, source `express`). Nothing calls a route's
 * handler by name (entry-target.ts refuses it): the project's REAL Express application
 * (codegen/outline/express-app.ts finds the one the sources export) serves the request
 * over node:http (express-server.ts). Which route answers is Express's business, as in
 * production: the entry only names the stop the program runs at.
 *
 * Without a graph, a route found in code arrives where the analyzer puts found entries:
 * the first trusted stop (analyzer/entries.ts), so that runOriginal need not analyse the
 * project per request.
 */

export interface ExpressRouteEntry {
  readonly arrives: StopName;
  /** Serves `request` with the loaded program's Express application; resolves with its Response. */
  serve(program: OriginalProgram, request: Request): Promise<Response>;
}

const ROUTE_NAME = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ALL) (\/\S*)$/;

/** The entry `name` as an Express route, or null when it is another kind of entry. */
export function expressRouteEntry(projectDir: string, config: StoplineConfig, name: string, graph?: SegmentGraph | null): ExpressRouteEntry | null {
  const configured = config.entries.find((e) => (e.name ?? e.function?.name ?? (e.route ? `${e.route.method} ${e.route.path}` : null)) === name);
  let arrives: StopName | undefined;
  if (configured) {
    if (!configured.route || configured.function) return null;
    arrives = configured.arrives;
  } else if (graph) {
    const found = graph.entries.find((e) => e.name === name);
    if (found?.source !== 'express') return null;
    arrives = found.arrives;
  } else {
    if (!ROUTE_NAME.test(name)) return null;
    arrives = config.line.stops.find((s) => s.trusted)?.name ?? config.line.stops[config.line.stops.length - 1]?.name;
  }
  if (arrives === undefined) throw new OriginalLoadError(`Entry '${name}': no stop to run at`);
  const app = expressAppOf(projectDir, config);
  return {
    arrives,
    async serve(program, request) {
      const listener = (await program.module(app.file))[app.exportName];
      if (typeof listener !== 'function') throw new OriginalLoadError(`${app.file} exports no Express application as '${app.exportName}'`);
      return serveWithNodeHttp(listener as RequestListener, request);
    },
  };
}

function expressAppOf(projectDir: string, config: StoplineConfig): { file: string; exportName: string } {
  const sources = readProjectSources(projectDir, config.tsconfig);
  const texts = new Map(sources.files.map((f) => [f, fs.readFileSync(path.join(sources.rootDir, f), 'utf8')]));
  const apps = findExpressApps(texts);
  if (apps.length !== 1) {
    throw new OriginalLoadError(`Route entries are served by the project's Express application; expected one exported \`express()\` value, found ${apps.length === 0 ? 'none' : apps.map((a) => `${a.file}#${a.exportName}`).join(', ')}`);
  }
  return apps[0]!;
}
