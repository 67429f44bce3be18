import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { AppConfig } from '@/config/app-config';
import { APP_CONFIG } from '@/config/config.module';
import { BullTransport } from './bull-transport';
import { JobHandler, JobName, JobPayloads } from './job.types';

/**
 * Runs background jobs. With REDIS_URL they are bull queues on Redis, shared by every instance.
 * Without it they run in this process, INFERENCE_CONCURRENCY at a time per job name, with retries. The handlers are
 * the same either way, and the work they do is resumable from the database, so a crash loses nothing.
 */
@Injectable()
export class JobsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(JobsService.name);
  private readonly handlers = new Map<JobName, JobHandler<JobName>>();
  private readonly lanes = new Map<JobName, Promise<void>[]>();
  private readonly concurrency: number;
  private nextLane = 0;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly bull?: BullTransport;
  private started = false;
  private stopping = false;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.concurrency = config.inference.concurrency;
    if (config.redisUrl) this.bull = new BullTransport(config.redisUrl, config.inference.concurrency);
  }

  register<N extends JobName>(name: N, handler: JobHandler<N>): void {
    this.handlers.set(name, handler as JobHandler<JobName>);
  }

  onApplicationBootstrap(): void {
    this.ensureStarted();
  }

  /** Fails the boot when a job has no handler; starts the Redis workers (once). */
  private ensureStarted(): void {
    if (this.started) return;
    const missing = Object.values(JobName).filter((n) => !this.handlers.has(n));
    if (missing.length) throw new Error(`No handler registered for jobs: ${missing.join(', ')}`);
    this.bull?.start(this.handlers);
    this.started = true;
  }

  /**
   * Queues a job; resolves once it is accepted (not when it has run). `key` names the work (e.g. the
   * consultation) so the same job is not queued twice while it waits.
   */
  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], key: string, attempts = 3): Promise<void> {
    if (this.stopping) return;
    const handler = this.handlers.get(name);
    if (!handler) throw new Error(`No handler for job ${name}`);
    // Other providers may queue work from their own bootstrap hook, before ours has run.
    this.ensureStarted();
    if (this.bull) {
      await this.bull.enqueue(name, payload, `${name}:${key}`);
      return;
    }
    // In process: up to INFERENCE_CONCURRENCY jobs of a kind at once (the inference pool's size).
    const lanes = this.lanes.get(name) ?? Array.from({ length: this.concurrency }, () => Promise.resolve());
    this.lanes.set(name, lanes);
    const lane = this.nextLane++ % lanes.length;
    const run = lanes[lane].then(() => this.runWithRetries(name, handler, payload, attempts));
    lanes[lane] = run;
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
  }

  /** Waits until every in-process job has finished (graceful shutdown). */
  private async drain(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.bull) return this.bull.stop();
    await this.drain();
  }

  private async runWithRetries(name: JobName, handler: JobHandler<JobName>, payload: JobPayloads[JobName], attempts: number): Promise<void> {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        await handler(payload);
        return;
      } catch (err) {
        const last = attempt === attempts;
        this.logger.error(`Job ${name} failed (attempt ${attempt}/${attempts})${last ? ', giving up' : ''}`, (err as Error).stack);
        if (last || this.stopping) return;
        await new Promise((r) => setTimeout(r, 500 * 2 ** (attempt - 1)));
      }
    }
  }
}
