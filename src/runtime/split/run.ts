import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeCall, decodeCompletion, encodeCall, encodeCompletion, type Completion } from '../../../codegen/wire/index.js';
import type { StoplineConfig } from '../../config/index.js';
import type { SplitProgram, StopSources } from '../../ir/index.js';
import { loadOriginal, type OriginalProgram } from '../original/load.js';
import { errorOf, ORIGINAL_CLOCK_START, responseOf, shimWorld, type OriginalRequest, type OriginalResult } from '../original/run.js';
import { dumpStores, openConfiguredStores, seedStores } from '../original/stores.js';
import type { OpenStore, ShimWorld } from '../shims/index.js';
import { VirtualClock } from '../stores/index.js';

/**
 * Runs a split program in one Node process, in-process (no components yet): every stop
 * loads its own copy of the program (its sources from codegen, its own module state, its
 * own store views through the shims), and `__sl.call` between stops goes through the wire
 * format exactly as an RPC would — values are encoded, sent, decoded; web `Request` and
 * `Response` objects cross as their data; store handles (`env`) are rebound to the
 * receiving stop's own. Every crossing is recorded in the trace with its bytes.
 */

export interface Crossing {
  readonly from: string;
  readonly to: string;
  readonly segment: string;
  readonly requestBytes: number;
  readonly responseBytes: number;
}

export interface SplitResult extends OriginalResult {
  readonly trace: readonly Crossing[];
}

export interface RunSplitOptions {
  readonly projectDir: string;
  readonly config: StoplineConfig;
  readonly program: SplitProgram;
  readonly seedFile?: string;
  readonly entry: string;
  readonly request: OriginalRequest;
  readonly clock?: VirtualClock;
  readonly lagMs?: number;
}

const REQUEST = '__stopline_request';
const RESPONSE = '__stopline_response';
const HANDLE = '__stopline_handle';

/** Request/Response objects become their data, the stop's own handles become markers. */
async function pack(value: unknown, world: ShimWorld): Promise<unknown> {
  if (value === world.env) return { [HANDLE]: 'env' };
  if (value instanceof Request) {
    return { [REQUEST]: { method: value.method, url: value.url, headers: [...value.headers], body: value.bodyUsed ? null : await value.clone().text() } };
  }
  if (value instanceof Response) return { [RESPONSE]: { status: value.status, headers: [...value.headers], body: await value.clone().text() } };
  if (Array.isArray(value)) return Promise.all(value.map((v) => pack(v, world)));
  return value;
}

function unpack(value: unknown, world: ShimWorld): unknown {
  if (Array.isArray(value)) return value.map((v) => unpack(v, world));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (HANDLE in record) return world.env;
  if (REQUEST in record) {
    const r = record[REQUEST] as { method: string; url: string; headers: [string, string][]; body: string | null };
    return new Request(r.url, { method: r.method, headers: r.headers, ...(r.body === null || r.method === 'GET' || r.method === 'HEAD' ? {} : { body: r.body }) });
  }
  if (RESPONSE in record) {
    const r = record[RESPONSE] as { status: number; headers: [string, string][]; body: string };
    return new Response(r.body, { status: r.status, headers: r.headers });
  }
  return value;
}

async function packRecord(values: Record<string, unknown>, world: ShimWorld): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) out[k] = await pack(v, world);
  return out;
}

function unpackRecord(values: Record<string, unknown>, world: ShimWorld): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, unpack(v, world)]));
}

interface LoadedStop {
  readonly sources: StopSources;
  readonly world: ShimWorld;
  readonly program: OriginalProgram;
}

