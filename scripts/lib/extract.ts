import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CacheVariant, hasCached } from './feature-cache';
import { Progress } from './progress';

/**
 * Fills the feature cache for `ids` with `workers` child processes (one per core: the wasm backend
 * runs one thread per process). Already cached images are skipped, so an interrupted run resumes.
 */
export async function extractFeatures(
  ids: string[],
  opts: { imagesDir: string; cacheRoot: string; minShortSide: number; workers: number; variant?: CacheVariant },
): Promise<void> {
  const variant = opts.variant ?? 'plain';
  const missing = ids.filter((id) => !hasCached(opts.cacheRoot, id, variant));
  const progress = new Progress(variant === 'plain' ? 'features' : `features (${variant})`, ids.length);
  const already = ids.length - missing.length;
  progress.update(already);
  if (!missing.length) return;
  await forkWorkers(missing, {
    script: path.join(__dirname, '..', 'extract-worker.ts'),
    argv: (listFile) => [listFile, opts.imagesDir, opts.cacheRoot, String(opts.minShortSide), variant],
    workers: opts.workers,
    listDir: path.join(opts.cacheRoot, 'lists'),
    onDone: (done) => progress.update(already + done),
  });
}

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
