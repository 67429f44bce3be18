import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The real service as its own process, from the sources (`src/main.ts` through ts-node), in its own
 * process group: a kill takes its worker processes with it, as when the machine or container that
 * runs an instance dies.
 */
export class ServiceProcess {
  private child?: ChildProcess;
  private exited?: Promise<string>;
  /** How many times the service was started. */
  starts = 0;

  /**
   * @param env variables on top of this process's environment
   * @param logFile where the service's output goes (appended); undefined: this process's output
   */
  constructor(
    private readonly env: Record<string, string>,
    private readonly logFile?: string,
  ) {}

  get running(): boolean {
    return this.child !== undefined;
  }

  start(): void {
    if (this.child) throw new Error('The service is already running');
    const root = path.resolve(__dirname, '../..');
    const out = this.logFile ? fs.openSync(this.logFile, 'a') : 'inherit';
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'src/main.ts'],
      {
        cwd: root,
        env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...this.env },
        stdio: ['ignore', out, out],
        detached: true,
      },
    );
    if (typeof out === 'number') fs.closeSync(out);
    this.starts++;
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? `code ${code}`)));
  }

  /** SIGKILL to the whole process group; resolves once the service has gone. */
  kill(): Promise<string> {
    return this.signal('SIGKILL');
  }

  /** SIGTERM (a graceful stop: running work finishes); resolves to how the service ended once it has. */
  stop(): Promise<string> {
    return this.signal('SIGTERM');
  }

  private async signal(signal: NodeJS.Signals): Promise<string> {
    const child = this.child;
    if (!child) return 'not running';
    try {
      process.kill(signal === 'SIGKILL' ? -child.pid! : child.pid!, signal);
    } catch {
      // it had exited already
    }
    const how = await this.exited!;
    if (signal === 'SIGTERM') {
      // Its worker processes end with it; any left over would hold Redis locks for the next start.
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // none left
      }
    }
    this.child = undefined;
    return how;
  }
}
