import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditEntry } from '@/audit/audit-entry.entity';
import { ConversationWindow } from '@/bots/whatsapp/cloud/conversation-window.entity';
import { WhatsAppCloudAdapter } from '@/bots/whatsapp/cloud/whatsapp-cloud.adapter';
import { hashId } from '@/common/hash-id';
import { Consultation } from '@/consultations/consultation.entity';
import { OutboxMessage } from '@/outbox/outbox-message.entity';
import { LANGUAGE } from '@/journey/journey.actions';
import { PatientMessenger } from '@/journey/patient-messenger.service';
import { Patient } from '@/patients/patient.entity';
import { eventually, startApp, tempDataDir, testConfig, runCli } from './support/app';
import { ApiCall, FakeBotApi } from './fake-telegram/fake-bot-api';
import { FakeGraphApi, SentCloudMessage } from './fake-whatsapp-cloud/fake-graph-api';
import { lesionPhoto } from './support/images';

const GROUP = -100777;
const DOCTOR = { id: 701, first_name: 'Grace', last_name: 'Mwangi' };
const DAY_MS = 24 * 60 * 60 * 1000;
const ADMIN_TOKEN = 'admin-token-whatsapp-cloud-0123';

// On SQLite and, when CI provides one (TEST_DATABASE_URL, a database the suite may wipe), on PostgreSQL.
const PG_URL = process.env.TEST_DATABASE_URL;
const databases: [string, string | undefined][] = [
  ['SQLite', undefined],
  ...(PG_URL ? [['PostgreSQL', PG_URL] as [string, string]] : []),
];

