import type { CliIO } from './io.js';

/**
 * A one-line progress indicator on stderr for long runs: `stopline: analysing… (1.2 s)`
 * rewritten in place with `\r`, erased by `done()`. Only on a terminal: when stderr is
 * not a TTY (CI logs, pipes, tests) it writes nothing at all.
 */
export interface Progress {
  phase(name: string): void;
  /** Erases the status line; call before printing results. Safe to call twice. */
  done(): void;
}

const silent: Progress = { phase: () => undefined, done: () => undefined };

export function progress(io: CliIO, now: () => number = () => performance.now()): Progress {
  if (io.stderr.isTTY !== true) return silent;
  const started = now();
  let shown = false;
  return {
    phase(name) {
      const seconds = ((now() - started) / 1000).toFixed(1);
      io.stderr.write(`\r\x1b[2Kstopline: ${name}… (${seconds} s)`);
      shown = true;
    },
    done() {
      if (shown) io.stderr.write('\r\x1b[2K');
      shown = false;
    },
  };
}
