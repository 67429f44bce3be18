/**
 * `npm run bench:e2e -- [--json] [--photos 200] [--chats 50] [--rate 0] [--redis redis://127.0.0.1:6379/14]`:
 * the whole service under load. Consented patients send N photos to the real service (real
 * telegraf, SQLite, outbox, model) through the local fake Bot API, all at once (`--rate 0`) or at
 * `--rate` photos per second; for each mode it reports throughput (photos/s), photo-to-result
 * latency p50/p95, peak memory of the service and its worker processes, and the ratio to the raw
 * model's own throughput measured first in the same process. Modes: in process with one model, then
 * (with --redis) bull queues on Redis with 1 and with 2 inference worker processes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRedisConnection } from '@/redis/redis-connection';
import sharp from 'sharp';
import { DataSource } from 'typeorm';
import { createApp } from '@/bootstrap';
import { loadConfig } from '@/config/app-config';
import { SkinClassifier } from '@/inference/classifier';
import { Patient } from '@/patients/patient.entity';
import { FakeBotApi } from '../test/fake-telegram/fake-bot-api';
import { flag, parseArgs } from './lib/cli';
import { Progress } from './lib/progress';

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ['json']);
  const photos = Number(flag(args, 'photos', '200'));
  const chats = Number(flag(args, 'chats', '50'));
  const rate = Number(flag(args, 'rate', '0'));
  const ham = process.env.HAM10000_DIR ?? path.resolve(__dirname, '../../shared/data/ham10000');
  const files = readdirSync(path.join(ham, 'images'))
    .filter((f) => f.endsWith('.jpg'))
    .sort()
    .slice(0, photos);
  const prep = new Progress('preparing photos', files.length);
  const images: Buffer[] = [];
  for (const f of files) {
    images.push(
      await sharp(path.join(ham, 'images', f))
        .resize(600, 450)
        .jpeg({ quality: 90 })
        .toBuffer(),
    );
    prep.update(images.length);
  }

  // 1. The raw model, one photo at a time, as the service runs it.
  const classifier = await SkinClassifier.load({ modelDir: 'models' });
  // Untimed warm-up: the first inferences compile the backend's kernels.
  for (const img of images.slice(0, 3)) await classifier.diagnose(img);
  const rawCount = Math.min(40, images.length);
  const rawProgress = new Progress('raw model', rawCount);
  const rawStart = Date.now();
  for (let i = 0; i < rawCount; i++) {
    await classifier.diagnose(images[i]);
    rawProgress.update(i + 1);
  }
  const rawPerSecond = rawCount / ((Date.now() - rawStart) / 1000);
  const backend = classifier.backend;
  await classifier.dispose();

  // 2. The service, end to end, in each mode.
  const redisUrl = flag(args, 'redis');
  const modes: { mode: string; workers: number; redis?: string }[] = [{ mode: 'in-process', workers: 1 }];
  if (redisUrl) modes.push({ mode: 'redis', workers: 1, redis: redisUrl }, { mode: 'redis', workers: 2, redis: redisUrl });
  const rows = [];
  for (const m of modes) rows.push(await serviceRun(images, chats, rate, m, rawPerSecond, backend));
  if (args.bools.has('json')) {
    console.log(JSON.stringify(rows));
    return;
  }
  const arrival = rate > 0 ? `at ${rate} photos/s` : 'at once';
  console.log(
    `${images.length} photos from ${chats} chats sent ${arrival}; ${os.availableParallelism?.() ?? os.cpus().length} cores; ${backend} backend`,
  );
  console.log(`raw model: ${rawPerSecond.toFixed(2)} photos/s`);
  console.log('mode        workers  photos/s  ratio  p50 s  p95 s  peak RSS MB (service + workers)');
  for (const r of rows) {
    console.log(
      `${r.mode.padEnd(12)}${String(r.workers).padEnd(9)}${String(r.photos_per_s).padEnd(10)}${String(r.ratio_to_raw).padEnd(7)}${String(r.latency_p50_s).padEnd(7)}${String(r.latency_p95_s).padEnd(7)}${r.peak_rss_mb}`,
    );
  }
}

/** Resident memory of this process and all its descendants (the inference workers), in bytes. */
function treeRss(): number {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,rss='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number));
  const inTree = new Set([process.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of rows) {
      if (!inTree.has(ppid) || inTree.has(pid)) continue;
      inTree.add(pid);
      grew = true;
    }
  }
  return rows.filter(([pid]) => inTree.has(pid)).reduce((sum, [, , rss]) => sum + rss * 1024, 0);
}