describe.each(databases)('WhatsApp Cloud API channel (real adapter, fake Graph API over HTTP, %s)', (_db, databaseUrl) => {
  const api = new FakeBotApi();
  const meta = new FakeGraphApi();
  let app: INestApplication;
  let env: Record<string, string>;

  const db = () => app.get(DataSource);
  const outbox = () => db().getRepository(OutboxMessage);

  const cli = (script: string, ...args: string[]) => runCli(env, script, ...args);

  /** Waits for a message to `waId` matching `prompt` that offers a choice matching `label`, and picks it (button or list row). */
  async function choose(waId: string, prompt: RegExp, label: RegExp): Promise<SentCloudMessage> {
    const offer = await meta.waitForMessage(
      (m) => m.to === waId && prompt.test(FakeGraphApi.text(m)) && FakeGraphApi.choices(m).some((c) => label.test(c.title)),
      30_000,
      `a choice ${label} after ${prompt} to ${waId}`,
    );
    const choice = FakeGraphApi.choices(offer).find((c) => label.test(c.title))!;
    const answer =
      offer.body.interactive?.type === 'list'
        ? await meta.chooseFromList(waId, choice.id, choice.title, choice.description)
        : await meta.pressButton(waId, choice.id, choice.title);
    expect(answer.status).toBe(200);
    return offer;
  }

  /** Hello, English, consent: ready for photos. */
  async function consentedPatient(waId: string): Promise<void> {
    await meta.sendText(waId, 'Hello');
    await choose(waId, /choose your language/, /English/);
    await choose(waId, /Do you agree\?/, /I agree/);
    await meta.waitForText(waId, /Send a clear, close photo/);
  }

  /** A photo and a skipped intake; resolves to the case code once the case is in the doctors' group. */
  async function openCase(waId: string, photo: number): Promise<{ code: string; post: ApiCall }> {
    await meta.sendImage(waId, await lesionPhoto(photo));
    const opened = await meta.waitForText(waId, /case code is C-[A-Z0-9]+/, 60_000);
    const code = /C-[A-Z0-9]+/.exec(FakeGraphApi.text(opened))![0];
    await choose(waId, /Where on the body/, /Legs or feet/);
    for (const prompt of [/blurred/, /How long/, /changed in size/, /Does it bleed/, /Does it itch/, /How old/, /Your sex/])
      await choose(waId, prompt, /Skip/);
    await meta.waitForText(waId, new RegExp(`added to case ${code}`));
    const post = await api.waitForCall((c) => c.method === 'sendPhoto' && String(c.params.caption).startsWith(`Case ${code}`));
    return { code, post };
  }

  /** The person last wrote a day and more ago, as our window record and as WhatsApp see it. */
  async function lastWroteLongAgo(waId: string, where: 'both' | 'whatsapp' = 'both'): Promise<void> {
    const at = Date.now() - DAY_MS - 60 * 60 * 1000;
    meta.setLastInbound(waId, at);
    if (where === 'both')
      await db()
        .getRepository(ConversationWindow)
        .update({ channel: 'whatsapp', chatHash: hashId(`${waId}@c.us`) }, { lastInboundAt: new Date(at) });
  }

  /** Starts the service and points Meta's webhook at it. */
  async function start(): Promise<void> {
    app = await startApp(testConfig(env));
    const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
    meta.webhookUrl = `http://127.0.0.1:${port}/whatsapp/webhook`;
  }

  beforeAll(async () => {
    if (databaseUrl) {
      const admin = new Client({ connectionString: databaseUrl });
      await admin.connect();
      await admin.query('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;');
      await admin.end();
    }
    await api.start();
    await meta.start();
    env = {
      DATA_DIR: tempDataDir(),
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      WHATSAPP_MODE: 'cloud',
      WHATSAPP_CLOUD_PHONE_NUMBER_ID: meta.phoneNumberId,
      WHATSAPP_CLOUD_ACCESS_TOKEN: meta.accessToken,
      WHATSAPP_CLOUD_APP_SECRET: meta.appSecret,
      WHATSAPP_CLOUD_VERIFY_TOKEN: meta.verifyToken,
      WHATSAPP_CLOUD_API_BASE: meta.apiRoot,
      WHATSAPP_CHAT_INTERVAL_MS: '0',
      MAX_UPLOAD_BYTES: String(3 * 1024 * 1024),
      ADMIN_API_TOKEN: ADMIN_TOKEN,
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
      TELEGRAM_DOCTORS_CHAT_ID: String(GROUP),
    };
    await start();
    await cli('doctor', 'add', '--telegram-id', String(DOCTOR.id), '--name', 'Grace Mwangi');
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await meta.stop();
    await api.stop();
  });

  it("should answer Meta's webhook verification with the challenge only for our verify token", async () => {
    expect(await meta.verify('subscribe', meta.verifyToken, 'challenge-1234')).toEqual({ status: 200, text: 'challenge-1234' });
    expect((await meta.verify('subscribe', 'not-our-token-000000', 'challenge-5678')).status).toBe(403);
    expect((await meta.verify('unsubscribe', meta.verifyToken, 'challenge-9')).status).toBe(403);
    expect((await request(app.getHttpServer()).get('/health').expect(200)).body.channels.whatsapp).toBe(true);
  });

  it('should refuse webhook posts that are unsigned or wrongly signed, and handle nothing of them', async () => {
    const waId = '254700001001';
    const forged = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: meta.wabaId,
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: meta.displayPhoneNumber, phone_number_id: meta.phoneNumberId },
                contacts: [{ wa_id: waId, profile: { name: 'Forger' } }],
                messages: [
                  {
                    from: waId,
                    id: 'wamid.forged1',
                    timestamp: String(Math.floor(Date.now() / 1000)),
                    type: 'text',
                    text: { body: 'help' },
                  },
                ],
              },
            },
          ],
        },
      ],
    };
    expect((await meta.post(forged, { signature: null })).status).toBe(401);
    expect((await meta.post(forged, { signature: `sha256=${'0'.repeat(64)}` })).status).toBe(401);
    // Signed with another app's secret, or a body changed after signing.
    const raw = JSON.stringify(forged);
    expect((await meta.post(forged, { rawBody: raw.replace('help', 'HELP'), signature: meta.sign(raw) })).status).toBe(401);
    await new Promise((r) => setTimeout(r, 500));
    expect(meta.sentTo(waId)).toHaveLength(0);
    expect(
      await db()
        .getRepository(Patient)
        .countBy({ channelUserId: `${waId}@c.us` }),
    ).toBe(0);
    // The same message, rightly signed, is handled.
    expect((await meta.post(forged)).status).toBe(200);
    await meta.waitForText(waId, /How it works/);
  });

  it('should run the whole patient journey with reply buttons and lists, and bring the doctor answer back inside the window', async () => {
    const waId = '254700001002';
    await meta.sendText(waId, 'Hello');
    // Seven languages: a list; two consent choices: reply buttons.
    const languages = await choose(waId, /choose your language/, /English/);
    expect(languages.body.interactive?.type).toBe('list');
    const consent = await choose(waId, /Do you agree\?/, /I agree/);
    expect(consent.body.interactive?.type).toBe('button');
    expect(FakeGraphApi.choices(consent).map((c) => c.title)).toEqual(['I agree', 'No, thanks']);
    await meta.waitForText(waId, /Send a clear, close photo/);
    const { code, post } = await openCase(waId, 1);
    const texts = meta.textsTo(waId).join('\n');
    expect(texts).toMatch(/Most likely: .+ \(\d+%\)/);
    expect(texts).toMatch(/not a diagnosis/i);
    expect(texts).not.toMatch(/Usual treatment/); // the compact card
    expect(String(post.params.caption)).toMatch(/via whatsapp/);

    api.pressButton(GROUP, `claim:${code}`, post.messageId!, DOCTOR);
    await api.waitForCall(
      (c) => c.method === 'editMessageCaption' && /Claimed by Dr Grace Mwangi/.test(String(c.params.caption)),
    );
    api.sendText(GROUP, 'This looks like a common mole. Watch it for changes.', DOCTOR, post.messageId);
    const answer = await meta.waitForText(waId, /Dr Grace Mwangi about your case C-/);
    expect(FakeGraphApi.text(answer)).toContain('Watch it for changes.');
    expect(answer.type).toBe('text');

    // Meta's statuses reach the outbox's delivery record; the text is dropped once delivered.
    const row = await eventually(
      async () => {
        const r = await outbox().findOneBy({ channelMessageId: answer.wamid });
        return r?.deliveryStatus === 'delivered' ? r : undefined;
      },
      10_000,
      'the answer marked delivered',
    );
    expect(row).toMatchObject({ status: 'sent', payload: { text: '' } });
    await meta.sendStatus(answer.wamid, 'read');
    await eventually(
      async () => ((await outbox().findOneBy({ id: row.id }))?.deliveryStatus === 'read' ? true : undefined),
      10_000,
      'the answer marked read',
    );
    // A late 'delivered' does not move the record back.
    await meta.sendStatus(answer.wamid, 'delivered');
    await new Promise((r) => setTimeout(r, 300));
    expect((await outbox().findOneByOrFail({ id: row.id })).deliveryStatus).toBe('read');
  });

  it('should send a late doctor answer as a template, and the answer itself once the patient replies', async () => {
    const waId = '254700001003';
    await consentedPatient(waId);
    const { code, post } = await openCase(waId, 2);
    await lastWroteLongAgo(waId);
    const before = meta.sentTo(waId).length;
    api.sendText(GROUP, `/prescribe ${code} Emollient twice daily for two weeks.`, DOCTOR);
    const template = await meta.waitForText(waId, /^template:dermlink_doctor_reply:en:/);
    expect(FakeGraphApi.text(template)).toBe(`template:dermlink_doctor_reply:en:Grace Mwangi|${code}`);
    // Nothing but the template went out; the answer waits for the patient.
    await new Promise((r) => setTimeout(r, 1000));
    expect(
      meta
        .sentTo(waId)
        .slice(before)
        .map((m) => m.type),
    ).toEqual(['template']);
    const waiting = await outbox().findOneByOrFail({ chatId: `${waId}@c.us`, status: 'pending' });
    expect(waiting.waitingForReply).toBe(true);
    const status = await request(app.getHttpServer())
      .get('/api/v1/whatsapp/status')
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .expect(200);
    expect(status.body).toEqual({ mode: 'cloud', connected: true, queued: 1, waitingForReply: 1 });
    expect(JSON.stringify(template.body)).not.toContain('Emollient'); // no health data in a template
    // The patient taps the template's button: the window opens and the answer follows.
    await meta.pressTemplateButton(waId, 'dermlink:open', 'Read the answer');
    const answer = await meta.waitForText(waId, /Emollient twice daily/);
    expect(answer.type).toBe('text');
    expect(meta.textsTo(waId).filter((t) => /Emollient/.test(t))).toHaveLength(1);
    expect(post.messageId).toBeDefined();
  });

  it('should make a message WhatsApp reports outside the window wait for the reply, then send it once', async () => {
    const waId = '254700001004';
    await consentedPatient(waId);
    const { code } = await openCase(waId, 3);
    // Our record says the window is open, WhatsApp knows better: the send is accepted, then reported failed (131047).
    await lastWroteLongAgo(waId, 'whatsapp');
    api.sendText(GROUP, `/prescribe ${code} Keep it covered from the sun.`, DOCTOR);
    const failed = await meta.waitForMessage((m) => m.to === waId && m.failed === 131047, 15_000, 'a send outside the window');
    const template = await meta.waitForText(waId, /^template:dermlink_doctor_reply:en:/);
    expect(template.at).toBeGreaterThan(failed.at);
    const row = await eventually(
      async () => (await outbox().findOneBy({ chatId: `${waId}@c.us`, waitingForReply: true })) ?? undefined,
      10_000,
      'the answer waiting for the reply',
    );
    expect(row.payload.text).toContain('Keep it covered'); // kept: it was never delivered
    await meta.sendText(waId, 'ok');
    const delivered = await meta.waitForMessage(
      (m) => m.to === waId && !m.failed && /Keep it covered/.test(FakeGraphApi.text(m)),
      15_000,
      'the answer after the reply',
    );
    expect(delivered.type).toBe('text');
  });

  it('should handle a webhook Meta delivers again only once', async () => {
    const waId = '254700001005';
    const first = await meta.sendText(waId, 'help');
    await meta.waitForText(waId, /How it works/);
    expect((await meta.redeliver(first.payload)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1000));
    expect(meta.textsTo(waId).filter((t) => /How it works/.test(t))).toHaveLength(1);
    // Handled once, not only answered once: the patient's message is in the audit trail once.
    const patient = await db()
      .getRepository(Patient)
      .findOneByOrFail({ channelUserId: `${waId}@c.us` });
    expect(await db().getRepository(AuditEntry).countBy({ patientId: patient.id, direction: 'in' })).toBe(1);
  });

  it('should fetch a photo again when its media URL has expired, and ask again when the media is gone', async () => {
    const waId = '254700001006';
    await consentedPatient(waId);
    const calls = meta.downloadCalls;
    meta.expireNextDownloads(1);
    await meta.sendImage(waId, await lesionPhoto(4));
    await meta.waitForText(waId, /Most likely: /, 60_000);
    expect(meta.downloadCalls).toBe(calls + 2); // the expired URL, then a fresh one
    meta.failures.set('media_info', [
      { status: 404, code: 100, message: "Unsupported get request. Object with ID '1' does not exist" },
    ]);
    await meta.sendImage(waId, await lesionPhoto(5));
    await meta.waitForText(waId, /could not download your photo\. Please send it again/, 30_000);
  });

  it('should refuse a photo over the size cap without reading it whole, and send photos by upload', async () => {
    const waId = '254700001009';
    await consentedPatient(waId);
    await meta.sendImage(waId, Buffer.alloc(4 * 1024 * 1024, 0xff));
    await meta.waitForText(waId, /too large for us to receive/);
    const adapter = app.get(WhatsAppCloudAdapter);
    const photo = await lesionPhoto(7);
    const wamid = await adapter.send(`${waId}@c.us`, { text: 'Your photo, as the doctor sees it', photo: { data: photo } });
    const sent = meta.sent.find((m) => m.wamid === wamid)!;
    expect(sent).toMatchObject({ type: 'image', body: { image: { caption: 'Your photo, as the doctor sees it' } } });
    expect(meta.uploads.get(sent.body.image!.id)!.data.equals(photo)).toBe(true);
  });

  it('should send again later when WhatsApp answers with throughput or pair-rate errors, once', async () => {
    const waId = '254700001007';
    meta.failures.set('messages', [
      { status: 400, code: 130429, message: '(#130429) Rate limit hit' },
      { status: 400, code: 131056, message: '(#131056) (Business Account, Consumer Account) pair rate limit hit' },
    ]);
    await meta.sendText(waId, 'help');
    const reply = await meta.waitForText(waId, /How it works/, 45_000);
    expect(meta.textsTo(waId).filter((t) => /How it works/.test(t))).toHaveLength(1);
    const row = await eventually(
      async () => (await outbox().findOneBy({ channelMessageId: reply.wamid })) ?? undefined,
      10_000,
      'the row of the reply',
    );
    expect(row.attempts).toBe(3);
  }, 60_000);

  it('should answer stickers and voice notes with a clear message', async () => {
    const waId = '254700001008';
    await meta.sendOther(waId, 'sticker');
    await meta.waitForText(waId, /we can only read photos/);
    await meta.sendOther(waId, 'audio');
    await eventually(
      () => Promise.resolve(meta.textsTo(waId).filter((t) => /we can only read photos/.test(t)).length === 2 || undefined),
      10_000,
      'two answers',
    );
  });

  it('should let an outreach worker submit a case for a patient, tagged with the patient', async () => {
    const waId = '254711112222';
    expect(await cli('outreach', 'add', '--phone', '+254 711 112222', '--name', 'Neema Otieno', '--org', 'Afya')).toMatch(
      /Registered outreach worker Neema Otieno/,
    );
    await meta.sendText(waId, 'NEW');
    await meta.waitForText(waId, /What are their initials/);
    await meta.sendText(waId, 'AK');
    await meta.waitForText(waId, /Their age/);
    await meta.sendText(waId, '34');
    await choose(waId, /Their sex/, /Female/);
    await meta.waitForText(waId, /village/);
    await meta.sendText(waId, 'Kibera');
    await choose(waId, /Please read this to the patient/, /I agree/);
    await meta.waitForText(waId, /Patient AK registered/);
    await meta.sendImage(waId, await lesionPhoto(6));
    const opened = await meta.waitForText(waId, /^\[AK, Kibera\][\s\S]*case code is C-/, 60_000);
    const code = /C-[A-Z0-9]+/.exec(FakeGraphApi.text(opened))![0];
    await choose(waId, /Where on the body/, /Arms or hands/);
    for (const prompt of [/blurred/, /How long/, /changed in size/, /Does it bleed/, /Does it itch/])
      await choose(waId, prompt, /Skip/);
    await meta.waitForText(waId, new RegExp(`added to case ${code}`));
    const stored = await db().getRepository(Consultation).findOneByOrFail({ code });
    expect(stored.intake).toMatchObject({ age: '34', sex: 'female', village: 'Kibera', bodySite: 'arms' });
    api.sendText(GROUP, `/prescribe ${code} Clean daily and review in two weeks.`, DOCTOR);
    const answer = await meta.waitForText(waId, /review in two weeks/);
    expect(FakeGraphApi.text(answer)).toMatch(new RegExp(`^\\[AK, Kibera\\]\\nDr Grace Mwangi about your case ${code}`));
  });

  it('should read a reply by number against the menu sent by another process (the menu is in the database)', async () => {
    const waId = '254700001009';
    await consentedPatient(waId);
    // Too long for an interactive message: its choices go as a numbered text menu.
    await app.get(PatientMessenger).sendToChat('whatsapp', `${waId}@c.us`, 'en', {
      text: `${'A long notice about your care. '.repeat(40)}Which language?`,
      buttons: [
        [
          { label: 'English', data: LANGUAGE.encode('en') },
          { label: 'Français', data: LANGUAGE.encode('fr') },
        ],
      ],
    });
    const menu = await meta.waitForText(waId, /Which language\?\n\n.+\n1\. English\n2\. Français$/);
    expect(menu.type).toBe('text');
    // The reply reaches a process that did not send the menu (with several instances, any of them may get it).
    await app.close();
    await start();
    await meta.sendText(waId, '2');
    await meta.waitForText(waId, /Langue choisie : français/);
    const patient = await db()
      .getRepository(Patient)
      .findOneByOrFail({ channelUserId: `${waId}@c.us` });
    expect(patient.language).toBe('fr');
  });
});
