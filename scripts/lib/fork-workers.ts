import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Runs `script` in up to `workers` child processes (ts-node), the `ids` dealt out round-robin into
 * list files under `listDir`; `argv` gives each child its arguments from its list file. Children
 * report `{ done }` messages; `onDone` hears the total done so far.
 */
export async function forkWorkers(
  ids: string[],
  opts: {
    script: string;
    argv: (listFile: string) => string[];
    workers: number;
    listDir: string;
    onDone: (done: number) => void;
  },
): Promise<void> {
  if (!ids.length) return;
  mkdirSync(opts.listDir, { recursive: true });
  const n = Math.max(1, Math.min(opts.workers, ids.length));
  const doneBy = new Array<number>(n).fill(0);
  await Promise.all(
    Array.from({ length: n }, (_, w) => {
      const listFile = path.join(opts.listDir, `${path.basename(opts.script, '.ts')}-${w}.txt`);
      writeFileSync(listFile, ids.filter((_, i) => i % n === w).join('\n'));
      return new Promise<void>((resolve, reject) => {
        const child = fork(opts.script, opts.argv(listFile), {
          execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'],
        });
        child.on('message', (m: { done: number }) => {
          doneBy[w] = m.done;
          opts.onDone(doneBy.reduce((a, b) => a + b, 0));
        });
        child.on('error', reject);
        child.on('exit', (code) =>
          code === 0 ? resolve() : reject(new Error(`${path.basename(opts.script)} worker ${w} exited ${code}`)),
        );
      });
    }),
  );
}
