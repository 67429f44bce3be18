import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import type { AppConfig } from '@/config/app-config';
import { APP_CONFIG } from '@/config/config.module';
import { createRedisConnection, REDIS_KEY_PREFIX, redisKey } from './redis-connection';
import { RedisLease } from './redis-lease';

/**
 * Redis for the whole instance, built once from the validated configuration: one connection shared
 * by the chat lock, the rate windows, the dashboard's and the web page's sessions and the polling
 * lease, one key prefix, and one answer to "in this process or shared by every instance?" (with
 * `REDIS_URL` or without). Closed last, after every other module has shut down.
 */
@Injectable()
export class RedisService implements OnApplicationShutdown {
  private readonly connection?: Redis;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    if (config.redisUrl) this.connection = createRedisConnection(config.redisUrl);
  }

  /** Whether state is shared by every instance through Redis. */
  get shared(): boolean {
    return this.connection !== undefined;
  }

  /**
   * The one memory-or-Redis choice: `shared` with the connection and the full key prefix for `name`
   * (e.g. `rate:` gives `dermlink:rate:`) when Redis is configured, `local` otherwise.
   */
  choose<T>(name: string, local: () => T, shared: (redis: Redis, prefix: string) => T): T {
    return this.connection ? shared(this.connection, redisKey(name)) : local();
  }

  /** A lease on `dermlink:<name>` (one holder across instances); undefined without Redis. */
  lease(name: string, ttlMs: number): RedisLease | undefined {
    return this.connection ? new RedisLease(this.connection, redisKey(name), ttlMs) : undefined;
  }

  /** What bull needs to make its own queue connections: the same URL and key prefix; undefined without Redis. */
  get bull(): { url: string; prefix: string } | undefined {
    return this.config.redisUrl ? { url: this.config.redisUrl, prefix: REDIS_KEY_PREFIX } : undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection?.quit().catch(() => undefined);
  }
}
