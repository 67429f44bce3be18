import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { foldsByLesion, LabelledImage, readLabels, readSplitCsv, splitByLesion } from './dataset';
import { LESION_LABELS } from '@/inference/inference.types';
import { hamDir, MODEL_DIR } from '../../test/support/dataset-dir';

const HAM = hamDir();
const itWithData = HAM ? it : it.skip;

/** `lesions` lesions per class, each photographed `photos` times. */
function synthetic(lesions: number, photos: number): LabelledImage[] {
  return LESION_LABELS.flatMap((_, c) =>
    Array.from({ length: lesions * photos }, (_, i) => ({
      imageId: `ISIC_${c}_${i}`,
      label: c,
      lesionId: `HAM_${c}_${Math.floor(i / photos)}`,
    })),
  );
}

/** Each lesion's images must land in one group, whatever the grouping. */
function expectLesionsWhole(images: LabelledImage[], groupOf: (img: LabelledImage) => unknown): void {
  const seen = new Map<string, unknown>();
  for (const img of images) {
    const g = groupOf(img);
    if (seen.has(img.lesionId ?? '')) expect(g).toBe(seen.get(img.lesionId ?? ''));
    seen.set(img.lesionId ?? '', g);
  }
}

describe('foldsByLesion', () => {
  it('should keep every lesion in one fold and deal each class evenly over the folds', () => {
    const images = synthetic(23, 3);
    const folds = foldsByLesion(images, 5, 7);
    expectLesionsWhole(images, (img) => folds.get(img.lesionId ?? ''));
    for (let c = 0; c < LESION_LABELS.length; c++) {
      const counts = [0, 0, 0, 0, 0];
      for (const [id, f] of folds) if (id.startsWith(`HAM_${c}_`)) counts[f]++;
      // 23 lesions over 5 folds: 5,5,5,4,4 in some order.
      expect(counts.slice().sort()).toEqual([4, 4, 5, 5, 5]);
    }
  });

  it('should repeat with the same seed and differ with another', () => {
    const images = synthetic(20, 1);
    expect([...foldsByLesion(images, 5, 7)]).toEqual([...foldsByLesion(images, 5, 7)]);
    expect([...foldsByLesion(images, 5, 7)]).not.toEqual([...foldsByLesion(images, 5, 8)]);
  });

  it('should refuse an image without a lesion id', () => {
    expect(() => foldsByLesion([{ imageId: 'x', label: 0 }], 5, 1)).toThrow(/no lesion_id/);
  });
});

describe('splitByLesion', () => {
  it('should keep every lesion in one split with the asked fractions per class', () => {
    const images = synthetic(40, 2);
    const split = splitByLesion(images, { val: 0.15, test: 0.15 }, 2018);
    expectLesionsWhole(images, (img) => split.get(img.lesionId ?? ''));
    const ofClass0 = [...split].filter(([id]) => id.startsWith('HAM_0_')).map(([, s]) => s);
    expect(ofClass0.filter((s) => s === 'test')).toHaveLength(6);
    expect(ofClass0.filter((s) => s === 'val')).toHaveLength(6);
  });

  itWithData('should match the committed split: every HAM10000 lesion in exactly one split', () => {
    const all = readLabels(path.join(HAM ?? '', 'HAM10000_metadata.csv'));
    const committed = readSplitCsv(path.join(MODEL_DIR, 'split.csv'));
    expectLesionsWhole(all, (img) => committed.get(img.lesionId ?? ''));
    expect(all.every((img) => committed.has(img.lesionId ?? ''))).toBe(true);
    // The committed split is the seeded one `npm run train` makes, so every number can be reproduced.
    expect(splitByLesion(all, { val: 0.15, test: 0.15 }, 2018)).toEqual(committed);
  });
});

describe('readLabels', () => {
  it('should read the patient of PAD-UFES-20 metadata, so its photos are grouped by patient', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dermlink-labels-'));
    const csv = path.join(dir, 'metadata.csv');
    writeFileSync(
      csv,
      'image_id,dx,pad_diagnostic,patient_id,lesion_id,biopsed\nPAT_1_1_1,bcc,BCC,PAT_1,1,True\nPAT_1_2_1,nv,NEV,PAT_1,2,False\n',
    );
    expect(readLabels(csv)).toEqual([
      { imageId: 'PAT_1_1_1', label: LESION_LABELS.indexOf('bcc'), lesionId: '1', patientId: 'PAT_1' },
      { imageId: 'PAT_1_2_1', label: LESION_LABELS.indexOf('nv'), lesionId: '2', patientId: 'PAT_1' },
    ]);
  });
});
