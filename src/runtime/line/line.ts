import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transpileComponent } from '../../../codegen/component/index.js';
import { locatePackage } from '../../../codegen/component/packages.js';
import type { VirtualClock } from '../stores/index.js';
import { withLinkKey } from './link-key.js';
import { createStopHost, type LineStores, type LinkOutcome, type RpcError, type StopHost, type StopName, type StoreAccess } from './host.js';
import { transmit, type LinkFaults } from './faults.js';
import { IdempotencyTable } from './idempotency.js';
import { rpcPolicy, type AttemptInfo, type RpcPolicyOptions } from './rpc-policy.js';

/**
 * The local line: every stop's WASI component instantiated in this Node process, each with
 * its own host (its stop's views of the embedded stores, host.ts), and `link.call` wired
 * from one instance's import to another instance's exported `dispatch.invoke`.
 *
 *   const line = await openLine({ stops: [{ name: 'edge', wasmPath }, { name: 'origin', wasmPath }],
 *                                 stores, clock, hopLatencyMs: { edge: 0, origin: 35 } });
 *   const r = line.invoke('edge', 'ask', payload);   // synchronous
 *   r.ok ? r.value : r.error;  r.virtualMs;  r.trace  // crossings of this request
 *
 * Components: `wasmPath` is transpiled with jco (`instantiation: 'async'`) into
 * `cacheDir/<sha-256 of the component bytes and jco's version>/` (written to a temporary
 * folder, renamed into place, reused by later lines); `transpiledDir` is a folder that
 * already holds such a transpile (`<transpiledName>.js`, default `component.js`).
 * Compiled core modules are shared by every instance made from one folder.
 *
 * Crossings. `link.call(to, segment, payload)` from stop A runs `to`'s
 * `dispatch.invoke(segment, payload)` synchronously and hands back its result. The
 * virtual clock moves one way's latency (the sum of the one-way latencies of the hops
 * between A and `to`) before the target runs, and once more after it answers: a crossing
 * costs the round trip, and what the target does (KV writes, nested crossings) happens at
 * arrival time. Each crossing is one trace entry (from, to, segment, UTF-8 bytes each way,
 * virtual start and end, outcome), in the order crossings START (a nested crossing follows
 * its parent). A link call that does not cross (unknown stop, refused) is not traced and
 * costs no time. With `storePlaces`, a store access served at another stop (an SQL query
 * at the edge on an origin database) is traced and charged the same way, as an `access`
 * crossing: the measured counterpart of the plan's round trips per link.
 *
 * Re-entrancy. The component model forbids entering an instance that is already running.
 * Observed with jco 1.35 on the test components: calling edge's `invoke` from inside
 * edge's own `link.call` traps edge (`unreachable`), the trap unwinds through the origin's
 * import and both instances then refuse every call ("cannot enter component instance").
 * So when stop A is blocked inside its own
 * `link.call` to B and B (or anything B calls) calls A again, or A calls itself, the line
 * does not call A: `link.call` returns `err({ code: 'unavailable', message: 'stop A is busy
 * … (re-entrant call …)' })` to the caller, whose instance stays usable. The split program
 * never needs this: a cut's callee does not call back into the stop that called it while
 * that call is in flight (the planner's segments nest outwards along the line).
 *
 * Failures of a stop. A guest's rpc-error (`err` of `invoke`) reaches the caller as that
 * err. A trap (or any other throw out of `invoke`) kills the instance: the caller gets
 * `internal`, later calls to that stop get `unavailable` until `restart(stop)` makes a fresh
 * instance (its module state is lost; the stores are not touched).
 *
 * Deadlines, retries, idempotency and faults. Every link call goes through the caller's
 * RPC policy (rpc-policy.ts: a deadline per attempt on the virtual clock, `timeout` past
 * it, retries of `timeout`/`unavailable` with an idempotency key when the cut's region
 * writes) and each attempt through `transmit` (faults.ts) with the fault `faults` gives it
 * (none by default); the callee's host answers a keyed attempt once (idempotency.ts, one
 * table per stop, kept across restarts). Each attempt is one trace entry. A `stop` fault
 * swaps in a fresh instance made ahead of time (`faults.restarts`), synchronously, as a
 * platform starts a new instance while the old one's caller retries.
 */

