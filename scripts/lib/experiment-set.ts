import { LabelledImage, seededRandom, shuffle } from '@/inference/dataset';
import { LESION_LABELS } from '@/inference/inference.types';
import { hasCached } from './feature-cache';

/**
 * The train images of the experiments: every train image with cached features except nevi, plus
 * `nvMax` nevi drawn with a fixed seed (1200 reproduces the shipped recipe's head on validation).
 */
export function experimentTrainSet(
  all: LabelledImage[],
  split: Map<string, string>,
  nvMax = Infinity,
): { train: LabelledImage[]; nv: number } {
  const nvIdx = LESION_LABELS.indexOf('nv');
  const train0 = all.filter((i) => split.get(i.lesionId ?? '') === 'train' && hasCached('.cache', i.imageId));
  const nv = shuffle(
    train0.filter((i) => i.label === nvIdx),
    seededRandom(2019),
  ).slice(0, nvMax);
  return { train: [...train0.filter((i) => i.label !== nvIdx), ...nv], nv: nv.length };
}
