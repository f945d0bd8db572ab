export async function lookup(key: string): Promise<string> {
  const value = await CACHE.get(key);
  return value ?? '';
}
