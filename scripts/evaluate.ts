/**
 * `npm run evaluate -- --images DIR --labels CSV [--json] [--split test --split-file models/split.csv]
 *   [--min-side 150] [--model models] [--limit N]`
 * `npm run evaluate -- --gates [--ham DIR] [--nonskin DIR ...] [--json]`: photo-gate measurement
 *   (HAM10000 test images wrongly refused; non-skin pictures refused), see scripts/lib/gates-eval.ts.
 * Runs every image through the real SkinClassifier (gates included) and prints the metrics.
 * Probabilities count for every image the model saw; photos the gates refused are listed under
 * `rejected` and, in `served`, counted as misses.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SkinClassifier } from '@/inference/classifier';
import { LabelledImage, readLabels, readSplitCsv } from '@/inference/dataset';
import { LESION_LABELS } from '@/inference/inference.types';
import { classificationReport, operatingPoint } from '@/inference/metrics';
import { flag, modelDir, parseArgs } from './lib/cli';
import { DEFAULT_NONSKIN_DIRS, measureGates } from './lib/gates-eval';
import { Progress } from './lib/progress';

const BATCH = 8;

function resolveImage(dir: string, id: string): string | undefined {
  for (const ext of ['.jpg', '.jpeg', '.png', '.JPG', '.PNG']) {
    const p = path.join(dir, id + ext);
    if (existsSync(p)) return p;
  }
  return undefined;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ['json', 'gates']);
  if (args.bools.has('gates')) {
    const m = await measureGates({
      modelDir: modelDir(args),
      hamDir: flag(args, 'ham', process.env.HAM10000_DIR ?? path.join('..', 'shared', 'data', 'ham10000')),
      splitFile: flag(args, 'split-file', path.join(modelDir(args), 'split.csv')) ?? '',
      nonSkinDirs: args.flags.get('nonskin') ?? DEFAULT_NONSKIN_DIRS,
      limit: Number(flag(args, 'limit', '0')) || undefined,
    });
    process.stdout.write(args.bools.has('json') ? JSON.stringify(m) + '\n' : JSON.stringify(m, null, 2) + '\n');
    return;
  }
  const imagesDir = flag(args, 'images');
  const labelsCsv = flag(args, 'labels');
  if (!imagesDir || !labelsCsv) throw new Error('usage: evaluate --images DIR --labels CSV [--json] [--split test --split-file models/split.csv] [--min-side N]');
  let items: LabelledImage[] = readLabels(labelsCsv);
  const splits = args.flags.get('split');
  if (splits) {
    const split = readSplitCsv(flag(args, 'split-file', path.join(modelDir(args), 'split.csv')) ?? '');
    items = items.filter((i) => {
      if (!i.lesionId) throw new Error('--split needs labels with lesion_id (HAM10000 metadata format)');
      return splits.includes(split.get(i.lesionId) ?? '');
    });
  }
  const limit = Number(flag(args, 'limit', '0'));
  if (limit > 0) items = items.slice(0, limit);
  const minSide = Number(flag(args, 'min-side', '200'));
  const classifier = await SkinClassifier.load({ modelDir: modelDir(args), minShortSide: minSide });
  console.error(`evaluate: ${items.length} images, model ${classifier.model.name}@${classifier.model.version}, backend ${classifier.backend}, min side ${minSide}`);
  const truth: number[] = [];
  const probs: number[][] = [];
  const servedPred: number[] = [];
  const urgent: boolean[] = [];
  const rejected: Record<string, number> = {};
  let missing = 0;
  const progress = new Progress('evaluate', items.length);
  for (let i = 0; i < items.length; i += BATCH) {
    const batch = items.slice(i, i + BATCH).filter((it) => {
      if (resolveImage(imagesDir, it.imageId)) return true;
      missing++;
      return false;
    });
    const results = await classifier.analyse(batch.map((it) => readFileSync(resolveImage(imagesDir, it.imageId) ?? '')));
    results.forEach((r, k) => {
      if (r.result.verdict !== 'ok') {
        const key = `${r.result.verdict}:${r.result.reasons.join('+')}`;
        rejected[key] = (rejected[key] ?? 0) + 1;
      }
      if (!r.probabilities) {
        // Refused before the model: no probabilities to score, counted as a miss in `served`.
        truth.push(batch[k].label);
        probs.push(new Array<number>(LESION_LABELS.length).fill(1 / LESION_LABELS.length));
        servedPred.push(-1);
        urgent.push(false);
        return;
      }
      truth.push(batch[k].label);
      probs.push(r.probabilities);
      servedPred.push(r.result.verdict === 'ok' ? LESION_LABELS.indexOf(r.result.top[0].label) : -1);
      urgent.push(r.result.verdict === 'ok' && r.result.risk === 'urgent');
    });
    progress.update(Math.min(items.length, i + BATCH));
  }
  classifier.dispose();
  const report = classificationReport(truth, probs);
  const melIdx = LESION_LABELS.indexOf('mel');
  const isMel = truth.map((t) => t === melIdx);
  const melOp = operatingPoint(urgent.map((u) => (u ? 1 : 0)), isMel, 0.5);
  const servedCorrect = servedPred.filter((p, i) => p === truth[i]).length;
  const servedBal =
    LESION_LABELS.map((_, c) => {
      const idx = truth.map((t, i) => (t === c ? i : -1)).filter((i) => i >= 0);
      return idx.length ? idx.filter((i) => servedPred[i] === c).length / idx.length : NaN;
    }).filter((v) => !Number.isNaN(v));
  const out = {
    ...report,
    melanoma_operating_point: {
      rule: `risk 'urgent' (p(mel) >= ${classifier.metadata.thresholds.mel.toFixed(4)} or mel ranked first)`,
      recall: melOp.recall,
      precision: melOp.precision,
      flagged: melOp.flagged,
    },
    served: {
      accuracy: truth.length ? servedCorrect / truth.length : NaN,
      balanced_accuracy: servedBal.reduce((a, b) => a + b, 0) / servedBal.length,
      note: 'gate-refused photos counted as misses',
    },
    rejected,
    missing_images: missing,
    model: classifier.model,
    backend: classifier.backend,
    min_short_side: minSide,
  };
  if (args.bools.has('json')) {
    process.stdout.write(JSON.stringify(out) + '\n');
    return;
  }
  const pct = (v: number): string => (Number.isNaN(v) ? '  n/a' : (100 * v).toFixed(1).padStart(5));
  const lines = [
    `images            ${out.n}${missing ? ` (${missing} missing)` : ''}`,
    `accuracy          ${pct(out.accuracy)} %`,
    `balanced accuracy ${pct(out.balanced_accuracy)} %`,
    `macro OvR AUC     ${out.auc_macro.toFixed(4)}`,
    `ECE               ${out.ece.toFixed(4)}`,
    `melanoma at the operating point: recall ${pct(melOp.recall)} %, precision ${pct(melOp.precision)} %`,
    `gate refusals     ${JSON.stringify(rejected)}`,
    '',
    `class   recall  precision`,
    ...LESION_LABELS.map((l) => `${l.padEnd(6)}  ${pct(out.recall[l])}   ${pct(out.precision[l])}`),
    '',
    `confusion (rows true, columns predicted)`,
    `        ${LESION_LABELS.map((l) => l.padStart(6)).join('')}`,
    ...LESION_LABELS.map((t) => `${t.padEnd(6)}  ${LESION_LABELS.map((p) => String(out.confusion[t][p]).padStart(6)).join('')}`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
