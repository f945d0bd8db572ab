import { createClient } from 'redis';

const kv = { get: (k: string) => k, set: (k: string, v: string) => `${k}=${v}` };

export async function lookalikes() {
  kv.get('a');
  kv.set('a', 'b');
  new Map<string, string>().get('a');
  const client = createClient();
  await client.connect();
  await client.ping();
  client.on('error', () => undefined);
  await client.quit();
}
