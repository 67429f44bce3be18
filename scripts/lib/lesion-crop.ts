import sharp from 'sharp';

/** A square crop box in original-image pixels. */
export interface CropBox {
  left: number;
  top: number;
  size: number;
}

const W = 100;

/**
 * A lesion-centred square crop found without a mask, as serving would have to: on a 100-px-wide copy,
 * pixels darker than the Otsu threshold of the luminance form components; the largest one near the
 * centre that does not reach a corner (the dermatoscope's dark vignette does) is the lesion. Its
 * box, widened by `margin` of its size on each side, squared, at least `minShare` of the short side
 * and kept inside the image. Falls back to the centre square when no component qualifies.
 */
export async function lesionCropBox(bytes: Buffer, margin = 0.25, minShare = 0.5): Promise<{ box: CropBox; found: boolean }> {
  const meta = await sharp(bytes).rotate().metadata();
  const [fullW, fullH] = meta.orientation && meta.orientation >= 5 ? [meta.height, meta.width] : [meta.width, meta.height];
  const { data, info } = await sharp(bytes).rotate().resize(W).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const [w, h] = [info.width, info.height];
  const lum = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) lum[i] = 0.299 * data[3 * i] + 0.587 * data[3 * i + 1] + 0.114 * data[3 * i + 2];
  const t = otsu(lum);
  const label = new Int32Array(w * h).fill(-1);
  let best: { area: number; x0: number; y0: number; x1: number; y1: number; score: number } | undefined;
  const corners = new Set([0, w - 1, (h - 1) * w, h * w - 1]);
  for (let start = 0; start < w * h; start++) {
    if (label[start] !== -1 || lum[start] >= t) continue;
    const stack = [start];
    label[start] = start;
    let [area, sx, sy, x0, y0, x1, y1, corner] = [0, 0, 0, w, h, 0, 0, false];
    while (stack.length) {
      const p = stack.pop()!;
      const [x, y] = [p % w, Math.floor(p / w)];
      area++;
      sx += x;
      sy += y;
      [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
      if (corners.has(p)) corner = true;
      for (const q of [x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, y > 0 ? p - w : -1, y < h - 1 ? p + w : -1]) {
        if (q >= 0 && label[q] === -1 && lum[q] < t) {
          label[q] = start;
          stack.push(q);
        }
      }
    }
    if (corner || area < 0.005 * w * h) continue;
    const dist = Math.hypot(sx / area / w - 0.5, sy / area / h - 0.5) / Math.SQRT1_2;
    const score = area * (1 - dist);
    if (!best || score > best.score) best = { area, x0, y0, x1: x1 + 1, y1: y1 + 1, score };
  }
  const scale = fullW / w;
  const short = Math.min(fullW, fullH);
  if (!best)
    return { box: { left: Math.floor((fullW - short) / 2), top: Math.floor((fullH - short) / 2), size: short }, found: false };
  const [bw, bh] = [(best.x1 - best.x0) * scale, (best.y1 - best.y0) * scale];
  const size = Math.round(Math.min(short, Math.max(minShare * short, Math.max(bw, bh) * (1 + 2 * margin))));
  const [cx, cy] = [((best.x0 + best.x1) / 2) * scale, ((best.y0 + best.y1) / 2) * scale];
  const clamp = (v: number, hi: number) => Math.max(0, Math.min(hi, Math.round(v)));
  return { box: { left: clamp(cx - size / 2, fullW - size), top: clamp(cy - size / 2, fullH - size), size }, found: true };
}

/** Otsu's threshold of 0..255 values. */
function otsu(values: Float32Array): number {
  const hist = new Float64Array(256);
  for (const v of values) hist[Math.min(255, Math.max(0, Math.round(v)))]++;
  const total = values.length;
  let sum = 0;
  for (let i = 0; i < 256; i++) sum += i * hist[i];
  let [sumB, wB, best, threshold] = [0, 0, -1, 128];
  for (let i = 0; i < 256; i++) {
    wB += hist[i];
    if (!wB || wB === total) continue;
    sumB += i * hist[i];
    const mB = sumB / wB;
    const mF = (sum - sumB) / (total - wB);
    const between = wB * (total - wB) * (mB - mF) ** 2;
    if (between > best) [best, threshold] = [between, i + 0.5];
  }
  return threshold;
}

/** The crop itself, as encoded PNG bytes for the shared preprocessing. */
export async function cropTo(bytes: Buffer, box: CropBox): Promise<Buffer> {
  return sharp(bytes).rotate().extract({ left: box.left, top: box.top, width: box.size, height: box.size }).png().toBuffer();
}
