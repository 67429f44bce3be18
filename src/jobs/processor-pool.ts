import { ChildProcess, fork } from 'node:child_process';
import * as path from 'node:path';

interface Pending {
  data: unknown;
  resolve: (r: unknown) => void;
  reject: (e: Error) => void;
}

interface Worker {
  child: ChildProcess;
  busy?: { id: number; pending: Pending };
}

type ChildMessage = { id: number; result?: unknown; error?: string } | { ready: true } | { fatal: string };

/** True when this code runs from TypeScript sources (tests, ts-node) rather than from dist. */
export const FROM_SOURCE = __filename.endsWith('.ts');

/**
 * The in-process transport's sandbox: N child processes running one processor module (the same file
 * bull runs as a sandboxed processor with Redis), so CPU-bound jobs use every core. Jobs wait for a
 * free child; a child that dies fails its job (the caller retries) and is replaced.
 */
export class ProcessorPool {
  private readonly workers: Worker[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closing = false;

  constructor(
    private readonly file: string,
    private readonly size: number,
    private readonly warmUp: unknown,
    private readonly log: (message: string) => void,
  ) {}

  async start(): Promise<void> {
    await Promise.all(Array.from({ length: this.size }, () => this.spawn()));
  }

  run(data: unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (this.closing) return reject(new Error('Processor pool closed'));
      this.queue.push({ data, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const p of this.queue.splice(0)) p.reject(new Error('Processor pool closed'));
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.child.exitCode !== null) return resolve();
            w.child.once('exit', () => resolve());
            w.child.kill();
          }),
      ),
    );
  }

  private spawn(): Promise<void> {
    const ext = FROM_SOURCE ? 'ts' : 'js';
    const child = fork(
      path.join(__dirname, `processor-child.${ext}`),
      [`${this.file}.${ext}`, JSON.stringify(this.warmUp ?? null)],
      {
        execArgv: FROM_SOURCE ? ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'] : [],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    );
    const worker: Worker = { child };
    return new Promise((resolve, reject) => {
      child.on('message', (m: ChildMessage) => {
        if ('ready' in m) {
          this.workers.push(worker);
          resolve();
          this.dispatch();
        } else if ('fatal' in m) {
          reject(new Error(`Worker process failed to start: ${m.fatal}`));
        } else if (worker.busy && worker.busy.id === m.id) {
          const { pending } = worker.busy;
          worker.busy = undefined;
          if (m.error === undefined) pending.resolve(m.result);
          else pending.reject(new Error(m.error));
          this.dispatch();
        }
      });
      child.on('exit', (code) => {
        const index = this.workers.indexOf(worker);
        if (index >= 0) this.workers.splice(index, 1);
        worker.busy?.pending.reject(new Error(`Worker process exited (${code})`));
        worker.busy = undefined;
        if (!this.closing && index >= 0) {
          this.log(`A worker process exited (${code}); starting another`);
          void this.spawn().catch((err: Error) => this.log(err.message));
        }
      });
    });
  }

  private dispatch(): void {
    for (const worker of this.workers) {
      if (worker.busy || !this.queue.length) continue;
      const pending = this.queue.shift()!;
      const id = this.nextId++;
      worker.busy = { id, pending };
      worker.child.send({ id, data: pending.data });
    }
  }
}
