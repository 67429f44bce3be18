/**
 * `npm run train`: the whole pipeline from HAM10000 to models/ — lesion-level split, frozen-backbone
 * feature extraction (cached in .cache/, resumable), head training, calibration, thresholds, gates.
 * Flags: --data DIR (default $HAM10000_DIR or ../shared/data/ham10000), --out models, --cache .cache,
 * --workers 2, --nv-train 1200, --seed 2018, --train-views hflip,... (the head also trains on these
 * mirrored or turned views of the train images; default hflip), --test-views hflip,... (its logits
 * are averaged over the photo and these views; written to metadata.json for serving; default hflip),
 * --cv-folds K (0: heads trained on train and calibrated on validation; K > 1, default 5: trained by
 * K-fold cross-validation over train and validation, calibrated on the out-of-fold logits; see
 * `crossValidate`), --nv-pool N (nevi in that pool, 1450), --extract-only, --extract-views
 * hflip,rot90,... (only caches the features of those views of the validation, test and train images,
 * for the augmentation experiments). Views: hflip, vflip, rot90, rot180, rot270.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { LabelledImage, readLabels, readSplitCsv, seededRandom, shuffle, splitByLesion, SplitName, writeSplitCsv } from '@/inference/dataset';
import { LESION_LABELS } from '@/inference/inference.types';
import { flag, parseArgs, viewList } from './lib/cli';
import { extractFeatures } from './lib/extract';
import { trainAndExport } from './lib/train-head';

/** Rows of one split, with lesion ids. */
export interface SplitImages {
  train: LabelledImage[];
  val: LabelledImage[];
  test: LabelledImage[];
}

/**
 * The shipped recipe (1.1.0, the model card says why): heads trained on the photos and their mirror
 * images, served on both, by 5-fold cross-validation over train and validation. `--train-views ''
 * --test-views '' --cv-folds 0` is 1.0.0's recipe.
 */
const TRAIN_VIEWS = 'hflip';
const TEST_VIEWS = 'hflip';
const CV_FOLDS = '5';

async function main(): Promise<void> {
  const t0 = Date.now();
  const args = parseArgs(process.argv.slice(2), ['extract-only']);
  const dataDir = path.resolve(flag(args, 'data') ?? process.env.HAM10000_DIR ?? path.join('..', 'shared', 'data', 'ham10000'));
  const outDir = path.resolve(flag(args, 'out') ?? 'models');
  const cacheRoot = path.resolve(flag(args, 'cache') ?? '.cache');
  const workers = Number(flag(args, 'workers') ?? 2);
  const nvTrain = Number(flag(args, 'nv-train') ?? 1200);
  const seed = Number(flag(args, 'seed') ?? 2018);
  const trainViews = viewList(flag(args, 'train-views', TRAIN_VIEWS));
  const testViews = viewList(flag(args, 'test-views', TEST_VIEWS));
  const extraViews = viewList(flag(args, 'extract-views', ''));
  const cvFolds = Number(flag(args, 'cv-folds', CV_FOLDS));
  const nvPool = Number(flag(args, 'nv-pool', '1450'));
  if (!Number.isInteger(cvFolds) || cvFolds < 0 || cvFolds === 1) throw new Error(`--cv-folds must be 0 or an integer above 1, not ${cvFolds}`);
  const all = readLabels(path.join(dataDir, 'HAM10000_metadata.csv'));
  const splitFile = path.join(outDir, 'split.csv');
  let split: Map<string, SplitName>;
  if (existsSync(splitFile)) {
    split = readSplitCsv(splitFile);
  } else {
    split = splitByLesion(all, { val: 0.15, test: 0.15 }, seed);
    mkdirSync(outDir, { recursive: true });
    writeFileSync(splitFile, writeSplitCsv(split));
  }
  const sets: SplitImages = { train: [], val: [], test: [] };
  for (const img of all) sets[split.get(img.lesionId ?? '') ?? 'train'].push(img);
  // nv dominates (67%); a seeded subsample of train nv keeps extraction inside the CPU budget.
  const nvIndex = LESION_LABELS.indexOf('nv');
  const rand = seededRandom(seed + 1);
  const trainNv = shuffle(
    sets.train.filter((i) => i.label === nvIndex),
    rand,
  ).slice(0, nvTrain);
  sets.train = [...sets.train.filter((i) => i.label !== nvIndex), ...trainNv];
  for (const s of ['train', 'val', 'test'] as const) {
    const counts = LESION_LABELS.map((l, c) => `${l}=${sets[s].filter((i) => i.label === c).length}`).join(' ');
    console.error(`${s}: ${sets[s].length} images (${counts})`);
  }
  // Validation and test first: an interrupted run still leaves an honest evaluation set.
  const ids = [...sets.val, ...sets.test, ...sets.train].map((i) => i.imageId);
  await extractFeatures(ids, { imagesDir: path.join(dataDir, 'images'), cacheRoot, minShortSide: 150, workers });
  for (const variant of new Set([...trainViews, ...testViews, ...extraViews])) {
    await extractFeatures(ids, { imagesDir: path.join(dataDir, 'images'), cacheRoot, minShortSide: 150, workers, variant });
  }
  if (args.bools.has('extract-only') || extraViews.length) return;
  await trainAndExport({ sets, cacheRoot, outDir, seed, dataDir, trainViews, testViews: ['identity', ...testViews], cvFolds, nvPool });
  console.error(`train: done in ${((Date.now() - t0) / 60000).toFixed(1)} min`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
