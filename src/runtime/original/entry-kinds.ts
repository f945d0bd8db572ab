import fs from 'node:fs';
import path from 'node:path';
import { findExpressApps } from '../../../codegen/outline/express-app.js';
import type { StoplineConfig } from '../../config/index.js';
import type { StopName } from '../../ir/index.js';
import { serveWithNodeHttp, type RequestListener } from './express-server.js';
import type { OriginalProgram } from './load.js';
import { OriginalLoadError, readProjectSources } from './transpile.js';

/**
 * How runOriginal calls an entry, by its kind:
 *
 *   function       a `function:` entry of stopline.yaml (`src/handlers.ts#viewCart`), called as
 *                  a Workers handler `entry(request, env)`;
 *   express-route  an Express route (`GET /api/tags`: a `route:` entry of stopline.yaml, or
 *                  a route the analyzer finds, named `<METHOD> <path>` and arriving at the
 *                  first trusted stop as found entries do): the project's REAL Express
 *                  application (codegen/outline/express-app.ts finds the one the sources
 *                  export) serves the request over node:http (express-server.ts). Which
 *                  route answers is Express's business, as in production: the entry only
 *                  names the stop the program runs at.
 */

export interface OriginalEntryKind {
  readonly kind: 'function' | 'express-route';
  readonly stop: StopName;
  /** What loadOriginal must resolve as entries (`name → file#export`). */
  readonly entries: Readonly<Record<string, string>>;
  /** Runs the request through the loaded program; resolves with what the entry answered. */
  invoke(program: OriginalProgram, request: Request, env: Record<string, unknown>): Promise<unknown>;
}

const ROUTE_NAME = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ALL) (\/\S*)$/;

function configuredEntry(config: StoplineConfig, name: string): StoplineConfig['entries'][number] | undefined {
  return config.entries.find((e) => (e.name ?? e.function?.name ?? (e.route ? `${e.route.method} ${e.route.path}` : null)) === name);
}

/** Where entry `name` arrives: its config entry's stop, or for a route found in code the first trusted stop; undefined when it is no entry. */
export function entryArrivalStop(config: StoplineConfig, name: string): StopName | undefined {
  const configured = configuredEntry(config, name);
  if (configured) return configured.arrives;
  if (!ROUTE_NAME.test(name)) return undefined;
  return config.line.stops.find((s) => s.trusted)?.name ?? config.line.stops[config.line.stops.length - 1]?.name;
}

export function originalEntryKind(projectDir: string, config: StoplineConfig, name: string, stop: StopName | undefined): OriginalEntryKind {
  const configured = configuredEntry(config, name);
  if (configured?.function) {
    const at = stop ?? configured.arrives;
    const target = `${configured.function.file}#${configured.function.name}`;
    return {
      kind: 'function',
      stop: at,
      entries: { [name]: target },
      invoke: async (program, request, env) => (program.entries[name] as (...args: unknown[]) => unknown)(request, env),
    };
  }
  if (configured?.route || ROUTE_NAME.test(name)) {
    const at = stop ?? entryArrivalStop(config, name);
    if (at === undefined) throw new OriginalLoadError(`Entry '${name}': no stop to run at`);
    const app = expressAppOf(projectDir, config);
    return {
      kind: 'express-route',
      stop: at,
      entries: {},
      async invoke(program, request) {
        const listener = (await program.module(app.file))[app.exportName];
        if (typeof listener !== 'function') throw new OriginalLoadError(`${app.file} exports no Express application as '${app.exportName}'`);
        return serveWithNodeHttp(listener as RequestListener, request);
      },
    };
  }
  throw new OriginalLoadError(`No function entry named '${name}' in the project's config, and it is not a route (\`METHOD /path\`)`);
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
