import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { JobHandler, JobName, JobPayloads } from './job.types';

/**
 * Runs background jobs. Without REDIS_URL they run in this process, one at a time per job name,
 * with retries; the work they do is resumable from the database, so a crash loses nothing.
 */
@Injectable()
export class JobsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(JobsService.name);
  private readonly handlers = new Map<JobName, JobHandler<JobName>>();
  private readonly chains = new Map<JobName, Promise<void>>();
  private readonly inFlight = new Set<Promise<void>>();
  private stopping = false;

  register<N extends JobName>(name: N, handler: JobHandler<N>): void {
    this.handlers.set(name, handler as JobHandler<JobName>);
  }

  onApplicationBootstrap(): void {
    const missing = Object.values(JobName).filter((n) => !this.handlers.has(n));
    if (missing.length) throw new Error(`No handler registered for jobs: ${missing.join(', ')}`);
  }

  /** Queues a job; resolves once it is accepted (not when it has run). */
  enqueue<N extends JobName>(name: N, payload: JobPayloads[N], attempts = 3): Promise<void> {
    if (this.stopping) return Promise.resolve();
    const handler = this.handlers.get(name);
    if (!handler) return Promise.reject(new Error(`No handler for job ${name}`));
    const previous = this.chains.get(name) ?? Promise.resolve();
    const run = previous.then(() => this.runWithRetries(name, handler, payload, attempts));
    this.chains.set(name, run);
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
    return Promise.resolve();
  }

  /** Waits until every queued job has finished (used by graceful shutdown and tests). */
  async drain(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
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
