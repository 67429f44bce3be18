import { execFileSync } from 'node:child_process';
import type { INestApplication } from '@nestjs/common';
import Bull from 'bull';
import { createRedisConnection } from '@/redis/redis-connection';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { TelegramAdapter } from '@/bots/telegram/telegram.adapter';
import { Consultation } from '@/consultations/consultation.entity';
import { AdminSessionsService } from '@/dashboard/admin-sessions.service';
import { JobName } from '@/jobs/job.types';
import { ChatLock } from '@/redis/chat-lock';
import { PatientMessenger } from '@/journey/patient-messenger.service';
import { OutboxMessage } from '@/outbox/outbox-message.entity';
import { FakeBotApi } from './fake-telegram/fake-bot-api';
import { eventually, startApp, tempDataDir, testConfig } from './support/app';
import { lesionPhoto } from './support/images';
import { consentedPatient } from './support/journey';

/**
 * A Redis database the suite may flush (e.g. redis://127.0.0.1:6379/15) and a PostgreSQL database it
 * may wipe: several instances need a database server (SQLite is for one instance). .ci/run starts both.
 */
const REDIS_URL = process.env.TEST_REDIS_URL;
const DATABASE_URL = process.env.TEST_DATABASE_URL;
if (!REDIS_URL || !DATABASE_URL)
  console.warn('Skipping the Redis suite: TEST_REDIS_URL and TEST_DATABASE_URL must be set (see .ci/run)');
const run = REDIS_URL && DATABASE_URL ? describe : describe.skip;

