import { Logger } from '@nestjs/common';
import Bull from 'bull';
import { FROM_SOURCE } from './processor-pool';
import {
  JobHandler,
  JobName,
  JobOptions,
  JobPayloads,
  JobResults,
  logJobFailure,
  retryDelay,
  SandboxedProcessor,
} from './job.types';

/** A job registered with the transport: a handler run in this process, or a sandboxed processor file. */
export type Registration = { options: JobOptions } & (
  { handler: JobHandler<JobName> } | { sandboxed: SandboxedProcessor<JobName> }
);

/** How long `run` waits for a job's answer before giving up (the job itself may still finish). */
const RUN_TIMEOUT_MS = 5 * 60_000;

/**
 * Jobs on Redis with bull: one queue per job name, shared by every instance, each job run once,
 * retried with backoff (a handler's RetryLaterError sets its own delay). Sandboxed processors run in
 * bull's child processes, `concurrency` of them per instance. Job ids keep a job from being queued
 * twice while it waits or runs; finished and failed jobs are removed, so a restart may queue it again.
 */
export class BullTransport {
  private readonly logger = new Logger(BullTransport.name);
  private readonly queues = new Map<JobName, Bull.Queue>();
  private readonly sandboxed = new Set<JobName>();

  constructor(
    private readonly redisUrl: string,
    private readonly prefix: string,
  ) {}

  start(registrations: Map<JobName, Registration>): void {
    for (const [name, reg] of registrations) {
      const queue = new Bull(name, this.redisUrl, {
        prefix: this.prefix,
        defaultJobOptions: {
          attempts: reg.options.attempts ?? 3,
          backoff: { type: 'retryDelay' },
          removeOnComplete: true,
          removeOnFail: true,
        },
        settings: {
          lockDuration: 30_000,
          stalledInterval: 15_000,
          maxStalledCount: 2,
          backoffStrategies: { retryDelay: (attemptsMade: number, err: Error) => retryDelay(attemptsMade, err) },
        },
      });
      queue.on('error', (err) => this.logger.error(`Queue ${name}: ${err.message}`));
      queue.on('failed', (job, err) =>
        logJobFailure(this.logger, `${name} ${job.id}`, job.attemptsMade, job.attemptsMade >= (job.opts.attempts ?? 1), err),
      );
      if ('handler' in reg) {
        const handler = reg.handler;
        void queue.process(reg.options.concurrency, (job: Bull.Job<JobPayloads[JobName]>) => handler(job.data));
      } else {
        // bull forks its own children and requires the file; from sources a .cjs shim registers ts-node first.
        this.sandboxed.add(name);
        void queue.process(reg.options.concurrency, `${reg.sandboxed.file}.${FROM_SOURCE ? 'sandbox.cjs' : 'js'}`);
      }
      this.queues.set(name, queue);
      this.logger.log(
        `Jobs ${name} run on Redis (${reg.options.concurrency} at a time in this instance${'handler' in reg ? '' : ', in child processes'})`,
      );
    }
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], jobId: string): Promise<void> {
    await this.queue(name).add(payload, { jobId });
  }

  /** Queues a job for any instance's workers and resolves to its answer. */
  async run<N extends JobName>(name: N, payload: JobPayloads[N]): Promise<JobResults[N]> {
    const job = await this.queue(name).add(payload);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Job ${name} ${job.id}: no answer within ${RUN_TIMEOUT_MS / 1000} s`)),
        RUN_TIMEOUT_MS,
      );
    });
    try {
      return (await Promise.race([job.finished(), timeout])) as JobResults[N];
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Stops taking jobs, lets running ones finish, closes the connections (and bull's children). The
   * service's own jobs close first: a running one may still be waiting for a sandboxed job's answer,
   * which arrives through the sandboxed queue's connection.
   */
  async stop(): Promise<void> {
    const queues = [...this.queues];
    const own = queues.filter(([name]) => !this.sandboxed.has(name)).map(([, queue]) => queue);
    const sandboxed = queues.filter(([name]) => this.sandboxed.has(name)).map(([, queue]) => queue);
    await Promise.all(own.map((queue) => queue.close()));
    await Promise.all(sandboxed.map((queue) => queue.close()));
  }

  private queue(name: JobName): Bull.Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`No queue for job ${name}`);
    return queue;
  }
}
