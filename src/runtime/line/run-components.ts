import path from 'node:path';
import { pack } from '../../../codegen/lower/link.js';
import { decodeCompletion, encodeCall } from '../../../codegen/wire/index.js';
import type { StoplineConfig } from '../../config/index.js';
import type { SegmentGraph } from '../../ir/index.js';
import { entryArrival } from '../original/entry-target.js';
import { errorOf, ORIGINAL_CLOCK_START, responseOf, webRequest, type OriginalError, type OriginalRequest, type OriginalResult } from '../original/run.js';
import { loadRuntimeConfig } from '../original/runtime-config.js';
import { SimulatedPage, type PageElementSpec } from '../page/page.js';
import { clientDomImports } from './client-dom.js';
import { dumpStores, openConfiguredStores, seedStores } from '../original/stores.js';
import { VirtualClock, type Clock } from '../stores/index.js';
import type { LinkFaults } from './faults.js';
import { openLine, type LineCrossing, type LineStopSpec, type StorePlace } from './line.js';
import type { RpcPolicyOptions } from './rpc-policy.js';
import { wasiImports } from './wasi.js';

/**
 * Runs one request through a split program's REAL components on the local line, on
 * embedded stores opened and seeded exactly as `runOriginal` does (the config's stores,
 * the seed file, a VirtualClock at ORIGINAL_CLOCK_START unless `clock` is given), so its
 * result compares with `runOriginal`'s:
 *
 *   const r = await runOnComponents({ projectDir, config, seedFile, entry: 'viewCart', request,
 *                                     stops: [{ name: 'edge', wasmPath }, { name: 'origin', wasmPath }] });
 *
 * The request is made a web `Request` in Node (as runOriginal makes it), packed as the link
 * packs it, and sent to the entry's arrival stop as
 * `dispatch.invoke('entry:<name>', encodeCall({ segment, liveIns: { args: [request, env marker] } }))`
 * (codegen/lower/link.ts). A `return` completion's packed Response becomes status / sorted
 * headers / body; a `throw` completion's error becomes `errorOf(error)` of the decoded error
 * (the wire format keeps its class, name, message and cause, not its other own properties).
 * An rpc-error of the arrival stop itself (a trap, a bad payload) is thrown as a
 * `ComponentRunError`: it is a failure of the runtime, not an outcome of the program.
 *
 * A fresh line (fresh instances: no module state survives, as runOriginal loads a fresh
 * program) per call; the transpiled components are cached in `cacheDir`. Each stop's trust
 * is the config's `trusted`; the trusted ones are served the runtime configuration.
 */

export interface RunOnComponentsOptions {
  readonly projectDir: string;
  readonly config: StoplineConfig;
  /** the stops with a component (the line's order comes from the config) */
  readonly stops: readonly LineStopSpec[];
  readonly seedFile?: string | null;
  readonly entry: string;
  /** The project's segment graph, for entries found in code (their arrival stop); analysed when absent and the config does not name the entry. */
  readonly graph?: SegmentGraph | null;
  /** An HTTP request; exactly one of `request` and `args` (as runOriginal). */
  readonly request?: OriginalRequest;
  /** A call-style entry's arguments: they cross into the arrival stop through the wire format. */
  readonly args?: readonly unknown[];
  /** The client's page, for the client stop's `stopline:line/client-dom` (default: an empty page). */
  readonly dom?: readonly PageElementSpec[];
  readonly clock?: VirtualClock;
  /** replication lag of the KV stores (default 0, as runOriginal) */
  readonly lagMs?: number;
  /** where the components are transpiled (openLine's cacheDir) */
  readonly cacheDir?: string;
  readonly clientId?: string;
  /**
   * The components import WASI (built with componentize-js's `clocks` feature): give them
   * preview2-shim's io/cli/random/monotonic-clock and a `wasi:clocks/wall-clock` that reads
   * `clock` (or the request's arrival time: `guestClock`), so the guest's `Date` is the
   * virtual clock, as the original program's is (wasi.ts).
   */
  readonly wasi?: boolean;
  /** The entry's arrival stop, when the config does not name the entry (entries found in code); default: the config's. */
  readonly arrives?: string;
  /** Wait each hop's latency for real too (openLine's `realTime`). */
  readonly realTime?: boolean;
  /**
   * What the guests' `Date` reads (with `wasi`): `line` (default) the line's virtual clock,
   * so code run after a crossing sees the time the crossing took, as it would for real;
   * `request` the time the request arrived, at every stop — so where code runs cannot
   * change the values it computes, for comparing placements by their outcomes (and with
   * the original program, whose clock never moves while it runs). The SQL stores' `now()`
   * reads the same time.
   */
  readonly guestClock?: 'line' | 'request';
  /**
   * The deployment's configuration, served to the config's trusted stops as
   * `wasi:config/store` (the guest's `process.env`); default: the project's runtime.env
   * (as runOriginal), else empty.
   */
  readonly runtimeConfig?: Readonly<Record<string, string>>;
  /** deadlines and retries of the link calls (openLine's `rpc`; `writesByPlan(plan)` tells it which cuts write) */
  readonly rpc?: RpcPolicyOptions;
  /** faults injected into the link calls (openLine's `faults`) */
  readonly faults?: LinkFaults;
  /** Given, once the stores are seeded, a function that dumps them as `stores` of the result does: for a test to see them mid-request (from a fault schedule). */
  readonly observeStores?: (dump: () => unknown) => void;
}

