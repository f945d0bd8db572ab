/** @stopline entry edge */
export function loops(items: number[], bag: Record<string, number>): number {
  let total = 0;
  for (let i = 0; i < 64; i++) {
    total += i;
  }
  for (let i = 1; i <= 10; i++) total += i;
  for (let i = 0; i < 9; i += 2) total -= i;
  for (let i = 20; i > 0; i--) total ^= i;
  for (let i = 0; i < items.length; i++) total += items[i] ?? 0;
  for (const item of items) {
    total += item;
  }
  for (const key in bag) total += bag[key] ?? 0;
  while (total > 100) {
    total -= 7;
  }
  do {
    total++;
  } while (total < 5);
  outer: for (const a of items) {
    for (const b of items) {
      if (a === b) continue outer;
      if (a > b) break outer;
    }
  }
  return total;
}
