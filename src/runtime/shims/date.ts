import type { Clock } from '../stores/index.js';

/**
 * A `Date` whose notion of "now" is the injected clock: `Date.now()`, `new Date()` and
 * `Date()` read `clock.now()`; everything else (`new Date(ms)`, `Date.UTC`, `Date.parse`,
 * the prototype, `instanceof Date`) is the real `Date`. It is a Proxy over the global
 * `Date`, so a date made with it is an ordinary Date and an ordinary Date is `instanceof`
 * it.
 *
 * The loader binds it as a module-level `Date` in every module of the original program
 * (see `loadOriginal`'s `globals`), so the program's own code sees virtual time; code in
 * node_modules still reads the wall clock.
 */
export function createClockedDate(clock: Clock): DateConstructor {
  const RealDate = Date;
  const now = (): number => clock.now();
  return new Proxy(RealDate, {
    construct(target, args: unknown[], newTarget: Function) {
      const values = args.length === 0 ? [now()] : args;
      return Reflect.construct(target as Function, values, newTarget) as object;
    },
    apply() {
      // `Date()` called as a function: the current time as a string, whatever the arguments.
      return new RealDate(now()).toString();
    },
    get(target, property) {
      if (property === 'now') return now;
      return Reflect.get(target, property, target) as unknown;
    },
  });
}
