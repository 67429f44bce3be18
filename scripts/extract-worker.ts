/**
 * Child process of `npm run train`: extracts backbone features for a list of images into the cache.
 * argv: <listFile> <imagesDir> <cacheRoot> <minShortSide> [variant: plain, crop or an image view].
 * Sends {done} messages to the parent.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { initBackend } from '@/inference/backend';
import { ImageView } from '@/inference/backbones';
import { FeatureExtractor } from '@/inference/features';
import { PreparedImage, preprocessImage } from '@/inference/preprocess';
import { CacheVariant, hasCached, writeCached } from './lib/feature-cache';
import { cropTo, lesionCropBox } from './lib/lesion-crop';

const BATCH = 4;

async function main(): Promise<void> {
  const [listFile, imagesDir, cacheRoot, minSide] = process.argv.slice(2);
  const variant = (process.argv[6] ?? 'plain') as CacheVariant;
  const ids = readFileSync(listFile, 'utf8').split('\n').filter(Boolean);
  await initBackend();
  const extractor = await FeatureExtractor.load();
  let done = 0;
  const todo = ids.filter((id) => {
    if (!hasCached(cacheRoot, id, variant)) return true;
    done++;
    return false;
  });
  process.send?.({ done });
  for (let i = 0; i < todo.length; i += BATCH) {
    const batchIds: string[] = [];
    const images: PreparedImage[] = [];
    for (const id of todo.slice(i, i + BATCH)) {
      let bytes: Buffer = readFileSync(path.join(imagesDir, `${id}.jpg`));
      let minShortSide = Number(minSide);
      if (variant === 'crop') {
        bytes = await cropTo(bytes, (await lesionCropBox(bytes)).box);
        minShortSide = 1; // the original passed the size check; its crop is smaller by design
      }
      const r = await preprocessImage(bytes, { minShortSide, maxInputPixels: 40e6 });
      if (!r.ok) throw new Error(`${id}: ${r.reason}`);
      batchIds.push(id);
      images.push(r.image);
    }
    const view: ImageView = variant === 'plain' || variant === 'crop' ? 'identity' : variant;
    const feats = await extractor.extract(
      images.map((im) => im.rgb),
      view,
    );
    batchIds.forEach((id, k) => writeCached(cacheRoot, id, { features: feats[k], stats: images[k].stats }, variant));
    done += batchIds.length;
    process.send?.({ done });
  }
  extractor.dispose();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
