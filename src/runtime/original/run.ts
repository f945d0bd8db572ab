import path from 'node:path';
import type { StoplineConfig } from '../../config/index.js';
import type { SegmentGraph, StopName } from '../../ir/index.js';
import { createClockedDate, emptyWorld, storeShims, type OpenStore, type ShimWorld } from '../shims/index.js';
import { installPage } from '../shims/page-world.js';
import type { PageElementSpec } from '../page/page.js';
import { VirtualClock, type Clock } from '../stores/index.js';
import { clockedJsonwebtoken } from '../shims/jsonwebtoken.js';
import { createProcessGlobal } from '../shims/process.js';
import { entryArrival, resolveEntry } from './entry-target.js';
import { expressRouteEntry } from './express-entry.js';
import { loadOriginal, readProjectConfig } from './load.js';
import { loadRuntimeConfig } from './runtime-config.js';
import { dumpStores, openConfiguredStores, seedStores, type JsonValue, type StoresDump } from './stores.js';
import { OriginalLoadError } from './transpile.js';

/**
 * Runs one request through the original (unsplit) program, everything at the entry's
 * arrival stop, on freshly opened and seeded embedded stores:
 *
 *   const result = await runOriginal({ projectDir: 'fixtures/shop', seedFile: 'fixtures/shop/seed.json',
 *     entry: 'viewCart', request: { method: 'GET', url: 'https://shop.example/cart', headers: { 'x-user-id': 'ada' } } });
 *
 * The entry is a `function:` entry of stopline.yaml or one the analyzer finds in the code
 * (a `@stopline entry` tag, the `fetch` of `export default { fetch }`, called with its
 * object as `this`): entry-target.ts. An Express route entry is served by the project's
 * real Express application over node:http (express-entry.ts). Any other entry is called as a Workers handler,
 * `entry(request, env)`: `request` a real
 * (undici) `Request`, `env` the Workers bindings of the config's stores (`env.CARTS`, a
 * KVNamespace on the arrival stop's copy). Module-level handles (`pool` in src/db.ts) are
 * bound through the stores' `binding`s. The program's `Date` reads `clock` (default: a
 * VirtualClock at ORIGINAL_CLOCK_START, 2026-01-01T00:00:00Z), the clock the KV stores
 * replicate on; the runner never moves it. Its `process.env` is the deployment's runtime
 * configuration (`runtimeConfig`, default the project's runtime.env), never the runner's,
 * and jsonwebtoken (the real package) reads the same clock (shims/jsonwebtoken.ts).
 *
 * The result is plain JSON, the same bytes for the same inputs: status, headers (sorted
 * name/value pairs, names lower-case) and body text of the returned Response — or the
 * thrown error's name, message and own enumerable properties — and every store's final
 * contents (KV replication settled).
 */

export const ORIGINAL_CLOCK_START = Date.UTC(2026, 0, 1);

export interface OriginalRequest {
  readonly method: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** The body as text (JSON bodies as JSON text). */
  readonly body?: string;
}

export interface RunOriginalOptions {
  readonly projectDir: string;
  /** A seed file (src/runtime/stores/seed.ts); null or absent: empty stores. */
  readonly seedFile?: string | null;
  /** The entry's name (`viewCart`). */
  readonly entry: string;
  /** An HTTP request, for an entry called as a Workers handler; exactly one of `request` and `args`. */
  readonly request?: OriginalRequest;
  /** The arguments of a call-style entry (`prepareUpload(file, name)`): the entry is called with them. */
  readonly args?: readonly unknown[];
  /** The client's page (src/runtime/page): the program's `document` when it runs at an untrusted first stop; default an empty page. */
  readonly dom?: readonly PageElementSpec[];
  /** The clock the program's `Date` and the KV stores read; default a VirtualClock at ORIGINAL_CLOCK_START. */
  readonly clock?: Clock;
  /** Replication lag of the KV stores in ms (default 0; the original program runs at one stop, so only the split program can see it). */
  readonly lagMs?: number;
  /**
   * The entry's function as `file#export` (or `file#Object.method`), for an entry the
   * analyzer found in the sources (`@stopline entry client`) rather than in the config;
   * default the config's `function:` entry. Give `stop` with it.
   */
  readonly target?: string;
  /** Where the program runs; default the entry's `arrives` stop. */
  readonly stop?: StopName;
  /** The simulated client of client-local stores (default `client`). */
  readonly clientId?: string;
  /** The project's config, if already loaded. */
  readonly config?: StoplineConfig;
  /** The project's segment graph, if already analysed: how entries found in code (`export default { fetch }`) are located without analysing again (entry-target.ts). */
  readonly graph?: SegmentGraph | null;
  /** The program's `process.env` (the deployment's configuration); default: the project's runtime.env (runtime-config.ts), else empty. */
  readonly runtimeConfig?: Readonly<Record<string, string>>;
}

