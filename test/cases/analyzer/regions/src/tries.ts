/** @stopline entry edge */
export function guarded(text: string): number {
  let parsed = 0;
  try {
    parsed = JSON.parse(text) as number;
  } catch (e) {
    parsed = e instanceof SyntaxError ? -1 : -2;
  } finally {
    parsed += 1;
  }
  try {
    parsed *= 2;
  } finally {
    parsed -= 1;
  }
  return parsed;
}