run('Two instances sharing Redis queues and one PostgreSQL database', () => {
  const api = new FakeBotApi();
  const apps: INestApplication[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    const redis = createRedisConnection(REDIS_URL!);
    await redis.flushdb();
    await redis.quit();
    const pg = new Client({ connectionString: DATABASE_URL });
    await pg.connect();
    await pg.query('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;');
    await pg.end();
    await api.start();
    env = {
      DATA_DIR: tempDataDir(),
      DATABASE_URL: DATABASE_URL!,
      REDIS_URL: REDIS_URL!,
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
      INFERENCE_CONCURRENCY: '1',
    };
    apps.push(await startApp(testConfig(env))); // the first runs the migrations
    apps.push(await startApp(testConfig(env)));
  }, 120_000);

  afterAll(async () => {
    for (const app of apps) await app.close();
    await api.stop();
  });

  it('should let exactly one instance poll Telegram', () => {
    expect(apps.map((a) => a.get(TelegramAdapter).isPolling()).filter(Boolean)).toHaveLength(1);
  });

  it('should hold each chat across instances, so replies from both never interleave', () => {
    expect(apps.map((a) => a.get(ChatLock).shared)).toEqual([true, true]);
  });

  it('should answer every photo once, with the work shared through Redis', async () => {
    // An observer of the queues: every photo is a Classify job, every reply goes out through DeliverOutbox jobs.
    const completed = new Map<JobName, number>();
    const observers = [JobName.AnalysePhoto, JobName.Classify, JobName.DeliverOutbox].map((name) => {
      const queue = new Bull(name, REDIS_URL!, { prefix: 'dermlink' });
      queue.on('global:completed', () => completed.set(name, (completed.get(name) ?? 0) + 1));
      return queue;
    });
    await Promise.all(observers.map((q) => q.isReady()));
    const chats = [7001, 7002, 7003, 7004, 7005, 7006];
    for (const chat of chats) await consentedPatient(api, chat);
    const images = [1, 2, 3, 4, 5, 6];
    for (const [i, chat] of chats.entries()) api.sendPhoto(chat, await lesionPhoto(images[i]));
    for (const chat of chats) await api.waitForText(chat, /case code is C-/, 90_000);
    await new Promise((r) => setTimeout(r, 1000)); // room for any duplicate to show up
    for (const chat of chats) {
      const texts = api.textsTo(chat);
      expect(texts.filter((t) => /Photo received/.test(t))).toHaveLength(1);
      expect(texts.filter((t) => /Most likely: /.test(t))).toHaveLength(1);
      expect(texts.filter((t) => /case code is/.test(t))).toHaveLength(1);
    }
    expect(await apps[0].get(DataSource).getRepository(Consultation).countBy({ status: 'awaiting_doctor' })).toBe(chats.length);
    expect(completed.get(JobName.AnalysePhoto)).toBe(chats.length);
    expect(completed.get(JobName.Classify)).toBe(chats.length);
    expect(completed.get(JobName.DeliverOutbox)).toBeGreaterThanOrEqual(chats.length);
    // The model ran in bull's sandboxed child processes, not in the instances' own process.
    const children = execFileSync('ps', ['-o', 'args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
    expect(children).toMatch(/bull\/lib\/process\/master\.js/);
    await Promise.all(observers.map((q) => q.close()));
  });

  it('should honour a dashboard sign-in link made by one instance on the other, once', async () => {
    const [one, two] = await Promise.all(apps.map(async (a) => (await a.getUrl()).replace('[::1]', '127.0.0.1')));
    const code = new URL(await apps[0].get(AdminSessionsService).oneTimeLink('doctor:601')).searchParams.get('code')!;
    const login = await fetch(`${two}/admin/login?code=${code}`, { redirect: 'manual' });
    expect(login.status).toBe(302);
    const session = /dl_admin=[^;]+/.exec(login.headers.get('set-cookie') ?? '')?.[0];
    expect(session).toBeDefined();
    expect((await fetch(`${one}/admin/api/stats`, { headers: { cookie: session! } })).status).toBe(200);
    expect((await fetch(`${one}/admin/login?code=${code}`, { redirect: 'manual' })).status).toBe(401);
  });

  it('should serve one "try it" session from either instance, replies sent by whichever delivers them', async () => {
    const urls = await Promise.all(apps.map(async (a) => (await a.getUrl()).replace('[::1]', '127.0.0.1')));
    const created = await fetch(`${urls[0]}/try/sessions`, { method: 'POST' });
    expect(created.status).toBe(201);
    const { session } = (await created.json()) as { session: string };
    const seen: string[] = [];
    let after = 0;
    let poll = 0;
    // Each poll goes to the other instance, as a load balancer without sticky sessions would send it.
    const waitFor = async (pattern: RegExp) => {
      for (let i = 0; i < 300 && !seen.some((t) => pattern.test(t)); i++) {
        const res = await fetch(`${urls[poll++ % 2]}/try/sessions/${session}/messages?after=${after}`);
        expect(res.status).toBe(200);
        for (const m of ((await res.json()) as { messages: { seq: number; text: string }[] }).messages) {
          expect(m.seq).toBe(after + 1);
          after = m.seq;
          seen.push(m.text);
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(seen.join('\n---\n')).toMatch(pattern);
    };
    const act = (url: string, data: string) =>
      fetch(`${url}/try/sessions/${session}/actions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ data }),
      });
    await waitFor(/choose your language/);
    expect((await act(urls[1], 'lang:en')).status).toBe(202);
    await waitFor(/Do you agree/);
    expect((await act(urls[0], 'consent:yes')).status).toBe(202);
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(await lesionPhoto(6))], { type: 'image/jpeg' }), 'me.jpg');
    expect((await fetch(`${urls[1]}/try/sessions/${session}/photos`, { method: 'POST', body: form })).status).toBe(202);
    await waitFor(/case code is C-[A-Z0-9]{4,8}/);
    expect(seen.filter((t) => /Most likely: /.test(t))).toHaveLength(1);
    const dead = await apps[0]
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM outbox_messages WHERE channel = 'web' AND status = 'dead'`);
    expect(dead[0].n).toBe(0);
  });

  it('should take a message for a WhatsApp patient on an instance where WhatsApp does not run', async () => {
    // WhatsApp runs on one instance only (one phone session); a doctor's reply may be written on any.
    const messenger = apps[1].get(PatientMessenger);
    await messenger.sendToChat('whatsapp', '15550003@c.us', 'en', {
      text: 'Dr Okafor: come on Monday',
      buttons: [[{ label: 'OK', data: 'ok' }]],
    });
    const rows = await apps[0]
      .get(DataSource)
      .getRepository(OutboxMessage)
      .findBy({ channel: 'whatsapp', chatId: '15550003@c.us' });
    expect(rows).toHaveLength(1);
    // Shaped for WhatsApp (buttons become a numbered menu) and waiting for the instance that runs it.
    expect(rows[0]).toMatchObject({
      status: 'pending',
      payload: { text: 'Dr Okafor: come on Monday', menuPrompt: expect.stringMatching(/number/i) },
    });
  });

  it('should hand polling to the other instance when the polling one stops', async () => {
    const leader = apps.findIndex((a) => a.get(TelegramAdapter).isPolling());
    const [stopped] = apps.splice(leader, 1);
    await stopped.close();
    const survivor = apps[0].get(TelegramAdapter);
    await eventually(() => Promise.resolve(survivor.isPolling()), 30_000, 'the other instance to take over polling');
    api.sendText(7001, '/help');
    await api.waitForText(7001, /How it works/, 30_000);
  });
});
