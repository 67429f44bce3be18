import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SkinClassifier } from '@/inference/classifier';
import { InferenceResult } from '@/inference/inference.types';

/** What evaluation keeps of one classified image (plain data: it crosses process boundaries). */
export interface ImageOutcome {
  imageId: string;
  result: InferenceResult;
  /** Calibrated probabilities; absent when the gates refused the photo before the model. */
  probabilities?: number[];
  /** A routed model's p(dermoscopic) (which 'soon' threshold the photo had). */
  dermoscopic?: number;
}

const BATCH = 8;

/** `<dir>/<id>` with the first image extension that exists, or undefined. */
export function resolveImage(dir: string, id: string): string | undefined {
  for (const ext of ['.jpg', '.jpeg', '.png', '.JPG', '.PNG']) {
    const p = path.join(dir, id + ext);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** Classifies the images `ids` (which must exist in `imagesDir`) in batches; `onDone` hears the count so far. */
export async function classifyImages(
  classifier: SkinClassifier,
  ids: string[],
  imagesDir: string,
  onDone: (done: number) => void,
): Promise<ImageOutcome[]> {
  const out: ImageOutcome[] = [];
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    const results = await classifier.analyse(batch.map((id) => readFileSync(resolveImage(imagesDir, id) ?? '')));
    results.forEach((r, k) =>
      out.push({ imageId: batch[k], result: r.result, probabilities: r.probabilities, dermoscopic: r.dermoscopic }),
    );
    onDone(out.length);
  }
  return out;
}
