/**
 * `npm run evaluate -- --images DIR --labels CSV [--json] [--split test --split-file models/split.csv]
 *   [--min-side 150] [--model models] [--limit N] [--workers N]` (N processes, one per core)
 * `npm run evaluate -- --gates [--ham DIR] [--ham-split test] [--pad DIR] [--nonskin DIR ...] [--json]`: photo-gate measurement
 *   (HAM10000 test and PAD-UFES-20 development photos wrongly refused; non-skin pictures refused),
 *   see scripts/lib/gates-eval.ts.
 * Runs every image through the real SkinClassifier (gates included) and prints the metrics.
 * Probabilities count for every image the model saw; photos the gates refused are listed under
 * `rejected` and, in `served`, counted as misses.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SkinClassifier } from '@/inference/classifier';
import { LabelledImage, readLabels, readSplitCsv } from './lib/dataset';
import { LESION_LABELS } from '@/inference/inference.types';
import { argmax, balancedAccuracyOf, classificationReport, groupBootstrap, operatingPoint } from './lib/metrics';
import { ModelMetadata, readModelMetadata } from '@/inference/model-metadata';
import { calledDermoscopic } from '@/inference/triage';
import { flag, modelDir, parseArgs } from './lib/cli';
import { ImageOutcome, classifyImages, resolveImage } from './lib/evaluate-images';
import { forkWorkers } from './lib/fork-workers';
import { DEFAULT_NONSKIN_DIRS, measureGates } from './lib/gates-eval';
import { Progress } from './lib/progress';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ['json', 'gates']);
  if (args.bools.has('gates')) {
    const m = await measureGates({
      modelDir: modelDir(args),
      hamDir: flag(args, 'ham', process.env.HAM10000_DIR ?? path.join('..', 'shared', 'data', 'ham10000')),
      padDir: flag(args, 'pad', path.join('..', 'shared', 'data', 'pad-ufes-20-dev')),
      splitFile: flag(args, 'split-file', path.join(modelDir(args), 'split.csv')) ?? '',
      hamSplit: flag(args, 'ham-split', 'test'),
      nonSkinDirs: args.flags.get('nonskin') ?? DEFAULT_NONSKIN_DIRS,
      limit: Number(flag(args, 'limit', '0')) || undefined,
    });
    process.stdout.write(args.bools.has('json') ? JSON.stringify(m) + '\n' : JSON.stringify(m, null, 2) + '\n');
    return;
  }
  const imagesDir = flag(args, 'images');
  const labelsCsv = flag(args, 'labels');
  if (!imagesDir || !labelsCsv)
    throw new Error(
      'usage: evaluate --images DIR --labels CSV [--json] [--split test --split-file models/split.csv] [--min-side N] [--workers N]',
    );
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
  const workers = Number(flag(args, 'workers', '1'));
  if (!Number.isInteger(workers) || workers < 1) throw new Error('--workers needs a whole number of processes, 1 or more');
  const found = items.filter((it) => resolveImage(imagesDir, it.imageId));
  const missing = items.length - found.length;
  const { outcomes, backend, metadata } = await classifyAll(found, { imagesDir, modelDir: modelDir(args), minSide, workers });
  const truth: number[] = [];
  const probs: number[][] = [];
  const servedPred: number[] = [];
  const urgent: boolean[] = [];
  const risks: (string | undefined)[] = [];
  const uncertain: boolean[] = [];
  const dermoscopic: boolean[] = [];
  const rejected: Record<string, number> = {};
  found.forEach((item, i) => {
    const { result, probabilities } = outcomes[i];
    dermoscopic.push(result.verdict === 'ok' && calledDermoscopic(metadata.thresholds, outcomes[i].dermoscopic));
    if (result.verdict !== 'ok') {
      const key = `${result.verdict}:${result.reasons.join('+')}`;
      rejected[key] = (rejected[key] ?? 0) + 1;
    }
    truth.push(item.label);
    // Refused before the model: no probabilities to score (uniform), counted as a miss in `served`.
    probs.push(probabilities ?? new Array<number>(LESION_LABELS.length).fill(1 / LESION_LABELS.length));
    servedPred.push(probabilities && result.verdict === 'ok' ? LESION_LABELS.indexOf(result.top[0].label) : -1);
    urgent.push(!!probabilities && result.verdict === 'ok' && result.risk === 'urgent');
    risks.push(result.verdict === 'ok' ? result.risk : undefined);
    uncertain.push(result.verdict === 'ok' && result.uncertain);
  });
  const report = classificationReport(truth, probs);
  const melIdx = LESION_LABELS.indexOf('mel');
  const isMel = truth.map((t) => t === melIdx);
  const melOp = operatingPoint(
    urgent.map((u) => (u ? 1 : 0)),
    isMel,
    0.5,
  );
  const intervals = bootstrapIntervals(found, truth, probs, urgent, risks);
  const servedCorrect = servedPred.filter((p, i) => p === truth[i]).length;
  const servedBal = LESION_LABELS.map((_, c) => {
    const idx = truth.map((t, i) => (t === c ? i : -1)).filter((i) => i >= 0);
    return idx.length ? idx.filter((i) => servedPred[i] === c).length / idx.length : NaN;
  }).filter((v) => !Number.isNaN(v));
  const out = {
    ...report,
    melanoma_operating_point: {
      rule: `risk 'urgent' (p(mel) >= ${metadata.thresholds.mel.toFixed(4)} or mel ranked first)`,
      thresholds: metadata.thresholds,
      recall: melOp.recall,
      precision: melOp.precision,
      flagged: melOp.flagged,
    },
    served: {
      accuracy: truth.length ? servedCorrect / truth.length : NaN,
      balanced_accuracy: servedBal.reduce((a, b) => a + b, 0) / servedBal.length,
      note: 'gate-refused photos counted as misses',
    },
    triage: triageReport(truth, risks, uncertain, metadata.thresholds.soonDermoscopic === undefined ? undefined : dermoscopic),
    intervals,
    rejected,
    rejected_share: truth.length ? risks.filter((r) => r === undefined).length / truth.length : NaN,
    missing_images: missing,
    model: { name: metadata.name, version: metadata.version },
    test_views: metadata.testViews,
    backend,
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
    `gate refusals     ${JSON.stringify(rejected)} (${pct(out.rejected_share)} %)`,
    `triage            ${JSON.stringify(out.triage)}`,
    `95% intervals     ${JSON.stringify(intervals)}`,
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

/**
 * 95% bootstrap intervals (1000 resamples, seeded) of the headline numbers, by patient where the
 * labels name one, else by lesion, else by photo: how far they could move on another sample of the
 * same kind of photos (a difference between two models inside them is not one to rely on).
 */
