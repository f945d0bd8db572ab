import { clocks, cli, http, io, random } from '@bytecodealliance/preview2-shim';
import type { Clock } from '../stores/index.js';
import { wasiDatetime } from '../stores/wasi-datetime.js';

/**
 * The WASI imports of a component built with componentize-js's `clocks` feature (and the
 * io/cli/random interfaces StarlingMonkey then imports too, and wasi:http's types and
 * outgoing-handler for a server stop built with `http`), from preview2-shim, with
 * `wasi:clocks/wall-clock` reading `clock`: the guest's `Date` is the line's virtual clock,
 * as the original program's `Date` is in `runOriginal`. For `openLine`'s `extraImports`.
 *
 * `wasi:cli/environment` is an EMPTY environment (no variables, no arguments, no cwd):
 * preview2-shim's hands the host process' own `process.env` to the guest, and a stop's
 * configuration reaches it only through `wasi:config/store`, to trusted stops (config.ts).
 */
const emptyEnvironment = {
  getEnvironment: (): [string, string][] => [],
  getArguments: (): string[] => [],
  initialCwd: (): string | undefined => undefined,
};

export function wasiImports(clock: Clock): Record<string, Record<string, unknown>> {
  const wallClock = {
    ...clocks.wallClock,
    now: () => {
      const t = clock.now();
      return wasiDatetime(t);
    },
  };
  return {
    'wasi:clocks/wall-clock': wallClock,
    'wasi:clocks/monotonic-clock': clocks.monotonicClock,
    'wasi:io/poll': io.poll,
    'wasi:io/error': io.error,
    'wasi:io/streams': io.streams,
    'wasi:cli/stderr': cli.stderr,
    'wasi:cli/stdout': cli.stdout,
    'wasi:cli/stdin': cli.stdin,
    'wasi:cli/environment': emptyEnvironment,
    'wasi:cli/exit': cli.exit,
    'wasi:random/random': random.random,
    // A server stop's component (built with the `http` feature: it exports wasi:http/incoming-handler) imports these
    // for its `fetch`; on the line nothing configures a stop's address, so its link never uses them (http-link.ts).
    'wasi:http/types': http.types,
    'wasi:http/outgoing-handler': http.outgoingHandler,
  } as Record<string, Record<string, unknown>>;
}
