import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { RedisService } from '@/redis/redis.service';
import { MemoryRateWindows, RateRule, RateWindows, RedisRateWindows } from './rate-windows';

export type { RateRule } from './rate-windows';

/**
 * Sliding-window rate limits: Telegram's pacing (per chat, overall, per group), the photo limit per
 * patient, sign-in and admin API attempts per address. With `REDIS_URL` the windows live in Redis, so
 * several instances share one limit; without it they live in this process.
 */
@Injectable()
export class RateLimits {
  private readonly windows: RateWindows;

  constructor(redis: RedisService) {
    this.windows = redis.choose<RateWindows>(
      'rate:',
      () => new MemoryRateWindows(),
      (connection, prefix) => new RedisRateWindows(connection, prefix),
    );
  }

  /** Milliseconds until one more event fits every rule; at 0 it is counted under all of them. */
  reserve(rules: RateRule[]): Promise<number> {
    return this.windows.reserve(rules);
  }

  /** Counts one event under `rule` if it fits now; false (and not counted) if not. */
  async take(rule: RateRule): Promise<boolean> {
    return (await this.windows.reserve([rule])) === 0;
  }

  /**
   * Waits until one more event fits every rule and counts it, then resolves to 0. A wait longer than
   * `maxWaitMs` is not slept through: it resolves to that wait at once, and nothing is counted.
   */
  async wait(rules: RateRule[], maxWaitMs = Infinity): Promise<number> {
    for (let wait = await this.reserve(rules); wait > 0; wait = await this.reserve(rules)) {
      if (wait > maxWaitMs) return wait;
      await sleep(wait);
    }
    return 0;
  }
}
