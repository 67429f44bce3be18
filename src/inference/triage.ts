import { LESION_LABELS, LesionLabel, Risk } from './inference.types';
import { TriageThresholds } from './model-metadata';

const idx = (l: LesionLabel): number => LESION_LABELS.indexOf(l);

/** Whether the model has a per-kind rule and its router calls the photo dermoscopic (`pDermoscopic` at or over `dermoscopic`). */
export function calledDermoscopic(t: TriageThresholds, pDermoscopic?: number): boolean {
  return (
    t.soonDermoscopic !== undefined && t.dermoscopic !== undefined && pDermoscopic !== undefined && pDermoscopic >= t.dermoscopic
  );
}

/** The photo's `soon` threshold: `soonDermoscopic` where {@link calledDermoscopic}, else `soon`. */
export function soonThreshold(t: TriageThresholds, pDermoscopic?: number): number {
  return calledDermoscopic(t, pDermoscopic) ? (t.soonDermoscopic ?? t.soon) : t.soon;
}

/**
 * The decision rule (the same as `Triage` in ml/dermlink_ml/calibrate.py, which chose its thresholds):
 * 'urgent' when melanoma ranks first or p(mel) reaches `mel`; 'soon' when actinic keratosis or BCC
 * ranks first or the three cancers and precancers together reach the photo's `soon` threshold
 * ({@link soonThreshold}: stricter on dermoscopic photos in a routed model); else 'routine'.
 * `uncertain` when the top probability is under `uncertain` or the photo is unlike the training
 * photos (`unfamiliar`, from the OOD score).
 */
export function triage(
  p: ArrayLike<number>,
  t: TriageThresholds,
  unfamiliar: boolean,
  pDermoscopic?: number,
): { risk: Risk; uncertain: boolean } {
  let top = 0;
  for (let c = 1; c < LESION_LABELS.length; c++) if (p[c] > p[top]) top = c;
  const malignant = p[idx('akiec')] + p[idx('bcc')] + p[idx('mel')];
  let risk: Risk = 'routine';
  if (top === idx('akiec') || top === idx('bcc') || malignant >= soonThreshold(t, pDermoscopic)) risk = 'soon';
  if (top === idx('mel') || p[idx('mel')] >= t.mel) risk = 'urgent';
  return { risk, uncertain: p[top] < t.uncertain || unfamiliar };
}

/** Softmax of `logits / temperature`. */
export function softmaxT(logits: ArrayLike<number>, temperature: number): number[] {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i] / temperature);
  const e = Array.from(logits, (v) => Math.exp(v / temperature - max));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}