function bootstrapIntervals(
  items: LabelledImage[],
  truth: number[],
  probs: number[][],
  urgent: boolean[],
  risks: (string | undefined)[],
): Record<string, string | number | [number, number]> {
  const unit = items.some((i) => i.patientId) ? 'patient' : items.some((i) => i.lesionId) ? 'lesion' : 'photo';
  const groups = items.map((i) => (unit === 'patient' ? i.patientId : unit === 'lesion' ? i.lesionId : undefined) ?? i.imageId);
  const predicted = probs.map(argmax);
  const melIdx = LESION_LABELS.indexOf('mel');
  const share = (rows: number[], pick: (i: number) => boolean, hit: (i: number) => boolean): number => {
    const picked = rows.filter(pick);
    return picked.length ? picked.filter(hit).length / picked.length : NaN;
  };
  const round = ([lo, hi]: [number, number]): [number, number] => [Number(lo.toFixed(4)), Number(hi.toFixed(4))];
  return {
    unit,
    resamples: 1000,
    balanced_accuracy: round(groupBootstrap(groups, (rows) => balancedAccuracyOf(truth, predicted, rows))),
    melanoma_urgent_recall: round(
      groupBootstrap(groups, (rows) =>
        share(
          rows,
          (i) => truth[i] === melIdx,
          (i) => urgent[i],
        ),
      ),
    ),
    malignant_not_routine: round(
      groupBootstrap(groups, (rows) =>
        share(
          rows,
          (i) => risks[i] !== undefined && MALIGNANT.includes(truth[i]),
          (i) => risks[i] !== 'routine',
        ),
      ),
    ),
  };
}

