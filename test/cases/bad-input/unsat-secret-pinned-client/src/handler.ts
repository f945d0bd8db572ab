export function sign(value: string): string {
  const key = process.env.SIGNING_KEY ?? '';
  return `${value}.${key.length}`;
}
