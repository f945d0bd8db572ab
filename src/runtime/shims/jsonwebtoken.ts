import { createRequire } from 'node:module';
import path from 'node:path';
import type { Clock } from '../stores/index.js';

/**
 * The REAL jsonwebtoken for the original program, on the world's clock. The program's own
 * modules see the clocked `Date` (run.ts), but a package from node_modules reads the
 * process' `Date.now()`: jsonwebtoken's `iat`, `exp` and expiry checks would then use the
 * wall clock while the split program's lowering (codegen/lower/jsonwebtoken.ts) uses the
 * line's virtual clock, and the two could not be compared. So `sign` and `verify` run with
 * `Date.now` reading `clock` for the duration of the call (both read the time
 * synchronously, callbacks included), and the rest of the library is passed through.
 *
 * The package is resolved from the project, as the program would import it; null when the
 * project cannot resolve it (then nothing is shimmed and an import of it fails as it would).
 */
export function clockedJsonwebtoken(projectDir: string, clock: Clock): Record<string, unknown> | null {
  let library: Record<string, unknown>;
  try {
    library = createRequire(path.join(path.resolve(projectDir), 'package.json'))('jsonwebtoken') as Record<string, unknown>;
  } catch {
    return null;
  }
  const onClock =
    (fn: unknown) =>
    function (this: unknown, ...args: unknown[]): unknown {
      const saved = Date.now;
      Date.now = () => clock.now();
      try {
        return (fn as (...a: unknown[]) => unknown).apply(this, args);
      } finally {
        Date.now = saved;
      }
    };
  const shim: Record<string, unknown> = { ...library, sign: onClock(library['sign']), verify: onClock(library['verify']) };
  shim['default'] = { ...shim };
  return shim;
}
