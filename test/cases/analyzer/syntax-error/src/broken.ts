/** @stopline entry edge */
export function broken(n: number): number {
  const doubled = n * ;
  return doubled;
}
