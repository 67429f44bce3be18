import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { FEATURE_DIM } from '@/inference/features';
import { PhotoStats } from '@/inference/preprocess';

/** Bump when preprocessing or the backbones change: old cache entries then stop matching. */
export const CACHE_VERSION = 'v1-sog6-cover224';
export const STAT_KEYS: (keyof PhotoStats)[] = [
  'meanLuma',
  'stdLuma',
  'clippedShare',
  'darkShare',
  'sharpness',
  'skinShare',
  'meanSaturation',
];

/** Cached extraction result of one image: full features (plain and mirrored) and photo statistics. */
export interface CachedFeatures {
  features: Float32Array;
  stats: PhotoStats;
}

export function cacheDir(root: string): string {
  return path.join(root, 'features', CACHE_VERSION);
}

export function cachePath(root: string, imageId: string): string {
  return path.join(cacheDir(root), `${imageId}.bin`);
}

export function hasCached(root: string, imageId: string): boolean {
  return existsSync(cachePath(root, imageId));
}

export function writeCached(root: string, imageId: string, entry: CachedFeatures): void {
  mkdirSync(cacheDir(root), { recursive: true });
  const out = new Float32Array(FEATURE_DIM + STAT_KEYS.length);
  out.set(entry.features, 0);
  STAT_KEYS.forEach((k, i) => (out[FEATURE_DIM + i] = entry.stats[k]));
  const file = cachePath(root, imageId);
  writeFileSync(`${file}.tmp`, Buffer.from(out.buffer));
  renameSync(`${file}.tmp`, file);
}

export function readCached(root: string, imageId: string): CachedFeatures {
  const buf = readFileSync(cachePath(root, imageId));
  const all = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const stats = Object.fromEntries(STAT_KEYS.map((k, i) => [k, all[FEATURE_DIM + i]])) as unknown as PhotoStats;
  return { features: all.slice(0, FEATURE_DIM), stats };
}
