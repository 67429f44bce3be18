import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';

/** How often the purges of old records run (each instance runs its own; a row deleted twice is harmless). */
export const PURGE_EVERY_MS = 6 * 60 * 60 * 1000;

interface PeriodicTask {
  name: string;
  everyMs: number;
  firstAfterMs: number;
  run: () => Promise<unknown>;
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
}

/**
 * The service's periodic sweeps (the outbox's, the doctors' inbox's, resuming photos, the retention
 * purge) in one place with one shutdown path. A task runs again `everyMs` after its last run ended,
 * so runs of one task never overlap; a failure is logged with its stack and the next run still
 * comes. Timers start once the application has started and stop first when it closes (module
 * destroy, before any shutdown hook), after the runs under way have finished: no sweep fires into a
 * channel, a queue or a database that is closing.
 */
@Injectable()
export class Scheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(Scheduler.name);
  private readonly tasks: PeriodicTask[] = [];
  private started = false;
  private stopping = false;

  /** Runs `run` every `everyMs`, the first time `firstAfterMs` (default `everyMs`) after the start. */
  every(name: string, everyMs: number, run: () => Promise<unknown>, firstAfterMs = everyMs): void {
    const task: PeriodicTask = { name, everyMs, firstAfterMs, run };
    this.tasks.push(task);
    if (this.started) this.schedule(task, firstAfterMs);
  }

  onApplicationBootstrap(): void {
    this.started = true;
    for (const task of this.tasks) this.schedule(task, task.firstAfterMs);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    for (const task of this.tasks) clearTimeout(task.timer);
    await Promise.all(this.tasks.flatMap((task) => (task.running ? [task.running] : [])));
  }

  private schedule(task: PeriodicTask, ms: number): void {
    if (this.stopping) return;
    task.timer = setTimeout(() => {
      task.running = task
        .run()
        .then(
          () => undefined,
          (err: Error) => this.logger.error(`${task.name} failed: ${err.message}`, err.stack),
        )
        .finally(() => {
          task.running = undefined;
          this.schedule(task, task.everyMs);
        });
    }, ms);
    task.timer.unref();
  }
}
