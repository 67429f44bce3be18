/**
 * `npm run experiment:layers -- [--set v1|nsfw] [--workers 2] [--splits train,val]`: caches extra
 * backbone features for the layer experiments (the sets are in `lib/extra-features.ts`): `v1`, other
 * layers of the two shipped backbones and max / standard-deviation pooling of the shipped ResNet50
 * layers; `nsfw`, layers of nsfwjs's InceptionV3. For the train images the shipped recipe uses and the
 * validation images, in `.cache/features/extra-<set>/`. Resumable. Then compare heads with
 * `npm run experiment:heads -- --nv 1200 --members 1 --extra <block>,<block>`.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { initBackend } from '@/inference/backend';
import { Backbone } from '@/inference/backbones';
import { readLabels, readSplitCsv } from '@/inference/dataset';
import { preprocessImage } from '@/inference/preprocess';
import { flag, parseArgs } from './lib/cli';
import { forkWorkers } from './lib/extract';
import { extraPath, extraSet, hasExtra } from './lib/extra-features';
import { experimentTrainSet } from './lib/experiment-set';
import { Progress } from './lib/progress';

const BATCH = 4;

async function worker(listFile: string, imagesDir: string, setName: string): Promise<void> {
  await initBackend();
  const set = extraSet(setName);
  const backbones: Backbone[] = [];
  for (const spec of set.specs) backbones.push(await Backbone.load(spec));
  const ids = readFileSync(listFile, 'utf8').split('\n').filter(Boolean);
  let done = 0;
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    const images: Float32Array[] = [];
    for (const id of batch) {
      const r = await preprocessImage(readFileSync(path.join(imagesDir, `${id}.jpg`)), {
        minShortSide: 150,
        maxInputPixels: 40e6,
      });
      if (!r.ok) throw new Error(`${id}: ${r.reason}`);
      images.push(r.image.rgb);
    }
    const parts: Float32Array[] = [];
    for (const b of backbones) parts.push(await b.features(images));
    batch.forEach((id, k) => {
      const row = new Float32Array(set.dim);
      let o = 0;
      backbones.forEach((b, j) => {
        row.set(parts[j].subarray(k * b.dim, (k + 1) * b.dim), o);
        o += b.dim;
      });
      const file = extraPath('.cache', set.name, id);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(`${file}.tmp`, Buffer.from(row.buffer));
      renameSync(`${file}.tmp`, file);
    });
    done += batch.length;
    process.send?.({ done });
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), []);
  const dataDir = process.env.HAM10000_DIR ?? path.join('..', 'shared', 'data', 'ham10000');
  const imagesDir = path.join(dataDir, 'images');
  const setName = flag(args, 'set') ?? 'v1';
  const set = extraSet(setName);
  const workerList = flag(args, 'worker');
  if (workerList) return worker(workerList, imagesDir, set.name);

  const splits = (flag(args, 'splits') ?? 'train,val').split(',');
  const all = readLabels(path.join(dataDir, 'HAM10000_metadata.csv'));
  const split = readSplitCsv('models/split.csv');
  // The train images of the shipped recipe, chosen as `experiment:heads -- --nv 1200` chooses them.
  const { train } = experimentTrainSet(all, split, 1200);
  const chosen = [
    ...(splits.includes('train') ? train : []),
    ...all.filter((i) => splits.includes(split.get(i.lesionId ?? '') ?? '') && split.get(i.lesionId ?? '') !== 'train'),
  ].map((i) => i.imageId);
  const missing = chosen.filter((id) => !hasExtra('.cache', set.name, id));
  const progress = new Progress(`extra features (${set.name})`, chosen.length);
  const already = chosen.length - missing.length;
  progress.update(already);
  await forkWorkers(missing, {
    script: __filename,
    argv: (listFile) => ['--worker', listFile, '--set', set.name],
    workers: Number(flag(args, 'workers') ?? 2),
    listDir: path.join('.cache', 'lists'),
    onDone: (done) => progress.update(already + done),
  });
  console.log(`extra features cached for ${chosen.length} images`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
