let hits = 0;

export function count(): number {
  hits += (process.env.WEIGHT ?? '').length;
  return hits;
}
