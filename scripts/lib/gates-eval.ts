import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { SkinClassifier } from '@/inference/classifier';
import { readLabels, readSplitCsv } from '@/inference/dataset';
import * as S from '@/inference/testing/synthetic';
import { Progress } from './progress';

/** Default non-skin photo folders: Debian packages gnome-backgrounds, plasma-workspace-wallpapers, python3-skimage. */
export const DEFAULT_NONSKIN_DIRS = [
  '/usr/share/backgrounds/gnome',
  '/usr/share/wallpapers',
  '/usr/lib/python3/dist-packages/skimage/data',
];

const IMAGE_EXT = /\.(jpe?g|png|webp|svg|tiff?|gif)$/i;

/** One file per plasma wallpaper (the size nearest 1920 wide), every image file elsewhere. */
function collect(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string): void => {
    const entries = readdirSync(d).sort();
    const images = entries.filter((e) => IMAGE_EXT.test(e) && statSync(path.join(d, e)).isFile());
    if (path.basename(d).startsWith('images') && images.every((e) => /^\d+x\d+\./.test(e)) && images.length) {
      const width = (e: string): number => Number(e.split('x')[0]);
      out.push(path.join(d, images.reduce((b, e) => (Math.abs(width(e) - 1920) < Math.abs(width(b) - 1920) ? e : b))));
    } else {
      out.push(...images.map((e) => path.join(d, e)));
    }
    for (const e of entries) {
      const p = path.join(d, e);
      if (statSync(p).isDirectory() && !/tests?$/.test(e)) walk(p);
    }
  };
  walk(dir);
  return out;
}

async function syntheticSet(): Promise<{ name: string; bytes: Buffer }[]> {
  const set: { name: string; bytes: Buffer }[] = [];
  for (let i = 1; i <= 3; i++) set.push({ name: `synthetic/document-${i}`, bytes: await S.documentPage(i) });
  for (let i = 0; i < 4; i++) set.push({ name: `synthetic/screenshot-${i}`, bytes: await S.screenshot(i) });
  const solids: [number, number, number][] = [[255, 255, 255], [128, 128, 128], [30, 90, 200], [200, 150, 130]];
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

export interface GateMeasurement {
  ham_test: { n: number; rejected: number; rejected_share: number; by_reason: Record<string, number> };
  non_skin: {
    n: number;
    rejected: number;
    rejected_share: number;
    not_skin_share: number;
    by_source: Record<string, { n: number; rejected: number }>;
    by_verdict: Record<string, number>;
    accepted: string[];
  };
}

/**
 * Share of HAM10000 test images wrongly refused and share of non-skin pictures refused, through the
 * real SkinClassifier (minShortSide 150 so the 200x150 dataset copy is not refused for size).
 */
export async function measureGates(opts: {
  modelDir: string;
  hamDir?: string;
  splitFile: string;
  nonSkinDirs: string[];
  limit?: number;
}): Promise<GateMeasurement> {
  const classifier = await SkinClassifier.load({ modelDir: opts.modelDir, minShortSide: 150 });
  const key = (r: { verdict: string; reasons: string[] }): string => `${r.verdict}:${r.reasons.join('+')}`;
  const ham = { n: 0, rejected: 0, rejected_share: 0, by_reason: {} as Record<string, number> };
  if (opts.hamDir && existsSync(opts.hamDir)) {
    const split = readSplitCsv(opts.splitFile);
    let test = readLabels(path.join(opts.hamDir, 'HAM10000_metadata.csv')).filter((i) => split.get(i.lesionId ?? '') === 'test');
    if (opts.limit) test = test.slice(0, opts.limit);
    const progress = new Progress('gates: HAM10000 test', test.length);
    for (let i = 0; i < test.length; i += 8) {
      const batch = test.slice(i, i + 8);
      const res = await classifier.diagnoseBatch(batch.map((t) => readFileSync(path.join(opts.hamDir ?? '', 'images', `${t.imageId}.jpg`))));
      for (const r of res) {
        ham.n++;
        if (r.verdict !== 'ok') {
          ham.rejected++;
          ham.by_reason[key(r)] = (ham.by_reason[key(r)] ?? 0) + 1;
        }
      }
      progress.update(Math.min(test.length, i + 8));
    }
    ham.rejected_share = ham.n ? ham.rejected / ham.n : NaN;
  }
  const files = opts.nonSkinDirs.flatMap((d) => collect(d).map((f) => ({ source: d, name: f })));
  const synth = await syntheticSet();
  const items: { source: string; name: string; bytes: () => Buffer }[] = [
    ...files.map((f) => ({ source: f.source, name: f.name, bytes: () => readFileSync(f.name) })),
    ...synth.map((s) => ({ source: 'synthetic (src/inference/testing/synthetic.ts)', name: s.name, bytes: () => s.bytes })),
  ];
  const non = {
    n: 0,
    rejected: 0,
    rejected_share: 0,
    not_skin_share: 0,
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
  classifier.dispose();
  return { ham_test: ham, non_skin: non };
}
