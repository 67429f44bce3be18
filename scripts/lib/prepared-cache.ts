import { existsSync, mkdirSync, promises as fs, readdirSync, renameSync } from 'node:fs';
import * as path from 'node:path';
import { PhotoStats, PREPARATION_VERSION, preprocessImage } from '@/inference/preprocess';
import { Progress } from './progress';

/** The order of the photo statistics stored per image (the gates are fitted on them in Python). */
export const STAT_KEYS: (keyof PhotoStats)[] = [
  'meanLuma',
  'stdLuma',
  'clippedShare',
  'darkShare',
  'sharpness',
  'skinShare',
  'meanSaturation',
];

/** `<name>-<size>.json` beside the raw rows in `<name>-<size>.bin`. */
export interface PreparedIndex {
  format: 1;
  preparation: string;
  size: number;
  /** Image ids (file stems), in row order. */
  ids: string[];
  /** Photo statistics per row, in STAT_KEYS order. */
  stats: number[][];
  statKeys: string[];
  /** Images the preparation refused, with the reason (they have no row). */
  refused: Record<string, string>;
}

/**
 * Prepares every `.jpg`/`.png` image of `imagesDir` with the serving preprocessing (sharp) at
 * `size` and writes them as uint8 rows for PyTorch (`ml/dermlink_ml/data.py` reads them). Kept
 * when an index of the same preparation, size and image list exists. Returns the index path.
 */
export async function prepareImages(name: string, imagesDir: string, size: number, cacheDir: string): Promise<string> {
  const files = readdirSync(imagesDir)
    .filter((f) => /\.(jpe?g|png)$/i.test(f))
    .sort();
  return prepareFiles(
    name,
    files.map((f) => path.join(imagesDir, f)),
    files.map((f) => f.replace(/\.[^.]+$/, '')),
    size,
    cacheDir,
  );
}

/**
 * Like {@link prepareImages} for a list of files with their ids (pictures from many folders);
 * pictures whose shorter side is under `minShortSide` are left out (listed as refused).
 */
export async function prepareFiles(
  name: string,
  paths: string[],
  ids: string[],
  size: number,
  cacheDir: string,
  minShortSide = 0,
): Promise<string> {
  mkdirSync(cacheDir, { recursive: true });
  const indexPath = path.join(cacheDir, `${name}-${size}.json`);
  const binPath = path.join(cacheDir, `${name}-${size}.bin`);
  if (existsSync(indexPath) && existsSync(binPath)) {
    const old = JSON.parse(await fs.readFile(indexPath, 'utf8')) as PreparedIndex;
    const same = old.preparation === PREPARATION_VERSION && old.size === size;
    if (same && old.ids.length + Object.keys(old.refused).length === ids.length) return indexPath;
  }
  const rowBytes = size * size * 3;
  const index: PreparedIndex = {
    format: 1,
    preparation: PREPARATION_VERSION,
    size,
    ids: [],
    stats: [],
    statKeys: STAT_KEYS,
    refused: {},
  };
  const handle = await fs.open(`${binPath}.part`, 'w');
  const progress = new Progress(`prepare ${name} ${size}px`, paths.length);
  try {
    // sharp decodes on libvips' own threads; a few images in flight keep both cores busy.
    const window = 4;
    for (let start = 0; start < paths.length; start += window) {
      const batch = paths.slice(start, start + window);
      const results = await Promise.all(
        batch.map(async (f) => preprocessImage(await fs.readFile(f), { size, minShortSide, maxInputPixels: 40e6 })),
      );
      for (const [k, r] of results.entries()) {
        const id = ids[start + k];
        if (!r.ok) {
          index.refused[id] = r.reason;
          continue;
        }
        if (r.image.rgb.length !== rowBytes) throw new Error(`${id}: prepared ${r.image.rgb.length} bytes, expected ${rowBytes}`);
        await handle.write(r.image.rgb);
        index.ids.push(id);
        index.stats.push(STAT_KEYS.map((key) => r.image.stats[key]));
      }
      progress.update(Math.min(paths.length, start + window));
    }
  } finally {
    await handle.close();
  }
  renameSync(`${binPath}.part`, binPath);
  await fs.writeFile(indexPath, JSON.stringify(index));
  return indexPath;
}
