import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';

const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * Holds Redis keys by token: a key is set only when free, and renewed or deleted only by the token
 * that set it, so a holder that lost its key (expired, taken over) cannot touch the next holder's.
 */
export class RedisKeyHolder {
  constructor(private readonly redis: Redis) {}

  /** Sets `key` to `token` for `ttlMs` if nobody holds it; true when this call took it. */
  async acquire(key: string, token: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(key, token, 'PX', ttlMs, 'NX')) === 'OK';
  }

  /** Extends `key` to `ttlMs` from now if `token` still holds it; false when it no longer does. */
  async renew(key: string, token: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.eval(RENEW, 1, key, token, String(ttlMs))) === 1;
  }

  /** Frees `key` if `token` holds it. Never throws: an unreleased key expires by itself. */
  async release(key: string, token: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, key, token).catch(() => undefined);
  }
}

/**
 * A lease on a Redis key: one holder at a time across instances, lost when not renewed within
 * `ttlMs` (a crashed holder frees it by itself). Made by {@link RedisService.lease} on the shared connection.
 */
export class RedisLease {
  private readonly keys: RedisKeyHolder;
  private readonly token = randomUUID();

  constructor(
    redis: Redis,
    private readonly key: string,
    private readonly ttlMs: number,
  ) {
    this.keys = new RedisKeyHolder(redis);
  }

  acquire(): Promise<boolean> {
    return this.keys.acquire(this.key, this.token, this.ttlMs);
  }

  renew(): Promise<boolean> {
    return this.keys.renew(this.key, this.token, this.ttlMs);
  }

  release(): Promise<void> {
    return this.keys.release(this.key, this.token);
  }
}