export interface LineStopSpec {
  readonly name: StopName;
  /** a component built by `buildComponent` */
  readonly wasmPath?: string;
  /** a folder with the component already transpiled with `instantiation: 'async'` */
  readonly transpiledDir?: string;
  /** base name of the transpiled module in `transpiledDir` (default 'component') */
  readonly transpiledName?: string;
  /** store names this stop may use (SQL and KV); absent: all */
  readonly access?: readonly string[];
  /** whether the stop is trusted (the config's `trusted`): only then is `runtimeConfig` served to it (default false) */
  readonly trusted?: boolean;
}

export interface OpenLineOptions {
  /** the stops with a component; in line order (client first) unless `line` is given */
  readonly stops: readonly LineStopSpec[];
  /** every stop of the line in order, client first, when some have no component (default: `stops`' names) */
  readonly line?: readonly StopName[];
  readonly stores: LineStores;
  readonly clock: VirtualClock;
  /**
   * One-way latency in ms of the hop from each stop to the previous one on the line (the
   * config's `latencyMs`; the first stop's is ignored), or one number for every hop.
   */
  readonly hopLatencyMs: number | Readonly<Record<StopName, number>>;
  /** whose web storage client-local uses (default 'client') */
  readonly clientId?: string;
  /** the local store behind client-local's `local` area (default: the first of `stores.local`) */
  readonly localStore?: string;
  /** where `wasmPath` components are transpiled (default `<tmpdir>/stopline-line-transpiled`) */
  readonly cacheDir?: string;
  /**
   * Where each store's data lives (the config's stores: consistency, home, replicas). With
   * it, an access executed at a stop that cannot serve it (strong: only the home; eventual:
   * the home or a replica; local: the home) is served by the nearest stop that can and
   * costs one round trip to it on the virtual clock, traced as an `access` crossing — the
   * cost model's access term, measured. Without it accesses cost nothing.
   */
  readonly storePlaces?: Readonly<Record<string, StorePlace>>;
  /**
   * More imports for every component, by interface name without version
   * (`'wasi:clocks/wall-clock'`): the WASI a component built with componentize-js features
   * (clocks, random, stdio…) imports. See `wasiImports` for preview2-shim's, with the wall
   * clock on the virtual clock.
   */
  readonly extraImports?: Readonly<Record<string, Record<string, unknown>>>;
  /**
   * Also wait each hop's latency for real (the calling thread blocks, as a synchronous
   * import does), besides moving the virtual clock: to watch a split program at the pace
   * of the real line. Default false: virtual time only.
   */
  readonly realTime?: boolean;
  /**
   * The deployment's configuration and secrets (variable name → value): `wasi:config/store`
   * serves it to the trusted stops (`LineStopSpec.trusted`), where the guest reads it as
   * `process.env`; untrusted stops get an `err` (config.ts). Default: empty.
   */
  readonly runtimeConfig?: Readonly<Record<string, string>>;
  /** deadlines and retries of link calls (rpc-policy.ts; default: its defaults, every region assumed to write) */
  readonly rpc?: RpcPolicyOptions;
  /** faults injected into link calls (faults.ts; default none) */
  readonly faults?: LinkFaults;
}

