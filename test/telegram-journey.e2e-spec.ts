import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Consultation } from '@/consultations/consultation.entity';
import { InferenceService } from '@/inference/inference.service';
import { OutboxMessage } from '@/outbox/outbox-message.entity';
import { Patient } from '@/patients/patient.entity';
import { FakeBotApi } from './fake-telegram/fake-bot-api';
import { eventually, startApp, tempDataDir, testConfig } from './support/app';
import { consentedPatient, press as pressButton } from './support/journey';
import { documentPhoto, lesionPhoto, tinyPhoto } from './support/images';

describe('Patient journey on Telegram (real telegraf, fake Bot API)', () => {
  const api = new FakeBotApi();
  const dataDir = tempDataDir();
  let app: INestApplication;

  const config = () => testConfig({ DATA_DIR: dataDir, TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot });

  const press = (chat: number, data: RegExp) => pressButton(api, chat, data);

  beforeAll(async () => {
    await api.start();
    app = await startApp(config());
  });

  afterAll(async () => {
    await app?.close();
    await api.stop();
  });

  it('should take a patient from /start through consent, photo, result, card, case code and intake', async () => {
    const chat = 1001;
    api.sendText(chat, '/start');
    await api.waitForText(chat, /Welcome to DermLink/);
    await press(chat, /^lang:en$/);
    const consent = await api.waitForText(chat, /NOT a diagnosis/);
    expect(FakeBotApi.buttons(consent).map(([, d]) => d)).toEqual(['consent:yes', 'consent:no']);
    api.pressButton(chat, 'consent:yes', consent.messageId!);
    await api.waitForText(chat, /Send a clear, close photo/);

    api.sendPhoto(chat, await lesionPhoto(1));
    await api.waitForText(chat, /Photo received/);
    const result = await api.waitForText(chat, /Most likely: .+ \(\d{1,3}%\)/, 60_000);
    const text = String(result.params.text);
    expect(text).toMatch(/Other possibilities: .+ \(\d{1,3}%\), .+ \(\d{1,3}%\)/);
    expect(text).toMatch(/Priority: (URGENT|SOON|ROUTINE)/);
    expect(text).toMatch(/not a diagnosis/i);
    await api.waitForText(chat, /^About: /);
    const opened = await api.waitForText(chat, /case code is C-[A-Z0-9]{4,8}/);
    const code = /C-[A-Z0-9]{4,8}/.exec(String(opened.params.text))![0];

    // Intake: answer the body site, skip the duration, answer "changing", then type the age.
    await press(chat, /^intake:bodySite:legs$/);
    await press(chat, /^intake:discreet:no$/);
    await press(chat, /^intake:duration:-$/);
    await press(chat, /^intake:changing:yes$/);
    await press(chat, /^intake:bleeding:-$/);
    await press(chat, /^intake:itching:no$/);
    await api.waitForText(chat, /How old are you/);
    api.sendText(chat, '47');
    await press(chat, /^intake:sex:female$/);
    await api.waitForText(chat, new RegExp(`answers have been added to case ${code}`));

    const db = app.get(DataSource);
    const stored = await db.getRepository(Consultation).findOneByOrFail({ code });
    expect(stored.status).toBe('awaiting_doctor');
    expect(stored.aiResult?.verdict).toBe('ok');
    expect(stored.aiResult?.top).toHaveLength(7);
    expect(stored.intake).toEqual({ bodySite: 'legs', discreet: 'no', changing: 'yes', itching: 'no', age: '47', sex: 'female' });
    expect(stored.photoFile).toMatch(/^[a-f0-9]{32}\.bin$/);
    const patient = await db.getRepository(Patient).findOneByOrFail({ channel: 'telegram', channelUserId: String(chat) });
    expect(patient.consentAt).toBeInstanceOf(Date);
  });

  it('should keep a photo sent before consent and analyse it right after the patient agrees', async () => {
    const chat = 1002;
    api.sendPhoto(chat, await lesionPhoto(2), { asDocument: true });
    const consent = await api.waitForText(chat, /Do you agree\?/);
    expect(api.textsTo(chat).join('\n')).not.toMatch(/Most likely/);
    api.pressButton(chat, 'consent:yes', consent.messageId!);
    await api.waitForText(chat, /looking at the photo you sent earlier/);
    await api.waitForText(chat, /Most likely: /, 60_000);
  });

  it('should ask for a new photo when the photo is too small or not of skin', async () => {
    const chat = 1001; // already consented
    api.sendPhoto(chat, await tinyPhoto());
    await api.waitForText(chat, /could not use this photo: the picture is too small/, 60_000);
    api.sendPhoto(chat, await documentPhoto());
    await api.waitForText(chat, /does not look like a photo of a skin spot|could not use this photo/, 60_000);
  });

  it('should answer videos, stickers and plain text with guidance instead of failing', async () => {
    const chat = 1003;
    api.message(chat, {
      sticker: { file_id: 'st', file_unique_id: 'st', width: 1, height: 1, is_animated: false, is_video: false, type: 'regular' },
    });
    await api.waitForText(chat, /we can only read photos/);
    api.sendText(chat, 'hello 👋 مرحبا');
    await api.waitForText(chat, /send a photo of the skin spot/);
  });

  it('should not open a second case when Telegram redelivers the same photo update', async () => {
    const chat = 1004;
    api.sendText(chat, '/start');
    const consent = await api.waitForText(chat, /Please choose your language/);
    api.pressButton(chat, 'lang:en', consent.messageId!);
    await press(chat, /^consent:yes$/);
    await api.waitForText(chat, /Send a clear, close photo/);
    const { update } = api.sendPhoto(chat, await lesionPhoto(3));
    await api.waitForText(chat, /case code is/, 60_000);
    api.redeliver(update);
    api.sendText(chat, '/status');
    await api.waitForText(chat, /C-[A-Z0-9]+: waiting for a doctor/);
    const db = app.get(DataSource);
    const patient = await db.getRepository(Patient).findOneByOrFail({ channelUserId: String(chat) });
    expect(await db.getRepository(Consultation).countBy({ patientId: patient.id })).toBe(1);
  });

  it('should handle a message that Telegram delivers twice only once', async () => {
    const chat = 1010;
    await consentedPatient(api, chat);
    const { update } = api.message(chat, { text: '/help', entities: [{ type: 'bot_command', offset: 0, length: 5 }] });
    await api.waitForText(chat, /How it works/);
    api.redeliver(update);
    api.sendText(chat, '/status');
    await api.waitForText(chat, /You have no cases yet/);
    expect(api.textsTo(chat).filter((t) => /How it works/.test(t))).toHaveLength(1);
  });

  it('should still deliver the result when Telegram fails to take it the first time (the model is not rerun)', async () => {
    const chat = 1005;
    api.sendText(chat, '/start');
    await press(chat, /^lang:en$/);
    await press(chat, /^consent:yes$/);
    await api.waitForText(chat, /Send a clear, close photo/);
    const model = jest.spyOn(app.get(InferenceService), 'diagnose');
    api.sendPhoto(chat, await lesionPhoto(8));
    await api.waitForText(chat, /Photo received/);
    api.failures.set('sendMessage', [{ code: 502, description: 'Bad Gateway' }]); // the next send: the result
    await api.waitForText(chat, /Most likely: /, 60_000);
    await api.waitForText(chat, /case code is C-/);
    expect(api.textsTo(chat).filter((t) => /Most likely: /.test(t))).toHaveLength(1);
    expect(model).toHaveBeenCalledTimes(1);
    model.mockRestore();
    const db = app.get(DataSource);
    const patient = await db.getRepository(Patient).findOneByOrFail({ channelUserId: String(chat) });
    const sent = await eventually(
      async () => (await db.getRepository(Consultation).findOneByOrFail({ patientId: patient.id })).resultSentAt,
      10_000,
      'resultSentAt',
    );
    expect(sent).toBeInstanceOf(Date);
  });

  it('should send a result that was stored but not delivered before a restart', async () => {
    const db = app.get(DataSource);
    const chat = 1005;
    const patient = await db.getRepository(Patient).findOneByOrFail({ channelUserId: String(chat) });
    const stored = await db.getRepository(Consultation).findOneByOrFail({ patientId: patient.id });
    // As if killed right after the model ran: the result is stored, nothing of it is in the outbox yet.
    await db.getRepository(Consultation).update(stored.id, { resultSentAt: null });
    await db.getRepository(OutboxMessage).delete({ chatId: String(chat) });
    const before = api.textsTo(chat).filter((t) => t.includes(stored.code)).length;
    await app.close();
    app = await startApp(config());
    await api.waitForCall(
      () => api.textsTo(chat).filter((t) => t.includes(stored.code)).length > before,
      60_000,
      'the result sent again after the restart',
    );
    const sent = await eventually(
      async () => (await app.get(DataSource).getRepository(Consultation).findOneByOrFail({ id: stored.id })).resultSentAt,
      10_000,
      'resultSentAt',
    );
    expect(sent).toBeInstanceOf(Date);
  });

  it('should keep patients and cases across a restart', async () => {
    await app.close();
    app = await startApp(config());
    const chat = 1001;
    const before = api.sent(chat).length;
    api.sendText(chat, '/status');
    const status = await api.waitForCall(
      (c) =>
        String(c.params.chat_id) === String(chat) &&
        /C-[A-Z0-9]+: /.test(String(c.params.text)) &&
        api.calls.indexOf(c) >= 0 &&
        api.sent(chat).indexOf(c) >= before,
    );
    expect(String(status.params.text)).toMatch(/waiting for a doctor/);
  });

  it('should send nothing more when the patient erases their data while their photo is analysed', async () => {
    const chat = 1009;
    await consentedPatient(api, chat);
    // One batch of updates: the photo, then /delete and its confirmation, handled in order while the
    // model is still running on the photo.
    api.sendPhoto(chat, await lesionPhoto(5));
    api.sendText(chat, '/delete');
    api.pressButton(chat, 'delete:yes', 1);
    await api.waitForText(chat, /Your data has been erased/);
    const erasedAt = api.sent(chat).length;
    await new Promise((r) => setTimeout(r, 4000)); // longer than the analysis takes here
    // The result may come before the erasure (when the analysis wins the race), never after it.
    expect(
      api
        .sent(chat)
        .slice(erasedAt)
        .map((c) => String(c.params.text)),
    ).toEqual([]);
  });

  it('should keep the erasure question when the result arrives before the answer', async () => {
    const chat = 1011;
    await consentedPatient(api, chat);
    api.sendPhoto(chat, await lesionPhoto(2));
    api.sendText(chat, '/delete'); // asked while the photo is analysed
    await api.waitForText(chat, /This erases your photos/);
    await api.waitForText(chat, /case code is C-/, 60_000);
    // No intake question replaces the pending one, so the answer to it still counts.
    expect(api.textsTo(chat).some((t) => /Where on the body/.test(t))).toBe(false);
    api.pressButton(chat, 'delete:yes', 1);
    await api.waitForText(chat, /Your data has been erased/);
  });

  it('should erase the patient after /delete is confirmed', async () => {
    const chat = 1002;
    api.sendText(chat, '/delete');
    await press(chat, /^delete:yes$/);
    await api.waitForText(chat, /Your data has been erased/);
    const db = app.get(DataSource);
    expect(await db.getRepository(Patient).countBy({ channelUserId: String(chat) })).toBe(0);
    // What was sent to the chat is forgotten too; only the goodbye may still be in the outbox, and
    // once sent it keeps no text either.
    const left = await eventually(async () => {
      const rows = await db.getRepository(OutboxMessage).findBy({ chatId: String(chat) });
      return rows.every((r) => r.status === 'sent') ? rows : undefined;
    });
    expect(left.length).toBeLessThanOrEqual(1);
    expect(left.map((r) => r.payload.text)).toEqual(left.map(() => ''));
  });
});
