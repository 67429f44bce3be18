import type Redis from 'ioredis';
import { hashId } from '@/common/hash-id';
import { RetryLaterError } from '@/jobs/job.types';
import { testRedisConnections } from '../../test/support/redis';
import { ChatBusyError, ChatLock, ChatLockOptions } from './chat-lock';

const REDIS_URL = process.env.TEST_REDIS_URL;
if (!REDIS_URL) console.warn('Chat lock spec: TEST_REDIS_URL is not set, so only the in-process lock is tested (see .ci/run)');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Records which tasks run and the most that ran at once, per key. */
class Tracker {
  readonly order: string[] = [];
  private readonly active = new Map<string, number>();
  readonly peak = new Map<string, number>();
  private readonly starts = new Map<string, () => void>();

  /** Resolves when the task called `name` has started. */
  started(name: string): Promise<void> {
    return new Promise((resolve) => this.starts.set(name, resolve));
  }

  task(key: string, name: string, ms: number, fail = false): () => Promise<string> {
    return async () => {
      const now = (this.active.get(key) ?? 0) + 1;
      this.active.set(key, now);
      this.peak.set(key, Math.max(now, this.peak.get(key) ?? 0));
      this.order.push(`${name}:start`);
      this.starts.get(name)?.();
      await sleep(ms);
      this.order.push(`${name}:end`);
      this.active.set(key, (this.active.get(key) ?? 1) - 1);
      if (fail) throw new Error(`${name} failed`);
      return name;
    };
  }
}

describe(ChatLock.name, () => {
  describe('within one instance (no Redis)', () => {
    const lock = new ChatLock();

    it('should run one task at a time per chat, in arrival order, and other chats alongside', async () => {
      const t = new Tracker();
      const results = await Promise.all([
        lock.run('a', t.task('a', 'a1', 30)),
        lock.run('a', t.task('a', 'a2', 5)),
        lock.run('b', t.task('b', 'b1', 5)),
      ]);
      expect(results).toEqual(['a1', 'a2', 'b1']);
      expect(t.peak.get('a')).toBe(1);
      expect(t.order.indexOf('a1:end')).toBeLessThan(t.order.indexOf('a2:start'));
      // b did not wait for a1
      expect(t.order.indexOf('b1:end')).toBeLessThan(t.order.indexOf('a1:end'));
      expect(lock.shared).toBe(false);
    });

    it('should go on with the next task after one fails', async () => {
      const t = new Tracker();
      const failed = lock.run('a', t.task('a', 'a1', 5, true));
      const next = lock.run('a', t.task('a', 'a2', 5));
      await expect(failed).rejects.toThrow('a1 failed');
      await expect(next).resolves.toBe('a2');
    });
  });

  (REDIS_URL ? describe : describe.skip)('across instances (Redis)', () => {
    const prefix = `dermlink:test:chat-lock:${Date.now()}:`;
    // Each lock on its own connection, as on separate instances.
    const { connect, closeAll } = testRedisConnections();
    const instance = (options: ChatLockOptions = {}) => new ChatLock({ redis: connect(), prefix, ...options });
    let redis: Redis;

    beforeAll(() => {
      redis = connect();
    });
    afterAll(closeAll);

    /** The Redis key a chat lock holds, found by its prefix: the chat id itself is never in it. */
    const heldKeys = () => redis.keys(`${prefix}*`);

    it('should never let two instances run tasks of one chat at once', async () => {
      const [one, two] = [instance(), instance()];
      expect(one.shared).toBe(true);
      const t = new Tracker();
      const runs = [];
      for (let i = 0; i < 4; i++) {
        runs.push(one.run('whatsapp:15550001@c.us', t.task('chat', `one${i}`, 40)));
        runs.push(two.run('whatsapp:15550001@c.us', t.task('chat', `two${i}`, 40)));
      }
      await Promise.all(runs);
      expect(t.peak.get('chat')).toBe(1);
      expect(t.order.filter((e) => e.endsWith(':end'))).toHaveLength(8);
      // Each instance keeps its own arrival order.
      const ones = t.order.filter((e) => e.startsWith('one') && e.endsWith(':start'));
      expect(ones).toEqual(['one0:start', 'one1:start', 'one2:start', 'one3:start']);
      expect(await heldKeys()).toEqual([]);
    });

    it('should let two instances work on different chats at the same time', async () => {
      const [one, two] = [instance(), instance()];
      let bothIn = false;
      let inside = 0;
      const task = async () => {
        inside++;
        await sleep(80);
        if (inside === 2) bothIn = true;
        inside--;
      };
      await Promise.all([one.run('telegram:1', task), two.run('telegram:2', task)]);
      expect(bothIn).toBe(true);
    });

    it('should name a hash of the chat in Redis, not the chat id', async () => {
      const lock = instance();
      let keys: string[] = [];
      await lock.run('whatsapp:15550002@c.us', async () => {
        keys = await heldKeys();
      });
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatch(new RegExp(`^${prefix}[0-9a-f]{32}$`));
      expect(keys[0]).not.toContain('15550002');
    });

    it('should free the chat when a task fails', async () => {
      const [one, two] = [instance(), instance()];
      const t = new Tracker();
      const oneStarted = t.started('one');
      const failed = one.run('telegram:3', t.task('chat3', 'one', 30, true));
      await oneStarted;
      const started = Date.now();
      await expect(two.run('telegram:3', t.task('chat3', 'two', 5))).resolves.toBe('two');
      await expect(failed).rejects.toThrow('one failed');
      expect(Date.now() - started).toBeLessThan(1000);
      expect(t.peak.get('chat3')).toBe(1);
    });

    it('should keep holding a chat while a task outlives the key, by renewing it', async () => {
      const [one, two] = [instance({ ttlMs: 150 }), instance({ ttlMs: 150 })];
      const t = new Tracker();
      const slowStarted = t.started('slow');
      const first = one.run('telegram:4', t.task('chat4', 'slow', 600));
      await slowStarted;
      await two.run('telegram:4', t.task('chat4', 'next', 5));
      await first;
      expect(t.order).toEqual(['slow:start', 'slow:end', 'next:start', 'next:end']);
    });

    it('should wait out the key of a crashed instance, and give up with ChatBusyError past the wait', async () => {
      // A holder whose process died mid-task: its key stays until it expires, never released nor renewed.
      const chatKey = hashId('telegram:5');
      await redis.set(prefix + chatKey, 'a dead instance', 'PX', 300);
      const [impatient, patient] = [instance({ maxWaitMs: 100 }), instance()];
      const refused = impatient.run('telegram:5', () => Promise.resolve('never'));
      await expect(refused).rejects.toBeInstanceOf(ChatBusyError);
      await expect(refused).rejects.toBeInstanceOf(RetryLaterError); // queue jobs retry it
      const started = Date.now();
      await expect(patient.run('telegram:5', () => Promise.resolve('after expiry'))).resolves.toBe('after expiry');
      expect(Date.now() - started).toBeLessThan(1000);
      // The refused instance's queue for the chat is not stuck.
      await expect(impatient.run('telegram:5', () => Promise.resolve('later'))).resolves.toBe('later');
    });
  });
});
