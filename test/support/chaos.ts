import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRedisConnection } from '@/redis/redis-connection';
import { DataSource } from 'typeorm';
import { loadConfig } from '@/config/app-config';
import { runDoctorCli } from '@/doctors/cli/doctor-cli';
import { I18nService } from '@/i18n/i18n.service';
import { seededRandom, shuffle } from '../../scripts/lib/dataset';
import type { InferenceResult } from '@/inference/inference.types';
import { formatCard, formatResult } from '@/journey/result-formatter';
import { ApiCall, FakeBotApi, HoldMode } from '../fake-telegram/fake-bot-api';
import { lesionPhoto } from './images';
import { ServiceProcess } from './service-process';

/**
 * Chaos for crash safety: the real service as its own process (real telegraf against the local fake
 * Bot API, the real model, real PostgreSQL and Redis, or SQLite alone), patients sending photos and
 * doctors claiming and answering the cases, while the service is killed with SIGKILL at seeded random
 * moments (during inference, while an outbox message or a case post is in flight, at start, at any
 * time) and started again each time. At the end it checks, from what the fake Bot API received and
 * what the database holds, that every photo got exactly one result, one card and one case code
 * message, every doctor's answer reached its patient exactly once, every case was posted to the group
 * exactly once, and nothing was lost.
 *
 * Delivery is at-least-once at the very last step: a message Telegram accepted just before the kill,
 * whose acceptance the service never learnt, is sent again. Such repeats are told apart from
 * duplicates the service made: a repeat re-sends the same outbox row, so per chat the messages Telegram
 * accepted exceed the rows marked sent by exactly the number of repeats; a repeated case post must
 * have had its first copy in flight at a kill. They are counted and reported, never excused otherwise.
 */
export interface ChaosOptions {
  seed: number;
  patients: number;
  photosPerPatient: number;
  kills: number;
  /** PostgreSQL and Redis (the several-instance setup); both unset: SQLite in a fresh DATA_DIR, no Redis. */
  databaseUrl?: string;
  redisUrl?: string;
  /** Progress lines. */
  log: (line: string) => void;
  /** How long to wait, after the last kill, for everything to be answered. */
  settleMs?: number;
  /** The kinds of kill to draw from (default: all); with fewer than three kills none is sure to come. */
  kinds?: KillKind[];
  /** INFERENCE_CONCURRENCY (default 1: the model in the service process without Redis, one bull child with it). */
  workers?: number;
}

/** The journey's acknowledgement of a photo, sent as its analysis is queued. */
const PHOTO_ACK = 'Photo received. Checking it now…';

export type KillKind = 'inference' | 'delivery' | 'group-post' | 'boot' | 'any-time';

export interface KillRecord {
  kind: KillKind;
  /** Seconds since the chaos began. */
  atS: number;
  /** What was going on (photos under analysis, the call in flight). */
  note: string;
}

export interface ChaosReport {
  seed: number;
  setup: string;
  durationS: number;
  kills: KillRecord[];
  photos: number;
  cases: { ok: number; refused: number };
  /** Messages received, last-step repeats included. */
  delivered: { results: number; cards: number; caseCodes: number; groupPosts: number; answers: number };
  answersSent: number;
  /** Messages Telegram accepted: to patients, to the doctors' group. */
  accepted: { patients: number; group: number };
  /** Messages sent again at the last step (accepted just before a kill, the acceptance never recorded). */
  repeats: { patients: number; groupPosts: number };
  /** Kills made while Telegram had accepted a message the service had not yet recorded (on purpose). */
  killsInWindow: number;
  /**
   * The at-least-once window, measured: per message, from Telegram's answer to the time the service
   * recorded the send (its `sentAt`, or a case's `postedAt`; the record's own write comes after), and
   * the share of the run's time some message was inside it (the chance a kill at a random moment
   * repeats one).
   */
  window: { messages: number; p50Ms: number; p95Ms: number; maxMs: number; exposedShare: number };
  problems: string[];
  /** The service's output (warnings and errors), kept when there were problems. */
  logFile?: string;
}

const GROUP = -100555;
const DOCTORS = [
  { id: 501, first_name: 'Amina', last_name: 'Okafor' },
  { id: 502, first_name: 'Luis', last_name: 'Pereira' },
];
/** A case post answered within this long before a kill may not have been recorded by the service. */
const GROUP_WINDOW_MS = 1000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

