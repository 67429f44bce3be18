import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';

/** At most `limit` events per sliding window of `windowMs` under `key`. */
export interface RateRule {
  key: string;
  limit: number;
  windowMs: number;
}

/** Where the sliding windows live: this process, or Redis shared by every instance. */
export interface RateWindows {
  /**
   * Milliseconds until one more event fits every rule. When it answers 0, the event has been
   * counted under all the rules at once; otherwise under none of them.
   */
  reserve(rules: RateRule[]): Promise<number>;
}

/** Windows in memory: one instance only (several instances would each allow the full limit). */
export class MemoryRateWindows implements RateWindows {
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  reserve(rules: RateRule[]): Promise<number> {
    const t = this.now();
    let wait = 0;
    for (const rule of rules) {
      const recent = (this.hits.get(rule.key) ?? []).filter((at) => t - at < rule.windowMs);
      this.hits.set(rule.key, recent);
      if (recent.length >= rule.limit) wait = Math.max(wait, recent[recent.length - rule.limit] + rule.windowMs - t);
    }
    if (wait === 0) for (const rule of rules) this.hits.get(rule.key)!.push(t);
    if (this.hits.size > 10_000) this.prune(t, rules);
    return Promise.resolve(wait);
  }

  private prune(t: number, rules: RateRule[]): void {
    const longest = Math.max(60_000, ...rules.map((r) => r.windowMs));
    for (const [key, times] of this.hits) if (times.every((at) => t - at >= longest)) this.hits.delete(key);
  }
}

// One sorted set per key (scores: event times in ms, by the Redis server's clock, so instances with
// skewed clocks still agree). Checks every rule, then counts the event under all or none.
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local wait = 0
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[2 * i - 1])
  local window = tonumber(ARGV[2 * i])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local n = redis.call('ZCARD', key)
  if n >= limit then
    local oldest = redis.call('ZRANGE', key, n - limit, n - limit, 'WITHSCORES')
    wait = math.max(wait, tonumber(oldest[2]) + window - now)
  end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[#ARGV])
  redis.call('PEXPIRE', key, tonumber(ARGV[2 * i]))
end
return 0`;

/** Windows in Redis (on a connection it does not own): every instance counts against the same limits. */
export class RedisRateWindows implements RateWindows {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async reserve(rules: RateRule[]): Promise<number> {
    const keys = rules.map((r) => this.prefix + r.key);
    const args = rules.flatMap((r) => [String(r.limit), String(Math.ceil(r.windowMs))]);
    const wait = await this.redis.eval(RESERVE, keys.length, ...keys, ...args, randomUUID());
    return Number(wait);
  }
}
