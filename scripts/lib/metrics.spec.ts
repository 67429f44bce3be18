import {
  balancedAccuracyOf,
  classificationReport,
  expectedCalibrationError,
  groupBootstrap,
  rocAuc,
  thresholdForRecall,
} from './metrics';

describe('classificationReport', () => {
  it('should compute balanced accuracy as the mean per-class recall', () => {
    const onehot = (c: number): number[] => Array.from({ length: 7 }, (_, i) => (i === c ? 0.9 : 0.1 / 6));
    const truth = [0, 0, 0, 1];
    const probs = [onehot(0), onehot(0), onehot(1), onehot(1)];
    const r = classificationReport(truth, probs);
    expect(r.accuracy).toBeCloseTo(0.75);
    expect(r.balanced_accuracy).toBeCloseTo((2 / 3 + 1) / 2);
    expect(r.confusion.akiec.bcc).toBe(1);
    expect(r.precision.bcc).toBeCloseTo(0.5);
  });
});

describe('rocAuc', () => {
  it('should be 1 for a perfect ranking and 0.5 for ties', () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [false, false, true, true])).toBe(1);
    expect(rocAuc([0.5, 0.5], [false, true])).toBe(0.5);
  });
});

describe('expectedCalibrationError', () => {
  it('should be 0 when confidence equals accuracy', () => {
    const p = [1, 0, 0, 0, 0, 0, 0];
    expect(expectedCalibrationError([0, 0], [p, p])).toBeCloseTo(0);
  });
});

describe('thresholdForRecall', () => {
  it('should return the highest threshold reaching the recall', () => {
    const t = thresholdForRecall([0.9, 0.8, 0.3, 0.1, 0.7], [true, true, true, true, false], 0.75);
    expect(t).toBe(0.3);
  });
});

describe('groupBootstrap', () => {
  const truth = Array.from({ length: 200 }, (_, i) => i % 7);
  const pred = truth.map((t, i) => (i % 3 === 0 ? (t + 1) % 7 : t));
  const all = truth.map((_, i) => i);

  it('should resample whole groups, reproducibly, around the value on every photo', () => {
    const value = balancedAccuracyOf(truth, pred, all);
    const onehot = pred.map((c) => Array.from({ length: 7 }, (_, k) => (k === c ? 1 : 0)));
    expect(value).toBeCloseTo(classificationReport(truth, onehot).balanced_accuracy);
    const groups = truth.map((_, i) => `lesion-${Math.floor(i / 2)}`);
    const stat = (rows: number[]): number => balancedAccuracyOf(truth, pred, rows);
    const [lo, hi] = groupBootstrap(groups, stat);
    expect(lo).toBeLessThan(value);
    expect(hi).toBeGreaterThan(value);
    expect(groupBootstrap(groups, stat)).toEqual([lo, hi]);
    expect(groupBootstrap(groups, () => 1)).toEqual([1, 1]);
  });

  it('should give a wider interval when photos of one lesion share their outcome than when each photo counts alone', () => {
    // 100 lesions photographed twice; the outcome is the lesion's, so the photos are not independent.
    const hit = all.map((i) => Math.floor(i / 2) % 3 !== 0);
    const mean = (rows: number[]): number => rows.filter((i) => hit[i]).length / rows.length;
    const byLesion = groupBootstrap(
      all.map((i) => String(Math.floor(i / 2))),
      mean,
    );
    const byPhoto = groupBootstrap(
      all.map((i) => String(i)),
      mean,
    );
    expect(byLesion[1] - byLesion[0]).toBeGreaterThan(1.2 * (byPhoto[1] - byPhoto[0]));
  });
});
