import { AsyncResource } from 'node:async_hooks';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { RedisService } from '@/redis/redis.service';
import { BullTransport, Registration } from './bull-transport';
import { JobHandler, JobName, JobOptions, JobPayloads, JobResults, logJobFailure, SandboxedProcessor } from './job.types';
import { LocalQueue } from './local-queue';
import { ProcessorPool } from './processor-pool';

/** Injection token: whether boot demands a handler for every job (true in the app). */
export const JOBS_REQUIRE_ALL = Symbol('JOBS_REQUIRE_ALL');

/**
 * Runs background jobs. With REDIS_URL they are bull queues on Redis, shared by every instance, and
 * sandboxed processors run in bull's child processes. Without it the same handlers run in this
 * process and sandboxed processors in our own pool of child processes. The handlers are the same
 * either way, and the work they do is resumable from the database, so a crash loses nothing.
 */
@Injectable()
export class JobsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(JobsService.name);
  private readonly registrations = new Map<JobName, Registration>();
  private readonly local = new Map<JobName, LocalQueue>();
  private readonly pools: ProcessorPool[] = [];
  private readonly bull?: BullTransport;
  private started?: Promise<void>;
  private stopping = false;
  /** The context the service was built in: in-process queues are made in it, whoever first queues a job. */
  private readonly home = new AsyncResource('JobsService');

  constructor(
    redis: RedisService,
    @Inject(JOBS_REQUIRE_ALL) private readonly requireAll: boolean,
  ) {
    const bull = redis.bull;
    if (bull) this.bull = new BullTransport(bull.url, bull.prefix);
  }

  /** True when jobs travel through Redis (payloads leave this process). */
  get distributed(): boolean {
    return this.bull !== undefined;
  }

  /** A job run by `handler` in the service (any instance's, with Redis). */
  register<N extends JobName>(name: N, handler: JobHandler<N>, options: JobOptions): void {
    this.registrations.set(name, { options, handler: handler as unknown as JobHandler<JobName> });
  }

  /** A CPU-bound job run in child processes (in this process when concurrency is 1 and there is no Redis). */
  registerSandboxed<N extends JobName>(name: N, processor: SandboxedProcessor<N>, options: JobOptions): void {
    this.registrations.set(name, { options, sandboxed: processor as unknown as SandboxedProcessor<JobName> });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureStarted();
  }

  /** Starts the transport once (child processes included); fails when a job has no handler. */
  private ensureStarted(): Promise<void> {
    if (this.started) return this.started;
    const missing = Object.values(JobName).filter((n) => !this.registrations.has(n));
    if (this.requireAll && missing.length) throw new Error(`No handler registered for jobs: ${missing.join(', ')}`);
    if (this.bull) {
      this.bull.start(this.registrations);
      this.started = Promise.resolve();
      return this.started;
    }
    const starting: Promise<void>[] = [];
    for (const [name, reg] of this.registrations) {
      let run: (payload: unknown) => Promise<unknown>;
      if ('handler' in reg) {
        run = reg.handler as (payload: unknown) => Promise<unknown>;
      } else if (reg.options.concurrency > 1) {
        const pool = new ProcessorPool(reg.sandboxed.file, reg.options.concurrency, reg.sandboxed.warmUp, (m) =>
          this.logger.warn(m),
        );
        this.pools.push(pool);
        starting.push(pool.start());
        run = (payload) => pool.run(payload);
      } else {
        run = reg.sandboxed.handler as (payload: unknown) => Promise<unknown>;
      }
      const onFailure = (attempt: number, last: boolean, err: Error) => logJobFailure(this.logger, name, attempt, last, err);
      // A queue runs its jobs in the context it was made in (see LocalQueue), so it is made in ours, not
      // in that of an incoming message whose handling happens to queue the first job.
      this.local.set(
        name,
        this.home.runInAsyncScope(() => new LocalQueue(reg.options.concurrency, reg.options.attempts ?? 3, run, onFailure)),
      );
    }
    this.started = Promise.all(starting).then(() => undefined);
    return this.started;
  }

  /**
   * Queues a job; resolves once it is accepted (not when it has run). `key` names the work (e.g. the
   * consultation) so the same job is not queued twice while it waits or runs.
   */
  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], key: string): Promise<void> {
    if (this.stopping) return;
    // Other providers may queue work from their own bootstrap hook, before ours has run.
    void this.ensureStarted();
    if (this.bull) return this.bull.enqueue(name, payload, `${name}:${key}`);
    void this.localQueue(name)
      .add(payload, key)
      .catch(() => undefined); // logged by the queue; the work stays resumable from the database
  }

  /** Runs a job and resolves to its answer (rejects when every attempt failed). */
  async run<N extends JobName>(name: N, payload: JobPayloads[N]): Promise<JobResults[N]> {
    if (this.stopping) throw new Error('The service is shutting down');
    await this.ensureStarted();
    if (this.bull) return this.bull.run(name, payload);
    return (await this.localQueue(name).add(payload)) as JobResults[N];
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.bull) await this.bull.stop();
    await Promise.all([...this.local.values()].map((q) => q.stop()));
    await Promise.all(this.pools.map((p) => p.close()));
  }

  private localQueue(name: JobName): LocalQueue {
    const queue = this.local.get(name);
    if (!queue) throw new Error(`No handler registered for job ${name}`);
    return queue;
  }
}
