import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { addressKey } from '../../codegen/lower/http-link.js';
import { locatePackage } from '../../codegen/component/packages.js';
import type { StoplineConfig } from '../config/index.js';
import { diagnostic } from '../diagnostics/index.js';
import type { Diagnostic } from '../ir/index.js';
import type { ReadBuild } from '../build/run-build.js';
import { withLinkKey } from '../runtime/line/link-key.js';
import { loadRuntimeConfig } from '../runtime/original/runtime-config.js';
import { startForwarder, type Forwarder } from './forwarder.js';
import { seedState } from './state.js';
import { SETTINGS_ENV, type StopHostSettings } from './settings.js';

/**
 * `stopline serve` as a library: every server stop of a build (dist/, verified by
 * `readBuild`) as a real `jco serve` process on 127.0.0.1, each in its own process group,
 * its component's non-WASI imports given by one host module (stop-host.ts, through
 * `--jco-map`) on the state folder's stores (state.ts, seeded as `stopline run` seeds),
 * and between each stop and every stop after it a forwarder (forwarder.ts) that adds the
 * one-way latency of the hops between them in each direction; a stop's
 * `STOPLINE_ADDR_<STOP>` points at its forwarder, so its link calls go over HTTP through
 * it (codegen/lower/http-link.ts). The deployment key is the runtime configuration's
 * (runtime.env) or a fresh one for this run (link-key.ts), never written anywhere but the
 * stops' settings files in the state folder.
 *
 * `startServe` resolves once every stop answers its health path; `close()` ends every
 * process it started (SIGTERM to each process group — `jco serve` runs the component in a
 * child of its own, which would otherwise keep listening — then SIGKILL after a grace
 * period) and every forwarder, and resolves when they are gone. A stop that exits on its
 * own ends the others too: `done` resolves with why.
 */

export interface ServeOptions {
  readonly projectDir: string;
  readonly config: StoplineConfig;
  readonly build: ReadBuild;
  /** where the stores live (created; its stores are written fresh) */
  readonly stateDir: string;
  /** the stops' ports in line order (one per stop with a component); default: free ports */
  readonly ports?: readonly number[];
  readonly seedFile: string | null;
  /** freeze the stops' wall clock (and SQL now()) at this time, ms since the epoch (reproducible runs); default: the real clock */
  readonly clockMs?: number;
  /** whether the forwarders wait the line's latency (default true; false: they only pass requests on, for measuring the stops themselves) */
  readonly latency?: boolean;
  /** the runtime configuration (default: the project's runtime.env) */
  readonly runtimeConfig?: Readonly<Record<string, string>>;
  /** how long a stop may take to answer its health path (default 120 s: each transpiles its component first) */
  readonly startTimeoutMs?: number;
  /** each line a stop's process writes (stdout and stderr) */
  readonly onOutput?: (stop: string, line: string) => void;
}

export interface ServedStop {
  readonly stop: string;
  readonly url: string;
  readonly port: number;
  /** the `jco serve` process (the leader of its process group) */
  readonly pid: number;
}

export type ServeEnd = { readonly reason: 'closed' } | { readonly reason: 'stop-failed'; readonly diagnostic: Diagnostic };

export interface RunningServe {
  readonly stops: readonly ServedStop[];
  readonly forwarders: readonly { readonly from: string; readonly to: string; readonly url: string; readonly latencyMs: number }[];
  /** every port listened on (stops and forwarders) */
  readonly ports: readonly number[];
  /** resolves when everything has ended: closed, or a stop failed (and the rest were ended) */
  readonly done: Promise<ServeEnd>;
  close(): Promise<void>;
}

