export function kind(n: number): number {
  const class = n + 1;
  return n;
}
