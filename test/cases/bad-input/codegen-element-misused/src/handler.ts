export function mark(id: string): string {
  const row = document.querySelector('#row');
  row?.classList.add('saving');
  const key = id.trim();
  return `${id}.${key.length}`;
}
