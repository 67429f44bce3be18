/**
 * Head experiments on the cached features (validation only; the test split is never read here).
 * Flags: --nv N (train nv images, default all cached), --members M, --hidden H, --mixup A,
 * --power (signed square root before standardising), --epochs E, --last (use the last epoch, not the
 * best on validation), --lr, --l2, --drop, --in-drop, --blocks a,b or none, --extra c,d (blocks cached by
 * `npm run experiment:layers`, appended), --variant crop (features of the lesion-centred crops cached
 * by `npm run experiment:crops`).
 */
import * as path from 'node:path';
import { initBackend } from '@/inference/backend';
import { readLabels, readSplitCsv } from '@/inference/dataset';
import { softmaxT } from '@/inference/head';
import { LESION_LABELS } from '@/inference/inference.types';
import { classificationReport } from '@/inference/metrics';
import { blockList, flag, parseArgs, viewList } from './lib/cli';
import { experimentRow } from './lib/extra-features';
import { CacheVariant } from './lib/feature-cache';
import { experimentTrainSet } from './lib/experiment-set';
import { CANDIDATES, computeStandardiser, HEAD_CONFIG, HeadConfig, stack, standardise, trainMember } from './lib/train-head';

const K = LESION_LABELS.length;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ['power', 'last']);
  const num = (name: string, fallback: number): number => Number(flag(args, name) ?? fallback);
  await initBackend();
  const dataDir = process.env.HAM10000_DIR ?? path.join('..', 'shared', 'data', 'ham10000');
  const all = readLabels(path.join(dataDir, 'HAM10000_metadata.csv'));
  const split = readSplitCsv('models/split.csv');
  const { train, nv } = experimentTrainSet(all, split, num('nv', Infinity));
  const val = all.filter((i) => split.get(i.lesionId ?? '') === 'val');
  const blocks = blockList(flag(args, 'blocks'), CANDIDATES[CANDIDATES.length - 1].blocks);
  const power = args.bools.has('power');
  const extra = flag(args, 'extra')?.split(',') ?? [];
  const variant = (flag(args, 'variant') ?? 'plain') as CacheVariant;
  const trainViews: CacheVariant[] = viewList(flag(args, 'train-views'));
  const tta: CacheVariant[] = viewList(flag(args, 'tta'));
  const feat = (id: string, v: CacheVariant = variant): Float32Array => {
    const f = experimentRow('.cache', id, v, blocks, extra);
    if (power) for (let j = 0; j < f.length; j++) f[j] = Math.sign(f[j]) * Math.sqrt(Math.abs(f[j]));
    return f;
  };
  const d = feat(train[0].imageId).length;
  // Standardised on the images as served; the extra views share that scale.
  const st = computeStandardiser(stack(train.map((i) => feat(i.imageId)), d));
  const trZ = standardise(stack([variant, ...trainViews].flatMap((v) => train.map((i) => feat(i.imageId, v))), d), st);
  const valZ = standardise(stack(val.map((i) => feat(i.imageId)), d), st);
  const valViews = tta.map((v) => standardise(stack(val.map((i) => feat(i.imageId, v)), d), st));
  const trY = [variant, ...trainViews].flatMap(() => train.map((i) => i.label));
  const valY = val.map((i) => i.label);
  console.error(`train ${train.length} x ${1 + trainViews.length} views (nv ${nv}) val ${val.length} x ${1 + tta.length} views d ${d}`);

  const members = num('members', 3);
  const cfg: HeadConfig = {
    ...HEAD_CONFIG,
    hidden: num('hidden', HEAD_CONFIG.hidden),
    epochs: num('epochs', HEAD_CONFIG.epochs),
    lr: num('lr', HEAD_CONFIG.lr),
    l2: num('l2', HEAD_CONFIG.l2),
    dropout: num('drop', HEAD_CONFIG.dropout),
    inputDropout: num('in-drop', HEAD_CONFIG.inputDropout),
  };
  const opts = { mixup: num('mixup', 0), lastEpoch: args.bools.has('last'), valViews };
  const sum = new Float32Array(val.length * K);
  for (let m = 0; m < members; m++) {
    // The seeds of the shipped ensemble's members.
    const member = await trainMember(trZ, trY, valZ, valY, cfg, 2018 + 100 * (m + 1), `member ${m + 1}/${members}`, opts);
    member.valLogits.forEach((row, i) => row.forEach((v, c) => (sum[i * K + c] += v / members)));
    const ens = Array.from({ length: val.length }, (_, i) => softmaxT(sum.subarray(i * K, (i + 1) * K), 1));
    console.error(`member ${m + 1}: val bal ${member.valBalancedAccuracy.toFixed(4)}; ensemble so far ${classificationReport(valY, ens).balanced_accuracy.toFixed(4)}`);
  }
  const ens = Array.from({ length: val.length }, (_, i) => softmaxT(sum.subarray(i * K, (i + 1) * K), 1));
  const rep = classificationReport(valY, ens);
  console.log(JSON.stringify({ args: process.argv.slice(2).join(' '), bal: +rep.balanced_accuracy.toFixed(4), auc: +rep.auc_macro.toFixed(4), recall: Object.fromEntries(Object.entries(rep.recall).map(([k, v]) => [k, +v.toFixed(3)])) }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