/** Counts of each value. */
function tally(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

/** Runs one chaos scenario and reports what happened; `problems` is empty when every guarantee held. */
export async function runChaos(o: ChaosOptions): Promise<ChaosReport> {
  // One stream for the kills (their kinds, moments and modes), one for the photos, one for the
  // patients and doctors, so the plan of kills depends on the seed alone, not on how the actors interleave.
  const random = seededRandom(o.seed);
  const between = (min: number, max: number, from = random) => min + Math.floor(from() * (max - min));
  const actorRandom = seededRandom(o.seed + 1);
  const photoRandom = seededRandom(o.seed + 2);
  const setup = `${o.databaseUrl ? 'PostgreSQL + Redis' : 'SQLite, no Redis'}, ${o.workers ?? 1} inference worker(s)${!o.databaseUrl && (o.workers ?? 1) === 1 ? ' in the service process' : ''}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dermlink-chaos-'));
  const logFile = path.join(dataDir, 'service.log');
  await resetStores(o);
  const api = new FakeBotApi();
  await api.start();
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    MODEL_DIR: path.resolve(__dirname, '../../models'),
    TELEGRAM_BOT_TOKEN: api.token,
    TELEGRAM_API_ROOT: api.apiRoot,
    TELEGRAM_DOCTORS_CHAT_ID: String(GROUP),
    TELEGRAM_CHAT_INTERVAL_MS: '0',
    TELEGRAM_GROUP_PER_MIN: '60',
    CASE_POST_WAIT_MIN: '0',
    INFERENCE_CONCURRENCY: String(o.workers ?? 1),
    WEB_TRY_ENABLED: 'false',
    ...(o.databaseUrl ? { DATABASE_URL: o.databaseUrl } : {}),
    ...(o.redisUrl ? { REDIS_URL: o.redisUrl } : {}),
  };
  const service = new ServiceProcess(env, logFile);
  const started = Date.now();
  const since = () => Math.round((Date.now() - started) / 100) / 10;
  const kills: KillRecord[] = [];
  const killTimes: number[] = [];
  const chats = Array.from({ length: o.patients }, (_, i) => 9001 + i);
  const photosSent = new Map<number, number>(chats.map((c) => [c, 0]));
  const answers = new Map<string, string>();
  let stopActors = false;
  let db: DataSource | undefined;
  let keepFiles = true;
  /** The photos still to send, in order, each from its patient. */
  const waiting: { image: Buffer; chat: number }[] = [];
  const sendNext = () => {
    const next = waiting.shift();
    if (!next) return;
    api.sendPhoto(next.chat, next.image);
    photosSent.set(next.chat, photosSent.get(next.chat)! + 1);
  };

  const booted = async (timeoutMs = 180_000) => {
    const polls = api.polls;
    if (!(await until(() => api.polls > polls, timeoutMs)))
      throw new Error(`The service did not start polling within ${timeoutMs / 1000} s (see ${logFile})`);
  };
  const isPatient = (chatId: unknown) => chats.includes(Number(chatId));
  const texts = (chat: number) => api.textsTo(chat);
  const count = (chat: number, test: (t: string) => boolean) => texts(chat).filter(test).length;
  const received = (chat: number) => count(chat, (t) => t === PHOTO_ACK);
  const i18n = new I18nService(loadConfig({}));
  const resultLike = (t: string) =>
    t.startsWith(i18n.t('en', 'resultHeader')) ||
    t.startsWith(i18n.t('en', 'retakeIntro').split(':')[0]) ||
    t === i18n.t('en', 'notSkin');
  const deliveredToPatient = (text: string) => chats.some((c) => texts(c).some((t) => t.endsWith(text)));
  const pendingAnalyses = () => chats.reduce((n, c) => n + Math.max(0, received(c) - count(c, resultLike)), 0);
  const casePosts = () => api.calls.filter((c) => c.method === 'sendPhoto' && String(c.params.chat_id) === String(GROUP));

  try {
    service.start();
    await booted();
    o.log(`[${since()} s] ${setup}: the service is up; seed ${o.seed}`);
    const config = loadConfig({ ...process.env, ...env });
    for (const d of DOCTORS)
      await runDoctorCli(
        ['add', '--telegram-id', String(d.id), '--name', `${d.first_name} ${d.last_name}`],
        config,
        () => undefined,
      );
    await Promise.all(chats.map((chat) => onboard(api, chat)));
    const images = await pickImages(o.patients * o.photosPerPatient, photoRandom);
    o.log(`[${since()} s] ${o.patients} patients consented; ${images.length} photos to send`);

    // The doctors claim and answer every case they see posted (a case posted again whose answer has not
    // arrived is answered again under its newest post); half the patients skip through the intake.
    const actors = (async () => {
      const answeredPost = new Map<string, number>();
      const seenPrompts = new Set<ApiCall>();
      while (!stopActors) {
        for (const post of casePosts()) {
          const code = /^Case (C-[A-Z0-9]+)/.exec(String(post.params.caption))?.[1];
          if (!code || post.messageId === undefined || (answeredPost.get(code) ?? 0) >= post.messageId) continue;
          const first = !answeredPost.has(code);
          if (!first && deliveredToPatient(answers.get(code) ?? '\0')) continue;
          answeredPost.set(code, post.messageId);
          const doctor = DOCTORS[code.charCodeAt(code.length - 1) % DOCTORS.length];
          const claimAfter = between(200, 2000, actorRandom);
          const answerAfter = claimAfter + between(300, 3000, actorRandom);
          if (first) setTimeout(() => api.pressButton(GROUP, `claim:${code}`, post.messageId!, doctor), claimAfter);
          setTimeout(() => {
            const text = `Answer for ${code}: keep it covered and come back in two weeks (Dr ${doctor.last_name}).`;
            answers.set(code, text);
            api.sendText(GROUP, text, doctor, post.messageId);
          }, answerAfter);
        }
        for (const chat of chats.filter((_, i) => i % 2 === 0)) {
          for (const call of api.sent(chat)) {
            const skip = FakeBotApi.buttons(call).find(([, data]) => /^intake:\w+:-$/.test(data));
            if (!skip || seenPrompts.has(call)) continue;
            seenPrompts.add(call);
            setTimeout(() => api.pressButton(chat, skip[1], call.messageId!), between(100, 1500, actorRandom));
          }
        }
        await sleep(200);
      }
    })();

    // The photos arrive one after another, at random gaps, while the kills go on. One photo is kept
    // back for each kill that needs work under way (an analysis, a result or answer, a case post): it
    // is sent when that kill's moment does not come by itself.
    const plan = killPlan(o.kills, random, o.kinds);
    waiting.push(...images.map((image, i) => ({ image, chat: chats[i % chats.length] })));
    let keptBack = plan.filter((k) => k === 'inference' || k === 'delivery' || k === 'group-post').length;
    const gapMs = (o.kills * 15_000) / Math.max(1, images.length - keptBack);
    let killing = true;
    const sending = (async () => {
      while (waiting.length) {
        await sleep(between(gapMs / 2, gapMs * 1.5, photoRandom));
        if (!killing || waiting.length > keptBack) sendNext();
      }
    })();

    for (const kind of plan) {
      if (kind === 'boot') {
        await sleep(between(300, 4000));
      } else {
        await booted();
        await sleep(between(2000, 8000));
      }
      // The kill's own photo stays kept back while its moment is awaited (its nudge may send it); only
      // then may the steady sending take it, so an earlier kill's nudge cannot leave a later one none.
      const note = await killMoment(kind);
      if (kind === 'inference' || kind === 'delivery' || kind === 'group-post') keptBack--;
      await service.kill();
      killTimes.push(Date.now());
      kills.push({ kind, atS: since(), note });
      o.log(`[${since()} s] kill ${kills.length}/${o.kills}: ${kind} (${note})`);
      await sleep(between(0, 1500));
      service.start();
    }
    killing = false;
    await sending;
    await booted();
    o.log(`[${since()} s] all ${images.length} photos sent, ${o.kills} kills done; waiting for everything to be answered`);

    db = await openDatabase(o, dataDir);
    const settled = await until(async () => (await outstanding(db!, answers, casePosts)) === '', o.settleMs ?? 8 * 60_000);
    const left = settled ? '' : await outstanding(db, answers, casePosts);
    await sleep(3000); // room for a late duplicate to show up
    stopActors = true;
    await actors;
    await service.stop();
    const report = await verify(db, left);
    keepFiles = report.problems.length > 0;
    o.log(`[${since()} s] done`);
    return keepFiles ? { ...report, logFile } : report;
  } finally {
    stopActors = true;
    api.cancelHolds();
    await service.kill();
    await db?.destroy();
    await api.stop();
    if (!keepFiles) fs.rmSync(dataDir, { recursive: true, force: true });
  }

  /** Waits for the moment of a kill of this kind; resolves to what was in flight. */
  async function killMoment(kind: KillKind): Promise<string> {
    switch (kind) {
      case 'inference': {
        // With a fast model a photo's analysis can end between two looks at the chat, so the kill
        // comes as the photo's acknowledgement goes out: its analysis is queued or running then.
        const held = await hold(
          (method, params) => method === 'sendMessage' && isPatient(params.chat_id) && String(params.text) === PHOTO_ACK,
          35_000,
          sendNext, // nothing arriving: the photo kept back
        );
        return held
          ? `a photo of patient ${String(held.call.params.chat_id)} acknowledged, its analysis queued or running, ${held.mode}`
          : 'no photo was under analysis within the wait';
      }
      case 'delivery': {
        // Half the time the kill comes as a result or a doctor's answer goes out (the moments the issue
        // found duplicates at); otherwise with any message to a patient.
        const target = random();
        const what = target < 0.35 ? 'a result' : target < 0.6 ? "a doctor's answer" : 'a message';
        const wanted = (text: string) =>
          target < 0.35 ? resultLike(text) : target < 0.6 ? /^Dr .+ about your case/.test(text) : true;
        const held = await hold(
          (method, params) => method === 'sendMessage' && isPatient(params.chat_id) && wanted(String(params.text)),
          60_000,
          () => {
            // Nothing of the kind under way: a patient asks for their status (answered at once), or sends
            // the photo kept back (a result, then a case post a doctor answers).
            if (what === 'a message') api.sendText(chats[between(0, chats.length, actorRandom)], '/status');
            else sendNext();
          },
        );
        return held
          ? `${what} to patient ${String(held.call.params.chat_id)} in flight, ${held.mode}`
          : `no ${what.replace(/^an? /, '')} was sent within the wait`;
      }
      case 'group-post': {
        const held = await hold(
          (method, params) => method === 'sendPhoto' && String(params.chat_id) === String(GROUP),
          75_000,
          sendNext,
        );
        return held
          ? `the post of ${/^Case (C-[A-Z0-9]+)/.exec(String(held.call.params.caption))?.[1] ?? '?'} in flight, ${held.mode}`
          : 'no case was posted within the wait';
      }
      case 'boot':
        return `${api.polls > 0 ? 'while starting' : 'at start'}`;
      case 'any-time':
        return `${pendingAnalyses()} photo(s) under analysis`;
    }
  }

  /**
   * Holds the next call that matches (accepted by Telegram or not, by the seed) and resolves once it is
   * in flight, or to undefined after `waitMs`. `nudge` runs once after 5 s without one.
   */
  async function hold(match: (method: string, params: Record<string, unknown>) => boolean, waitMs: number, nudge?: () => void) {
    const mode: HoldMode = random() < 0.5 ? 'accepted' : 'unaccepted';
    const nudging = nudge && setTimeout(nudge, 5000);
    const call = await Promise.race([api.holdNext(match, mode), sleep(waitMs).then(() => undefined)]);
    clearTimeout(nudging);
    api.cancelHolds();
    return call && { call, mode: mode === 'accepted' ? 'already accepted by Telegram' : 'not yet accepted by Telegram' };
  }

  /** Compares what the patients and the group received with what the database says happened. */
  async function verify(source: DataSource, left: string): Promise<ChaosReport> {
    const problems: string[] = left ? [`not settled within the wait: ${left}`] : [];
    const patients = await source.query<{ id: string; channelUserId: string }[]>('SELECT id, "channelUserId" FROM patients');
    const cases = await source.query<
      { code: string; patientId: string; aiResult: string | null; groupMessageId: string | null }[]
    >('SELECT code, "patientId", "aiResult", "groupMessageId" FROM consultations');
    const sentRows = await source.query<{ chatId: string; n: string | number }[]>(
      `SELECT "chatId", count(*) AS n FROM outbox_messages WHERE status = 'sent' GROUP BY "chatId"`,
    );
    const rowsSent = new Map(sentRows.map((r) => [r.chatId, Number(r.n)]));
    const delivered = { results: 0, cards: 0, caseCodes: 0, groupPosts: 0, answers: 0 };
    let ok = 0;
    let refused = 0;
    let patientRepeats = 0;
    let acceptedForPatients = 0;
    for (const chat of chats) {
      const patient = patients.find((p) => p.channelUserId === String(chat));
      const mine = cases.filter((c) => c.patientId === patient?.id);
      const all = texts(chat);
      acceptedForPatients += all.length;
      if (mine.length !== photosSent.get(chat))
        problems.push(`patient ${chat}: sent ${photosSent.get(chat)} photos, ${mine.length} cases were opened`);
      const results = mine.map((c) => (c.aiResult ? (JSON.parse(c.aiResult) as InferenceResult) : undefined));
      if (results.some((r) => !r)) problems.push(`patient ${chat}: ${results.filter((r) => !r).length} case(s) never analysed`);
      const okCases = mine.filter((_, i) => results[i]?.verdict === 'ok');
      ok += okCases.length;
      refused += mine.length - okCases.length;
      const expected = {
        result: results.filter((r): r is InferenceResult => !!r).map((r) => formatResult(i18n, 'en', r).text),
        card: results
          .filter((r): r is InferenceResult => r?.verdict === 'ok')
          .map((r) => formatCard(i18n, 'en', r.top[0].label).text),
        code: okCases.map((c) => i18n.t('en', 'caseOpened', { code: c.code })),
        answer: okCases
          .filter((c) => answers.has(c.code))
          .map(
            (c) =>
              `${i18n.t('en', 'doctorReply', { doctor: doctorOf(answers.get(c.code)!), code: c.code })}\n\n${answers.get(c.code)!}`,
          ),
      };
      const got = {
        result: all.filter(resultLike),
        card: all.filter((t) => t.startsWith('About: ')),
        code: all.filter((t) => /Your case code is C-/.test(t)),
        answer: all.filter((t) => /^Dr .+ about your case C-/.test(t)),
      };
      let surplus = 0;
      for (const kind of ['result', 'card', 'code', 'answer'] as const) {
        const want = tally(expected[kind]);
        const have = tally(got[kind]);
        for (const [text, n] of want) {
          const m = have.get(text) ?? 0;
          if (m < n) problems.push(`patient ${chat}: ${n - m} ${kind} message(s) lost: ${JSON.stringify(text.slice(0, 60))}`);
          if (m > n) surplus += m - n;
        }
        for (const [text, m] of have)
          if (!want.has(text))
            problems.push(`patient ${chat}: ${m} unexpected ${kind} message(s): ${JSON.stringify(text.slice(0, 60))}`);
      }
      delivered.results += got.result.length;
      delivered.cards += got.card.length;
      delivered.caseCodes += got.code.length;
      delivered.answers += got.answer.length;
      // A message accepted at a kill and sent again is the same outbox row sent twice.
      const repeats = all.length - (rowsSent.get(String(chat)) ?? 0);
      patientRepeats += Math.max(0, repeats);
      if (surplus > Math.max(0, repeats)) {
        problems.push(
          `patient ${chat}: ${surplus} duplicate result/card/case code/answer message(s), ${Math.max(0, repeats)} of them explained by sends in flight at a kill`,
        );
      }
    }
    let groupRepeats = 0;
    const posts = casePosts();
    for (const c of cases.filter((k) => k.aiResult && (JSON.parse(k.aiResult) as InferenceResult).verdict === 'ok')) {
      const mine = posts.filter((p) => String(p.params.caption).startsWith(`Case ${c.code} `));
      delivered.groupPosts += mine.length;
      if (!mine.length) problems.push(`case ${c.code} was never posted to the doctors' group`);
      if (mine.length > 1) {
        const inFlight = mine.filter((p) =>
          killTimes.some((k) => p.at <= k && (p.answeredAt === undefined || p.answeredAt >= k - GROUP_WINDOW_MS)),
        ).length;
        groupRepeats += Math.min(inFlight, mine.length - 1);
        if (mine.length - 1 > inFlight)
          problems.push(`case ${c.code} was posted ${mine.length} times; ${inFlight} of the posts were in flight at a kill`);
      }
      if (mine.length && !mine.some((p) => String(p.messageId) === c.groupMessageId))
        problems.push(`case ${c.code}: its recorded group message is none of its posts`);
    }
    for (const kind of ['inference', 'delivery', 'group-post'] as const) {
      if (
        o.kills >= 3 &&
        (o.kinds ?? KILL_KINDS).slice(0, 3).includes(kind) &&
        !kills.some((k) => k.kind === kind && !/within/.test(k.note))
      )
        problems.push(`no kill happened during ${kind} (the plan had one; its moment never came)`);
    }
    const windows = await measureWindows(
      source,
      chats.map((c) => api.sent(c)),
      posts,
    );
    const sorted = [...windows].sort((a, b) => a - b);
    const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0);
    return {
      seed: o.seed,
      setup,
      durationS: since(),
      kills,
      photos: [...photosSent.values()].reduce((a, b) => a + b, 0),
      cases: { ok, refused },
      delivered,
      answersSent: answers.size,
      accepted: { patients: acceptedForPatients, group: api.sent(GROUP).length },
      repeats: { patients: patientRepeats, groupPosts: groupRepeats },
      killsInWindow: kills.filter((k) => /already accepted/.test(k.note)).length,
      window: {
        messages: windows.length,
        p50Ms: at(0.5),
        p95Ms: at(0.95),
        maxMs: sorted[sorted.length - 1] ?? 0,
        exposedShare: windows.reduce((a, b) => a + b, 0) / (Date.now() - started),
      },
      problems,
    };
  }
}

