import { Logger } from '@nestjs/common';
import Bull from 'bull';
import { JobHandler, JobName, JobPayloads } from './job.types';

/**
 * Jobs on Redis with bull: one queue per job name, shared by every instance, each job run once,
 * retried with exponential backoff. A job id per consultation keeps a job from being queued twice
 * while it waits or runs; finished and failed jobs are removed, so a restart may queue it again.
 */
export class BullTransport {
  private readonly logger = new Logger(BullTransport.name);
  private readonly queues = new Map<JobName, Bull.Queue>();

  constructor(
    private readonly redisUrl: string,
    private readonly concurrency: number,
  ) {}

  start(handlers: Map<JobName, JobHandler<JobName>>): void {
    for (const [name, handler] of handlers) {
      const queue = new Bull(name, this.redisUrl, {
        prefix: 'dermlink',
        defaultJobOptions: { attempts: 3, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true, removeOnFail: true },
        settings: { lockDuration: 30_000, stalledInterval: 15_000, maxStalledCount: 2 },
      });
      queue.on('error', (err) => this.logger.error(`Queue ${name}: ${err.message}`));
      queue.on('failed', (job, err) => this.logger.warn(`Job ${name} ${job.id} failed (attempt ${job.attemptsMade}): ${err.message}`));
      void queue.process(this.concurrency, (job: Bull.Job<JobPayloads[JobName]>) => handler(job.data));
      this.queues.set(name, queue);
    }
    this.logger.log(`Jobs run on Redis queues (${this.concurrency} at a time per queue in this instance)`);
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], jobId: string): Promise<void> {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`No queue for job ${name}`);
    await queue.add(payload, { jobId });
  }

  /** Stops taking jobs, lets running ones finish, closes the connections. */
  async stop(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
