import type Redis from 'ioredis';

export function typed(redis: Redis): Redis {
  return redis;
}