/** The doctor's name as the answer header gives it, from the answer text the test doctor wrote. */
function doctorOf(answer: string): string {
  const last = /\(Dr (\w+)\)\.$/.exec(answer)![1];
  const d = DOCTORS.find((x) => x.last_name === last)!;
  return `${d.first_name} ${d.last_name}`;
}

export const KILL_KINDS: KillKind[] = ['inference', 'delivery', 'group-post', 'boot', 'any-time'];

/** The kinds of kill, in a seeded order: each of inference, delivery and group-post at least once (when drawn from). */
function killPlan(kills: number, random: () => number, all = KILL_KINDS): KillKind[] {
  const plan = all.slice(0, Math.min(3, kills));
  while (plan.length < kills) plan.push(all[Math.floor(random() * all.length)]);
  return shuffle(plan, random);
}

/** A patient goes through /start, language and consent. */
async function onboard(api: FakeBotApi, chat: number): Promise<void> {
  api.sendText(chat, '/start');
  for (const data of [/^lang:en$/, /^consent:yes$/]) {
    const call = await api.waitForCall(
      (c) => String(c.params.chat_id) === String(chat) && FakeBotApi.buttons(c).some(([, d]) => data.test(d)),
      120_000,
      `a button ${data} in chat ${chat}`,
    );
    api.pressButton(chat, FakeBotApi.buttons(call).find(([, d]) => data.test(d))![1], call.messageId!);
  }
  await api.waitForText(chat, /Send a clear, close photo/, 120_000);
}

