/**
 * Head experiments on the cached features (validation only; the test split is never read here).
 * Flags: --nv N (train nv images, default all cached), --members M, --hidden H, --mixup A,
 * --power (signed square root before standardising), --epochs E, --last (use the last epoch, not the
 * best on validation), --lr, --l2, --drop, --in-drop, --blocks a,b.
 */
import * as path from 'node:path';
import { initBackend, tf } from '@/inference/backend';
import { readLabels, readSplitCsv, seededRandom, shuffle } from '@/inference/dataset';
import { selectBlocks } from '@/inference/features';
import { softmaxT } from '@/inference/head';
import { LESION_LABELS } from '@/inference/inference.types';
import { classificationReport } from '@/inference/metrics';
import { hasCached, readCached } from './lib/feature-cache';
import { Progress } from './lib/progress';
import { computeStandardiser, stack, standardise } from './lib/train-head';

const K = LESION_LABELS.length;
function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  await initBackend();
  const dataDir = process.env.HAM10000_DIR ?? path.join('..', 'shared', 'data', 'ham10000');
  const all = readLabels(path.join(dataDir, 'HAM10000_metadata.csv'));
  const split = readSplitCsv('models/split.csv');
  const nvIdx = LESION_LABELS.indexOf('nv');
  const nvMax = Number(arg('nv', '99999'));
  const train0 = all.filter((i) => split.get(i.lesionId ?? '') === 'train' && hasCached('.cache', i.imageId));
  const nv = shuffle(train0.filter((i) => i.label === nvIdx), seededRandom(2019)).slice(0, nvMax);
  const train = [...train0.filter((i) => i.label !== nvIdx), ...nv];
  const val = all.filter((i) => split.get(i.lesionId ?? '') === 'val');
  const blocks = arg('blocks', 'resnet50/activation_39,resnet50/activation_48,mnv2skin/Conv_1_bn,mnv2skin/out_relu').split(',');
  const power = process.argv.includes('--power');
  const feat = (id: string): Float32Array => {
    const f = selectBlocks(readCached('.cache', id).features, blocks);
    if (power) for (let j = 0; j < f.length; j++) f[j] = Math.sign(f[j]) * Math.sqrt(Math.abs(f[j]));
    return f;
  };
  const d = feat(train[0].imageId).length;
  const trRaw = stack(train.map((i) => feat(i.imageId)), d);
  const st = computeStandardiser(trRaw);
  const trZ = standardise(trRaw, st);
  const valZ = standardise(stack(val.map((i) => feat(i.imageId)), d), st);
  const trY = train.map((i) => i.label);
  const valY = val.map((i) => i.label);
  console.error(`train ${train.length} (nv ${nv.length}) val ${val.length} d ${d}`);

  const members = Number(arg('members', '3'));
  const hidden = Number(arg('hidden', '128'));
  const mixup = Number(arg('mixup', '0'));
  const epochs = Number(arg('epochs', '25'));
  const lr = Number(arg('lr', '5e-4'));
  const l2 = Number(arg('l2', '1e-4'));
  const drop = Number(arg('drop', '0.5'));
  const inDrop = Number(arg('in-drop', '0.2'));
  const last = process.argv.includes('--last');
  const counts = new Array<number>(K).fill(0);
  trY.forEach((l) => counts[l]++);
  const w = counts.map((c) => trY.length / (K * c));
  const sum = new Float32Array(val.length * K);
  for (let m = 0; m < members; m++) {
    const seed = 2018 + 100 * (m + 1);
    const rand = seededRandom(seed);
    const model = tf.sequential();
    model.add(tf.layers.dropout({ rate: inDrop, inputShape: [d], seed }));
    model.add(tf.layers.dense({ units: hidden, activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed }), kernelRegularizer: tf.regularizers.l2({ l2 }) }));
    model.add(tf.layers.dropout({ rate: drop, seed: seed + 1 }));
    model.add(tf.layers.dense({ units: K, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }) }));
    model.compile({
      optimizer: tf.train.adam(lr),
      loss: (yt: tf.Tensor, yp: tf.Tensor) => tf.mean(tf.neg(tf.sum(tf.mul(yt, tf.logSoftmax(yp)), -1))),
    });
    const xv = tf.tensor2d(valZ.data, [valZ.n, d]);
    let best = -1;
    let bestLogits = new Float32Array(0);
    const progress = new Progress(`member ${m + 1}/${members}`, epochs);
    for (let e = 1; e <= epochs; e++) {
      const x = new Float32Array(trZ.n * d);
      const y = new Float32Array(trZ.n * K);
      for (let i = 0; i < trZ.n; i++) {
        const j = mixup > 0 ? Math.floor(rand() * trZ.n) : i;
        // lambda = max(u^(1/a), 0.5): a cheap stand-in for Beta(a, a), folded so the row's own label dominates.
        const lam = mixup > 0 ? Math.max(rand() ** (1 / mixup), 0.5) : 1;
        for (let k = 0; k < d; k++) x[i * d + k] = lam * trZ.data[i * d + k] + (1 - lam) * trZ.data[j * d + k];
        y[i * K + trY[i]] += lam * w[trY[i]];
        y[i * K + trY[j]] += (1 - lam) * w[trY[j]];
      }
      const xs = tf.tensor2d(x, [trZ.n, d]);
      const ys = tf.tensor2d(y, [trZ.n, K]);
      await model.fit(xs, ys, { epochs: 1, batchSize: 64, shuffle: true, verbose: 0 });
      xs.dispose();
      ys.dispose();
      const out = model.predict(xv) as tf.Tensor;
      const logits = (await out.data()) as Float32Array;
      out.dispose();
      const probs = Array.from({ length: val.length }, (_, i) => softmaxT(logits.subarray(i * K, (i + 1) * K), 1));
      const bal = classificationReport(valY, probs).balanced_accuracy;
      if (last ? e === epochs : bal > best) {
        best = bal;
        bestLogits = logits.slice();
      }
      progress.update(e);
    }
    xv.dispose();
    model.dispose();
    for (let i = 0; i < sum.length; i++) sum[i] += bestLogits[i] / members;
    const ens = Array.from({ length: val.length }, (_, i) => softmaxT(sum.subarray(i * K, (i + 1) * K), 1));
    console.error(`member ${m + 1}: val bal ${best.toFixed(4)}; ensemble so far ${classificationReport(valY, ens).balanced_accuracy.toFixed(4)}`);
  }
  const ens = Array.from({ length: val.length }, (_, i) => softmaxT(sum.subarray(i * K, (i + 1) * K), 1));
  const rep = classificationReport(valY, ens);
  console.log(JSON.stringify({ args: process.argv.slice(2).join(' '), bal: +rep.balanced_accuracy.toFixed(4), auc: +rep.auc_macro.toFixed(4), recall: Object.fromEntries(Object.entries(rep.recall).map(([k, v]) => [k, +v.toFixed(3)])) }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
