function* pairs(items: number[]): Generator<[number, number]> {
  for (const item of items) yield [item, item * 2];
}

/** @stopline entry edge */
export async function control(items: number[]): Promise<number> {
  let sum = 0;
  try {
    if (items.length === 0) throw new Error('empty');
    sum = items[0] ?? 0;
  } catch {
    sum = -1;
  }
  if (sum < 0) throw new RangeError('negative');
  for (const item of items) {
    if (item === 0) continue;
    if (item > 100) break;
    sum += await Promise.resolve(item);
  }
  done: {
    if (sum > 10) break done;
    sum++;
  }
  try {
    if (sum === 7) return 7;
  } finally {
    sum--;
  }
  const all = [...pairs(items)];
  return sum + all.length;
}
