import sharp from 'sharp';
import { GateReason } from './inference.types';

/**
 * Names what {@link preprocessImage} produces. Bumped whenever that changes: a model trained on
 * another preparation is refused at load, and the training cache is prepared again.
 */
export const PREPARATION_VERSION = 'sharp-cover-centre-v2';

/** Side of the small square used for photo-quality statistics. */
const STATS_SIZE = 128;

/** Options of {@link preprocessImage}; serving and training pass the same values except the size gate. */
export interface PreprocessOptions {
  /** Side of the square network input, in pixels (the model's `input.size`). */
  size: number;
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

/**
 * A decoded photo ready for the network: `size` x `size` RGB rows, 0..255. Colour constancy and the
 * network's normalisation happen inside the model graph, so training and serving share them too.
 */
export interface PreparedImage {
  rgb: Uint8Array;
  size: number;
  stats: PhotoStats;
}

export type PreprocessResult = { ok: true; image: PreparedImage } | { ok: false; reason: GateReason };

function isPixelLimitError(err: unknown): boolean {
  return err instanceof Error && /pixel limit/i.test(err.message);
}

/**
 * The one preprocessing path of training and serving: decode with a pixel limit, EXIF auto-orient,
 * convert to sRGB, flatten alpha on white, centre-crop to a square and resize to `size`. Training
 * reads images prepared by this function (`npm run train` caches them for PyTorch), so the network
 * is validated and tested on exactly what it is served. Never throws for bad bytes: returns the
 * gate reason instead.
 */
export async function preprocessImage(bytes: Buffer, opts: PreprocessOptions): Promise<PreprocessResult> {
  if (bytes.length === 0) return { ok: false, reason: 'empty_file' };
  const base = (): sharp.Sharp => sharp(bytes, { limitInputPixels: opts.maxInputPixels, failOn: 'error', sequentialRead: true });
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
      .resize(opts.size, opts.size, { fit: 'cover', position: 'centre' })
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer();
  } catch (err) {
    return { ok: false, reason: isPixelLimitError(err) ? 'too_many_pixels' : 'unsupported_format' };
  }
  if (raw.length !== opts.size * opts.size * 3) return { ok: false, reason: 'unsupported_format' };
  const rgb = new Uint8Array(raw.buffer, raw.byteOffset, raw.length);
  return { ok: true, image: { rgb, size: opts.size, stats: photoStats(rgb, opts.size) } };
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
