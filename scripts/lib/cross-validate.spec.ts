import { initBackend } from '@/inference/backend';
import { LabelledImage, seededRandom } from '@/inference/dataset';
import { LESION_LABELS } from '@/inference/inference.types';
import { crossValidate } from './cross-validate';
import { HEAD_CONFIG, Matrix, Member } from './train-head';

const K = LESION_LABELS.length;
const D = 12;

/** 7 classes x 10 lesions x 2 photos; each class a gaussian cloud around its own centre. */
function separable(): { pool: LabelledImage[]; rows: Matrix } {
  const rand = seededRandom(5);
  const centre = LESION_LABELS.map(() => Array.from({ length: D }, () => 4 * (rand() - 0.5)));
  const pool: LabelledImage[] = [];
  const data: number[] = [];
  LESION_LABELS.forEach((_, c) => {
    for (let i = 0; i < 20; i++) {
      pool.push({ imageId: `img_${c}_${i}`, label: c, lesionId: `les_${c}_${Math.floor(i / 2)}` });
      for (let j = 0; j < D; j++) data.push(centre[c][j] + 0.5 * (rand() - 0.5));
    }
  });
  return { pool, rows: { data: Float32Array.from(data), n: pool.length, d: D } };
}

/** The head's logits for one row, computed by hand (dropout is training-only). */
function logitsOf(h: Member, x: Float32Array, hidden: number): number[] {
  const z = Array.from({ length: hidden }, (_, u) => {
    let v = h.bias1[u];
    for (let j = 0; j < D; j++) v += x[j] * h.kernel1[j * hidden + u];
    return Math.max(0, v);
  });
  return Array.from({ length: K }, (_, c) => {
    let v = h.bias2[c];
    for (let u = 0; u < hidden; u++) v += z[u] * h.kernel2[u * K + c];
    return v;
  });
}

describe('crossValidate', () => {
  it('should score every pooled image once, by the heads of the fold that left its lesion out', async () => {
    await initBackend();
    const { pool, rows } = separable();
    const cfg = { ...HEAD_CONFIG, hidden: 16, epochs: 8, batchSize: 16, lr: 1e-2, inputDropout: 0, dropout: 0 };
    const cv = await crossValidate({ pool, trainRows: [rows], ttaRows: [], folds: 3, members: 1, cfg, seed: 11 });

    expect(cv.curve).toHaveLength(8);
    expect(cv.curve[cv.epoch - 1]).toBe(Math.max(...cv.curve));
    expect(cv.heads).toHaveLength(3);
    expect(cv.heads.every((h) => h.bestEpoch === cv.epoch)).toBe(true);
    expect(cv.logits).toHaveLength(pool.length);
    // Folds are lesion-level: both photos of a lesion share one.
    for (let i = 0; i < pool.length; i += 2) expect(cv.foldOf[i]).toBe(cv.foldOf[i + 1]);
    expect(new Set(cv.foldOf)).toEqual(new Set([0, 1, 2]));
    // Each image's out-of-fold logits are those of its fold's head.
    pool.forEach((_, i) => {
      const expected = logitsOf(cv.heads[cv.foldOf[i]], rows.data.subarray(i * D, (i + 1) * D), cfg.hidden);
      expected.forEach((v, c) => expect(cv.logits[i][c]).toBeCloseTo(v, 3));
    });
    // The clouds are apart: held-out lesions are recognised.
    expect(cv.curve[cv.epoch - 1]).toBeGreaterThan(0.9);
  });
});
