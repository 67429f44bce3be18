/**
 * `npm run experiment:crops -- [--workers 2]`: lesion-centred crops (`scripts/lib/lesion-crop.ts`,
 * found without a mask, as serving would have to).
 * 1. Checks the crops against the HAM10000 masks on the validation images: the share of the lesion
 *    inside the crop and the crop's size, beside the shipped centre square.
 * 2. Caches the backbone features of the crops (variant `crop`) for the train images of the shipped
 *    recipe and the validation images. Then: `npm run experiment:heads -- --nv 1200 --members 1
 *    --variant crop`. The test split is not read.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { readLabels, readSplitCsv } from '@/inference/dataset';
import { flag, parseArgs } from './lib/cli';
import { extractFeatures } from './lib/extract';
import { experimentTrainSet } from './lib/experiment-set';
import { CropBox, lesionCropBox } from './lib/lesion-crop';
import { Progress } from './lib/progress';

async function maskCoverage(maskFile: string, box: CropBox): Promise<{ inside: number; lesionShare: number }> {
  const { data, info } = await sharp(maskFile).greyscale().raw().toBuffer({ resolveWithObject: true });
  let [total, inside] = [0, 0];
  for (let y = 0; y < info.height; y++)
    for (let x = 0; x < info.width; x++) {
      if (data[y * info.width + x] < 128) continue;
      total++;
      if (x >= box.left && x < box.left + box.size && y >= box.top && y < box.top + box.size) inside++;
    }
  return { inside: total ? inside / total : 1, lesionShare: inside / (box.size * box.size) };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), []);
  const dataDir = process.env.HAM10000_DIR ?? path.join('..', 'shared', 'data', 'ham10000');
  const all = readLabels(path.join(dataDir, 'HAM10000_metadata.csv'));
  const split = readSplitCsv('models/split.csv');
  const val = all.filter((i) => split.get(i.lesionId ?? '') === 'val');

  const rows = {
    crop: [] as { inside: number; lesionShare: number; size: number }[],
    centre: [] as { inside: number; lesionShare: number; size: number }[],
  };
  let found = 0;
  const progress = new Progress('crops vs masks (val)', val.length);
  for (const [k, img] of val.entries()) {
    const bytes = readFileSync(path.join(dataDir, 'images', `${img.imageId}.jpg`));
    const { width, height } = await sharp(bytes).metadata();
    const short = Math.min(width, height);
    const { box, found: ok } = await lesionCropBox(bytes);
    if (ok) found++;
    const centre = { left: Math.floor((width - short) / 2), top: Math.floor((height - short) / 2), size: short };
    const mask = path.join(dataDir, 'masks', `${img.imageId}_segmentation.png`);
    rows.crop.push({ ...(await maskCoverage(mask, box)), size: box.size / short });
    rows.centre.push({ ...(await maskCoverage(mask, centre)), size: 1 });
    progress.update(k + 1);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(`lesion found in ${found} of ${val.length} validation images`);
  console.log(
    '| crop | lesion inside the crop (mean) | crops holding >= 95% of the lesion | lesion share of the crop (mean) | crop side / short side |\n|---|---|---|---|---|',
  );
  for (const [name, r] of Object.entries(rows)) {
    const pct = (100 * r.filter((x) => x.inside >= 0.95).length) / r.length;
    console.log(
      `| ${name} | ${mean(r.map((x) => x.inside)).toFixed(3)} | ${pct.toFixed(1)}% | ${mean(r.map((x) => x.lesionShare)).toFixed(3)} | ${mean(r.map((x) => x.size)).toFixed(2)} |`,
    );
  }

  const { train } = experimentTrainSet(all, split, 1200);
  const ids = [...train, ...val].map((i) => i.imageId);
  const workers = Number(flag(args, 'workers') ?? 2);
  await extractFeatures(ids, {
    imagesDir: path.join(dataDir, 'images'),
    cacheRoot: '.cache',
    minShortSide: 150,
    workers,
    variant: 'crop',
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
