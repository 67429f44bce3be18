import sharp from 'sharp';
import { lesionLike } from './synthetic';

/**
 * A photo of a skin spot that passes the photo gates and is classified (verdict `ok`), made by the
 * test: a textured brown blob on skin, 600x450 like a patient's photo, different for each `n`. The
 * suites whose subject is the conversation, the inbox or crash safety need a photo the model takes,
 * not a particular diagnosis, so they run on a fresh clone without any dataset; the classifier's
 * accuracy checks (src/inference, `npm run evaluate`) read the real photos.
 */
export function lesionPhoto(n = 1): Promise<Buffer> {
  return lesionLike(n);
}

/** A small image that fails the size gate. */
export function tinyPhoto(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 180, g: 120, b: 100 } } })
    .jpeg()
    .toBuffer();
}

/** A plain document-like page (white with black bars): not a skin photo. */
export async function documentPhoto(): Promise<Buffer> {
  const bars = Array.from({ length: 20 }, (_, i) => ({
    input: { create: { width: 500, height: 10, channels: 3 as const, background: { r: 20, g: 20, b: 20 } } },
    top: 40 + i * 30,
    left: 50,
  }));
  return sharp({ create: { width: 600, height: 700, channels: 3, background: { r: 250, g: 250, b: 250 } } })
    .composite(bars)
    .jpeg()
    .toBuffer();
}
