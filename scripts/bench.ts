/**
 * `npm run bench -- [--json] [--runs 30] [--batches 5] [--model DIR] [--threads 1] [--images DIR]`:
 * latency of one photo, preparation (sharp) + inference with every test-time view, at batch 1
 * (p50/p95), throughput at batch 8, model load time and the process's memory (resident after the
 * batch-1 runs, the service's pattern of one photo after another, and after batch 8), through the
 * real SkinClassifier on `--threads` ONNX Runtime threads (1: one core).
 * Photos: `--images DIR`, else the PAD-UFES-20 development phone photos (what patients send) when
 * ../shared/data/pad-ufes-20-dev exists, else HAM10000 upscaled to 600x450, else synthetic JPEGs.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { SkinClassifier } from '@/inference/classifier';
import { flag, modelDir, parseArgs } from './lib/cli';
import { Progress } from './lib/progress';

async function syntheticPhoto(seed: number): Promise<Buffer> {
  const w = 600;
  const h = 450;
  const px = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const d = Math.hypot((x - w / 2) / 140, (y - h / 2) / 110);
      const noise = ((x * 7919 + y * 104729 + seed * 31) % 23) - 11;
      const inside = d < 1;
      const o = (y * w + x) * 3;
      px[o] = Math.max(0, Math.min(255, (inside ? 120 : 225) + noise));
      px[o + 1] = Math.max(0, Math.min(255, (inside ? 75 : 170) + noise));
      px[o + 2] = Math.max(0, Math.min(255, (inside ? 55 : 150) + noise));
    }
  }
  return sharp(px, { raw: { width: w, height: h, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

function imagesIn(dir: string, n: number): Buffer[] {
  const files = readdirSync(dir)
    .filter((f) => /\.(jpe?g|png)$/i.test(f))
    .sort()
    .slice(0, n);
  return files.map((f) => readFileSync(path.join(dir, f)));
}

async function loadImages(n: number, dir?: string): Promise<{ images: Buffer[]; source: string; minSide: number }> {
  if (dir) return { images: imagesIn(dir, n), source: dir, minSide: 200 };
  const phones = path.join('..', 'shared', 'data', 'pad-ufes-20-dev', 'images');
  if (existsSync(phones)) return { images: imagesIn(phones, n), source: `PAD-UFES-20 phone photos ${phones}`, minSide: 200 };
  const ham = path.join('..', 'shared', 'data', 'ham10000', 'images');
  if (existsSync(ham)) {
    const images = await Promise.all(imagesIn(ham, n).map((b) => sharp(b).resize(600, 450).jpeg({ quality: 90 }).toBuffer()));
    return { images, source: `HAM10000 ${ham}, upscaled to 600x450`, minSide: 200 };
  }
  const images: Buffer[] = [];
  for (let i = 0; i < n; i++) images.push(await syntheticPhoto(i));
  return { images, source: 'synthetic 600x450 JPEG', minSide: 200 };
}

function pct(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ['json']);
  const runs = Number(flag(args, 'runs', '30'));
  const batches = Number(flag(args, 'batches', '5'));
  const threads = Number(flag(args, 'threads', '1'));
  const { images, source, minSide } = await loadImages(Math.max(runs, batches * 8), flag(args, 'images'));
  const rssBefore = process.memoryUsage().rss;
  const t0 = Date.now();
  const classifier = await SkinClassifier.load({ modelDir: modelDir(args), minShortSide: minSide, threads });
  const loadMs = Date.now() - t0;
  await classifier.diagnose(images[0]);
  const lat: number[] = [];
  const p1 = new Progress('batch 1', runs);
  for (let i = 0; i < runs; i++) {
    const s = process.hrtime.bigint();
    await classifier.diagnose(images[i % images.length]);
    lat.push(Number(process.hrtime.bigint() - s) / 1e6);
    p1.update(i + 1);
  }
  const rssBatch1 = process.memoryUsage().rss;
  const p8 = new Progress('batch 8', batches);
  const s8 = process.hrtime.bigint();
  for (let b = 0; b < batches; b++) {
    await classifier.diagnoseBatch(images.slice(b * 8, b * 8 + 8));
    p8.update(b + 1);
  }
  const seconds = Number(process.hrtime.bigint() - s8) / 1e9;
  const rss = process.memoryUsage().rss;
  await classifier.dispose();
  lat.sort((a, b) => a - b);
  const out = {
    backend: classifier.backend,
    model: classifier.model,
    images: source,
    load_ms: loadMs,
    views: classifier.metadata.testViews,
    members: classifier.metadata.members.length,
    memory_mb: {
      rss: Math.round(rss / 2 ** 20),
      model: Math.round((rss - rssBefore) / 2 ** 20),
      rss_after_batch1: Math.round(rssBatch1 / 2 ** 20),
    },
    batch1: { runs, p50_ms: pct(lat, 0.5), p95_ms: pct(lat, 0.95) },
    batch8: { images: batches * 8, images_per_s: (batches * 8) / seconds },
  };
  if (args.bools.has('json')) {
    process.stdout.write(JSON.stringify(out) + '\n');
    return;
  }
  process.stdout.write(
    [
      `backend            ${out.backend}`,
      `model              ${out.model.name}@${out.model.version} (load ${loadMs} ms)`,
      `images             ${source}`,
      `batch 1 latency    p50 ${out.batch1.p50_ms.toFixed(0)} ms, p95 ${out.batch1.p95_ms.toFixed(0)} ms (${runs} runs)`,
      `batch 8 throughput ${out.batch8.images_per_s.toFixed(2)} images/s`,
      `memory             ${out.memory_mb.rss_after_batch1} MB resident after batch 1, ${out.memory_mb.rss} MB after batch 8 (${out.memory_mb.model} MB more than before the model)`,
    ].join('\n') + '\n',
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
