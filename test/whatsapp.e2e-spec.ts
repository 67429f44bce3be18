import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Consultation } from '@/consultations/consultation.entity';
import { OutboxMessage } from '@/outbox/outbox-message.entity';
import { eventually, startApp, tempDataDir, testConfig, runCli } from './support/app';
import { FakeBotApi } from './fake-telegram/fake-bot-api';
import { FakeWhatsAppClient } from './fake-whatsapp/fake-client';
import { lesionPhoto } from './support/images';

const GROUP = -100888;
const DOCTOR = { id: 601, first_name: 'Grace', last_name: 'Mwangi' };
const ADMIN_TOKEN = 'admin-token-whatsapp-0123456789';

describe('WhatsApp channel (real adapter, fake whatsapp-web.js Client)', () => {
  const api = new FakeBotApi();
  const wa = new FakeWhatsAppClient();
  let app: INestApplication;
  let env: Record<string, string>;

  const cli = (script: string, ...args: string[]) => runCli(env, script, ...args);

  /** Waits for a numbered menu with an option matching `label`, then answers with its number. */
  async function choose(chat: string, prompt: RegExp, label: RegExp): Promise<void> {
    const menu = await wa.waitForText(chat, prompt);
    wa.sendText(chat, FakeWhatsAppClient.option(menu, label));
  }

  beforeAll(async () => {
    await api.start();
    env = {
      DATA_DIR: tempDataDir(),
      WHATSAPP_ENABLED: 'true',
      WHATSAPP_CHAT_INTERVAL_MS: '20',
      WHATSAPP_GLOBAL_INTERVAL_MS: '5',
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
      TELEGRAM_DOCTORS_CHAT_ID: String(GROUP),
      ADMIN_API_TOKEN: ADMIN_TOKEN,
    };
    wa.needsQr = true;
    app = await startApp(testConfig(env), { whatsappClientFactory: () => wa });
    await cli('doctor', 'add', '--telegram-id', String(DOCTOR.id), '--name', 'Grace Mwangi');
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await api.stop();
  });

  it('should show the login QR code as a PNG to admins until the phone is linked', async () => {
    const http = request(app.getHttpServer());
    await http.get('/api/v1/whatsapp/qr.png').expect(401);
    for (
      let i = 0;
      i < 50 && !(await http.get('/api/v1/whatsapp/status').set('Authorization', `Bearer ${ADMIN_TOKEN}`)).body.needsQrScan;
      i++
    ) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const png = await http.get('/api/v1/whatsapp/qr.png').set('Authorization', `Bearer ${ADMIN_TOKEN}`).expect(200).buffer(true);
    expect(png.headers['content-type']).toBe('image/png');
    expect((png.body as Buffer).subarray(1, 4).toString()).toBe('PNG');
    expect((await http.get('/health')).body.channels.whatsapp).toBe(false);
    wa.scanQr();
    for (let i = 0; i < 50 && !(await http.get('/health')).body.channels.whatsapp; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect((await http.get('/health').expect(200)).body.channels).toEqual({ web: true, telegram: true, whatsapp: true });
  });

  it('should run the whole patient journey with numbered menus, and bring the doctor answer back over WhatsApp', async () => {
    const chat = '254700000001@c.us';
    wa.sendText(chat, 'Hello');
    await choose(chat, /choose your language/, /English/);
    const consent = await wa.waitForText(chat, /Do you agree\?/);
    expect(consent).toMatch(/Reply with the number of your choice:\n1\. I agree\n2\. No, thanks/);
    wa.sendText(chat, '1');
    await wa.waitForText(chat, /Send a clear, close photo/);
    wa.sendImage(chat, await lesionPhoto(1));
    const result = await wa.waitForText(chat, /Most likely: .+ \(\d+%\)/, 60_000);
    expect(result).toMatch(/not a diagnosis/i);
    // The WhatsApp card is the short one: no treatment paragraph.
    const card = await wa.waitForText(chat, /^About: |\nAbout: /);
    expect(card).not.toMatch(/Usual treatment/);
    const opened = await wa.waitForText(chat, /case code is C-[A-Z0-9]+/);
    const code = /C-[A-Z0-9]+/.exec(opened)![0];
    await choose(chat, /Where on the body/, /Legs or feet/);
    for (const prompt of [/blurred/, /How long/, /changed in size/, /Does it bleed/, /Does it itch/, /How old/, /Your sex/])
      await choose(chat, prompt, /Skip/);
    await wa.waitForText(chat, new RegExp(`added to case ${code}`));

    const post = await api.waitForCall((c) => c.method === 'sendPhoto' && String(c.params.caption).startsWith(`Case ${code}`));
    expect(String(post.params.caption)).toMatch(/via whatsapp/);
    api.pressButton(GROUP, `claim:${code}`, post.messageId!, DOCTOR);
    await api.waitForCall(
      (c) => c.method === 'editMessageCaption' && /Claimed by Dr Grace Mwangi/.test(String(c.params.caption)),
    );
    api.sendText(GROUP, 'This looks like a common mole. Watch it for changes.', DOCTOR, post.messageId);
    const answer = await wa.waitForText(chat, /Dr Grace Mwangi about your case C-/);
    expect(answer).toContain(code);
    expect(answer).toContain('Watch it for changes.');
  });

  it('should answer voice notes and other media with a clear message', async () => {
    const chat = '254700000002@c.us';
    wa.sendOther(chat, 'ptt');
    await wa.waitForText(chat, /we can only read photos/);
  });

  it('should retry a media download that is not ready, and ask for the photo again when it never comes', async () => {
    const chat = '254700000003@c.us';
    wa.sendText(chat, 'start');
    await choose(chat, /choose your language/, /English/);
    await choose(chat, /Do you agree/, /I agree/);
    wa.sendImage(chat, await lesionPhoto(2), 2); // null twice, then the data
    await wa.waitForText(chat, /Most likely: /, 60_000);
    wa.sendImage(chat, await lesionPhoto(3), 99); // never downloadable
    await wa.waitForText(chat, /could not download your photo\. Please send it again/, 30_000);
  });

  it('should let an outreach worker submit cases for two patients, each answered with its case code', async () => {
    const worker = '254711111111@c.us';
    expect(
      await cli('outreach', 'add', '--phone', '+254 711 111111', '--name', 'Neema Otieno', '--org', 'Afya Outreach'),
    ).toMatch(/Registered outreach worker Neema Otieno/);
    const codes: string[] = [];
    for (const [initials, age, village, image] of [
      ['AK', '34', 'Kibera', 4],
      ['MW', '61', 'Ngong', 5],
    ] as const) {
      const before = wa.textsTo(worker).length;
      wa.sendText(worker, 'NEW');
      await wa.waitForText(worker, /What are their initials/);
      wa.sendText(worker, initials);
      await wa.waitForText(worker, /Their age/);
      wa.sendText(worker, age);
      await choose(worker, /Their sex/, /Female/);
      await wa.waitForText(worker, /village/);
      wa.sendText(worker, village);
      await choose(worker, /Please read this to the patient/, /I agree/);
      await wa.waitForText(worker, new RegExp(`Patient ${initials} registered`));
      wa.sendImage(worker, await lesionPhoto(image));
      const opened = await wa.waitForText(worker, new RegExp(`^\\[${initials}, ${village}\\][\\s\\S]*case code is C-`), 60_000);
      codes.push(/C-[A-Z0-9]+/.exec(opened)![0]);
      // Age and sex came with the registration: the intake does not ask for them again.
      await choose(worker, /Where on the body/, /Arms or hands/);
      for (const prompt of [/blurred/, /How long/, /changed in size/, /Does it bleed/, /Does it itch/])
        await choose(worker, prompt, /Skip/);
      await wa.waitForText(worker, new RegExp(`added to case ${codes.at(-1)}`));
      expect(wa.textsTo(worker).slice(before).join('\n')).not.toMatch(/How old are you/);
    }
    expect(new Set(codes).size).toBe(2);
    const db = app.get(DataSource);
    const first = await db.getRepository(Consultation).findOneByOrFail({ code: codes[0] });
    expect(first.intake).toMatchObject({ age: '34', sex: 'female', village: 'Kibera', bodySite: 'arms' });

    const post = await api.waitForCall(
      (c) => c.method === 'sendPhoto' && String(c.params.caption).startsWith(`Case ${codes[0]}`),
    );
    api.sendText(GROUP, `/prescribe ${codes[0]} Clean daily and review in two weeks.`, DOCTOR);
    const answer = await wa.waitForText(worker, /review in two weeks/);
    expect(answer).toMatch(new RegExp(`^\\[AK, Kibera\\]\\nDr Grace Mwangi about your case ${codes[0]}`));
    expect(post.messageId).toBeDefined();
    wa.sendText(worker, 'STATUS');
    const status = await wa.waitForText(worker, /\[MW\] C-/);
    expect(status).toMatch(new RegExp(`\\[AK\\] ${codes[0]}: answered by a doctor`));
  });

  it('should keep a reply in the outbox until WhatsApp has really sent it', async () => {
    const chat = '254700000005@c.us';
    const http = request(app.getHttpServer());
    const status = async () =>
      (await http.get('/api/v1/whatsapp/status').set('Authorization', `Bearer ${ADMIN_TOKEN}`).expect(200)).body as {
        queued: number;
      };
    wa.failSends = 2;
    wa.sendText(chat, 'help');
    const rows = app.get(DataSource).getRepository(OutboxMessage);
    const failed = await eventually(
      async () => (await rows.findOneBy({ chatId: chat, attempts: 1 })) ?? undefined,
      10_000,
      'a failed send',
    );
    expect(failed.status).toBe('pending'); // not marked sent: it never left the phone
    expect((await status()).queued).toBeGreaterThanOrEqual(1);
    await wa.waitForText(chat, /How it works/, 20_000);
    await eventually(async () => ((await status()).queued === 0 ? true : undefined), 10_000, 'an empty WhatsApp outbox');
  });

  it('should queue replies while disconnected, alert the doctors, and send them after reconnecting', async () => {
    const chat = '254700000004@c.us';
    wa.disconnect('CONFLICT');
    await api.waitForText(GROUP, /WhatsApp disconnected \(CONFLICT\)/);
    const initsBefore = wa.initializeCalls;
    wa.sendText(chat, 'help');
    await new Promise((r) => setTimeout(r, 300));
    expect(wa.textsTo(chat)).toHaveLength(0);
    // The adapter reconnects by itself (after ~2 s); the queued reply then goes out.
    await wa.waitForText(chat, /How it works/, 15_000);
    expect(wa.initializeCalls).toBe(initsBefore + 1);
  });

  it('should answer a photo a patient sent while the service was down, once it is back', async () => {
    // The patient of the journey above; whatsapp-web.js never emits what came while it was not running.
    const chat = '254700000001@c.us';
    const cases = () => app.get(DataSource).getRepository(Consultation).countBy({ channel: 'whatsapp' });
    const casesBefore = await cases();
    await app.close();
    wa.restart();
    wa.sendImage(chat, await lesionPhoto(2));
    app = await startApp(testConfig(env), { whatsappClientFactory: () => wa });
    // Read after the doctor's answer of the journey above (waitForText reads a chat in order).
    await wa.waitForText(chat, /Most likely: .+ \(\d+%\)/, 60_000);
    await wa.waitForText(chat, /case code is C-[A-Z0-9]+/);
    await eventually(() => Promise.resolve(wa.unreadIn(chat) === 0 ? true : undefined), 10_000, 'the chat marked read');
    // One photo, one case: the catch-up read it once.
    expect(await cases()).toBe(casesBefore + 1);
  });
});
