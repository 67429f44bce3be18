/**
 * `npm run experiment:posthoc`: what two post-hoc changes would give the shipped head, on cached
 * features (serving is unchanged):
 * 1. mirrored-image test-time augmentation: validation and test scored plain vs the mean of the plain
 *    and mirrored logits (needs `npm run train -- --extract-views hflip` first);
 * 2. per-class logit biases maximising balanced accuracy: tuned on one half of the validation lesions
 *    and scored on the other half (2 folds x 5 seeds); the test split is not read for this.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { initBackend, tf } from '@/inference/backend';
import { LabelledImage, readLabels, readSplitCsv, seededRandom, shuffle } from '@/inference/dataset';
import { selectBlocks } from '@/inference/features';
import { FeatureStats, loadHead, softmaxT } from '@/inference/head';
import { LESION_LABELS } from '@/inference/inference.types';
import { classificationReport } from '@/inference/metrics';
import { ModelMetadata } from '@/inference/model-metadata';
import { CacheVariant, readCached } from './lib/feature-cache';
import { Progress } from './lib/progress';

const K = LESION_LABELS.length;

async function main(): Promise<void> {
  await initBackend();
  const dataDir = process.env.HAM10000_DIR ?? path.join('..', 'shared', 'data', 'ham10000');
  const meta = JSON.parse(readFileSync('models/metadata.json', 'utf8')) as ModelMetadata;
  const stats = FeatureStats.fromBuffer(readFileSync(path.join('models', meta.stats.file)), meta.stats.dim, meta.stats.pcaDim);
  const head = await loadHead(path.join('models', meta.head.modelJson));
  const all = readLabels(path.join(dataDir, 'HAM10000_metadata.csv'));
  const split = readSplitCsv('models/split.csv');

  const logitsOf = async (images: LabelledImage[], variant: CacheVariant, label: string): Promise<Float32Array[]> => {
    const progress = new Progress(label, images.length);
    const z = images.map((img, i) => {
      progress.update(i + 1);
      return stats.standardise(selectBlocks(readCached('.cache', img.imageId, variant).features, meta.featureBlocks));
    });
    const x = tf.tensor2d(Float32Array.from(z.flatMap((r) => Array.from(r))), [z.length, meta.featureDim]);
    const y = head.predict(x) as tf.Tensor;
    const flat = (await y.data()) as Float32Array;
    x.dispose();
    y.dispose();
    return images.map((_, i) => flat.slice(i * K, (i + 1) * K));
  };

  const rows = [];
  for (const name of ['val', 'test'] as const) {
    const images = all.filter((i) => split.get(i.lesionId ?? '') === name);
    const truth = images.map((i) => i.label);
    const plain = await logitsOf(images, 'plain', `${name} plain`);
    const mirrored = await logitsOf(images, 'hflip', `${name} mirrored`);
    const mean = plain.map((p, i) => p.map((v, c) => (v + mirrored[i][c]) / 2));
    for (const [how, logits] of [
      ['plain', plain],
      ['plain + mirrored', mean],
    ] as const) {
      const rep = classificationReport(
        truth,
        logits.map((l) => softmaxT(l, meta.temperature)),
      );
      rows.push({
        split: name,
        tta: how,
        balanced_accuracy: +rep.balanced_accuracy.toFixed(4),
        auc_macro: +rep.auc_macro.toFixed(4),
        mel_recall: +rep.recall.mel.toFixed(3),
      });
    }
  }
  const val = all.filter((i) => split.get(i.lesionId ?? '') === 'val');
  const biasGains = biasCrossValidation(val, await logitsOf(val, 'plain', 'val plain'));
  head.dispose();
  console.log(JSON.stringify({ tta: rows, logit_bias_heldout_gain: biasGains }, null, 1));
}

/** Held-out change in balanced accuracy from per-class logit biases tuned on the other half of validation. */
function biasCrossValidation(val: LabelledImage[], logits: Float32Array[]): { gains: number[]; mean: number } {
  const balanced = (idx: number[], bias: number[]): number =>
    classificationReport(
      idx.map((i) => val[i].label),
      idx.map((i) => softmaxT(logits[i].map((v, c) => v + bias[c]), 1)),
    ).balanced_accuracy;
  const tune = (idx: number[]): number[] => {
    const bias = new Array<number>(K).fill(0);
    for (let round = 0; round < 3; round++) {
      for (let c = 0; c < K; c++) {
        let best = balanced(idx, bias);
        let bestValue = bias[c];
        for (let v = -2; v <= 2.001; v += 0.1) {
          bias[c] = v;
          const score = balanced(idx, bias);
          if (score > best + 1e-9) [best, bestValue] = [score, v];
        }
        bias[c] = bestValue;
      }
    }
    return bias;
  };
  const lesions = [...new Set(val.map((v) => v.lesionId))];
  const gains: number[] = [];
  const progress = new Progress('logit bias folds', 10);
  for (let seed = 1; seed <= 5; seed++) {
    const half = new Set(shuffle(lesions, seededRandom(seed)).slice(0, Math.floor(lesions.length / 2)));
    const a = val.flatMap((v, i) => (half.has(v.lesionId) ? [i] : []));
    const b = val.flatMap((v, i) => (half.has(v.lesionId) ? [] : [i]));
    for (const [tuneOn, scoreOn] of [
      [a, b],
      [b, a],
    ]) {
      gains.push(+(balanced(scoreOn, tune(tuneOn)) - balanced(scoreOn, new Array<number>(K).fill(0))).toFixed(4));
      progress.update(gains.length);
    }
  }
  return { gains, mean: +(gains.reduce((s, g) => s + g, 0) / gains.length).toFixed(4) };
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
