import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';

/** The HAM10000 copy used by tests; `HAM10000_DIR` overrides the default `../shared/data/ham10000`. */
export const HAM_DIR = process.env.HAM10000_DIR ?? path.resolve(__dirname, '../../../shared/data/ham10000');
export const hasDataset = fs.existsSync(path.join(HAM_DIR, 'HAM10000_metadata.csv'));

/** Prints why a dataset-dependent test is skipped (a fresh clone without the data). */
export function datasetOrSkip(): boolean {
  if (!hasDataset) console.warn(`Skipping: HAM10000 not found at ${HAM_DIR} (set HAM10000_DIR)`);
  return hasDataset;
}

/**
 * A real dermoscopic image from HAM10000, upscaled to the originals' 600x450 so it passes the
 * 200 px size gate like a patient's photo would.
 */
export async function lesionPhoto(imageId = 'ISIC_0024306'): Promise<Buffer> {
  const file = path.join(HAM_DIR, 'images', `${imageId}.jpg`);
  return sharp(file).resize(600, 450).jpeg({ quality: 92 }).toBuffer();
}

/** A small image that fails the size gate. */
export function tinyPhoto(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 180, g: 120, b: 100 } } }).jpeg().toBuffer();
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
