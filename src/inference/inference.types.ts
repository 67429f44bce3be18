/** The seven HAM10000 diagnostic classes, in the model's output order. */
export const LESION_LABELS = ['akiec', 'bcc', 'bkl', 'df', 'mel', 'nv', 'vasc'] as const;
export type LesionLabel = (typeof LESION_LABELS)[number];

export const LESION_NAMES: Record<LesionLabel, string> = {
  akiec: "Actinic keratosis / Bowen's disease",
  bcc: 'Basal cell carcinoma',
  bkl: 'Benign keratosis',
  df: 'Dermatofibroma',
  mel: 'Melanoma',
  nv: 'Melanocytic nevus (mole)',
  vasc: 'Vascular lesion',
};

export type Verdict = 'ok' | 'retake' | 'not_skin';
export type Risk = 'urgent' | 'soon' | 'routine';

/**
 * Machine codes for why a photo was not classified (or what weakens the result).
 * Channels map them to patient-facing text; they never contain user data.
 */
export type GateReason =
  'empty_file' | 'unsupported_format' | 'too_small' | 'too_many_pixels' | 'blurry' | 'too_dark' | 'overexposed' | 'not_skin';

export interface LabelProbability {
  label: LesionLabel;
  name: string;
  probability: number;
}

/**
 * The result of one photo: the shape returned by the REST API, the CLI's JSON and every channel.
 * `top` holds all seven classes sorted by probability when `verdict` is 'ok', and is empty otherwise.
 */
export interface InferenceResult {
  model: { name: string; version: string };
  verdict: Verdict;
  reasons: GateReason[];
  top: LabelProbability[];
  risk: Risk;
  uncertain: boolean;
}
