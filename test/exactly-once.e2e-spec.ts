import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditEntry } from '@/audit/audit-entry.entity';
import { Consultation } from '@/consultations/consultation.entity';
import { DoctorInboxService } from '@/doctors/doctor-inbox.service';
import { DoctorsService } from '@/doctors/doctors.service';
import { JourneyService } from '@/journey/journey.service';
import { RateLimits } from '@/rate-limits/rate-limits.service';
import { FakeBotApi } from './fake-telegram/fake-bot-api';
import { eventually, startApp, tempDataDir, testConfig } from './support/app';
import { lesionPhoto } from './support/images';
import { consentedPatient, openCase, photoCase, press } from './support/journey';

const GROUP = -100888;
const DOCTOR = { id: 601, first_name: 'Amina', last_name: 'Okafor' };

/**
 * Each message the service derives from an event is written once, whatever the timing: the cases the
 * tracker found duplicated or refused, one test each (SQLite, the real telegraf against the fake Bot
 * API, the real model). The crash-and-restart side is the chaos suite's.
 */
describe('Messages derived from an event are sent once', () => {
  const api = new FakeBotApi();
  let app: INestApplication;

  beforeAll(async () => {
    await api.start();
    app = await startApp(
      testConfig({
        DATA_DIR: tempDataDir(),
        TELEGRAM_BOT_TOKEN: api.token,
        TELEGRAM_API_ROOT: api.apiRoot,
        TELEGRAM_DOCTORS_CHAT_ID: String(GROUP),
        CASE_POST_WAIT_MIN: '10',
      }),
    );
    await app.get(DoctorsService).add({ telegramId: String(DOCTOR.id), name: 'Amina Okafor' });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await api.stop();
  });

  const posts = (code: string) =>
    api.calls.filter(
      (c) =>
        c.method === 'sendPhoto' &&
        String(c.params.chat_id) === String(GROUP) &&
        String(c.params.caption).startsWith(`Case ${code} `),
    );
  const cases = () => app.get(DataSource).getRepository(Consultation);

  it('should send the result, card and case code once when the analysis runs again after a crash before resultSentAt', async () => {
    const chat = 3101;
    await consentedPatient(api, chat);
    const code = await openCase(api, chat, await lesionPhoto(1));
    await api.waitForText(chat, /Where on the body/);
    // The job stopped after writing the messages and before recording that it had (kill -9): it runs again.
    const c = await cases().findOneByOrFail({ code });
    await cases().update(c.id, { resultSentAt: null });
    await app.get(JourneyService).analyse(c.id);
    expect((await cases().findOneByOrFail({ code })).resultSentAt).toBeInstanceOf(Date);
    api.sendText(chat, '/status');
    await api.waitForText(chat, new RegExp(`${code}: `));
    const texts = api.textsTo(chat);
    expect(texts.filter((t) => /Most likely: /.test(t))).toHaveLength(1);
    expect(texts.filter((t) => t.startsWith('About: '))).toHaveLength(1);
    expect(texts.filter((t) => t.includes(`case code is ${code}`))).toHaveLength(1);
    expect(texts.filter((t) => /Where on the body/.test(t))).toHaveLength(1);
    // The intake goes on where it was: the first question still takes its answer.
    await press(api, chat, /^intake:bodySite:legs$/);
    await api.waitForText(chat, /blurred until they tap/);
  });

  it("should handle a doctor's reply once when Telegram delivers it again while the first delivery is still being handled", async () => {
    const chat = 3102;
    await consentedPatient(api, chat);
    const code = await photoCase(api, chat, await lesionPhoto(2));
    const [post] = await eventually(
      () => Promise.resolve(posts(code).length ? posts(code) : undefined),
      30_000,
      `the post of ${code}`,
    );
    // A slow Telegram keeps the first handling busy; the copy is in the same batch of updates, so both
    // are handled at once (as with a second poller, or a webhook retry, before the first finished).
    api.delays.set('editMessageCaption', 1500);
    try {
      const text = 'Use the cream twice a day for a week.';
      const { update } = api.message(
        GROUP,
        { text, reply_to_message: api.repliedTo(GROUP, post.messageId!) },
        { ...DOCTOR, is_bot: false },
      );
      api.redeliver(update);
      await api.waitForText(chat, /Use the cream twice a day/);
      const c = await cases().findOneByOrFail({ code });
      await eventually(
        async () =>
          (await app.get(DataSource).getRepository(AuditEntry).countBy({ consultationId: c.id, action: 'answer' })) >= 1,
        10_000,
        'the answer in the audit',
      );
      await new Promise((r) => setTimeout(r, 3000)); // room for the second handling to finish
      expect(api.textsTo(chat).filter((t) => /Use the cream twice a day/.test(t))).toHaveLength(1);
      expect(await app.get(DataSource).getRepository(AuditEntry).countBy({ consultationId: c.id, action: 'answer' })).toBe(1);
    } finally {
      api.delays.delete('editMessageCaption');
    }
  });

  it("should post a case once when its post waits for the group's pacing longer than a crashed post is given", async () => {
    const chat = 3103;
    await consentedPatient(api, chat);
    const code = await openCase(api, chat, await lesionPhoto(3));
    // The group's window is full for up to a minute (other cases were posted): the next post waits its turn.
    const rule = { key: 'telegram:doctors-group', limit: 600, windowMs: 60_000 };
    while ((await app.get(RateLimits).reserve([rule])) === 0);
    const filled = Date.now();
    // The patient skips through the intake: the case's post starts in the background and waits.
    for (const field of ['bodySite', 'discreet', 'duration', 'changing', 'bleeding', 'itching', 'age', 'sex'])
      await press(api, chat, new RegExp(`^intake:${field}:-$`));
    await api.waitForText(chat, new RegExp(`answers have been added to case ${code}`));
    await new Promise((r) => setTimeout(r, 2000)); // the background post is waiting for its turn by now
    // Minutes later by the sweep's clock, the case is still waiting for its post.
    await app.get(DoctorInboxService).sweep(new Date(Date.now() + 11 * 60_000));
    await eventually(() => Promise.resolve(posts(code).length > 0), 70_000, `the post of ${code}`);
    await new Promise((r) => setTimeout(r, Math.max(3000, filled + 63_000 - Date.now()))); // every waiting post has had its turn
    expect(posts(code)).toHaveLength(1);
    expect((await cases().findOneByOrFail({ code })).groupMessageId).toBe(String(posts(code)[0].messageId));
  }, 150_000);

  it("should relay a doctor's reply to a case post whose message id was never recorded, and learn the post from it", async () => {
    const chat = 3105;
    await consentedPatient(api, chat);
    const code = await photoCase(api, chat, await lesionPhoto(5));
    const [post] = await eventually(
      () => Promise.resolve(posts(code).length ? posts(code) : undefined),
      30_000,
      `the post of ${code}`,
    );
    // The instance died between Telegram's acceptance of the post and its record: the post is in the group, unknown to the service.
    const c = await cases().findOneByOrFail({ code });
    await cases().update(c.id, { groupMessageId: null, postedAt: new Date() });
    api.sendText(GROUP, 'Nothing to worry about; see you in a month.', DOCTOR, post.messageId);
    await api.waitForText(chat, /Nothing to worry about/);
    // The answer goes to the outbox before the case is marked answered (a crash between them resends nothing).
    const stored = await eventually(
      async () => {
        const now = await cases().findOneByOrFail({ code });
        return now.status === 'answered' ? now : undefined;
      },
      10_000,
      `case ${code} answered`,
    );
    expect(stored).toMatchObject({ status: 'answered', groupMessageId: String(post.messageId) });
    // The post shows the answer: the service edits the post it learnt.
    await api.waitForCall(
      (call) =>
        call.method === 'editMessageCaption' &&
        String(call.params.message_id) === String(post.messageId) &&
        /Answered by/.test(String(call.params.caption)),
    );
  });

  it('should pass on a follow-up written in the moment between the end of the intake and the post of the case', async () => {
    const chat = 3104;
    await consentedPatient(api, chat);
    api.delays.set('sendPhoto', 3000); // the case's post is on its way for a while
    try {
      const code = await photoCase(api, chat, await lesionPhoto(4));
      expect(posts(code)).toHaveLength(0);
      api.sendText(chat, 'It itches at night');
      await api.waitForText(chat, new RegExp(`passed to the doctor for case ${code}|could not reach the doctors`), 30_000);
      expect(api.textsTo(chat).some((t) => /could not reach the doctors/.test(t))).toBe(false);
      const followUp = await api.waitForText(GROUP, new RegExp(`Patient follow-up on ${code}`));
      expect(String(followUp.params.text)).toContain('It itches at night');
      expect((followUp.params.reply_parameters as { message_id: number }).message_id).toBe(posts(code)[0].messageId);
      expect(posts(code)).toHaveLength(1);
    } finally {
      api.delays.delete('sendPhoto');
    }
  });
});
