import type Redis from 'ioredis';
import { createRedisConnection } from '@/redis/redis-connection';

/** The Redis database tests may flush (`TEST_REDIS_URL`, e.g. `redis://127.0.0.1:6379/15`); unset skips the Redis tests. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL;

/**
 * Connections to the test Redis, one per simulated instance, all quit by `closeAll` (call it from
 * `afterAll`). Made by the service's own factory, with its options.
 */
export function testRedisConnections(): { connect(): Redis; closeAll(): Promise<void> } {
  const open: Redis[] = [];
  return {
    connect() {
      if (!TEST_REDIS_URL) throw new Error('TEST_REDIS_URL is not set');
      const redis = createRedisConnection(TEST_REDIS_URL);
      open.push(redis);
      return redis;
    },
    async closeAll() {
      await Promise.all(open.splice(0).map((r) => r.quit().catch(() => undefined)));
    },
  };
}
