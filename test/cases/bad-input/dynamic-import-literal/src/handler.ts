export async function render(title: string): Promise<string> {
  const { load } = await import('./store.js');
  const saved = await load(title);
  return saved;
}
