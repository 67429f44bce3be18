/**
 * `npm run experiment:tta`: what mirrored-image test-time augmentation would give the shipped model.
 * Scores validation and test with the shipped head on cached features, plain vs the mean of the
 * plain and mirrored logits (needs `npm run train -- --extract-hflip` first). Serving is unchanged.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { initBackend, tf } from '@/inference/backend';
import { LabelledImage, readLabels, readSplitCsv } from '@/inference/dataset';
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
  head.dispose();
  console.log(JSON.stringify(rows, null, 1));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