/** Blocks this thread for `ms` (a link call is synchronous for the guest: nothing else can run meanwhile anyway). */
function sleepSync(ms: number): void {
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Where a store's data lives. */
export interface StorePlace {
  readonly consistency: 'strong' | 'eventual' | 'local';
  readonly home: StopName;
  readonly replicas: readonly StopName[];
}

export interface LineCrossing {
  /** `link`: a segment run at another stop (an RPC); `access`: a store access served at another stop */
  readonly kind: 'link' | 'access';
  readonly from: StopName;
  readonly to: StopName;
  /** the segment id, or for an access `<sql|kv>:<store>:<read|write>` */
  readonly segment: string;
  /** UTF-8 bytes of the payload sent (0 for an access) */
  readonly requestBytes: number;
  /** UTF-8 bytes of the answer (an err: of its JSON) */
  readonly responseBytes: number;
  /** virtual time the call left `from` and the answer came back */
  readonly startMs: number;
  readonly endMs: number;
  /** nesting: 0 for a crossing made by the stop a request arrived at */
  readonly depth: number;
  /** 'ok', or the rpc-error code the target answered with */
  readonly outcome: 'ok' | RpcError['code'];
}

export type LineResult = LinkOutcome & {
  /** virtual time the request took (the sum of its crossings' round trips) */
  readonly virtualMs: number;
  /** the crossings this request made */
  readonly trace: readonly LineCrossing[];
};

export interface LineStopInfo {
  readonly name: StopName;
  /** ms to compile (first use of a folder) and instantiate, and to transpile (0 when cached) */
  readonly instantiateMs: number;
  readonly transpileMs: number;
  readonly transpileCached: boolean;
  readonly alive: boolean;
}

export interface Line {
  readonly stops: readonly LineStopInfo[];
  /** every crossing since the line opened */
  readonly trace: readonly LineCrossing[];
  /** A request arriving at `stop`: runs its `dispatch.invoke(segment, payload)`. Never throws for a guest's failure. */
  invoke(stop: StopName, segment: string, payload: string): LineResult;
  /**
   * A crossing from a stop of the line this process does not host (the client running in
   * a browser) into `to`: traced and charged on the virtual clock as any link crossing.
   */
  cross(from: StopName, to: StopName, segment: string, payload: string): LineResult;
  /** Round-trip time in ms between two stops of the line. */
  rtt(a: StopName, b: StopName): number;
  /** Replaces a stop's instance (after a trap) with a fresh one; stores are untouched. */
  restart(stop: StopName): Promise<void>;
  /** SQL connections held by the guests, per stop */
  openConnections(stop: StopName): number;
  /** Releases every SQL connection the guests still hold. The stores stay open (the caller owns them). */
  close(): void;
}

// --- loading -----------------------------------------------------------------------------

type CoreModule = object;
const wasm = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<CoreModule> } }).WebAssembly;

interface DispatchExport {
  invoke(segment: string, payload: string): string;
}
interface ComponentRoot {
  dispatch?: DispatchExport;
  'stopline:line/dispatch@0.1.0'?: DispatchExport;
}
interface ComponentFactory {
  instantiate(getCoreModule: (name: string) => Promise<CoreModule>, imports: Record<string, Record<string, unknown>>): Promise<ComponentRoot>;
}

const TRANSPILE_FORMAT = 'stopline-line-transpile/1';
const DEFAULT_NAME = 'component';
const here = path.dirname(fileURLToPath(import.meta.url));

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

