export function scaled(options: { factor: number }): number {
  let out = 0;
  with (options) {
    out = factor * 2;
  }
  return out;
}