/** Runs one request through the split program; the result has the original's shape plus the trace. */
export async function runSplit(options: RunSplitOptions): Promise<SplitResult> {
  const { config, program } = options;
  const clock = options.clock ?? new VirtualClock(ORIGINAL_CLOCK_START);
  const entryConfig = config.entries.find((e) => (e.name ?? e.function?.name) === options.entry);
  if (entryConfig === undefined) throw new Error(`No entry named '${options.entry}'`);
  const arrival = entryConfig.arrives;
  const stores = await openConfiguredStores(config, { clock, lagMs: options.lagMs ?? 0 });
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stopline-split-'));
  const loaded = new Map<string, LoadedStop>();
  const trace: Crossing[] = [];
  try {
    if (options.seedFile) seedStores(stores, path.resolve(options.seedFile));
    for (const sources of program.stops) {
      const world = shimWorld(stores.list, config, (group) => servingStop(sources.stop, group, config), clock, 'client');
      const dir = path.join(workDir, sources.stop);
      for (const f of sources.files) {
        fs.mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
        fs.writeFileSync(path.join(dir, f.path), f.text);
      }
      fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler' }, include: ['**/*.ts'] }));
      const entries = Object.fromEntries(sources.entries.map((e) => [e.name, `${e.file}#${e.exportName}`]));
      const loadedProgram = await loadOriginal(dir, {
        config: { ...config, tsconfig: 'tsconfig.json' },
        tsconfig: 'tsconfig.json',
        moduleShims: Object.fromEntries(world.modules),
        globals: Object.fromEntries(world.globals),
        entries,
      });
      for (const binding of world.bindings) binding.attach((await loadedProgram.module(binding.file))[binding.name]);
      loaded.set(sources.stop, { sources, world, program: loadedProgram });
    }

    const dispatch = async (to: string, segment: string, payload: string): Promise<string> => {
      const stop = loaded.get(to)!;
      const target = stop.sources.dispatch.find((d) => d.segment === segment);
      if (target === undefined) throw new Error(`stop ${to} has no segment ${segment}`);
      const call = decodeCall(payload);
      const fn = (await stop.program.module(target.file))[target.exportName] as (liveIns: Record<string, unknown>) => Promise<Completion>;
      const liveIns = unpackRecord(call.liveIns, stop.world);
      let completion: Completion;
      try {
        completion = await fn(liveIns);
      } catch (error) {
        completion = { kind: 'throw', error, liveOuts: {} };
      }
      const packed: Completion = completion.kind === 'return'
        ? { ...completion, value: await pack(completion.value, stop.world), liveOuts: await packRecord(completion.liveOuts, stop.world) }
        : { ...completion, liveOuts: await packRecord(completion.liveOuts, stop.world) } as Completion;
      return encodeCompletion(packed);
    };

    for (const [name, stop] of loaded) {
      const link = (await stop.program.module('__stopline_link.ts')) as { bind(impl: unknown): void };
      link.bind({
        call: async (to: string, segment: string, liveIns: Record<string, unknown>) => {
          const request = encodeCall({ segment, liveIns: await packRecord(liveIns, stop.world) });
          const response = await dispatch(to, segment, request);
          trace.push({ from: name, to, segment, requestBytes: Buffer.byteLength(request), responseBytes: Buffer.byteLength(response) });
          const completion = decodeCompletion(response);
          if (completion.kind === 'throw') throw completion.error;
          const liveOuts = unpackRecord(completion.liveOuts, stop.world);
          return completion.kind === 'return' ? { ...completion, value: unpack(completion.value, stop.world), liveOuts } : { ...completion, liveOuts };
        },
        handle: (handleName: string) => (handleName === 'env' ? stop.world.env : undefined),
      });
    }

    const arrivalStop = loaded.get(arrival)!;
    const entry = arrivalStop.program.entries[options.entry];
    if (entry === undefined) throw new Error(`stop ${arrival} does not serve entry ${options.entry}`);
    const { method, url, headers, body } = options.request;
    const request = new Request(url, { method, headers: { ...headers }, ...(body === undefined ? {} : { body }) });
    let returned: unknown;
    let error: OriginalResult['error'];
    try {
      returned = await entry(request, arrivalStop.world.env);
    } catch (thrown) {
      error = errorOf(thrown);
    }
    return { entry: options.entry, stop: arrival, ...(await responseOf(returned, error)), ...(error ? { error } : {}), stores: dumpStores(stores), trace };
  } finally {
    for (const stop of loaded.values()) await stop.program.dispose();
    stores.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/** A stop without a copy of a store reaches the nearest stop that has one (the runtime routes the access there). */
function servingStop(stop: string, group: readonly OpenStore[], config: StoplineConfig): string {
  const names = config.line.stops.map((s) => s.name);
  const at = names.indexOf(stop);
  const holders = new Set(group.flatMap((s) => [s.config.home, ...(s.config.consistency === 'eventual' ? s.config.replicas : [])]));
  if (holders.has(stop)) return stop;
  const nearest = [...holders].sort((a, b) => Math.abs(names.indexOf(a) - at) - Math.abs(names.indexOf(b) - at) || names.indexOf(a) - names.indexOf(b))[0];
  return nearest ?? stop;
}