/** A failure to start, with its diagnostic. */
export class ServeError extends Error {
  override readonly name = 'ServeError';
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

const GRACE_MS = 3000;
const OUTPUT_KEPT = 16 * 1024;

const here = path.dirname(fileURLToPath(import.meta.url));

/** The compiled host module (a `jco serve` child runs plain JavaScript): next to this file once built, else lib/'s copy. */
export function stopHostModule(): string {
  for (const candidate of [path.join(here, 'stop-host.js'), path.resolve(here, '../../lib/src/serve/stop-host.js')]) if (fs.existsSync(candidate)) return candidate;
  throw new Error(`stopline serve: the compiled host module stop-host.js is missing next to ${here} (run npm run build)`);
}

function jcoCli(): string {
  const jco = locatePackage('@bytecodealliance/jco', here);
  return path.join(jco.dir, 'dist', 'jco.js');
}

/** Whether `port` can be listened on at 127.0.0.1 now. */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port free at 127.0.0.1 now (the system's choice). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function endGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is gone
  }
}

/** Whether a process group still has a member. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function healthy(url: string): Promise<boolean> {
  try {
    const r = await fetch(`${url}/.well-known/stopline/health`, { signal: AbortSignal.timeout(2000) });
    await r.text();
    return r.status === 200;
  } catch {
    return false;
  }
}

export async function startServe(options: ServeOptions): Promise<RunningServe> {
  const { config, build } = options;
  const line = config.line.stops.map((s) => s.name);
  const served = line.filter((s) => build.components.has(s));
  const trusted = new Map(config.line.stops.map((s) => [s.name, s.trusted]));
  const latency = new Map(config.line.stops.map((s) => [s.name, s.latencyMs]));
  const oneWay = (a: string, b: string): number => {
    const [i, j] = [line.indexOf(a), line.indexOf(b)];
    let sum = 0;
    for (let k = Math.min(i, j) + 1; k <= Math.max(i, j); k++) sum += latency.get(line[k]!) ?? 0;
    return sum;
  };

  if (options.ports !== undefined && options.ports.length !== served.length) {
    throw new ServeError(diagnostic('SL5401', null, { detail: `${options.ports.length} given, the build has ${served.length} server stop${served.length === 1 ? '' : 's'} (${served.join(', ')})` }));
  }
  const ports: number[] = [];
  for (const [i, stop] of served.entries()) {
    const port = options.ports?.[i];
    if (port === undefined) {
      let p = await freePort();
      while (ports.includes(p)) p = await freePort();
      ports.push(p);
    } else {
      if (!(await portFree(port))) throw new ServeError(diagnostic('SL5402', null, { port: String(port), stop }));
      ports.push(port);
    }
  }

  fs.mkdirSync(options.stateDir, { recursive: true });
  await seedState(config, options.stateDir, options.seedFile);
  const values = withLinkKey(options.runtimeConfig ?? loadRuntimeConfig(options.projectDir));
  const hostModule = stopHostModule();
  const jco = jcoCli();

  const stops: ServedStop[] = [];
  const children = new Map<string, ChildProcess>();
  const forwarders: { from: string; to: string; url: string; latencyMs: number; server: Forwarder }[] = [];
  const output = new Map<string, string>();
  let closing = false;
  let resolveDone!: (end: ServeEnd) => void;
  const done = new Promise<ServeEnd>((resolve) => (resolveDone = resolve));
  let failure: Diagnostic | null = null;

  const closeAll = async (): Promise<void> => {
    closing = true;
    const exits = [...children.values()].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
        }),
    );
    for (const child of children.values()) endGroup(child, 'SIGTERM');
    const timer = setTimeout(() => {
      for (const child of children.values()) endGroup(child, 'SIGKILL');
    }, GRACE_MS);
    await Promise.all(exits);
    // The group may outlive its leader (jco serve's own child): wait for it too, then make sure.
    for (const child of children.values()) {
      const pid = child.pid;
      if (pid === undefined) continue;
      const until = Date.now() + GRACE_MS;
      while (groupAlive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      if (groupAlive(pid)) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // gone
        }
        while (groupAlive(pid)) await new Promise((r) => setTimeout(r, 20));
      }
    }
    clearTimeout(timer);
    await Promise.all(forwarders.map((f) => f.server.close()));
  };

  let closed: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closed ??= closeAll().then(() => resolveDone(failure === null ? { reason: 'closed' } : { reason: 'stop-failed', diagnostic: failure }));
    return closed;
  };

  const fail = (stop: string, detail: string): void => {
    if (closing) return;
    const tail = (output.get(stop) ?? '').trim().split('\n').slice(-5).join(' | ');
    failure ??= diagnostic('SL5403', null, { stop, detail: tail === '' ? detail : `${detail}; its last output: ${tail}` });
    void close();
  };

  try {
    const urls = new Map(served.map((s, i) => [s, `http://127.0.0.1:${ports[i]}`]));
    for (const from of served) {
      if (trusted.get(from) !== true) continue;
      for (const to of served.slice(served.indexOf(from) + 1)) {
        const latencyMs = options.latency === false ? 0 : oneWay(from, to);
        const server = await startForwarder(urls.get(to)!, latencyMs);
        forwarders.push({ from, to, url: server.url, latencyMs, server });
      }
    }
    const settingsDir = path.join(options.stateDir, 'stops');
    fs.mkdirSync(settingsDir, { recursive: true });
    for (const [i, stop] of served.entries()) {
      const addresses = Object.fromEntries(forwarders.filter((f) => f.from === stop).map((f) => [addressKey(f.to), f.url]));
      const settings: StopHostSettings = {
        stop,
        line,
        trusted: trusted.get(stop) === true,
        stateDir: options.stateDir,
        stores: config.stores,
        config: trusted.get(stop) === true ? { ...values, ...addresses } : {},
        clockMs: options.clockMs ?? null,
      };
      const settingsFile = path.join(settingsDir, `${stop}.json`);
      fs.writeFileSync(settingsFile, JSON.stringify(settings), { mode: 0o600 });
      const maps = ['stopline:line/*', 'wasi:keyvalue/*', 'wasi:config/*', ...(options.clockMs !== undefined ? ['wasi:clocks/wall-clock'] : [])].map((m) => `${m}=${hostModule}`);
      const args = [jco, 'serve', build.components.get(stop)!, '--port', String(ports[i]), '--host', '127.0.0.1', '--jco-dir', path.join(options.stateDir, 'jco', stop), '--jco-map', ...maps];
      const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, [SETTINGS_ENV]: settingsFile } });
      children.set(stop, child);
      const collect = (chunk: Buffer): void => {
        const text = chunk.toString('utf8');
        output.set(stop, ((output.get(stop) ?? '') + text).slice(-OUTPUT_KEPT));
        for (const l of text.split('\n')) if (l.trim() !== '') options.onOutput?.(stop, l);
      };
      child.stdout?.on('data', collect);
      child.stderr?.on('data', collect);
      child.on('error', (e) => fail(stop, `cannot start: ${e.message}`));
      child.on('exit', (code, signal) => fail(stop, `its process exited (${signal ?? `code ${code}`})`));
      stops.push({ stop, url: urls.get(stop)!, port: ports[i]!, pid: child.pid ?? -1 });
    }
    const deadline = Date.now() + (options.startTimeoutMs ?? 120_000);
    const waiting = new Set(served);
    while (waiting.size > 0) {
      if (failure !== null) break;
      for (const stop of [...waiting]) if (await healthy(urls.get(stop)!)) waiting.delete(stop);
      if (waiting.size === 0) break;
      if (Date.now() > deadline) {
        fail([...waiting][0]!, `no answer on its health path within ${Math.round((options.startTimeoutMs ?? 120_000) / 1000)} s`);
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    if (failure !== null) {
      await close();
      throw new ServeError(failure);
    }
  } catch (error) {
    await close();
    throw error;
  }
  return {
    stops,
    forwarders: forwarders.map(({ server: _server, ...f }) => f),
    ports: [...ports, ...forwarders.map((f) => f.server.port)],
    done,
    close,
  };
}