export interface ComponentsResult extends OriginalResult {
  /** the link crossings of this request */
  readonly trace: readonly LineCrossing[];
  /** virtual time of the request (its crossings' round trips) */
  readonly virtualMs: number;
  /** wall time: opening the line (transpile when not cached, instantiate) and the invoke itself */
  readonly timings: { readonly openMs: number; readonly invokeMs: number };
}

export class ComponentRunError extends Error {
  override readonly name = 'ComponentRunError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const ms = (since: number): number => Math.round((performance.now() - since) * 10) / 10;

export async function runOnComponents(options: RunOnComponentsOptions): Promise<ComponentsResult> {
  const { config } = options;
  let stop: string;
  try {
    stop = options.arrives ?? entryArrival(options.projectDir, config, options.entry, options.graph);
  } catch (error) {
    throw new ComponentRunError('no-entry', (error as Error).message);
  }
  const clock = options.clock ?? new VirtualClock(ORIGINAL_CLOCK_START);
  // The program's own notion of now (the guest's Date, SQL now()): see `guestClock`.
  const programClock = options.guestClock === 'request' ? frozenAt(clock.now()) : clock;
  const stores = await openConfiguredStores(config, { clock, programClock, lagMs: options.lagMs ?? 0 });
  try {
    if (options.seedFile) seedStores(stores, path.resolve(options.seedFile));
    options.observeStores?.(() => dumpStores(stores));
    const opening = performance.now();
    const trusted = new Map(config.line.stops.map((s) => [s.name, s.trusted]));
    const line = await openLine({
      stops: options.stops.map((s) => ({ ...s, trusted: s.trusted ?? trusted.get(s.name) ?? false })),
      runtimeConfig: options.runtimeConfig ?? loadRuntimeConfig(options.projectDir),
      line: config.line.stops.map((s) => s.name),
      stores: { sql: stores.sql, kv: stores.kv, local: stores.local },
      clock,
      hopLatencyMs: Object.fromEntries(config.line.stops.map((s) => [s.name, s.latencyMs])),
      storePlaces: storePlacesOf(config),
      extraImports: { ...(options.wasi ? wasiImports(programClock) : {}), ...clientDomImports(new SimulatedPage(options.dom ?? [])) },
      ...(options.realTime ? { realTime: true } : {}),
      ...(options.clientId !== undefined ? { clientId: options.clientId } : {}),
      ...(options.cacheDir !== undefined ? { cacheDir: options.cacheDir } : {}),
      ...(options.rpc !== undefined ? { rpc: options.rpc } : {}),
      ...(options.faults !== undefined ? { faults: options.faults } : {}),
    });
    const openMs = ms(opening);
    try {
      const env = {};
      const segment = `entry:${options.entry}`;
      const args = options.args ?? [await pack(webRequest(options.request), env), await pack(env, env)];
      const payload = encodeCall({ segment, liveIns: { args } });
      const invoking = performance.now();
      const outcome = line.invoke(stop, segment, payload);
      const invokeMs = ms(invoking);
      if (!outcome.ok) throw new ComponentRunError(outcome.error.code, `stop '${stop}' failed on ${segment}: ${outcome.error.message}`);
      const completion = decodeCompletion(outcome.value);
      let returned: unknown;
      let error: OriginalError | undefined;
      if (completion.kind === 'throw') error = errorOf(completion.error);
      else if (completion.kind === 'return') returned = unpackResponse(completion.value);
      else throw new ComponentRunError('bad-completion', `stop '${stop}' answered ${segment} with a '${completion.kind}' completion`);
      return {
        entry: options.entry,
        stop,
        ...(await responseOf(returned, error)),
        ...(error ? { error } : {}),
        stores: dumpStores(stores),
        trace: outcome.trace,
        virtualMs: outcome.virtualMs,
        timings: { openMs, invokeMs },
      };
    } finally {
      line.close();
    }
  } finally {
    stores.close();
  }
}

/** A clock that always reads `t`. */
function frozenAt(t: number): Clock {
  return { now: () => t };
}

/** Where each store of the config lives, for the line's access charging. */
export function storePlacesOf(config: StoplineConfig): Record<string, StorePlace> {
  return Object.fromEntries(config.stores.map((s) => [s.name, { consistency: s.consistency, home: s.home, replicas: s.replicas }]));
}

/** A packed Response (`{ __stopline_response: … }`) as a web Response; anything else as is. */
function unpackResponse(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || !('__stopline_response' in value)) return value;
  const r = (value as { __stopline_response: { status: number; headers: [string, string][]; body: string } }).__stopline_response;
  // A null-body status takes no body, even an empty one; bytes, not text, so the Response
  // adds no content-type of its own to a response that has none.
  return new Response([101, 204, 205, 304].includes(r.status) ? null : new TextEncoder().encode(r.body), { status: r.status, headers: r.headers });
}
