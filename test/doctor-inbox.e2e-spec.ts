import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource, Like } from 'typeorm';
import { AuditEntry } from '@/audit/audit-entry.entity';
import { Consultation } from '@/consultations/consultation.entity';
import { DoctorInboxService } from '@/doctors/doctor-inbox.service';
import { FakeBotApi } from './fake-telegram/fake-bot-api';
import { startApp, tempDataDir, testConfig, runCli } from './support/app';
import { lesionPhoto } from './support/images';
import { consentedPatient, openCase, photoCase, press } from './support/journey';

const GROUP = -100777;
const DOCTOR = { id: 501, first_name: 'Amina', last_name: 'Okafor' };
const DOCTOR_2 = { id: 502, first_name: 'Luis', last_name: 'Pereira' };
const STRANGER = { id: 999, first_name: 'Curious' };
const ADMIN_TOKEN = 'admin-token-0123456789abcdef';

describe("Doctors' inbox in the Telegram group", () => {
  const api = new FakeBotApi();
  const dataDir = tempDataDir();
  let app: INestApplication;
  let env: Record<string, string>;

  /** Runs the real CLI (`npm run doctor -- ...`) in a child process on the same configuration. */
  const doctorCli = (...args: string[]) => runCli(env, 'doctor', ...args);

  beforeAll(async () => {
    await api.start();
    env = {
      DATA_DIR: dataDir,
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
      TELEGRAM_DOCTORS_CHAT_ID: String(GROUP),
      ADMIN_API_TOKEN: ADMIN_TOKEN,
      REMINDER_AFTER_MIN: '60',
      URGENT_REMINDER_AFTER_MIN: '15',
      CASE_POST_WAIT_MIN: '10',
    };
    app = await startApp(testConfig(env));
    expect(await doctorCli('add', '--telegram-id', String(DOCTOR.id), '--name', 'Amina Okafor', '--license', 'MD-77')).toMatch(
      /Registered Dr Amina Okafor/,
    );
    expect(await doctorCli('add', '--telegram-id', String(DOCTOR_2.id), '--name', 'Luis Pereira')).toMatch(/Registered/);
    expect(await doctorCli('list')).toMatch(/501\tAmina Okafor\tMD-77/);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await api.stop();
  });

  const groupPost = (code: string) =>
    api.waitForCall(
      (c) =>
        String(c.params.chat_id) === String(GROUP) &&
        c.method === 'sendPhoto' &&
        String(c.params.caption).startsWith(`Case ${code}`),
      30_000,
      `the group post of ${code}`,
    );

  it('should post the case, let a registered doctor claim and answer it, and deliver the answer to the patient', async () => {
    const patient = 2001;
    await consentedPatient(api, patient);
    const code = await photoCase(api, patient, await lesionPhoto(1));
    const post = await groupPost(code);
    const caption = String(post.params.caption);
    expect(caption).toMatch(/AI: \w+ \d+%, \w+ \d+%, \w+ \d+%/);
    expect(caption).toMatch(/Intake: site legs/);
    expect(post.files.photo?.length).toBeGreaterThan(1000);
    expect(FakeBotApi.buttons(post).map(([l]) => l)).toEqual([
      'Claim',
      'Ask for another photo',
      'Urgent referral',
      'Close (not a case)',
    ]);

    // A group member who is not a registered doctor is refused, and nothing changes.
    api.pressButton(GROUP, `claim:${code}`, post.messageId!, STRANGER);
    const refusal = await api.waitForCall(
      (c) => c.method === 'answerCallbackQuery' && /Only registered doctors/.test(String(c.params.text)),
    );
    expect(refusal.params.show_alert).toBe(true);
    const db = app.get(DataSource);
    expect((await db.getRepository(Consultation).findOneByOrFail({ code })).status).toBe('awaiting_doctor');

    // The doctor claims; the post shows who has it.
    api.pressButton(GROUP, `claim:${code}`, post.messageId!, DOCTOR);
    await api.waitForCall(
      (c) =>
        c.method === 'editMessageCaption' &&
        String(c.params.message_id) === String(post.messageId) &&
        /Claimed by Dr Amina Okafor/.test(String(c.params.caption)),
    );

    // A second claim is refused politely.
    api.pressButton(GROUP, `claim:${code}`, post.messageId!, DOCTOR_2);
    await api.waitForCall(
      (c) => c.method === 'answerCallbackQuery' && /Already claimed by Dr Amina Okafor/.test(String(c.params.text)),
    );

    // The doctor replies to the case post: the patient gets it with the doctor's name and the case code.
    api.sendText(GROUP, 'Please apply sunscreen and come to the clinic on Monday.', DOCTOR, post.messageId);
    const answer = await api.waitForText(patient, /Dr Amina Okafor about your case C-/);
    expect(String(answer.params.text)).toContain(code);
    expect(String(answer.params.text)).toContain('come to the clinic on Monday');
    await api.waitForCall(
      (c) => c.method === 'editMessageCaption' && /Answered by Dr Amina Okafor/.test(String(c.params.caption)),
    );
    const stored = await db.getRepository(Consultation).findOneByOrFail({ code });
    expect(stored.status).toBe('answered');
    expect(stored.answeredAt).toBeInstanceOf(Date);

    // The patient's follow-up is threaded under the case post.
    api.sendText(patient, 'Thank you! Should I stop the cream?');
    const followUp = await api.waitForText(GROUP, /Patient follow-up on C-/);
    expect(String(followUp.params.text)).toContain('Should I stop the cream?');
    expect((followUp.params.reply_parameters as { message_id: number }).message_id).toBe(post.messageId);

    // /prescribe without a reply, and /dx recorded beside the AI's result.
    api.sendText(GROUP, `/prescribe ${code} Hydrocortisone 1% twice daily for 7 days`, DOCTOR);
    await api.waitForText(patient, /Hydrocortisone 1% twice daily/);
    api.sendText(GROUP, `/dx ${code.toLowerCase()} bkl`, DOCTOR);
    await api.waitForText(GROUP, /Recorded: Dr Amina Okafor's diagnosis for C-\w+ is bkl/);
    expect((await db.getRepository(Consultation).findOneByOrFail({ code })).doctorDiagnosis).toBe('bkl');

    // Every action is in the audit trail.
    const actions = (await db.getRepository(AuditEntry).findBy({ consultationId: stored.id })).map(
      (a) => `${a.actor}:${a.action}`,
    );
    expect(actions).toEqual(
      expect.arrayContaining(['doctor:501:claim', 'doctor:501:answer', 'doctor:501:dx', 'system:group_post']),
    );

    // Clinic staff can read and export it over REST with the admin token.
    const http = request(app.getHttpServer());
    await http.get('/api/v1/consultations').expect(401);
    const one = await http.get(`/api/v1/consultations/${code}`).set('Authorization', `Bearer ${ADMIN_TOKEN}`).expect(200);
    expect(one.body).toMatchObject({ code, status: 'answered', doctorDiagnosis: 'bkl' });
    const list = await http
      .get('/api/v1/consultations?status=answered')
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .expect(200);
    expect((list.body as { code: string }[]).map((c) => c.code)).toContain(code);
    const csv = await http.get('/api/v1/consultations/export.csv').set('Authorization', `Bearer ${ADMIN_TOKEN}`).expect(200);
    expect(csv.text.split('\n')[0]).toMatch(/^code,status,channel,ai_verdict/);
    expect(csv.text).toMatch(new RegExp(`${code},answered,telegram,ok,\\w+,[0-9.]+,\\w+,\\w+,bkl`));
  });

  it("should erase the doctors' advice from the audit trail when the patient erases their data", async () => {
    const db = app.get(DataSource);
    const advice = () =>
      db.getRepository(AuditEntry).count({
        where: [{ detail: Like('%clinic on Monday%') }, { detail: Like('%Hydrocortisone%') }, { action: 'dx', detail: 'bkl' }],
      });
    // The first test's answer, prescription and diagnosis, and the messages that carried them to the patient.
    expect(await advice()).toBe(5);
    api.sendText(2001, '/delete');
    await press(api, 2001, /^delete:yes$/);
    await api.waitForText(2001, /Your data has been erased/);
    expect(await advice()).toBe(0);
    // The doctors' actions stay as anonymous stubs: who did what, when, without the text or the patient.
    const stubs = await db.getRepository(AuditEntry).findBy({ actor: `doctor:${DOCTOR.id}`, action: 'answer' });
    expect(stubs.length).toBeGreaterThanOrEqual(2);
    expect(stubs.every((a) => a.detail === null && a.patientId === null)).toBe(true);
  });

  it('should ask the patient for another photo and add it to the same case', async () => {
    const patient = 2002;
    await consentedPatient(api, patient);
    const code = await photoCase(api, patient, await lesionPhoto(2), 'intimate');
    const post = await groupPost(code);
    expect(String(post.params.has_spoiler)).toBe('true'); // multipart fields arrive as text
    api.pressButton(GROUP, `photo:${code}`, post.messageId!, DOCTOR_2);
    await api.waitForText(patient, new RegExp(`asks for another photo`));
    api.sendPhoto(patient, await lesionPhoto(3));
    await api.waitForText(patient, new RegExp(`new photo was added to case ${code}`));
    await api.waitForText(GROUP, new RegExp(`Patient follow-up on ${code}: new photo`));
    const db = app.get(DataSource);
    const stored = await db.getRepository(Consultation).findOneByOrFail({ code });
    expect(stored.extraPhotos).toHaveLength(1);
    expect(await db.getRepository(Consultation).countBy({ patientId: stored.patientId })).toBe(1);
  });

  it('should blur the photo in the group when the patient asks for discretion', async () => {
    const patient = 2005;
    await consentedPatient(api, patient);
    const code = await photoCase(api, patient, await lesionPhoto(6), 'arms', { discreet: 'yes' });
    const post = await groupPost(code);
    expect(String(post.params.has_spoiler)).toBe('true');
  });

  it('should remind the group of unclaimed cases, urgent ones sooner (fake clock)', async () => {
    const patient = 2003;
    await consentedPatient(api, patient);
    const code = await photoCase(api, patient, await lesionPhoto(4));
    await groupPost(code);
    const db = app.get(DataSource);
    const c = await db.getRepository(Consultation).findOneByOrFail({ code });
    const urgent = c.aiResult?.risk === 'urgent';
    const inbox = app.get(DoctorInboxService);
    const reminders = () => api.textsTo(GROUP).filter((t) => t.startsWith(`Reminder: case ${code}`)).length;

    await inbox.sweep(new Date(c.postedAt!.getTime() + 5 * 60_000));
    expect(reminders()).toBe(0);
    await inbox.sweep(new Date(c.postedAt!.getTime() + 16 * 60_000));
    expect(reminders()).toBe(urgent ? 1 : 0);
    // Two instances sweeping at the same moment send one reminder.
    await Promise.all([
      inbox.sweep(new Date(c.postedAt!.getTime() + 61 * 60_000)),
      inbox.sweep(new Date(c.postedAt!.getTime() + 61 * 60_000)),
    ]);
    expect(reminders()).toBe(urgent ? 2 : 1);
    await inbox.sweep(new Date(c.postedAt!.getTime() + 62 * 60_000));
    expect(reminders()).toBe(urgent ? 2 : 1);
  });

  it('should post a case after CASE_POST_WAIT_MIN when the patient leaves the intake unanswered', async () => {
    const patient = 2004;
    await consentedPatient(api, patient);
    const code = await openCase(api, patient, await lesionPhoto(5));
    await press(api, patient, /^intake:bodySite:-$/); // answers one question, then goes quiet
    const inbox = app.get(DoctorInboxService);
    await inbox.sweep(new Date());
    expect(api.textsTo(GROUP).some((t) => t.startsWith(`Case ${code}`))).toBe(false);
    await inbox.sweep(new Date(Date.now() + 11 * 60_000));
    await groupPost(code);
  });

  it("should not hold up the patient's conversation while the case waits to be posted", async () => {
    const patient = 2014;
    await consentedPatient(api, patient);
    api.delays.set('sendPhoto', 3000); // a slow group post
    try {
      const code = await photoCase(api, patient, await lesionPhoto(1));
      api.sendText(patient, '/status');
      await api.waitForText(patient, new RegExp(`${code}: `));
      const post = await groupPost(code);
      // The patient's /status was answered while the post was still on its way.
      expect(api.calls.indexOf(post)).toBeGreaterThan(
        api.calls.findIndex(
          (c) => String(c.params.chat_id) === String(patient) && new RegExp(`${code}: `).test(String(c.params.text)),
        ),
      );
    } finally {
      api.delays.delete('sendPhoto');
    }
  });

  it('should post a case again when the instance posting it stopped before it reached the group', async () => {
    const patient = 2013;
    await consentedPatient(api, patient);
    const code = await openCase(api, patient, await lesionPhoto(2));
    await press(api, patient, /^intake:bodySite:-$/);
    // An instance took the case for posting (postedAt) and died before the post: no group message.
    const cases = app.get(DataSource).getRepository(Consultation);
    const c = await cases.findOneByOrFail({ code });
    await cases.update(c.id, { postedAt: new Date(Date.now() - 6 * 60_000) });
    await app.get(DoctorInboxService).sweep(new Date());
    await groupPost(code);
    expect((await cases.findOneByOrFail({ code })).groupMessageId).toBeTruthy();
  });

  it('should post a case at once when the patient writes before it reached the group, with the message under it', async () => {
    const patient = 2011;
    await consentedPatient(api, patient);
    const code = await openCase(api, patient, await lesionPhoto(4));
    await press(api, patient, /^intake:bodySite:-$/); // mid-intake: the case is not posted yet
    expect(api.textsTo(GROUP).some((t) => t.startsWith(`Case ${code}`))).toBe(false);
    api.sendText(patient, 'It started bleeding yesterday');
    const post = await groupPost(code);
    const followUp = await api.waitForText(GROUP, new RegExp(`Patient follow-up on ${code}`));
    expect(String(followUp.params.text)).toContain('It started bleeding yesterday');
    expect((followUp.params.reply_parameters as { message_id: number }).message_id).toBe(post.messageId);
    await api.waitForText(patient, new RegExp(`passed to the doctor for case ${code}`));
  });

  it('should tell the patient to write again when their message cannot reach the group', async () => {
    const patient = 2012;
    await consentedPatient(api, patient);
    const code = await photoCase(api, patient, await lesionPhoto(3));
    const post = await groupPost(code);
    api.failures.set('sendMessage', [{ code: 400, description: 'Bad Request: message to be replied not found' }]);
    api.sendText(patient, 'Is it serious?');
    await api.waitForText(patient, /could not reach the doctors just now/);
    expect(api.textsTo(GROUP).some((t) => t.includes('Is it serious?'))).toBe(false);
    // Sent again, it goes through, threaded under the case post.
    api.sendText(patient, 'Is it serious?');
    const followUp = await api.waitForText(GROUP, /Is it serious\?/);
    expect((followUp.params.reply_parameters as { message_id: number }).message_id).toBe(post.messageId);
  });

  it('should send a registered doctor a one-time dashboard link privately', async () => {
    api.sendText(GROUP, '/dashboard', DOCTOR);
    const link = await api.waitForText(DOCTOR.id, /one-time dashboard link/);
    expect(String(link.params.text)).toMatch(/\/admin\/login\?code=[A-Za-z0-9_-]{20,}/);
    await api.waitForText(GROUP, /sent you a one-time dashboard link/);
    expect(api.textsTo(GROUP).join('\n')).not.toMatch(/login\?code=/);
  });

  it('should list the queue for doctors and refuse it to strangers', async () => {
    api.sendText(GROUP, '/queue', DOCTOR);
    await api.waitForText(GROUP, /Open cases \(\d+\):/);
    api.sendText(GROUP, '/queue', STRANGER);
    await api.waitForText(STRANGER.id, /Only registered doctors/);
  });
});
