/** @stopline entry edge */
export function live(items: number[], limit: number): number {
  const scale = limit * 2;
  let previous = 0;
  let rises = 0;
  for (const item of items) {
    if (item > previous) rises++;
    previous = item;
  }
  {
    const temp = items.length * scale;
    rises += temp > limit ? 1 : 0;
  }
  let offset = 1;
  const shift = (n: number): number => n + offset;
  offset = rises;
  const shifted = items.map(shift);
  return shifted.length;
}

/** @stopline entry edge */
export function early(flag: boolean, log: string[]): void {
  if (flag) return;
  log.push('not flagged');
}
