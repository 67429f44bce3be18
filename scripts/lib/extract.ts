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
  const tmp = path.join(opts.cacheRoot, 'lists');
  mkdirSync(tmp, { recursive: true });
  const n = Math.max(1, Math.min(opts.workers, missing.length));
  const doneBy = new Array<number>(n).fill(0);
  await Promise.all(
    Array.from({ length: n }, (_, w) => {
      const list = missing.filter((_, i) => i % n === w);
      const listFile = path.join(tmp, `worker-${w}.txt`);
      writeFileSync(listFile, list.join('\n'));
      return new Promise<void>((resolve, reject) => {
        const child = fork(
          path.join(__dirname, '..', 'extract-worker.ts'),
          [listFile, opts.imagesDir, opts.cacheRoot, String(opts.minShortSide), variant],
          { execArgv: ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'] },
        );
        child.on('message', (m: { done: number }) => {
          doneBy[w] = m.done;
          progress.update(already + doneBy.reduce((a, b) => a + b, 0));
        });
        child.on('error', reject);
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`extract worker ${w} exited ${code}`))));
      });
    }),
  );
}