/** Transpiles `wasmPath` once per (bytes, jco version); returns the folder and whether it was cached. */
async function transpiled(wasmPath: string, cacheDir: string): Promise<{ dir: string; cached: boolean; ms: number }> {
  const started = performance.now();
  const bytes = await fs.readFile(wasmPath);
  const jco = locatePackage('@bytecodealliance/jco', here);
  const key = createHash('sha256').update(`${TRANSPILE_FORMAT}\0${jco.version}\0`).update(bytes).digest('hex');
  const dir = path.join(cacheDir, key);
  const elapsed = (): number => Math.round((performance.now() - started) * 10) / 10;
  if (await exists(path.join(dir, `${DEFAULT_NAME}.js`))) return { dir, cached: true, ms: elapsed() };
  await fs.mkdir(cacheDir, { recursive: true });
  const tmp = path.join(cacheDir, `.${key}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await transpileComponent(wasmPath, tmp, { name: DEFAULT_NAME, instantiation: 'async' });
    try {
      await fs.rename(tmp, dir);
    } catch (error) {
      // Another line transpiled the same component meanwhile: use theirs.
      if (!(await exists(path.join(dir, `${DEFAULT_NAME}.js`)))) throw error;
    }
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
  return { dir, cached: false, ms: elapsed() };
}

/** Compiled core modules per transpiled folder, shared by every instance (and every line). */
const compiled = new Map<string, Promise<CoreModule>>();

function coreModuleLoader(dir: string): (name: string) => Promise<CoreModule> {
  return (name) => {
    const file = path.join(dir, name);
    let mod = compiled.get(file);
    if (!mod) {
      mod = fs.readFile(file).then((b) => wasm.compile(b));
      mod.catch(() => compiled.delete(file));
      compiled.set(file, mod);
    }
    return mod;
  };
}

// --- the line ----------------------------------------------------------------------------

interface LoadedStop {
  readonly spec: LineStopSpec;
  readonly factory: ComponentFactory;
  readonly dir: string;
  readonly transpileMs: number;
  readonly transpileCached: boolean;
  instantiateMs: number;
  host: StopHost;
  dispatch: DispatchExport | null;
  /** how many invokes of this instance are on the stack (0 or 1: re-entry is refused) */
  active: number;
  /** why the instance is dead, or null */
  dead: string | null;
  /** a fresh instance made ahead of time, swapped in when a fault stops this stop */
  spare: Instance | null;
  /**
   * The instance crashed in the middle of an invoke (a `crash` fault): from then on it has
   * no effect — its connections are gone (an open transaction rolled back), every store
   * access and link call it makes fails — and what its invoke returns is discarded.
   */
  crashed: boolean;
}

interface Instance {
  readonly host: StopHost;
  readonly dispatch: DispatchExport;
  readonly ms: number;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function rpcErrorOf(error: unknown): RpcError | null {
  if (error === null || typeof error !== 'object' || !Object.prototype.hasOwnProperty.call(error, 'payload')) return null;
  const payload = (error as { payload: unknown }).payload;
  if (payload === null || typeof payload !== 'object') return null;
  const { code, message } = payload as { code?: unknown; message?: unknown };
  return typeof code === 'string' && typeof message === 'string' ? { code: code as RpcError['code'], message } : null;
}

export async function openLine(options: OpenLineOptions): Promise<Line> {
  const names = options.stops.map((s) => s.name);
  if (new Set(names).size !== names.length) throw new RangeError('openLine: a stop is listed twice');
  const line = options.line ?? names;
  for (const name of names) if (!line.includes(name)) throw new RangeError(`openLine: stop '${name}' is not on the line (${line.join(' → ')})`);
  const latency = (stop: StopName): number => {
    const l = typeof options.hopLatencyMs === 'number' ? options.hopLatencyMs : options.hopLatencyMs[stop];
    if (l === undefined || !Number.isFinite(l) || l < 0) throw new RangeError(`openLine: no valid one-way latency for the hop to stop '${stop}'`);
    return l;
  };
  const oneWay = (a: StopName, b: StopName): number => {
    const i = line.indexOf(a);
    const j = line.indexOf(b);
    if (i < 0 || j < 0) throw new RangeError(`no stop '${i < 0 ? a : b}' on the line`);
    let sum = 0;
    for (let k = Math.min(i, j) + 1; k <= Math.max(i, j); k++) sum += latency(line[k] as StopName);
    return sum;
  };
  for (let k = 1; k < line.length; k++) latency(line[k] as StopName); // checks them up front

  const virtual = options.clock;
  const clock = {
    now: () => virtual.now(),
    advance: (ms: number): number => {
      if (options.realTime) sleepSync(ms);
      return virtual.advance(ms);
    },
  };
  const extra: Record<string, Record<string, unknown>> = {};
  for (const [name, value] of Object.entries(options.extraImports ?? {})) extra[name] = value;
  const cacheDir = options.cacheDir ?? path.join(os.tmpdir(), 'stopline-line-transpiled');
  const trace: LineCrossing[] = [];
  const stops = new Map<StopName, LoadedStop>();
  const runtimeConfig = withLinkKey(options.runtimeConfig);
  let depth = 0;

  const policy = rpcPolicy(options.rpc ?? {}, line, (a, b) => 2 * oneWay(a, b));
  const memories = new Map<StopName, IdempotencyTable>();
  const memory = (stop: StopName): IdempotencyTable => {
    let m = memories.get(stop);
    if (!m) memories.set(stop, (m = new IdempotencyTable(policy.attempts * Math.max(...line.map((s) => policy.deadline(line[0] as StopName, s))))));
    return m;
  };
  /** The stop whose instance traps right after its next store write (a `crash` fault being delivered), or null. */
  let crashing: StopName | null = null;
  /** The stores' durable contents, compared around a keyed delivery that traps (idempotency.ts); unreadable (a transaction holds a store) counts as changed. */
  let unreadable = 0;
  const fingerprint = (): string => {
    try {
      const parts: unknown[] = [];
      for (const [name, store] of options.stores.sql ?? []) parts.push(['sql', name, store.dump()]);
      for (const [name, store] of options.stores.kv ?? []) parts.push(['kv', name, store.dump()]);
      for (const [name, store] of options.stores.local ?? []) parts.push(['local', name, store.dump()]);
      return JSON.stringify(parts, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value instanceof Uint8Array ? Array.from(value) : value));
    } catch {
      return `unreadable#${unreadable++}`;
    }
  };
  /** deliveries of late copies (`reorder` faults), run after the next attempt */
  let late: (() => void)[] = [];
  const flushLate = (): void => {
    while (late.length > 0) for (const d of late.splice(0)) d();
  };

  const link = (from: StopName, to: StopName, segment: string, payload: string): LinkOutcome => {
    if (stops.get(from)?.crashed) return { ok: false, error: { code: 'unavailable', message: `stop '${from}' has crashed: it sends nothing` } };
    const target = stops.get(to);
    if (!target) return { ok: false, error: { code: 'unavailable', message: `no stop named '${to}' on the line` } };
    if (target.active > 0) {
      return {
        ok: false,
        error: { code: 'unavailable', message: `stop '${to}' is busy: it is waiting on a call it made (re-entrant call from '${from}', segment '${segment}'); a component instance cannot be entered twice` },
      };
    }
    return policy.call(from, to, segment, (info) => attempt(target, info, payload));
  };

  /** One attempt of a link call: traced, charged on the clock, through the faults. */
  const attempt = (target: LoadedStop, info: AttemptInfo, payload: string): LinkOutcome => {
    const { from, to, segment } = info;
    const due = late;
    late = [];
    const startMs = clock.now();
    const index = trace.length;
    trace.push({ kind: 'link', from, to, segment, requestBytes: Buffer.byteLength(payload), responseBytes: 0, startMs, endMs: startMs, depth, outcome: 'ok' });
    depth += 1;
    let outcome: LinkOutcome;
    try {
      outcome = transmit(options.faults?.at(info) ?? null, {
        halfMs: oneWay(from, to),
        deadlineMs: info.deadlineMs,
        now: () => clock.now(),
        advance: (ms) => void clock.advance(ms),
        deliver: () => memory(to).answer(info.key, clock.now(), () => run(target, segment, payload), fingerprint),
        deliverCrashing: () => {
          crashing = to;
          try {
            return memory(to).answer(info.key, clock.now(), () => run(target, segment, payload), fingerprint);
          } finally {
            crashing = null;
          }
        },
        stop: () => stopInstance(target),
        later: (deliver) => void late.push(deliver),
      });
    } finally {
      depth -= 1;
    }
    trace[index] = {
      kind: 'link',
      from,
      to,
      segment,
      requestBytes: Buffer.byteLength(payload),
      responseBytes: Buffer.byteLength(outcome.ok ? outcome.value : JSON.stringify(outcome.error)),
      startMs,
      endMs: clock.now(),
      depth,
      outcome: outcome.ok ? 'ok' : outcome.error.code,
    };
    for (const d of due) d();
    return outcome;
  };

  /** The stop that serves an access of `store` made at `from` (the planner's rule: nearest by RTT, ties towards the client). */
  const servingStop = (store: string, from: StopName, atHome = false): StopName | undefined => {
    const place = options.storePlaces?.[store];
    if (place === undefined) return undefined;
    const servers = atHome || place.consistency !== 'eventual' ? [place.home] : [place.home, ...place.replicas];
    if (servers.includes(from)) return from;
    let best: StopName | undefined;
    for (const s of [...servers].sort((a, b) => line.indexOf(a) - line.indexOf(b))) {
      if (!line.includes(s)) continue;
      if (best === undefined || oneWay(from, s) < oneWay(from, best)) best = s;
    }
    return best;
  };

  /** One store access at `from`: run where it is served; a remote one costs a round trip. */
  const around = (from: StopName): (<T>(access: StoreAccess, run: () => T) => T) => (access, run) => {
    const self = stops.get(from);
    if (self?.crashed) throw new Error(`stop '${from}' has crashed: no store access`);
    const result = charge(from, access, run);
    if (crashing === from && access.op === 'write' && self !== undefined) {
      // The process dies here: its connections end (an open transaction rolls back), nothing it does after counts.
      crashing = null;
      self.crashed = true;
      self.host.close();
      throw new Error(`stop '${from}' crashed (an injected fault) right after a write to '${access.store}'`);
    }
    return result;
  };

  /** The access run where its store serves it, charged on the clock and traced when that is another stop. */
  const charge = <T>(from: StopName, access: StoreAccess, run: () => T): T => {
    const to = servingStop(access.store, from, access.atHome === true);
    if (to === undefined || to === from) return run();
    const half = oneWay(from, to);
    const startMs = clock.now();
    const index = trace.length;
    const segment = `${access.kind}:${access.store}:${access.op}`;
    const entry = (endMs: number, outcome: LineCrossing['outcome']): LineCrossing => ({ kind: 'access', from, to, segment, requestBytes: 0, responseBytes: 0, startMs, endMs, depth, outcome });
    trace.push(entry(startMs, 'ok'));
    clock.advance(half);
    try {
      return run();
    } finally {
      trace[index] = entry(clock.advance(half), 'ok');
    }
  };

  /** One invoke on an instance; every failure is a value. */
  const run = (stop: LoadedStop, segment: string, payload: string): LinkOutcome => {
    const name = stop.spec.name;
    if (stop.dead !== null || !stop.dispatch) return { ok: false, error: { code: 'unavailable', message: `stop '${name}' is down: ${stop.dead ?? 'not instantiated'}` } };
    if (stop.active > 0) return { ok: false, error: { code: 'unavailable', message: `stop '${name}' is busy: it is waiting on a call it made` } };
    stop.active += 1;
    try {
      const value = stop.dispatch.invoke(segment, payload);
      if (stop.crashed) {
        stop.dead = 'it crashed in the middle of the call';
        return { ok: false, error: { code: 'internal', message: `stop '${name}' crashed in segment '${segment}'` } };
      }
      return { ok: true, value };
    } catch (error) {
      const rpc = rpcErrorOf(error);
      if (rpc) return { ok: false, error: rpc };
      stop.dead = `it trapped: ${messageOf(error)}`;
      stop.host.close();
      return { ok: false, error: { code: 'internal', message: `stop '${name}' trapped in segment '${segment}': ${messageOf(error)}` } };
    } finally {
      stop.active -= 1;
    }
  };

  const makeInstance = async (stop: LoadedStop): Promise<Instance> => {
    const started = performance.now();
    const name = stop.spec.name;
    const host = createStopHost({
      stop: name,
      line,
      stores: options.stores,
      ...(stop.spec.access ? { access: stop.spec.access } : {}),
      ...(options.clientId !== undefined ? { clientId: options.clientId } : {}),
      ...(options.localStore !== undefined ? { localStore: options.localStore } : {}),
      link: (to, segment, payload) => link(name, to, segment, payload),
      around: around(name),
      servingStop: (store) => servingStop(store, name),
      trusted: stop.spec.trusted ?? false,
      config: runtimeConfig,
    });
    const root = await stop.factory.instantiate(coreModuleLoader(stop.dir), { ...extra, ...host.imports });
    const dispatch = root.dispatch ?? root['stopline:line/dispatch@0.1.0'];
    if (!dispatch) throw new Error(`the component of stop '${name}' does not export stopline:line/dispatch`);
    return { host, dispatch, ms: Math.round((performance.now() - started) * 10) / 10 };
  };

  const install = (stop: LoadedStop, instance: Instance): void => {
    stop.host = instance.host;
    stop.dispatch = instance.dispatch;
    stop.dead = null;
    stop.crashed = false;
    stop.active = 0;
    stop.instantiateMs = instance.ms;
  };

  const instantiate = async (stop: LoadedStop): Promise<void> => install(stop, await makeInstance(stop));

  /** Makes the stop's spare instance (for `stop` faults); a failure leaves it without one. */
  const prepareSpare = (stop: LoadedStop): Promise<void> =>
    makeInstance(stop).then(
      (instance) => {
        stop.spare = instance;
      },
      () => undefined,
    );

  /** A `stop` fault: the instance dies; the spare takes its place when there is one, else the stop stays down. */
  const stopInstance = (stop: LoadedStop): void => {
    stop.host.close();
    const spare = stop.spare;
    stop.spare = null;
    if (spare === null) {
      stop.dead = 'it was stopped';
      stop.dispatch = null;
      return;
    }
    install(stop, spare);
    void prepareSpare(stop);
  };

  for (const spec of options.stops) {
    let dir: string;
    let moduleName = spec.transpiledName ?? DEFAULT_NAME;
    let transpileMs = 0;
    let transpileCached = true;
    if (spec.transpiledDir !== undefined) {
      dir = path.resolve(spec.transpiledDir);
    } else if (spec.wasmPath !== undefined) {
      const t = await transpiled(path.resolve(spec.wasmPath), cacheDir);
      dir = t.dir;
      moduleName = DEFAULT_NAME;
      transpileMs = t.ms;
      transpileCached = t.cached;
    } else {
      throw new RangeError(`openLine: stop '${spec.name}' needs a wasmPath or a transpiledDir`);
    }
    const factory = (await import(pathToFileURL(path.join(dir, `${moduleName}.js`)).href)) as ComponentFactory;
    const stop: LoadedStop = { spec, factory, dir, transpileMs, transpileCached, instantiateMs: 0, host: null as unknown as StopHost, dispatch: null, active: 0, dead: null, spare: null, crashed: false };
    await instantiate(stop);
    stops.set(spec.name, stop);
  }
  if (options.faults?.restarts) await Promise.all([...stops.values()].map(prepareSpare));

  return {
    get stops() {
      return [...stops.values()].map((s) => ({ name: s.spec.name, instantiateMs: s.instantiateMs, transpileMs: s.transpileMs, transpileCached: s.transpileCached, alive: s.dead === null }));
    },
    trace,
    invoke(stopName, segment, payload) {
      const stop = stops.get(stopName);
      const first = trace.length;
      const start = clock.now();
      const outcome: LinkOutcome = stop ? run(stop, segment, payload) : { ok: false, error: { code: 'unavailable', message: `no stop named '${stopName}' on the line` } };
      flushLate();
      return { ...outcome, virtualMs: clock.now() - start, trace: trace.slice(first) };
    },
    cross(from, to, segment, payload) {
      const first = trace.length;
      const start = clock.now();
      let outcome: LinkOutcome;
      try {
        outcome = link(from, to, segment, payload);
      } catch (error) {
        outcome = { ok: false, error: { code: 'unavailable', message: messageOf(error) } };
      }
      flushLate();
      return { ...outcome, virtualMs: clock.now() - start, trace: trace.slice(first) };
    },
    rtt: (a, b) => 2 * oneWay(a, b),
    async restart(stopName) {
      const stop = stops.get(stopName);
      if (!stop) throw new RangeError(`no stop named '${stopName}' on the line`);
      if (stop.active > 0) throw new Error(`stop '${stopName}' is running`);
      stop.host.close();
      await instantiate(stop);
    },
    openConnections: (stopName) => stops.get(stopName)?.host.openConnections ?? 0,
    close() {
      for (const stop of stops.values()) {
        stop.host.close();
        stop.spare?.host.close();
      }
    },
  };
}