/** Distinct lesion photos the model takes (see `lesionPhoto`), in a seeded order. */
async function pickImages(n: number, random: () => number): Promise<Buffer[]> {
  const chosen = new Set<number>();
  while (chosen.size < n) chosen.add(1 + Math.floor(random() * Math.max(4 * n, 40)));
  return Promise.all([...chosen].map((seed) => lesionPhoto(seed)));
}

async function resetStores(o: ChaosOptions): Promise<void> {
  if (o.redisUrl) {
    const redis = createRedisConnection(o.redisUrl);
    await redis.flushdb();
    await redis.quit();
  }
  if (o.databaseUrl) {
    const pg = new DataSource({ type: 'postgres', url: o.databaseUrl });
    await pg.initialize();
    await pg.query('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;');
    await pg.destroy();
  }
}

function openDatabase(o: ChaosOptions, dataDir: string): Promise<DataSource> {
  const source = o.databaseUrl
    ? new DataSource({ type: 'postgres', url: o.databaseUrl })
    : new DataSource({ type: 'sqlite', database: path.join(dataDir, 'dermlink.sqlite'), busyTimeout: 5000 });
  return source.initialize();
}

/**
 * Per message delivered (to a patient, or a case post), the time from Telegram's answer to the
 * service's record of the send: each recorded time is matched with the last request before it.
 */