async function serviceRun(
  images: Buffer[],
  chats: number,
  rate: number,
  m: { mode: string; workers: number; redis?: string },
  rawPerSecond: number,
  backend: string,
) {
  if (m.redis) {
    const redis = createRedisConnection(m.redis);
    await redis.flushdb();
    await redis.quit();
  }
  const api = new FakeBotApi();
  await api.start();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'dermlink-bench-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    TELEGRAM_BOT_TOKEN: api.token,
    TELEGRAM_API_ROOT: api.apiRoot,
    PHOTO_RATE_LIMIT_PER_MIN: '1000',
    INFERENCE_CONCURRENCY: String(m.workers),
    REDIS_URL: m.redis,
  });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const db = app.get(DataSource);
  for (let c = 0; c < chats; c++) {
    await db.getRepository(Patient).insert({
      channel: 'telegram',
      channelUserId: String(10_000 + c),
      language: 'en',
      state: 'ready',
      consentAt: new Date(),
      consentVersion: 'bench',
    });
  }
  let peakRss = treeRss();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, treeRss())), 500);

  const latencies: number[] = [];
  const progress = new Progress(`${m.mode}, ${m.workers} worker(s)`, images.length);
  const start = Date.now();
  // Send times per chat, oldest first: a chat's k-th result answers its k-th photo.
  const sentAt = new Map<number, number[]>();
  const sendOne = (i: number): void => {
    const chat = 10_000 + (i % chats);
    sentAt.set(chat, [...(sentAt.get(chat) ?? []), Date.now()]);
    api.sendPhoto(chat, images[i]);
  };
  if (rate > 0) images.forEach((_, i) => setTimeout(() => sendOne(i), (i / rate) * 1000));
  else images.forEach((_, i) => sendOne(i));
  // A result is the message after "Photo received" that carries the verdict (result, retake or not skin).
  const isResult = (t: string) => /Most likely:|could not use this photo|does not look like a photo/.test(t);
  const seen = new Set<number>();
  while (latencies.length < images.length) {
    api.calls.forEach((c, idx) => {
      if (seen.has(idx) || c.method !== 'sendMessage' || !isResult(String(c.params.text))) return;
      seen.add(idx);
      const sent = sentAt.get(Number(c.params.chat_id))?.shift() ?? start;
      latencies.push(c.at - sent);
      progress.update(latencies.length);
    });
    if (Date.now() - start > 30 * 60_000) throw new Error('Timed out after 30 minutes');
    await new Promise((r) => setTimeout(r, 50));
  }
  const elapsed = (Date.now() - start) / 1000;
  clearInterval(sampler);
  await app.close();
  await api.stop();

  const throughput = images.length / elapsed;
  return {
    mode: m.mode,
    workers: m.workers,
    backend,
    photos: images.length,
    chats,
    arrival_per_s: rate > 0 ? rate : 'all at once',
    photos_per_s: Number(throughput.toFixed(2)),
    ratio_to_raw: Number((throughput / rawPerSecond).toFixed(2)),
    latency_p50_s: Number((quantile(latencies, 0.5) / 1000).toFixed(1)),
    latency_p95_s: Number((quantile(latencies, 0.95) / 1000).toFixed(1)),
    peak_rss_mb: Math.round(peakRss / 2 ** 20),
  };
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
