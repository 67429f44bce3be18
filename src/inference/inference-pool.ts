import { ChildProcess, fork } from 'node:child_process';
import * as path from 'node:path';
import type { ClassifierOptions } from './classifier';
import type { InferenceResult } from './inference.types';

interface Pending {
  image: Buffer;
  resolve: (r: InferenceResult) => void;
  reject: (e: Error) => void;
}

interface Worker {
  child: ChildProcess;
  busy?: { id: number; pending: Pending };
}

type WorkerMessage = { id: number; result?: InferenceResult; error?: string } | { ready: true; backend: string; model: { name: string; version: string } } | { fatal: string };

/**
 * N child processes, each with its own copy of the model, so inference uses every core. Photos wait
 * in a queue for a free worker; a worker that dies fails its photo (the job is retried) and is
 * replaced.
 */
export class InferencePool {
  private readonly workers: Worker[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closing = false;
  backend = 'unknown';
  model = { name: 'unknown', version: 'unknown' };

  constructor(
    private readonly size: number,
    private readonly options: ClassifierOptions,
    private readonly log: (message: string) => void,
  ) {}

  async start(): Promise<void> {
    await Promise.all(Array.from({ length: this.size }, () => this.spawn()));
  }

  run(image: Buffer): Promise<InferenceResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ image, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const p of this.queue.splice(0)) p.reject(new Error('Inference pool closed'));
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
    // From TypeScript sources (tests, ts-node) the worker runs through ts-node; from dist it is plain JS.
    const fromSource = __filename.endsWith('.ts');
    const script = path.join(__dirname, `inference.worker.${fromSource ? 'ts' : 'js'}`);
    const child = fork(script, [JSON.stringify(this.options)], {
      execArgv: fromSource ? ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'] : [],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const worker: Worker = { child };
    return new Promise((resolve, reject) => {
      child.on('message', (m: WorkerMessage) => {
        if ('ready' in m) {
          this.backend = m.backend;
          this.model = m.model;
          this.workers.push(worker);
          resolve();
          this.dispatch();
        } else if ('fatal' in m) {
          reject(new Error(`Inference worker failed to start: ${m.fatal}`));
        } else if (worker.busy && worker.busy.id === m.id) {
          const { pending } = worker.busy;
          worker.busy = undefined;
          if (m.result) pending.resolve(m.result);
          else pending.reject(new Error(m.error ?? 'inference failed'));
          this.dispatch();
        }
      });
      child.on('exit', (code) => {
        const index = this.workers.indexOf(worker);
        if (index >= 0) this.workers.splice(index, 1);
        worker.busy?.pending.reject(new Error(`Inference worker exited (${code})`));
        worker.busy = undefined;
        if (!this.closing && index >= 0) {
          this.log(`An inference worker exited (${code}); starting another`);
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
      worker.child.send({ id, image: pending.image.toString('base64') });
    }
  }
}
