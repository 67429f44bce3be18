import { LESION_LABELS, LesionLabel } from '@/inference/inference.types';
import { seededRandom } from './dataset';

/** Classification metrics over the seven classes, in the shape `npm run evaluate -- --json` prints. */
export interface ClassificationReport {
  n: number;
  accuracy: number;
  balanced_accuracy: number;
  recall: Record<LesionLabel, number>;
  precision: Record<LesionLabel, number>;
  /** Macro one-vs-rest ROC AUC over the classes present in the labels. */
  auc_macro: number;
  /** confusion[trueLabel][predictedLabel] = count. */
  confusion: Record<LesionLabel, Record<LesionLabel, number>>;
  /** Expected calibration error of the top probability, 15 equal-width bins. */
  ece: number;
}

const K = LESION_LABELS.length;

function zeros(): Record<LesionLabel, number> {
  return Object.fromEntries(LESION_LABELS.map((l) => [l, 0])) as Record<LesionLabel, number>;
}

/** The index of the largest value (the first on ties). */
export function argmax(p: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
  return best;
}

/** ROC AUC of a binary score via the rank statistic (ties get half credit). */
export function rocAuc(scores: number[], positive: boolean[]): number {
  const idx = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let nPos = 0;
  let rankSum = 0;
  let i = 0;
  while (i < idx.length) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]] === scores[idx[i]]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (positive[idx[k]]) {
        nPos++;
        rankSum += avgRank;
      }
    }
    i = j + 1;
  }
  const nNeg = idx.length - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/**
 * Computes the report from true class indices and per-image probability rows (LESION_LABELS order).
 * `predicted` overrides argmax when the caller applies a decision rule of its own.
 */
export function classificationReport(truth: number[], probs: ArrayLike<number>[], predicted?: number[]): ClassificationReport {
  const pred = predicted ?? probs.map(argmax);
  const confusion = Object.fromEntries(LESION_LABELS.map((l) => [l, zeros()])) as Record<
    LesionLabel,
    Record<LesionLabel, number>
  >;
  truth.forEach((t, i) => confusion[LESION_LABELS[t]][LESION_LABELS[pred[i]]]++);
  const recall = zeros();
  const precision = zeros();
  let correct = 0;
  let present = 0;
  let recallSum = 0;
  for (let c = 0; c < K; c++) {
    const l = LESION_LABELS[c];
    const tp = confusion[l][l];
    correct += tp;
    const support = LESION_LABELS.reduce((s, p) => s + confusion[l][p], 0);
    const predCount = LESION_LABELS.reduce((s, t) => s + confusion[t][l], 0);
    recall[l] = support ? tp / support : NaN;
    precision[l] = predCount ? tp / predCount : NaN;
    if (support) {
      present++;
      recallSum += recall[l];
    }
  }
  let aucSum = 0;
  let aucCount = 0;
  for (let c = 0; c < K; c++) {
    const auc = rocAuc(
      probs.map((p) => p[c]),
      truth.map((t) => t === c),
    );
    if (!Number.isNaN(auc)) {
      aucSum += auc;
      aucCount++;
    }
  }
  return {
    n: truth.length,
    accuracy: truth.length ? correct / truth.length : NaN,
    balanced_accuracy: present ? recallSum / present : NaN,
    recall,
    precision,
    auc_macro: aucCount ? aucSum / aucCount : NaN,
    confusion,
    ece: expectedCalibrationError(truth, probs),
  };
}

/** ECE of the top-1 probability with equal-width bins. */
export function expectedCalibrationError(truth: number[], probs: ArrayLike<number>[], bins = 15): number {
  const conf = new Array<number>(bins).fill(0);
  const acc = new Array<number>(bins).fill(0);
  const cnt = new Array<number>(bins).fill(0);
  probs.forEach((p, i) => {
    const k = argmax(p);
    const b = Math.min(bins - 1, Math.floor(p[k] * bins));
    conf[b] += p[k];
    acc[b] += k === truth[i] ? 1 : 0;
    cnt[b]++;
  });
  let ece = 0;
  for (let b = 0; b < bins; b++) if (cnt[b]) ece += Math.abs(acc[b] - conf[b]);
  return truth.length ? ece / truth.length : NaN;
}

/** Recall and precision of "flagged" (score >= threshold) against the positive class. */
export function operatingPoint(
  scores: number[],
  positive: boolean[],
  threshold: number,
): { threshold: number; recall: number; precision: number; flagged: number } {
  let tp = 0;
  let fp = 0;
  let pos = 0;
  scores.forEach((s, i) => {
    if (positive[i]) pos++;
    if (s >= threshold) {
      if (positive[i]) tp++;
      else fp++;
    }
  });
  return {
    threshold,
    recall: pos ? tp / pos : NaN,
    precision: tp + fp ? tp / (tp + fp) : NaN,
    flagged: tp + fp,
  };
}

/** The highest threshold whose recall on (scores, positive) is at least `minRecall`. */
export function thresholdForRecall(scores: number[], positive: boolean[], minRecall: number): number {
  const pos = scores.filter((_, i) => positive[i]).sort((a, b) => b - a);
  if (!pos.length) return 0.5;
  const need = Math.ceil(minRecall * pos.length);
  return pos[Math.max(0, need - 1)];
}

/** Balanced accuracy (mean recall over the classes present) of the photos `rows` (indices, repeats allowed). */
export function balancedAccuracyOf(truth: number[], pred: number[], rows: number[]): number {
  const hits = new Array<number>(K).fill(0);
  const support = new Array<number>(K).fill(0);
  for (const i of rows) {
    support[truth[i]]++;
    if (pred[i] === truth[i]) hits[truth[i]]++;
  }
  const recalls = support.map((s, c) => (s ? hits[c] / s : NaN)).filter((r) => !Number.isNaN(r));
  return recalls.length ? recalls.reduce((a, b) => a + b, 0) / recalls.length : NaN;
}

/**
 * A percentile bootstrap interval of `stat` by group (lesion or patient): each resample draws the
 * groups with replacement and keeps every photo of a drawn group, so a lesion photographed several
 * times weighs as one unit, as it does in the lesion-level split. Seeded: the same input gives the
 * same interval. Resamples where `stat` is undefined (NaN: a class drawn without a photo) are skipped.
 */
export function groupBootstrap(
  groups: string[],
  stat: (rows: number[]) => number,
  opts: { resamples?: number; level?: number; seed?: number } = {},
): [number, number] {
  const { resamples = 1000, level = 0.95, seed = 2026 } = opts;
  const byGroup = new Map<string, number[]>();
  groups.forEach((g, i) => byGroup.set(g, [...(byGroup.get(g) ?? []), i]));
  const units = [...byGroup.values()];
  const rand = seededRandom(seed);
  const values: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const rows: number[] = [];
    for (let u = 0; u < units.length; u++) rows.push(...units[Math.floor(rand() * units.length)]);
    const v = stat(rows);
    if (!Number.isNaN(v)) values.push(v);
  }
  if (!values.length) return [NaN, NaN];
  values.sort((a, b) => a - b);
  const at = (q: number): number => values[Math.min(values.length - 1, Math.max(0, Math.floor(q * values.length)))];
  return [at((1 - level) / 2), at(1 - (1 - level) / 2)];
}
