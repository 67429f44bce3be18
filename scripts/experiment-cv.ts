/**
 * `npm run experiment:cv -- [--folds 5] [--members 1] [--nv-pool 1450] [--extra <blocks>]
 * [--blocks a,b or none] [--train-views hflip] [--tta hflip] [--epochs 25] [--clinical fine|intake
 * [--clinical-weight 1]]`: lesion-level, class-stratified k-fold
 * cross-validation of a head recipe over the train and validation images together (the test split is
 * never read). Each fold's head scores the lesions it did not see after every epoch; the out-of-fold
 * logits of all folds are pooled, so every pooled image is scored once. The epoch count is chosen on
 * the pooled out-of-fold balanced accuracy (one number for all folds; the score at the last epoch is
 * printed beside it). With 95 df and 118 vasc images against validation's 14 and 19, recipes compare
 * more steadily than on validation alone.
 *
 * `--clinical` appends the patient's age, sex and body site from HAM10000's metadata
 * (`scripts/lib/clinical-features.ts`), repeated `--clinical-weight` times: after standardisation
 * every value weighs alike at the head's input, so a few clinical values among thousands of image
 * features need the repeats to be heard through the input dropout.
 */
import * as path from 'node:path';
import { initBackend } from '@/inference/backend';
import { readLabels, readSplitCsv } from '@/inference/dataset';
import { softmaxT } from '@/inference/head';
import { LESION_LABELS } from '@/inference/inference.types';
import { classificationReport, operatingPoint, thresholdForRecall } from '@/inference/metrics';
import { blockList, flag, parseArgs, viewList } from './lib/cli';
import { ClinicalEncoding, CLINICAL_ENCODINGS, readClinical } from './lib/clinical-features';
import { crossValidate, cvPool } from './lib/cross-validate';
import { concatVectors, experimentRow } from './lib/extra-features';
import { CacheVariant, hasCached } from './lib/feature-cache';
import { experimentTrainSet } from './lib/experiment-set';
import { CANDIDATES, computeStandardiser, HEAD_CONFIG, Matrix, stack, standardise } from './lib/train-head';

const MEL = LESION_LABELS.indexOf('mel');
const NV = LESION_LABELS.indexOf('nv');

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), []);
  const num = (name: string, fallback: number): number => Number(flag(args, name) ?? fallback);
  await initBackend();
  const dataDir = process.env.HAM10000_DIR ?? path.join('..', 'shared', 'data', 'ham10000');
  const all = readLabels(path.join(dataDir, 'HAM10000_metadata.csv'));
  const split = readSplitCsv('models/split.csv');
  const blocks = blockList(flag(args, 'blocks'), CANDIDATES[CANDIDATES.length - 1].blocks);
  const extra = flag(args, 'extra')?.split(',') ?? [];
  const trainViews: CacheVariant[] = viewList(flag(args, 'train-views'));
  const tta: CacheVariant[] = viewList(flag(args, 'tta'));
  const folds = num('folds', 5);
  const epochs = num('epochs', HEAD_CONFIG.epochs);

  const { train } = experimentTrainSet(all, split, 1200);
  const val = all.filter((i) => split.get(i.lesionId ?? '') === 'val');
  const pool = cvPool(train, val, num('nv-pool', 1450));
  for (const v of [...trainViews, ...tta]) {
    const missing = pool.filter((i) => !hasCached('.cache', i.imageId, v)).length;
    if (missing) throw new Error(`${missing} pooled images lack cached ${v} features: npm run train -- --extract-views ${v}`);
  }
  const encoding = flag(args, 'clinical') as ClinicalEncoding | undefined;
  if (encoding && !CLINICAL_ENCODINGS.includes(encoding)) throw new Error(`--clinical takes ${CLINICAL_ENCODINGS.join(' or ')}`);
  const clinical = encoding && readClinical(path.join(dataDir, 'HAM10000_metadata.csv'), encoding);
  const weight = num('clinical-weight', 1);
  if (!Number.isInteger(weight) || weight < 1) throw new Error('--clinical-weight takes a whole number >= 1');
  const feat = (id: string, v: CacheVariant): Float32Array => {
    const row = experimentRow('.cache', id, v, blocks, extra);
    if (!clinical) return row;
    const c = clinical.get(id);
    if (!c) throw new Error(`${id} is not in HAM10000_metadata.csv: no clinical information for it`);
    return concatVectors([row, ...Array.from({ length: weight }, () => c)]);
  };
  const d = feat(pool[0].imageId, 'plain').length;
  const raw = (v: CacheVariant): Matrix =>
    stack(
      pool.map((i) => feat(i.imageId, v)),
      d,
    );
  const plain = raw('plain');
  // One standardiser for every fold, from the photos as they are (no labels involved).
  const st = computeStandardiser(plain);
  const y = pool.map((i) => i.label);
  console.error(
    `pool ${pool.length} (nv ${y.filter((l) => l === NV).length}), ${folds} folds, d ${d}, ` +
      `train views ${['plain', ...trainViews].join('+')}, tta ${['plain', ...tta].join('+')}`,
  );
  const cv = await crossValidate({
    pool,
    trainRows: [standardise(plain, st), ...trainViews.map((v) => standardise(raw(v), st))],
    ttaRows: tta.map((v) => standardise(raw(v), st)),
    folds,
    members: num('members', 1),
    cfg: { ...HEAD_CONFIG, epochs },
    seed: 2018,
  });

  const out: Record<string, unknown> = {
    args: process.argv.slice(2).join(' '),
    n: pool.length,
    curve: cv.curve.map((c) => +c.toFixed(4)),
  };
  for (const [name, epoch] of [
    [`best epoch (${cv.epoch})`, cv.epoch],
    [`last epoch (${epochs})`, epochs],
  ] as const) {
    const probs = cv.logitsByEpoch[epoch - 1].map((l) => softmaxT(l, 1));
    const r = classificationReport(y, probs);
    const pMel = probs.map((p) => p[MEL]);
    const isMel = y.map((l) => l === MEL);
    // Melanoma recall 0.85, as the shipped rule asks of validation: the precision it costs here.
    const point = operatingPoint(pMel, isMel, thresholdForRecall(pMel, isMel, 0.85));
    out[name] = {
      bal: +r.balanced_accuracy.toFixed(4),
      auc: +r.auc_macro.toFixed(4),
      recall: Object.fromEntries(Object.entries(r.recall).map(([c, v]) => [c, +v.toFixed(3)])),
      mel_precision_at_recall_085: +point.precision.toFixed(3),
    };
  }
  console.log(JSON.stringify(out));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
