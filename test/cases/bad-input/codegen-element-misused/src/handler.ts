export function mark(id: string): string {
  const row = document.querySelector('#row');
  row?.classList.add('saving');
  const key = process.env.MARK_KEY ?? '';
  return `${id}.${key.length}`;
}
