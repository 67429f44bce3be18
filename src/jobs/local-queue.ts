import { setTimeout as sleep } from 'node:timers/promises';
import { AsyncResource } from 'node:async_hooks';
import { retryDelay } from './job.types';

interface Entry {
  payload: unknown;
  key?: string;
  resolve: (result: unknown) => void;
  reject: (err: Error) => void;
}

/**
 * The in-process transport for one job name: up to `concurrency` jobs at once, retries with the
 * same delays as the Redis transport, and a key that keeps a job from being queued twice while it
 * waits or runs (bull's job id). Jobs run in the queue's own async context, not in the one of whoever
 * queued them (as with bull), so they do not act on behalf of the event that queued them.
 */
export class LocalQueue {
  private readonly waiting: Entry[] = [];
  private readonly keys = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;
  private readonly context = new AsyncResource('LocalQueue');

  constructor(
    private readonly concurrency: number,
    private readonly attempts: number,
    private readonly run: (payload: unknown) => Promise<unknown>,
    private readonly onFailure: (attempt: number, last: boolean, err: Error) => void,
  ) {}

  /** Resolves to the job's result; a job whose key is already queued resolves at once to undefined. */
  add(payload: unknown, key?: string): Promise<unknown> {
    if (this.stopped) return Promise.reject(new Error('The job queue is stopping'));
    if (key !== undefined && this.keys.has(key)) return Promise.resolve(undefined);
    if (key !== undefined) this.keys.add(key);
    return new Promise((resolve, reject) => {
      this.waiting.push({ payload, key, resolve, reject });
      this.next();
    });
  }

  /** Stops taking jobs and waits for the running ones (the waiting ones are resumable from the database). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const e of this.waiting.splice(0)) e.reject(new Error('The job queue is stopping'));
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  private next(): void {
    while (!this.stopped && this.running.size < this.concurrency && this.waiting.length) {
      const entry = this.waiting.shift()!;
      const done = this.context
        .runInAsyncScope(() => this.execute(entry))
        .finally(() => {
          this.running.delete(done);
          this.next();
        });
      this.running.add(done);
    }
  }

  private async execute(entry: Entry): Promise<void> {
    let outcome: { result: unknown } | { error: Error };
    for (let attempt = 1; ; attempt++) {
      try {
        outcome = { result: await this.run(entry.payload) };
        break;
      } catch (err) {
        const last = attempt >= this.attempts || this.stopped;
        this.onFailure(attempt, last, err as Error);
        if (last) {
          outcome = { error: err as Error };
          break;
        }
        await sleep(retryDelay(attempt, err));
      }
    }
    // The key is free before anyone hears the outcome, so a caller may queue the same work again at once.
    if (entry.key !== undefined) this.keys.delete(entry.key);
    if ('error' in outcome) entry.reject(outcome.error);
    else entry.resolve(outcome.result);
  }
}
