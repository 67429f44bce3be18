import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { LESION_LABELS, LesionLabel } from './inference.types';
import { PREPARATION_VERSION } from './preprocess';

/** Thresholds of the photo gates, on {@link PhotoStats} of the prepared image and the model's OOD score. */
export interface GateThresholds {
  /** mean luminance under this: 'too_dark'. */
  minMeanLuma: number;
  /** share of clipped white pixels over this, or mean luminance over maxMeanLuma: 'overexposed'. */
  maxClippedShare: number;
  maxMeanLuma: number;
  /** luminance std under this: a blank picture, 'not_skin'. */
  minStdLuma: number;
  /** normalised Laplacian variance under this: 'blurry'. */
  minSharpness: number;
  /** normalised Laplacian variance over this: pixel noise or a fine texture, 'not_skin'. */
  maxSharpness: number;
  /** share of skin-coloured pixels under this: 'not_skin'. */
  minSkinShare: number;
  /** the graph's OOD score over this: 'not_skin' (nothing like the photos the network learnt). */
  maxOodScore: number;
  /** OOD score over this (but not over maxOodScore): answered, flagged `uncertain`. */
  uncertainOodScore: number;
}

/** The decision rule's thresholds, on calibrated probabilities. */
export interface TriageThresholds {
  /** p(mel) at or over this (or mel ranked first): risk 'urgent'. */
  mel: number;
  /** p(akiec) + p(bcc) + p(mel) at or over this (or akiec / bcc ranked first): at least risk 'soon'. */
  soon: number;
  /** top probability under this: `uncertain`. */
  uncertain: number;
  /**
   * A routed model's stricter `soon` for the photos its router calls dermoscopic (the graph's
   * `dermoscopic` output at or over {@link dermoscopic}); absent: every photo has `soon`.
   */
  soonDermoscopic?: number;
  /** The router's p(dermoscopic) at or over this: the photo has `soonDermoscopic`. */
  dermoscopic?: number;
}

/** Test-time views the graph averages (recorded for reports; the graph itself applies them). */
export type TestView = 'identity' | 'hflip' | 'vflip' | 'rot90' | 'rot270' | 'zoom' | 'zoom-hflip';

/**
 * The `models/metadata.json` contract between training (`ml/dermlink_ml/export.py`, the writer) and
 * serving (the reader). The ONNX graph takes `image` (N x size x size x 3 float32 RGB 0..255, as
 * {@link preprocessImage} prepares it) and gives `logits` (N x 7, averaged over members and views;
 * in a routed model, two ensembles' averages mixed per photo by the graph's dermoscopy router),
 * `ood` (N) and, in a routed model since 2.3.1, `dermoscopic` (N: the router's p(dermoscopic)).
 */
export interface ModelMetadata {
  name: string;
  version: string;
  labels: LesionLabel[];
  input: { size: number; preparation: string; crop: string; layout: string; colourConstancy: string; minShortSide: number };
  onnx: {
    file: string;
    sha256: string;
    bytes: number;
    opset: number;
    inputs: string[];
    outputs: string[];
    /** How the convolution weights are stored (float16 behind Cast nodes; every model computes in float32). Absent before 2.4. */
    weights?: 'float32' | 'float16';
  };
  testViews: TestView[];
  /** In a routed model, each member also names its recipe and ensemble ('dermoscopic' or 'phone'). */
  members: { backbone: string; pad_fold_held_out: number; recipe?: string; ensemble?: 'dermoscopic' | 'phone' }[];
  /** Softmax temperature fitted on validation. */
  temperature: number;
  thresholds: TriageThresholds;
  gates: GateThresholds;
  metrics: Record<string, unknown>;
  training: Record<string, unknown>;
}

/** Reads and checks `metadata.json` of a model folder; a model this code cannot serve is refused with the reason. */
export async function readModelMetadata(modelDir: string): Promise<ModelMetadata> {
  const file = path.join(modelDir, 'metadata.json');
  const meta = JSON.parse(await fs.readFile(file, 'utf8')) as ModelMetadata;
  const problems: string[] = [];
  if (meta.labels?.join() !== LESION_LABELS.join())
    problems.push(`labels ${meta.labels?.join()} differ from ${LESION_LABELS.join()}`);
  if (meta.input?.preparation !== PREPARATION_VERSION) {
    problems.push(`input.preparation ${meta.input?.preparation} is not this code's ${PREPARATION_VERSION}`);
  }
  if (!Number.isInteger(meta.input?.size) || meta.input.size < 32)
    problems.push(`input.size ${meta.input?.size} is not a whole number of pixels >= 32`);
  if (!meta.onnx?.file) problems.push('onnx.file is missing');
  if (!(meta.temperature > 0)) problems.push(`temperature ${meta.temperature} is not positive`);
  for (const key of ['mel', 'soon', 'uncertain'] as const) {
    if (typeof meta.thresholds?.[key] !== 'number') problems.push(`thresholds.${key} is missing`);
  }
  const perKind = ['soonDermoscopic', 'dermoscopic'] as const;
  if (perKind.some((key) => meta.thresholds?.[key] !== undefined)) {
    for (const key of perKind) {
      const v = meta.thresholds[key];
      if (typeof v !== 'number' || !(v >= 0 && v <= 1)) problems.push(`thresholds.${key} is not a probability`);
    }
    if (!meta.onnx?.outputs?.includes('dermoscopic'))
      problems.push("thresholds.soonDermoscopic needs the graph output 'dermoscopic' in onnx.outputs");
  }
  for (const key of [
    'minMeanLuma',
    'maxMeanLuma',
    'maxClippedShare',
    'minStdLuma',
    'minSharpness',
    'maxSharpness',
    'minSkinShare',
    'maxOodScore',
    'uncertainOodScore',
  ] as const) {
    if (typeof meta.gates?.[key] !== 'number') problems.push(`gates.${key} is missing`);
  }
  if (problems.length) throw new Error(`${file}: ${problems.join('; ')}`);
  return meta;
}
