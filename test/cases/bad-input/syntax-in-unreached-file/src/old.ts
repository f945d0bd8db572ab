export function legacy(a: number): number {
  return a +* 2;
}
