export function wrap(s: string): string {
  return s;
}
