import fs from 'node:fs';
import { clocks } from '@bytecodealliance/preview2-shim';
import { createStopHost, type LinkOutcome } from '../runtime/line/host.js';
import { wasiDatetime } from '../runtime/stores/wasi-datetime.js';
import { openStateStores } from './state.js';
import { SETTINGS_ENV, type StopHostSettings } from './settings.js';

/**
 * The host module of one stop under `stopline serve`: what `jco serve --jco-map` maps the
 * component's non-WASI imports to (`stopline:line/*`, `wasi:keyvalue/*`,
 * `wasi:config/*`, and with a frozen clock `wasi:clocks/wall-clock`). It runs inside the
 * `jco serve` child process, imported by the transpiled component, and exports the
 * interfaces' functions and resources by their names (one module for all: the names do not
 * clash): the local line's host (src/runtime/line/host.ts) on the state folder's stores
 * (state.ts), the stop's configuration on `wasi:config/store` (its trust as the line
 * says), and `link.call` answering `unavailable` (under serve, link calls go over HTTP:
 * codegen/lower/http-link.ts).
 *
 * Its settings are a JSON file named by the environment variable `STOPLINE_SERVE_STOP`
 * (written by serve.ts): `StopHostSettings`.
 */

const settingsFile = process.env[SETTINGS_ENV];
if (settingsFile === undefined) throw new Error(`stopline serve: ${SETTINGS_ENV} is not set`);
const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as StopHostSettings;
const clock = { now: () => settings.clockMs ?? Date.now() };
const stores = await openStateStores(settings.stores, settings.stateDir, { clock });
const unavailable = (stop: string): LinkOutcome => ({ ok: false, error: { code: 'unavailable', message: `stopline serve carries link calls over HTTP; stop '${settings.stop}' has no address for '${stop}'` } });

const host = createStopHost({
  stop: settings.stop,
  line: settings.line,
  stores: { sql: stores.sql, kv: stores.kv },
  link: (stop) => unavailable(stop),
  trusted: settings.trusted,
  config: settings.config,
});

type Functions = Record<string, unknown>;
const imports = host.imports as Record<string, Functions>;
const sql = imports['stopline:line/sql'] as { query: unknown; connect: unknown; Connection: unknown };
const kv = imports['wasi:keyvalue/store'] as { open: unknown; Bucket: unknown };
const atomics = imports['wasi:keyvalue/atomics'] as { increment: unknown };
const config = imports['wasi:config/store'] as { get: unknown; getAll: unknown };
const link = imports['stopline:line/link'] as { call: unknown };

export const { query, connect, Connection } = sql;
export const { open, Bucket } = kv;
export const { increment } = atomics;
export const { get, getAll } = config;
export const { call } = link;
/** wasi:clocks/wall-clock, frozen (mapped only when `clockMs` is set). */
export const now = (): { seconds: bigint; nanoseconds: number } => wasiDatetime(clock.now());
export const resolution = (): unknown => (clocks.wallClock as { resolution(): unknown }).resolution();
