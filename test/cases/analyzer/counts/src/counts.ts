/** @stopline entry edge */
export function lookup(key: string, hits: Record<string, string>): string {
  const hit = hits[key];
  if (hit !== undefined) {
    return hit;
  }
  const computed = key.toUpperCase();
  return computed;
}

/** @stopline entry edge */
export function validate(input: string): number {
  if (input.length === 0) {
    throw new Error('empty');
  }
  const n = Number(input);
  if (Number.isNaN(n)) throw new Error('not a number');
  return n * 2;
}

/** @stopline entry edge */
export function scan(items: string[]): number {
  let kept = 0;
  for (const item of items) {
    if (item === '') continue;
    kept++;
  }
  if (kept > 3) {
    kept = 3;
  } else {
    throw new RangeError('too few');
  }
  return kept;
}
