import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { SkinClassifier } from '@/inference/classifier';
import { readLabels, readSplitCsv } from './dataset';
import * as S from '../../test/support/synthetic';
import { Progress } from './progress';
import { readQtResources } from './qt-resources';

/**
 * Default non-skin picture folders, from Debian packages (none of them was used to fit anything):
 * gnome-backgrounds, sway-backgrounds and lomiri-wallpapers(-16.04) under /usr/share/backgrounds
 * (landscapes, animals, abstract art), plasma-workspace-wallpapers, python3-skimage's sample images
 * (a cat, an astronaut, coffee, text pages, micrographs), desktop-base (themes, logos),
 * mypaint-data-extras (paper and canvas textures), python3-matplotlib's chart images, and the
 * photos of three gcompris-qt-data activities (wild and farm animals, a cat and a dog among them;
 * monuments), read out of their Qt resource bundles.
 */
export const DEFAULT_NONSKIN_DIRS = [
  '/usr/share/backgrounds',
  '/usr/share/wallpapers',
  '/usr/lib/python3/dist-packages/skimage/data',
  '/usr/share/desktop-base',
  '/usr/share/mypaint/backgrounds',
  '/usr/lib/python3/dist-packages/mpl_toolkits/tests/baseline_images',
  '/usr/share/gcompris-qt/rcc/explore_world_animals.rcc',
  '/usr/share/gcompris-qt/rcc/explore_farm_animals.rcc',
  '/usr/share/gcompris-qt/rcc/explore_monuments.rcc',
];

const IMAGE_EXT = /\.(jpe?g|png|webp|svg|tiff?|gif)$/i;

/** 'file', 'dir', or undefined for anything else (a dangling link, say). */
function kindOf(p: string): 'file' | 'dir' | undefined {
  try {
    const s = statSync(p);
    return s.isFile() ? 'file' : s.isDirectory() ? 'dir' : undefined;
  } catch {
    return undefined;
  }
}

/** Where the pictures inside Qt resource bundles are unpacked, to be read like any other file. */
const QT_PICTURES = path.join('.cache', 'qt-resources');

