import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';

const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * A lease on a Redis key: one holder at a time across instances, lost when not renewed within
 * `ttlMs` (a crashed holder frees it by itself).
 */
export class RedisLease {
  private readonly redis: Redis;
  private readonly token = randomUUID();

  constructor(
    redisUrl: string,
    private readonly key: string,
    private readonly ttlMs: number,
  ) {
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: 2, lazyConnect: false });
  }

  async acquire(): Promise<boolean> {
    return (await this.redis.set(this.key, this.token, 'PX', this.ttlMs, 'NX')) === 'OK';
  }

  async renew(): Promise<boolean> {
    return (await this.redis.eval(RENEW, 1, this.key, this.token, String(this.ttlMs))) === 1;
  }

  async release(): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key, this.token).catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}