export interface OriginalError {
  readonly name: string;
  readonly message: string;
  /** Own enumerable properties (a custom error's `status`, pg's `code`), as JSON. */
  readonly props: Record<string, JsonValue>;
}

export interface OriginalResult {
  readonly entry: string;
  readonly stop: StopName;
  /** The Response's status; null when the entry threw or returned something else. */
  readonly status: number | null;
  readonly headers: [string, string][];
  readonly body: string | null;
  /** What the entry returned when it was not a Response (absent otherwise). */
  readonly value?: JsonValue;
  /** What the entry threw (absent when it returned). */
  readonly error?: OriginalError;
  readonly stores: StoresDump;
}

/** The web Request of a corpus request (`args` or `request` must be given). */
export function webRequest(request: OriginalRequest | undefined): Request {
  if (request === undefined) throw new OriginalLoadError('Give either a request or args');
  const { method, url, headers, body } = request;
  return new Request(url, { method, headers: { ...headers }, ...(body === undefined ? {} : { body }) });
}

/**
 * A JSON form of any value: stable, lossy only for what JSON cannot say (functions, symbols,
 * cycles). Exact for strings, numbers (non-finite and -0 as `$number`), Uint8Array
 * (`{ base64 }`, the seed file's and the corpus's form of bytes) and the other typed
 * arrays (`$typed`); a class instance keeps its class name (`$class`); a plain object whose
 * keys would read as one of these forms is wrapped as `$object`.
 */
export function jsonOf(value: unknown, seen = new Set<object>()): JsonValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Object.is(value, -0) ? { $number: '-0' } : Number.isFinite(value) ? value : { $number: String(value) };
    case 'bigint':
      return { $bigint: value.toString() };
    case 'undefined':
      return { $undefined: true };
    case 'function':
      return { $function: value.name };
    case 'symbol':
      return { $symbol: value.description ?? '' };
  }
  if (value === null) return null;
  const object = value as object;
  if (seen.has(object)) return { $circular: true };
  seen.add(object);
  try {
    if (object instanceof Date) return { $date: Number.isNaN(object.getTime()) ? 'Invalid Date' : object.toISOString() };
    if (object instanceof Uint8Array) return { base64: Buffer.from(object).toString('base64') };
    if (object instanceof Error) return { $error: errorOf(object, seen) as unknown as JsonValue };
    if (Array.isArray(object)) return object.map((v) => jsonOf(v, seen));
    if (object instanceof Map) return { $map: [...object].map(([k, v]) => [jsonOf(k, seen), jsonOf(v, seen)]) };
    if (object instanceof Set) return { $set: [...object].map((v) => jsonOf(v, seen)) };
    if (ArrayBuffer.isView(object)) return { $typed: object.constructor.name, values: Array.from(object as unknown as ArrayLike<number | bigint>, (v) => jsonOf(v, seen)) };
    if (object instanceof ArrayBuffer) return { $arraybuffer: Buffer.from(object).toString('base64') };
    const props = Object.fromEntries(Object.entries(object).map(([k, v]) => [k, jsonOf(v, seen)]));
    const proto = Object.getPrototypeOf(object) as { constructor?: { name?: string } } | null;
    if (proto !== null && proto !== Object.prototype) return { $class: proto.constructor?.name ?? '(anonymous)', props };
    // A plain object that would read as one of the forms above is wrapped (call-case.ts reads `$object` back).
    const keys = Object.keys(props);
    return keys.some((k) => k.startsWith('$')) || (keys.length === 1 && (keys[0] === 'base64' || keys[0] === 'filled')) ? { $object: props } : props;
  } finally {
    seen.delete(object);
  }
}

export function errorOf(error: unknown, seen = new Set<object>()): OriginalError {
  if (!(error instanceof Error)) return { name: '(not an Error)', message: String(error), props: { value: jsonOf(error, seen) } };
  const props = Object.fromEntries(
    Object.entries(error)
      .filter(([k]) => k !== 'stack')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, jsonOf(v, seen)]),
  );
  return { name: error.name, message: error.message, props };
}

