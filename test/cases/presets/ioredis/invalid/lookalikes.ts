import Redis from 'ioredis';

function get(key: string): string {
  return key;
}

class Cache {
  set(key: string, value: string): void {
    void key;
    void value;
  }
}

export async function lookalikes() {
  const local = new Map<string, string>();
  local.get('cart:1');
  local.set('cart:1', '{}');
  local.delete('cart:1');
  get('cart:1');
  new Cache().set('a', 'b');
  const redis = new Redis();
  await redis.ping();
  redis.on('error', () => undefined);
  await redis.quit();
}
