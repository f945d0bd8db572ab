import type { Clock } from '../stores/index.js';

/**
 * The REAL jsonwebtoken, reading the runtime's clock instead of the wall clock.
 *
 * jsonwebtoken takes "now" from `Date.now()` (the `iat` of `sign`, the `exp`/`nbf`/`maxAge`
 * checks of `verify`). In the original program only the project's own modules see the
 * virtual clock (`Date` is rebound in them, shims/date.ts); a package in node_modules reads
 * the wall clock, so a token made for the virtual clock's 2026-01-01 would already be
 * expired. This wrapper passes the clock through jsonwebtoken's own options, so the
 * library's code and errors are untouched:
 *   - `verify(token, key, options?, callback?)`: `options.clockTimestamp` defaults to the
 *     clock's seconds (a caller's own `clockTimestamp` wins);
 *   - `sign(payload, key, options?, callback?)`: an object payload without `iat` gets the
 *     clock's seconds as `iat` (a copy, unless `options.mutatePayload`), which is the
 *     timestamp jsonwebtoken derives `expiresIn` and `notBefore` from; `noTimestamp`
 *     still removes it;
 *   - `decode` and the error classes are the library's own.
 * Inside components the guest's `Date` reads the virtual clock itself (wasi:clocks).
 */

type Fn = (...args: unknown[]) => unknown;

export interface JsonwebtokenModule {
  readonly sign: Fn;
  readonly verify: Fn;
  readonly decode: Fn;
  readonly JsonWebTokenError: unknown;
  readonly NotBeforeError: unknown;
  readonly TokenExpiredError: unknown;
}

const isOptions = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

export function createClockedJsonwebtoken(real: JsonwebtokenModule, clock: Clock): JsonwebtokenModule & { readonly default: JsonwebtokenModule } {
  const seconds = (): number => Math.floor(clock.now() / 1000);
  const verify: Fn = (token, key, ...rest) => {
    const callback = typeof rest[rest.length - 1] === 'function' ? (rest.pop() as Fn) : undefined;
    const options = isOptions(rest[0]) ? rest[0] : {};
    const clocked = options['clockTimestamp'] === undefined ? { ...options, clockTimestamp: seconds() } : options;
    return callback ? real.verify(token, key, clocked, callback) : real.verify(token, key, clocked);
  };
  const sign: Fn = (payload, key, ...rest) => {
    const options = isOptions(rest[0]) ? rest[0] : {};
    let given = payload;
    const plain = isOptions(payload) && !(payload instanceof Uint8Array) && Object.getPrototypeOf(payload) === Object.prototype;
    if (plain && (payload as Record<string, unknown>)['iat'] === undefined) {
      if (options['mutatePayload']) (payload as Record<string, unknown>)['iat'] = seconds();
      else given = { ...(payload as Record<string, unknown>), iat: seconds() };
    }
    return real.sign(given, key, ...rest);
  };
  const clocked = { ...real, sign, verify };
  return { ...clocked, default: clocked };
}
