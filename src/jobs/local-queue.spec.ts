import { AsyncLocalStorage } from 'node:async_hooks';
import { RetryLaterError } from './job.types';
import { LocalQueue } from './local-queue';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(LocalQueue.name, () => {
  const failures: string[] = [];
  const onFailure = (attempt: number, last: boolean, err: Error): void =>
    void failures.push(`${attempt}${last ? ' last' : ''}: ${err.message}`);

  beforeEach(() => failures.splice(0));

  it('should run at most `concurrency` jobs at once and answer each with its result', async () => {
    let running = 0;
    let peak = 0;
    const queue = new LocalQueue(
      2,
      1,
      async (n) => {
        running++;
        peak = Math.max(peak, running);
        await sleep(20);
        running--;
        return (n as number) * 10;
      },
      onFailure,
    );
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => queue.add(n)));
    expect(results).toEqual([10, 20, 30, 40, 50]);
    expect(peak).toBe(2);
  });

  it('should not queue a key twice while it waits or runs, and take it again once it is done', async () => {
    const runs: string[] = [];
    const queue = new LocalQueue(
      1,
      1,
      async (p) => {
        runs.push(p as string);
        await sleep(20);
      },
      onFailure,
    );
    const first = queue.add('a1', 'chat-a');
    await queue.add('a2', 'chat-a'); // ignored: chat-a is running
    await first;
    await queue.add('a3', 'chat-a');
    expect(runs).toEqual(['a1', 'a3']);
  });

  it('should retry after the delay a RetryLaterError asks for, and give up after the last attempt', async () => {
    let calls = 0;
    const times: number[] = [];
    const queue = new LocalQueue(
      1,
      3,
      () => {
        times.push(Date.now());
        return ++calls < 3 ? Promise.reject(new RetryLaterError('not yet', 150)) : Promise.resolve('done');
      },
      onFailure,
    );
    await expect(queue.add(null)).resolves.toBe('done');
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(140);
    expect(failures).toEqual(['1: not yet', '2: not yet']);

    const broken = new LocalQueue(1, 2, (): Promise<unknown> => Promise.reject(new RetryLaterError('never', 10)), onFailure);
    await expect(broken.add(null)).rejects.toThrow('never');
    expect(failures.slice(-2)).toEqual(['1: never', '2 last: never']);
  });

  it('should run a job in the context the queue was made in, not in the one of whoever queued it', async () => {
    const event = new AsyncLocalStorage<string>();
    const seen: (string | undefined)[] = [];
    const queue = new LocalQueue(
      1,
      1,
      () => {
        seen.push(event.getStore());
        return Promise.resolve();
      },
      onFailure,
    );
    await event.run('an incoming message', () => Promise.all([queue.add(1), queue.add(2)]));
    expect(seen).toEqual([undefined, undefined]);
  });

  it('should let running jobs finish on stop, drop the waiting ones and refuse new ones', async () => {
    const finished: number[] = [];
    const queue = new LocalQueue(
      1,
      1,
      async (n) => {
        await sleep(30);
        finished.push(n as number);
      },
      onFailure,
    );
    const running = expect(queue.add(1)).resolves.toBeUndefined();
    const waiting = expect(queue.add(2)).rejects.toThrow(/stopping/);
    await sleep(5);
    await queue.stop();
    await running;
    await waiting;
    await expect(queue.add(3)).rejects.toThrow(/stopping/);
    expect(finished).toEqual([1]);
  });
});
