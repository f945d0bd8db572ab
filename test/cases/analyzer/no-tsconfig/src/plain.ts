/** @stopline entry origin */
export function plain(a: number, b: number): number {
  const sum = a + b;
  return sum * 2;
}
