import { LesionLabel } from './inference.types';
import { BackboneSpec, ImageView } from './backbones';

/** Thresholds of the photo gates, on {@link PhotoStats} of the preprocessed image. */
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
  /** share of skin-coloured pixels under this: 'not_skin'. */
  minSkinShare: number;
  /** OOD score (Mahalanobis in the PCA space + residual) over this: 'not_skin'. */
  maxOodScore: number;
}

/** The `models/metadata.json` contract shared by training (writer) and serving (reader). */
export interface ModelMetadata {
  name: string;
  version: string;
  labels: LesionLabel[];
  input: { size: number; crop: string; colourConstancy: string; minShortSide: number };
  backbones: BackboneSpec[];
  /** Feature blocks (see FEATURE_BLOCKS) the head reads, concatenated in this order. */
  featureBlocks: string[];
  featureDim: number;
  /**
   * Test-time augmentation: the head's logits are averaged over the photo seen in each of these
   * views (the first one also feeds the out-of-distribution gate). Absent: the photo as is.
   */
  testViews?: ImageView[];
  head: { modelJson: string; members: number; hidden: number; outputs: 'logits' };
  /** Softmax temperature fitted on validation. */
  temperature: number;
  thresholds: {
    /** p(mel) at or over this: risk 'urgent'. */
    mel: number;
    /** p(bcc) + p(akiec) at or over this: at least risk 'soon'. */
    soon: number;
    /** top probability under this: `uncertain`. */
    uncertain: number;
  };
  gates: GateThresholds;
  /** Float32 arrays in `stats.bin`, in this order: mean[d], std[d], pcaMean[k]... see OodModel. */
  stats: { file: string; dim: number; pcaDim: number };
  metrics: Record<string, unknown>;
  training: Record<string, unknown>;
}