async function measureWindows(db: DataSource, patientCalls: ApiCall[][], posts: ApiCall[]): Promise<number[]> {
  const time = (v: unknown) => (v instanceof Date ? v.getTime() : new Date(`${String(v).replace(' ', 'T')}Z`).getTime());
  const rows = await db.query<{ chatId: string; sentAt: unknown }[]>(
    `SELECT "chatId", "sentAt" FROM outbox_messages WHERE status = 'sent'`,
  );
  const cases = await db.query<{ postedAt: unknown; groupMessageId: string | null }[]>(
    'SELECT "postedAt", "groupMessageId" FROM consultations WHERE "groupMessageId" IS NOT NULL',
  );
  const windows: number[] = [];
  for (const calls of patientCalls) {
    const chat = calls[0] && String(calls[0].params.chat_id);
    const recorded = rows.filter((r) => r.chatId === chat).map((r) => time(r.sentAt));
    for (const t of recorded) {
      // A chat's messages are sent one at a time: the last request before the record is its send. (Its
      // answer's time, taken in this process, may come a little after the service has read it.)
      const send = calls.filter((c) => c.at <= t && c.answeredAt !== undefined).pop();
      if (send) windows.push(Math.max(0, t - send.answeredAt!));
    }
  }
  for (const c of cases) {
    const post = posts.find((p) => String(p.messageId) === c.groupMessageId);
    if (post?.answeredAt !== undefined && time(c.postedAt) >= post.answeredAt) windows.push(time(c.postedAt) - post.answeredAt);
  }
  return windows;
}

