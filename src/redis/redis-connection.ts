import Redis from 'ioredis';

/** The first part of every key DermLink writes to Redis, bull's queues included (`dermlink:…`). */
export const REDIS_KEY_PREFIX = 'dermlink';

/** A key (or key prefix, ending in `:`) under {@link REDIS_KEY_PREFIX}: `redisKey('rate:')` is `dermlink:rate:`. */
export function redisKey(name: string): string {
  return `${REDIS_KEY_PREFIX}:${name}`;
}

/**
 * The one place a Redis connection is made (tests included): a command waits for at most two
 * reconnections before it fails, so a Redis outage surfaces as an error instead of a hang. Bull
 * makes its own connections from the same URL and prefix ({@link RedisService.bull}).
 */
export function createRedisConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 2 });
}
