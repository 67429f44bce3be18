import { classificationReport, expectedCalibrationError, rocAuc, thresholdForRecall } from './metrics';

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