const MALIGNANT = ['akiec', 'bcc', 'mel'].map((l) => LESION_LABELS.indexOf(l as (typeof LESION_LABELS)[number]));

/**
 * What the decision rule does on the photos the gates let through: the share of melanoma, BCC and
 * actinic keratosis not told 'routine' (each and together), and what it costs benign spots. With a
 * routed model's per-kind rule (`dermoscopic`: the router called the photo dermoscopic), also the
 * share of photos that had the dermoscopic 'soon' threshold.
 */
function triageReport(
  truth: number[],
  risks: (string | undefined)[],
  uncertain: boolean[],
  dermoscopic?: boolean[],
): Record<string, number | null> {
  const share = (pick: (i: number) => boolean, hit: (i: number) => boolean): number | null => {
    const idx = truth.map((_, i) => i).filter((i) => risks[i] !== undefined && pick(i));
    return idx.length ? idx.filter(hit).length / idx.length : null;
  };
  const malignant = (i: number): boolean => MALIGNANT.includes(truth[i]);
  const notRoutine = (i: number): boolean => risks[i] !== 'routine';
  const out: Record<string, number | null> = {
    malignant_not_routine: share(malignant, notRoutine),
    benign_urgent: share(
      (i) => !malignant(i),
      (i) => risks[i] === 'urgent',
    ),
    benign_soon_or_urgent: share((i) => !malignant(i), notRoutine),
    uncertain: share(
      () => true,
      (i) => uncertain[i],
    ),
  };
  for (const c of MALIGNANT) out[`${LESION_LABELS[c]}_not_routine`] = share((i) => truth[i] === c, notRoutine);
  if (dermoscopic)
    out.dermoscopic_threshold_applied = share(
      () => true,
      (i) => dermoscopic[i],
    );
  return out;
}

/**
 * Every image through the real SkinClassifier, in this process or split over `workers` child
 * processes (one per core; each loads its own classifier). Outcomes come back in `items` order.
 */
async function classifyAll(
  items: LabelledImage[],
  opts: { imagesDir: string; modelDir: string; minSide: number; workers: number },
): Promise<{ outcomes: ImageOutcome[]; backend: string; metadata: ModelMetadata }> {
  const metadata = await readModelMetadata(opts.modelDir);
  const ids = items.map((i) => i.imageId);
  const progress = new Progress('evaluate', ids.length);
  console.error(
    `evaluate: ${ids.length} images, model ${metadata.name}@${metadata.version}, views ${metadata.testViews.join('+')}, min side ${opts.minSide}, ${opts.workers} worker(s)`,
  );
  if (opts.workers === 1) {
    const classifier = await SkinClassifier.load({ modelDir: opts.modelDir, minShortSide: opts.minSide });
    const outcomes = await classifyImages(classifier, ids, opts.imagesDir, (done) => progress.update(done));
    await classifier.dispose();
    return { outcomes, backend: classifier.backend, metadata };
  }
  const listDir = path.join('.cache', 'lists');
  const listFiles: string[] = [];
  await forkWorkers(ids, {
    script: path.join(__dirname, 'evaluate-worker.ts'),
    argv: (listFile) => {
      listFiles.push(listFile);
      return [listFile, opts.imagesDir, opts.modelDir, String(opts.minSide)];
    },
    workers: opts.workers,
    listDir,
    onDone: (done) => progress.update(done),
  });
  const byId = new Map<string, ImageOutcome>();
  let backend = '';
  for (const file of listFiles) {
    const part = JSON.parse(readFileSync(`${file}.out.json`, 'utf8')) as { backend: string; outcomes: ImageOutcome[] };
    backend = part.backend;
    for (const o of part.outcomes) byId.set(o.imageId, o);
  }
  return {
    outcomes: ids.map((id) => {
      const o = byId.get(id);
      if (!o) throw new Error(`evaluate: no outcome for ${id}`);
      return o;
    }),
    backend,
    metadata,
  };
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
