import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ImageView } from '@/inference/backbones';
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

/** Cached extraction result of one image: full features and photo statistics. */
export interface CachedFeatures {
  features: Float32Array;
  stats: PhotoStats;
}

/**
 * `plain`: features of the image as served; an `ImageView` other than identity: of the mirrored or
 * turned image (augmentation); `crop`: of the lesion-centred crop (`npm run experiment:crops`).
 * Cached beside the plain ones.
 */
export type CacheVariant = 'plain' | Exclude<ImageView, 'identity'> | 'crop';

export function cacheDir(root: string, variant: CacheVariant = 'plain'): string {
  return path.join(root, 'features', variant === 'plain' ? CACHE_VERSION : `${CACHE_VERSION}-${variant}`);
}

export function cachePath(root: string, imageId: string, variant: CacheVariant = 'plain'): string {
  return path.join(cacheDir(root, variant), `${imageId}.bin`);
}

export function hasCached(root: string, imageId: string, variant: CacheVariant = 'plain'): boolean {
  return existsSync(cachePath(root, imageId, variant));
}

export function writeCached(root: string, imageId: string, entry: CachedFeatures, variant: CacheVariant = 'plain'): void {
  mkdirSync(cacheDir(root, variant), { recursive: true });
  const out = new Float32Array(FEATURE_DIM + STAT_KEYS.length);
  out.set(entry.features, 0);
  STAT_KEYS.forEach((k, i) => (out[FEATURE_DIM + i] = entry.stats[k]));
  const file = cachePath(root, imageId, variant);
  writeFileSync(`${file}.tmp`, Buffer.from(out.buffer));
  renameSync(`${file}.tmp`, file);
}

export function readCached(root: string, imageId: string, variant: CacheVariant = 'plain'): CachedFeatures {
  const buf = readFileSync(cachePath(root, imageId, variant));
  const all = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const stats = Object.fromEntries(STAT_KEYS.map((k, i) => [k, all[FEATURE_DIM + i]])) as unknown as PhotoStats;
  return { features: all.slice(0, FEATURE_DIM), stats };
}