/** What is still to happen ('' when nothing): photos not answered, cases not posted or answered, messages waiting. */
async function outstanding(db: DataSource, answers: Map<string, string>, posts: () => ApiCall[]): Promise<string> {
  const cases = await db.query<
    { code: string; resultSentAt: unknown; aiResult: string | null; groupMessageId: string | null; status: string }[]
  >('SELECT code, "resultSentAt", "aiResult", "groupMessageId", status FROM consultations');
  const unanswered = cases.filter((c) => !c.resultSentAt).length;
  const ok = cases.filter((c) => c.aiResult && (JSON.parse(c.aiResult) as InferenceResult).verdict === 'ok');
  const unposted = ok.filter((c) => !c.groupMessageId).length;
  const seen = new Set(posts().map((p) => /^Case (C-[A-Z0-9]+)/.exec(String(p.params.caption))?.[1]));
  const notAnswered = ok.filter((c) => !answers.has(c.code) || !seen.has(c.code) || c.status !== 'answered').length;
  const pending = Number(
    (await db.query<{ n: string | number }[]>(`SELECT count(*) AS n FROM outbox_messages WHERE status = 'pending'`))[0].n,
  );
  const parts = [
    unanswered && `${unanswered} photo(s) without a result`,
    unposted && `${unposted} case(s) not posted`,
    notAnswered && `${notAnswered} case(s) not answered by a doctor`,
    pending && `${pending} outbox message(s) pending`,
  ].filter(Boolean);
  return parts.join(', ');
}

