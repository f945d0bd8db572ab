import { KVStore } from 'fastly:kv-store';

const carts = new KVStore('carts');

export async function handlers(id: string) {
  const entry = await carts.get(`cart:${id}`);
  const text = entry ? await entry.text() : '{}';
  await carts.put(`cart:${id}`, text);
  await carts.delete(`cart:${id}`);
  await carts.list({ prefix: 'cart:' });
  return text;
}