/** The photos (JPEG, PNG, WebP) of a Qt resource bundle, unpacked under {@link QT_PICTURES}. */
function unpackQtPictures(bundle: string): string[] {
  const dir = path.join(QT_PICTURES, path.basename(bundle, '.rcc'));
  mkdirSync(dir, { recursive: true });
  return readQtResources(readFileSync(bundle))
    .filter((r) => /\.(jpe?g|png|webp)$/i.test(r.name))
    .map((r) => {
      const file = path.join(dir, r.name.replace(/\//g, '__'));
      if (!existsSync(file)) writeFileSync(file, r.bytes);
      return file;
    });
}

/**
 * One file per plasma wallpaper (the size nearest 1920 wide), every image file elsewhere, in every
 * folder below `dir`; for a Qt resource bundle (`.rcc`), the photos inside it.
 */
export function collect(dir: string): string[] {
  if (!existsSync(dir)) return [];
  if (dir.endsWith('.rcc')) return unpackQtPictures(dir);
  const out: string[] = [];
  const walk = (d: string): void => {
    const entries = readdirSync(d).sort();
    const images = entries.filter((e) => IMAGE_EXT.test(e) && kindOf(path.join(d, e)) === 'file');
    if (path.basename(d).startsWith('images') && images.every((e) => /^\d+x\d+\./.test(e)) && images.length) {
      const width = (e: string): number => Number(e.split('x')[0]);
      out.push(
        path.join(
          d,
          images.reduce((b, e) => (Math.abs(width(e) - 1920) < Math.abs(width(b) - 1920) ? e : b)),
        ),
      );
    } else {
      out.push(...images.map((e) => path.join(d, e)));
    }
    for (const e of entries) {
      const p = path.join(d, e);
      if (kindOf(p) === 'dir' && !/tests?$/.test(e)) walk(p);
    }
  };
  walk(dir);
  return out;
}

async function syntheticSet(): Promise<{ name: string; bytes: Buffer }[]> {
  const set: { name: string; bytes: Buffer }[] = [];
  for (let i = 1; i <= 3; i++) set.push({ name: `synthetic/document-${i}`, bytes: await S.documentPage(i) });
  for (let i = 0; i < 4; i++) set.push({ name: `synthetic/screenshot-${i}`, bytes: await S.screenshot(i) });
  const solids: [number, number, number][] = [
    [255, 255, 255],
    [128, 128, 128],
    [30, 90, 200],
    [200, 150, 130],
  ];
  for (const c of solids) set.push({ name: `synthetic/blank-${c.join('-')}`, bytes: await S.solid(...c) });
  set.push({ name: 'synthetic/gradient-blue-yellow', bytes: await S.gradient() });
  set.push({ name: 'synthetic/gradient-skin-tones', bytes: await S.gradient(640, 480, [240, 200, 180], [150, 90, 70]) });
  set.push({ name: 'synthetic/gradient-grey', bytes: await S.gradient(640, 480, [10, 10, 10], [245, 245, 245]) });
  for (let i = 1; i <= 2; i++) set.push({ name: `synthetic/noise-colour-${i}`, bytes: await S.noise(i) });
  set.push({ name: 'synthetic/noise-grey', bytes: await S.noise(9, 640, 480, false) });
  set.push({ name: 'synthetic/checkerboard', bytes: await S.checkerboard() });
  for (let i = 1; i <= 3; i++) set.push({ name: `synthetic/landscape-${i}`, bytes: await S.landscape(i) });
  return set;
}

interface Refusals {
  n: number;
  rejected: number;
  rejected_share: number;
  by_reason: Record<string, number>;
}

export interface GateMeasurement {
  /** Refusals on the HAM10000 split asked for (test unless told otherwise). */
  ham_test: Refusals & { split: string };
  pad_dev: Refusals;
  non_skin: {
    n: number;
    rejected: number;
    rejected_share: number;
    not_skin_share: number;
    /** Pictures big enough for the size gate, and the share of them classified as a lesion. */
    large_enough: number;
    classified_share_of_large_enough: number;
    by_source: Record<string, { n: number; rejected: number }>;
    by_verdict: Record<string, number>;
    accepted: string[];
  };
}

/**
 * Lesion photos wrongly refused (HAM10000 test split, through a classifier with minShortSide 150 so
 * the 200x150 dataset copy is not refused for size; the PAD-UFES-20 development phone photos, at
 * the serving default of 200) and non-skin pictures refused, through the real SkinClassifier.
 */
export async function measureGates(opts: {
  modelDir: string;
  hamDir?: string;
  padDir?: string;
  splitFile: string;
  /** Which HAM10000 split to count refusals on (default 'test'; 'val' while choosing a model). */
  hamSplit?: string;
  nonSkinDirs: string[];
  limit?: number;
}): Promise<GateMeasurement> {
  const classifier = await SkinClassifier.load({ modelDir: opts.modelDir, minShortSide: 150 });
  const serving = await SkinClassifier.load({ modelDir: opts.modelDir, minShortSide: 200 });
  const key = (r: { verdict: string; reasons: string[] }): string => `${r.verdict}:${r.reasons.join('+')}`;
  const refusals = async (label: string, c: SkinClassifier, files: string[]): Promise<Refusals> => {
    const out: Refusals = { n: 0, rejected: 0, rejected_share: NaN, by_reason: {} };
    const progress = new Progress(`gates: ${label}`, files.length);
    for (let i = 0; i < files.length; i += 8) {
      const res = await c.diagnoseBatch(files.slice(i, i + 8).map((f) => readFileSync(f)));
      for (const r of res) {
        out.n++;
        if (r.verdict !== 'ok') {
          out.rejected++;
          out.by_reason[key(r)] = (out.by_reason[key(r)] ?? 0) + 1;
        }
      }
      progress.update(Math.min(files.length, i + 8));
    }
    out.rejected_share = out.n ? out.rejected / out.n : NaN;
    return out;
  };
  let hamFiles: string[] = [];
  if (opts.hamDir && existsSync(opts.hamDir)) {
    const split = readSplitCsv(opts.splitFile);
    hamFiles = readLabels(path.join(opts.hamDir, 'HAM10000_metadata.csv'))
      .filter((i) => split.get(i.lesionId ?? '') === (opts.hamSplit ?? 'test'))
      .map((t) => path.join(opts.hamDir ?? '', 'images', `${t.imageId}.jpg`));
  }
  let padFiles: string[] = [];
  if (opts.padDir && existsSync(path.join(opts.padDir, 'metadata.csv'))) {
    padFiles = readLabels(path.join(opts.padDir, 'metadata.csv')).map((t) =>
      path.join(opts.padDir ?? '', 'images', `${t.imageId}.jpg`),
    );
  }
  if (opts.limit) {
    hamFiles = hamFiles.slice(0, opts.limit);
    padFiles = padFiles.slice(0, opts.limit);
  }
  const ham = await refusals(`HAM10000 ${opts.hamSplit ?? 'test'}`, classifier, hamFiles);
  const pad = await refusals('PAD-UFES-20 development', serving, padFiles);
  await serving.dispose();
  const files = opts.nonSkinDirs.flatMap((d) => collect(d).map((f) => ({ source: d, name: f })));
  const synth = await syntheticSet();
  const items: { source: string; name: string; bytes: () => Buffer }[] = [
    ...files.map((f) => ({ source: f.source, name: f.name, bytes: () => readFileSync(f.name) })),
    ...synth.map((s) => ({ source: 'synthetic (test/support/synthetic.ts)', name: s.name, bytes: () => s.bytes })),
  ];
  const non = {
    n: 0,
    rejected: 0,
    rejected_share: 0,
    not_skin_share: 0,
    large_enough: 0,
    classified_share_of_large_enough: 0,
    by_source: {} as Record<string, { n: number; rejected: number }>,
    by_verdict: {} as Record<string, number>,
    accepted: [] as string[],
  };
  let notSkin = 0;
  const progress = new Progress('gates: non-skin', items.length);
  for (const [i, it] of items.entries()) {
    const r = await classifier.diagnose(it.bytes());
    non.n++;
    const src = (non.by_source[it.source] ??= { n: 0, rejected: 0 });
    src.n++;
    non.by_verdict[key(r)] = (non.by_verdict[key(r)] ?? 0) + 1;
    if (r.verdict === 'not_skin') notSkin++;
    if (!r.reasons.includes('too_small')) non.large_enough++;
    if (r.verdict !== 'ok') {
      non.rejected++;
      src.rejected++;
    } else {
      non.accepted.push(it.name);
    }
    progress.update(i + 1);
  }
  non.rejected_share = non.n ? non.rejected / non.n : NaN;
  non.not_skin_share = non.n ? notSkin / non.n : NaN;
  non.classified_share_of_large_enough = non.large_enough ? non.accepted.length / non.large_enough : NaN;
  await classifier.dispose();
  return { ham_test: { ...ham, split: opts.hamSplit ?? 'test' }, pad_dev: pad, non_skin: non };
}
