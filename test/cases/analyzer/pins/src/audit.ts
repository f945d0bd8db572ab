export function record(event: string): string {
  return `audit: ${event}`;
}

export function unused(): number {
  return 0;
}

function shout(text: string): string {
  return text.toUpperCase();
}

/** @stopline entry edge */
export function handle(kind: string): string {
  const first = record(kind);
  const size = first.length; const twice = size * 2;
  if (size > 3) {
    return record(shout(first));
  }
  return `${first}${twice}`;
}
