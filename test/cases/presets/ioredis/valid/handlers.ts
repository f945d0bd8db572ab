import Redis from 'ioredis';

export const redis = new Redis('redis://localhost:6379');

export async function handlers() {
  await redis.get('cart:1');
  await redis.mget('a', 'b');
  await redis.hgetall('user:1');
  await redis.exists('k');
  await redis.ttl('k');
  await redis.smembers('tags');
  await redis.lrange('queue', 0, -1);
  await redis.getBuffer('blob');
  await redis.set('cart:1', '{}', 'EX', 60);
  await redis.del('cart:1');
  await redis.hset('user:1', 'name', 'Ada');
  await redis.expire('k', 10);
  await redis.incr('hits');
  await redis.multi().set('a', '1').exec();
  await redis.ping();
}
