import { readFileSync } from 'node:fs';
import { LESION_LABELS, LesionLabel } from '@/inference/inference.types';

/** One labelled image of a dataset: id (file stem), class index in LESION_LABELS order, lesion id if known. */
export interface LabelledImage {
  imageId: string;
  label: number;
  lesionId?: string;
  /** The patient, where the labels name one (PAD-UFES-20's `patient_id`). */
  patientId?: string;
}

export type SplitName = 'train' | 'val' | 'test';

/** Splits a simple CSV (no quoted commas, as the HAM10000 and ISIC files are) into trimmed cells. */
export function parseCsv(text: string): string[][] {
  return text
    .split(/\r?\n/)
    .filter((l) => l.trim().length > 0)
    .map((l) => l.split(',').map((c) => c.trim()));
}

/**
 * Reads labels in either HAM10000 metadata format (`lesion_id?,image_id,dx,...`) or the ISIC 2018
 * ground-truth format (`image,MEL,NV,BCC,AKIEC,BKL,DF,VASC`, one-hot).
 */
export function readLabels(csvPath: string): LabelledImage[] {
  const rows = parseCsv(readFileSync(csvPath, 'utf8'));
  const header = rows[0].map((h) => h.toLowerCase());
  const body = rows.slice(1);
  const dxCol = header.indexOf('dx');
  const idCol = header.indexOf('image_id');
  if (dxCol >= 0 && idCol >= 0) {
    const lesionCol = header.indexOf('lesion_id');
    const patientCol = header.indexOf('patient_id');
    return body.map((r) => {
      const label = LESION_LABELS.indexOf(r[dxCol] as LesionLabel);
      if (label < 0) throw new Error(`unknown dx '${r[dxCol]}' for ${r[idCol]}`);
      return {
        imageId: r[idCol],
        label,
        lesionId: lesionCol >= 0 ? r[lesionCol] : undefined,
        patientId: patientCol >= 0 ? r[patientCol] : undefined,
      };
    });
  }
  const imageCol = header.indexOf('image');
  if (imageCol >= 0) {
    const cols = LESION_LABELS.map((l) => header.indexOf(l));
    if (cols.some((c) => c < 0)) throw new Error(`${csvPath}: ISIC format needs columns MEL,NV,BCC,AKIEC,BKL,DF,VASC`);
    return body.map((r) => {
      const values = cols.map((c) => Number(r[c]));
      const label = values.indexOf(Math.max(...values));
      return { imageId: r[imageCol], label };
    });
  }
  throw new Error(`${csvPath}: expected columns image_id,dx or image,MEL,NV,BCC,AKIEC,BKL,DF,VASC`);
}

/** mulberry32: a small seeded PRNG so splits and sampling are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], rand: () => number): T[] {
  const a = items.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/**
 * Lesion-level split, stratified by class: each lesion's images share one split, so near-duplicate
 * photos of a lesion never straddle train and test.
 */
export function splitByLesion(
  images: LabelledImage[],
  fractions: { val: number; test: number },
  seed: number,
): Map<string, SplitName> {
  const result = new Map<string, SplitName>();
  for (const lesions of shuffledLesionsByClass(images, seed)) {
    const nTest = Math.round(lesions.length * fractions.test);
    const nVal = Math.round(lesions.length * fractions.val);
    lesions.forEach((id, i) => result.set(id, i < nTest ? 'test' : i < nTest + nVal ? 'val' : 'train'));
  }
  return result;
}

/**
 * Lesion-level k folds, stratified by class (for cross-validation): each lesion's images share one
 * fold, and each class's lesions are dealt round-robin over the folds after a seeded shuffle.
 */
export function foldsByLesion(images: LabelledImage[], k: number, seed: number): Map<string, number> {
  const fold = new Map<string, number>();
  for (const lesions of shuffledLesionsByClass(images, seed)) lesions.forEach((id, i) => fold.set(id, i % k));
  return fold;
}

/** For each class in LESION_LABELS order, its lesion ids sorted and then shuffled by one seeded stream. */
function shuffledLesionsByClass(images: LabelledImage[], seed: number): string[][] {
  const lesionLabel = new Map<string, number>();
  for (const img of images) {
    if (!img.lesionId) throw new Error(`image ${img.imageId} has no lesion_id`);
    lesionLabel.set(img.lesionId, img.label);
  }
  const rand = seededRandom(seed);
  return LESION_LABELS.map((_, c) =>
    shuffle(
      [...lesionLabel.entries()]
        .filter(([, l]) => l === c)
        .map(([id]) => id)
        .sort(),
      rand,
    ),
  );
}

export function writeSplitCsv(split: Map<string, SplitName>): string {
  const lines = [...split.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([id, s]) => `${id},${s}`);
  return `lesion_id,split\n${lines.join('\n')}\n`;
}

export function readSplitCsv(path: string): Map<string, SplitName> {
  const rows = parseCsv(readFileSync(path, 'utf8')).slice(1);
  return new Map(rows.map(([id, s]) => [id, s as SplitName]));
}