/**
 * The world a program runs in at one stop: every store's preset shim installed, each
 * store seen from `stopFor(group)` (the stop itself, or the nearest holding a copy), and
 * `Date` reading the virtual clock.
 */
export function shimWorld(stores: readonly OpenStore[], config: StoplineConfig, stopFor: (group: readonly OpenStore[]) => string, clock: Clock, clientId: string): ShimWorld {
  const world = emptyWorld();
  const byPreset = new Map<string, OpenStore[]>();
  for (const s of stores) byPreset.set(s.config.preset, [...(byPreset.get(s.config.preset) ?? []), s]);
  for (const [preset, group] of byPreset) {
    const shim = storeShims.get(preset);
    if (!shim) throw new OriginalLoadError(`No shim for preset '${preset}' (store${group.length > 1 ? 's' : ''} ${group.map((s) => s.config.name).join(', ')})`);
    shim.install(world, group, { stop: stopFor(group), stops: config.line.stops.map((s) => s.name), clientId });
  }
  if (!world.globals.has('Date')) world.globals.set('Date', createClockedDate(clock));
  return world;
}

/** What an entry answered, normalised: status, sorted headers and body text of a Response, else the value as JSON. */
export async function responseOf(returned: unknown, error: OriginalError | undefined): Promise<Pick<OriginalResult, 'status' | 'headers' | 'body' | 'value'>> {
  if (error) return { status: null, headers: [], body: null };
  if (returned instanceof Response) {
    const pairs = [...returned.headers].sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
    return { status: returned.status, headers: pairs, body: await returned.text() };
  }
  return { status: null, headers: [], body: null, value: jsonOf(returned) };
}

/** Runs `options.request` through the original program; see the module comment. */
export async function runOriginal(options: RunOriginalOptions): Promise<OriginalResult> {
  const projectDir = path.resolve(options.projectDir);
  const config = options.config ?? readProjectConfig(projectDir);
  const route = options.target === undefined ? expressRouteEntry(projectDir, config, options.entry, options.graph) : null;
  const resolved = options.target === undefined && route === null ? resolveEntry(projectDir, config, options.entry, options.graph) : null;
  const target = options.target ?? resolved?.target;
  const stop = options.stop ?? route?.arrives ?? resolved?.arrives ?? entryArrival(projectDir, config, options.entry, options.graph);
  const clock = options.clock ?? new VirtualClock(ORIGINAL_CLOCK_START);

  const stores = await openConfiguredStores(config, { clock, lagMs: options.lagMs ?? 0 });
  try {
    if (options.seedFile) seedStores(stores, path.resolve(options.seedFile));

    const world = shimWorld(stores.list, config, () => stop, clock, options.clientId ?? 'client');
    installPage(world, config, stop, options.dom);
    world.globals.set('process', createProcessGlobal(options.runtimeConfig ?? loadRuntimeConfig(projectDir)));
    if (!world.modules.has('jsonwebtoken')) {
      const jwt = clockedJsonwebtoken(projectDir, clock);
      if (jwt) world.modules.set('jsonwebtoken', jwt);
    }

    const program = await loadOriginal(projectDir, {
      config,
      moduleShims: Object.fromEntries(world.modules),
      globals: Object.fromEntries(world.globals),
      entries: target === undefined ? {} : { [options.entry]: target },
    });
    try {
      for (const binding of world.bindings) {
        const ns = await program.module(binding.file);
        if (!binding.attach(ns[binding.name])) {
          throw new OriginalLoadError(`Store '${binding.store}': binding ${binding.file}#${binding.name} is not a handle made by the shim (is it exported, and made with the library's constructor?)`);
        }
      }
      const entry: (...args: unknown[]) => unknown = route ? (request) => route.serve(program, request as Request) : (program.entries[options.entry] as (...args: unknown[]) => unknown);
      const args = options.args ?? [webRequest(options.request), world.env];

      let returned: unknown;
      let error: OriginalError | undefined;
      try {
        returned = await entry(...args);
      } catch (thrown) {
        error = errorOf(thrown);
      }
      return { entry: options.entry, stop, ...(await responseOf(returned, error)), ...(error ? { error } : {}), stores: dumpStores(stores) };
    } finally {
      await program.dispose();
    }
  } finally {
    stores.close();
  }
}
