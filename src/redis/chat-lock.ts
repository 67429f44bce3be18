import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { hashId } from '@/common/hash-id';
import { RetryLaterError } from '@/jobs/job.types';
import { KeyedLock } from './keyed-lock';
import { redisKey } from './redis-connection';
import { RedisKeyHolder } from './redis-lease';
import type { RedisService } from './redis.service';

export interface ChatLockOptions {
  /** A connection to the Redis shared by every instance; without it the lock holds within this process only. */
  redis?: Redis;
  /** Life of a holder's Redis key unless renewed: how long a crashed instance can hold a chat. */
  ttlMs?: number;
  /** How long to wait while another instance holds the chat before giving up with {@link ChatBusyError}. */
  maxWaitMs?: number;
  /** Prefix of the Redis keys (tests use their own). */
  prefix?: string;
}

/**
 * Thrown when another instance held a chat for longer than the wait allows. A queue job that meets it
 * is retried a second later; a message handler logs it with its update.
 */
export class ChatBusyError extends RetryLaterError {
  override name = 'ChatBusyError';
  constructor(waitedMs: number) {
    super(`the chat was held by another instance for more than ${Math.round(waitedMs / 1000)} s`, 1000);
  }
}

/**
 * Runs tasks one at a time per chat, in arrival order within an instance. With Redis, also one at a
 * time across instances: a message handled on one instance and an analysis finishing on another
 * never interleave their replies or overwrite each other's conversation state. The Redis key names
 * a hash of the chat, never the chat id (a phone number on WhatsApp). Used by the patient journey,
 * the outreach dialogue and the analyses that answer in a chat; it lives with Redis, below them all.
 */
export class ChatLock {
  private readonly logger = new Logger(ChatLock.name);
  private readonly local = new KeyedLock();
  private readonly keys?: RedisKeyHolder;
  private readonly ttlMs: number;
  private readonly maxWaitMs: number;
  private readonly prefix: string;

  constructor(options: ChatLockOptions = {}) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.maxWaitMs = options.maxWaitMs ?? 60_000;
    this.prefix = options.prefix ?? redisKey('chat-lock:');
    if (options.redis) this.keys = new RedisKeyHolder(options.redis);
  }

  /** The instance's lock: across instances under `dermlink:chat-lock:` with Redis, in this process without. */
  static fromRedis(redis: RedisService): ChatLock {
    return redis.choose(
      'chat-lock:',
      () => new ChatLock(),
      (connection, prefix) => new ChatLock({ redis: connection, prefix }),
    );
  }

  /** Whether the lock also holds across instances (Redis). */
  get shared(): boolean {
    return this.keys !== undefined;
  }

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    // Order within this instance first, so only the head of its queue contends in Redis.
    return this.local.run(key, () => (this.keys ? this.holding(this.keys, key, task) : task()));
  }

  private async holding<T>(keys: RedisKeyHolder, key: string, task: () => Promise<T>): Promise<T> {
    const heldKey = this.prefix + hashId(key);
    const token = randomUUID();
    const deadline = Date.now() + this.maxWaitMs;
    for (let pause = 20; !(await keys.acquire(heldKey, token, this.ttlMs)); pause = Math.min(pause * 1.5, 250)) {
      if (Date.now() + pause > deadline) throw new ChatBusyError(this.maxWaitMs);
      await sleep(pause);
    }
    // A task may outlive the key's life (a slow send): renew it while the task runs.
    const renewal = setInterval(() => {
      keys.renew(heldKey, token, this.ttlMs).then(
        (held) => held || this.logger.warn('A chat lock expired while its task was still running'),
        (err: Error) => this.logger.warn(`Could not renew a chat lock: ${err.message}`),
      );
    }, this.ttlMs / 3);
    try {
      return await task();
    } finally {
      clearInterval(renewal);
      await keys.release(heldKey, token);
    }
  }
}
