import sharp from 'sharp';
import { GateReason } from './inference.types';

/** Side of the square network input, in pixels. */
export const INPUT_SIZE = 224;
/** Side of the small square used for photo-quality statistics. */
const STATS_SIZE = 128;
/** Minkowski norm of the shades-of-grey colour constancy (p = 6, Finlayson & Trezzi 2004). */
const SHADES_OF_GREY_P = 6;

/** Options of {@link preprocessImage}; serving and training pass the same values except the size gate. */
export interface PreprocessOptions {
  /** Images whose shorter side (after EXIF rotation) is under this are refused as 'too_small'. */
  minShortSide: number;
  /** sharp's limitInputPixels: larger images are refused as 'too_many_pixels' before decoding. */
  maxInputPixels: number;
}

/** Cheap statistics of the photo that the retake / not-skin gates threshold. */
export interface PhotoStats {
  /** Mean luminance, 0..255. */
  meanLuma: number;
  /** Standard deviation of luminance, 0..255. */
  stdLuma: number;
  /** Share of pixels with every channel >= 250. */
  clippedShare: number;
  /** Share of pixels with luminance <= 20. */
  darkShare: number;
  /** Variance of the 4-neighbour Laplacian of luminance on the STATS_SIZE image, normalised by luminance variance. */
  sharpness: number;
  /** Share of pixels in the red-dominant colour range of skin and pigmented lesions. */
  skinShare: number;
  /** Mean saturation (max-min)/max, 0..1. */
  meanSaturation: number;
}

/** A decoded photo ready for the backbones: INPUT_SIZE x INPUT_SIZE RGB after colour constancy, 0..255. */
export interface PreparedImage {
  rgb: Float32Array;
  stats: PhotoStats;
}

export type PreprocessResult = { ok: true; image: PreparedImage } | { ok: false; reason: GateReason };

function isPixelLimitError(err: unknown): boolean {
  return err instanceof Error && /pixel limit/i.test(err.message);
}

/**
 * The one preprocessing path of training and serving: decode with a pixel limit, EXIF auto-orient,
 * convert to sRGB, flatten alpha on white, centre-crop to a square and resize to INPUT_SIZE,
 * then shades-of-grey colour constancy. Never throws for bad bytes: returns the gate reason instead.
 */
export async function preprocessImage(bytes: Buffer, opts: PreprocessOptions): Promise<PreprocessResult> {
  if (bytes.length === 0) return { ok: false, reason: 'empty_file' };
  const base = (): sharp.Sharp =>
    sharp(bytes, { limitInputPixels: opts.maxInputPixels, failOn: 'error', sequentialRead: true });
  let width: number;
  let height: number;
  try {
    const meta = await base().metadata();
    if (!meta.width || !meta.height) return { ok: false, reason: 'unsupported_format' };
    if (meta.width * meta.height > opts.maxInputPixels) return { ok: false, reason: 'too_many_pixels' };
    const swap = (meta.orientation ?? 1) >= 5;
    width = swap ? meta.height : meta.width;
    height = swap ? meta.width : meta.height;
  } catch (err) {
    return { ok: false, reason: isPixelLimitError(err) ? 'too_many_pixels' : 'unsupported_format' };
  }
  if (Math.min(width, height) < opts.minShortSide) return { ok: false, reason: 'too_small' };
  let raw: Buffer;
  try {
    raw = await base()
      .rotate()
      .toColourspace('srgb')
      .flatten({ background: '#ffffff' })
      .resize(INPUT_SIZE, INPUT_SIZE, { fit: 'cover', position: 'centre' })
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer();
  } catch (err) {
    return { ok: false, reason: isPixelLimitError(err) ? 'too_many_pixels' : 'unsupported_format' };
  }
  if (raw.length !== INPUT_SIZE * INPUT_SIZE * 3) return { ok: false, reason: 'unsupported_format' };
  const stats = photoStats(raw, INPUT_SIZE);
  return { ok: true, image: { rgb: shadesOfGrey(raw), stats } };
}

/** Shades-of-grey white balance: scales each channel so its Lp-mean equals the common grey level. */
export function shadesOfGrey(rgb: Uint8Array, p = SHADES_OF_GREY_P): Float32Array {
  const n = rgb.length / 3;
  const norms = [0, 0, 0];
  for (let i = 0; i < rgb.length; i += 3) {
    for (let c = 0; c < 3; c++) norms[c] += Math.pow(rgb[i + c], p);
  }
  const illum = norms.map((s) => Math.pow(s / n, 1 / p));
  const grey = Math.sqrt((illum[0] ** 2 + illum[1] ** 2 + illum[2] ** 2) / 3);
  const gain = illum.map((v) => (v > 1e-6 ? grey / v : 1));
  const out = new Float32Array(rgb.length);
  for (let i = 0; i < rgb.length; i += 3) {
    for (let c = 0; c < 3; c++) out[i + c] = Math.min(255, rgb[i + c] * gain[c]);
  }
  return out;
}

/** Photo-quality statistics of a square RGB image (side `size`), computed on a STATS_SIZE box-downscale. */
export function photoStats(rgb: Uint8Array, size: number): PhotoStats {
  const f = size / STATS_SIZE;
  const luma = new Float64Array(STATS_SIZE * STATS_SIZE);
  let clipped = 0;
  let dark = 0;
  let skin = 0;
  let satSum = 0;
  let lumaSum = 0;
  for (let y = 0; y < STATS_SIZE; y++) {
    for (let x = 0; x < STATS_SIZE; x++) {
      const sx = Math.min(size - 1, Math.floor((x + 0.5) * f));
      const sy = Math.min(size - 1, Math.floor((y + 0.5) * f));
      const o = (sy * size + sx) * 3;
      const r = rgb[o];
      const g = rgb[o + 1];
      const b = rgb[o + 2];
      const l = 0.299 * r + 0.587 * g + 0.114 * b;
      luma[y * STATS_SIZE + x] = l;
      lumaSum += l;
      if (r >= 250 && g >= 250 && b >= 250) clipped++;
      if (l <= 20) dark++;
      const mx = Math.max(r, g, b);
      const mn = Math.min(r, g, b);
      satSum += mx > 0 ? (mx - mn) / mx : 0;
      if (r >= g && r >= b && r - b >= 10 && r > 40) skin++;
    }
  }
  const n = STATS_SIZE * STATS_SIZE;
  const mean = lumaSum / n;
  let varL = 0;
  for (let i = 0; i < n; i++) varL += (luma[i] - mean) ** 2;
  varL /= n;
  let lapSum = 0;
  let lapSq = 0;
  let m = 0;
  for (let y = 1; y < STATS_SIZE - 1; y++) {
    for (let x = 1; x < STATS_SIZE - 1; x++) {
      const i = y * STATS_SIZE + x;
      const lap = luma[i - 1] + luma[i + 1] + luma[i - STATS_SIZE] + luma[i + STATS_SIZE] - 4 * luma[i];
      lapSum += lap;
      lapSq += lap * lap;
      m++;
    }
  }
  const lapVar = lapSq / m - (lapSum / m) ** 2;
  return {
    meanLuma: mean,
    stdLuma: Math.sqrt(varL),
    clippedShare: clipped / n,
    darkShare: dark / n,
    sharpness: lapVar / (varL + 25),
    skinShare: skin / n,
    meanSaturation: satSum / n,
  };
}
