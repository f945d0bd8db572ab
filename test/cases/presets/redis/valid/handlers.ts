import { createClient } from 'redis';

export const client = createClient({ url: 'redis://localhost:6379' });

export async function handlers() {
  await client.connect();
  await client.get('cart:1');
  await client.hGetAll('user:1');
  await client.mGet(['a', 'b']);
  await client.GET('cart:2');
  await client.set('cart:1', '{}', { EX: 60 });
  await client.del('cart:1');
  await client.hSet('user:1', 'name', 'Ada');
  await client.expire('k', 60);
  await client.incr('hits');
  await client.ping();
}
