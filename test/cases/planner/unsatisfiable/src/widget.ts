/** Pinned to the client by stopline.yaml, but it reads a secret: no stop satisfies both. */
export function signed(value: string): string {
  const key = process.env.WIDGET_KEY ?? '';
  return `${value}.${key.length}`;
}

export function render(value: string): string {
  const tag = signed(value);
  return `<b>${tag}</b>`;
}

export function fine(value: string): string {
  return value.trim();
}
