import { foldsByLesion, LabelledImage, seededRandom, shuffle } from '@/inference/dataset';
import { softmaxT } from '@/inference/head';
import { LESION_LABELS } from '@/inference/inference.types';
import { classificationReport } from '@/inference/metrics';
import { concatRows, HeadConfig, Matrix, Member, trainMember } from './train-head';

const K = LESION_LABELS.length;
const NV = LESION_LABELS.indexOf('nv');

/**
 * The cross-validation pool: every train and validation image but nevi, and `nvPool` nevi drawn with
 * a fixed seed from the train and validation nevi given. 1450 keeps the shipped recipe's nevus share
 * (34%), which scored better than more nevi (model card).
 */
export function cvPool(train: LabelledImage[], val: LabelledImage[], nvPool: number): LabelledImage[] {
  const both = [...train, ...val];
  const nv = shuffle(
    both.filter((i) => i.label === NV),
    seededRandom(2020),
  ).slice(0, nvPool);
  return [...both.filter((i) => i.label !== NV), ...nv];
}

export interface CvInput {
  /** The pool's images (for the lesion-level folds) and labels. */
  pool: LabelledImage[];
  /** Standardised pool rows seen as they are, then in each augmentation view the heads train on. */
  trainRows: Matrix[];
  /** Standardised pool rows in the test-time views after the photo itself (logits are averaged). */
  ttaRows: Matrix[];
  folds: number;
  members: number;
  cfg: HeadConfig;
  seed: number;
}

export interface CvResult {
  /** Out-of-fold balanced accuracy (temperature 1) after each epoch. */
  curve: number[];
  /** The epoch (1-based) with the best out-of-fold balanced accuracy. */
  epoch: number;
  /** Out-of-fold logits at `epoch`, in pool order (the mean over a fold's members). */
  logits: Float32Array[];
  /** Out-of-fold logits after every epoch (index epoch - 1). */
  logitsByEpoch: Float32Array[][];
  /** Every fold's members at `epoch`: folds x members heads (fold-major), each trained on the other folds. */
  heads: Member[];
  /** The fold of each pooled image, in pool order. */
  foldOf: number[];
}

/** The rows `idx` of `m`. */
function pick(m: Matrix, idx: number[]): Matrix {
  const data = new Float32Array(idx.length * m.d);
  idx.forEach((r, i) => data.set(m.data.subarray(r * m.d, (r + 1) * m.d), i * m.d));
  return { data, n: idx.length, d: m.d };
}

/**
 * Lesion-level k-fold cross-validation of the MLP head recipe. Each fold's members train on the other
 * folds for `cfg.epochs` epochs and score the fold's images after every epoch; the epoch count is
 * then chosen once for all folds on the pooled out-of-fold balanced accuracy, and each fold's
 * members are kept as they were at that epoch.
 */
export async function crossValidate(input: CvInput): Promise<CvResult> {
  const { pool, folds, members, cfg } = input;
  const y = pool.map((i) => i.label);
  const fold = foldsByLesion(pool, folds, input.seed + 3);
  const foldOf = pool.map((i) => fold.get(i.lesionId ?? '') ?? 0);
  const byEpoch = Array.from({ length: cfg.epochs }, () => pool.map(() => new Float32Array(K)));
  const snapshots: Member[][] = []; // [fold * members + member][epoch - 1]
  for (let f = 0; f < folds; f++) {
    const tr = pool.map((_, i) => i).filter((i) => foldOf[i] !== f);
    const te = pool.map((_, i) => i).filter((i) => foldOf[i] === f);
    const trAll = concatRows(input.trainRows.map((m) => pick(m, tr)));
    const trY = input.trainRows.flatMap(() => tr.map((i) => y[i]));
    const [teX, ...teViews] = [input.trainRows[0], ...input.ttaRows].map((m) => pick(m, te));
    for (let m = 0; m < members; m++) {
      const kept: Member[] = [];
      await trainMember(
        trAll,
        trY,
        teX,
        te.map((i) => y[i]),
        cfg,
        input.seed + 100 * (m + 1),
        `fold ${f + 1}/${folds} member ${m + 1}/${members}`,
        {
          valViews: teViews,
          onEpoch: (snap) => {
            kept.push(snap);
            te.forEach((i, r) => snap.valLogits[r].forEach((v, c) => (byEpoch[snap.bestEpoch - 1][i][c] += v / members)));
          },
        },
      );
      snapshots.push(kept);
    }
  }
  const curve = byEpoch.map(
    (logits) =>
      classificationReport(
        y,
        logits.map((l) => softmaxT(l, 1)),
      ).balanced_accuracy,
  );
  const epoch = curve.indexOf(Math.max(...curve)) + 1;
  return { curve, epoch, logits: byEpoch[epoch - 1], logitsByEpoch: byEpoch, heads: snapshots.map((s) => s[epoch - 1]), foldOf };
}