/** A one-paragraph summary of a chaos report. */
export function describeReport(r: ChaosReport): string {
  const kinds = tally(r.kills.map((k) => k.kind));
  const lines = [
    `Chaos (${r.setup}), seed ${r.seed}: ${r.kills.length} SIGKILLs (${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}) in ${r.durationS} s`,
    `  photos ${r.photos}: cases ok ${r.cases.ok}, refused by the gates ${r.cases.refused}`,
    `  received (repeats included): results ${r.delivered.results}, cards ${r.delivered.cards}, case codes ${r.delivered.caseCodes}, group posts ${r.delivered.groupPosts}, doctors' answers ${r.delivered.answers} (of ${r.answersSent} written)`,
    `  accepted by Telegram: ${r.accepted.patients} messages to patients, ${r.accepted.group} to the group; sent again at the last step: ${r.repeats.patients} to patients, ${r.repeats.groupPosts} case post(s) (${r.killsInWindow} kill(s) made on purpose while Telegram had accepted a message not yet recorded)`,
    `  at-least-once window (Telegram's answer to the service's record), ${r.window.messages} messages: p50 ${r.window.p50Ms} ms, p95 ${r.window.p95Ms} ms, max ${r.window.maxMs} ms; some message was in it ${(r.window.exposedShare * 100).toFixed(2)}% of the run`,
    ...r.kills.map((k, i) => `  kill ${i + 1} at ${k.atS} s: ${k.kind}, ${k.note}`),
    r.problems.length
      ? `  PROBLEMS (${r.problems.length}):\n${r.problems.map((p) => `    - ${p}`).join('\n')}\n  service log: ${r.logFile}`
      : '  every guarantee held',
  ];
  return lines.join('\n');
}
