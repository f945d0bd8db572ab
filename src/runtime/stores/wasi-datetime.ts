/**
 * A time in milliseconds since the epoch as `wasi:clocks/wall-clock`'s `datetime`: whole
 * seconds and the nanoseconds within them (non-negative, also before 1970). Shared by the
 * line's WASI (src/runtime/line/wasi.ts) and the browser host, which both feed a guest's
 * wall clock from a clock of their own. Plain JavaScript: it is bundled for browsers.
 */
export function wasiDatetime(ms: number): { seconds: bigint; nanoseconds: number } {
  return { seconds: BigInt(Math.floor(ms / 1000)), nanoseconds: Math.round((((ms % 1000) + 1000) % 1000) * 1e6) };
}
