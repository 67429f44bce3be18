import { DynamicModule, INestApplication, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConsultationsService } from '@/consultations/consultations.service';
import type { DoctorsGroupEvent } from '@/messaging/doctors-group.port';
import { DOCTORS_GROUP } from '@/messaging/doctors-group.port';
import { Inbound } from '@/messaging/inbound';
import { PatientsService } from '@/patients/patients.service';
import { aiResult, seedCase } from '../../test/factories/case.factory';
import { FakeDoctorsGroup, RecordingChannel } from '../../test/support/fakes';
import { serviceModule } from '../../test/support/service-module';
import { ANOTHER_PHOTO, CLAIM, CLOSE_CASE } from './case.actions';
import { DoctorInboxModule } from './doctors.module';
import { DoctorInboxService } from './doctor-inbox.service';
import { DoctorsService } from './doctors.service';

/** The group port, provided where the Telegram adapter would provide it. */
@Module({})
class FakeGroupModule {
  static with(group: FakeDoctorsGroup): DynamicModule {
    return {
      module: FakeGroupModule,
      global: true,
      providers: [{ provide: DOCTORS_GROUP, useValue: group }],
      exports: [DOCTORS_GROUP],
    };
  }
}

describe(DoctorInboxService.name, () => {
  const group = new FakeDoctorsGroup();
  let app: INestApplication;
  let channel: RecordingChannel;
  let inbound: Inbound;
  let consultations: ConsultationsService;
  let patients: PatientsService;
  let db: DataSource;
  let n = 0;

  const AMINA = { fromId: '501', fromName: 'Amina Okafor' };
  const BARAKA = { fromId: '502', fromName: 'Baraka Otieno' };
  const STRANGER = { fromId: '999', fromName: 'Someone' };

  /** A press of a button on a case post; resolves to the callback id it was answered under. */
  async function press(who: typeof AMINA, data: string, postId = '1'): Promise<string> {
    const callbackId = `cb${++n}`;
    await inbound.handleGroupEvent({ ...who, messageId: postId, action: { callbackId, data } });
    return callbackId;
  }
  const say = (who: typeof AMINA, text: string, extra: Partial<DoctorsGroupEvent> = {}) =>
    inbound.handleGroupEvent({ ...who, messageId: String(++n), text, ...extra });

  beforeAll(async () => {
    ({ app, channel } = await serviceModule([FakeGroupModule.with(group), DoctorInboxModule.register(true)]));
    inbound = app.get(Inbound);
    consultations = app.get(ConsultationsService);
    patients = app.get(PatientsService);
    db = app.get(DataSource);
    await app.get(DoctorsService).add({ telegramId: AMINA.fromId, name: 'Amina Okafor' });
    await app.get(DoctorsService).add({ telegramId: BARAKA.fromId, name: 'Baraka Otieno' });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  describe('postCase', () => {
    it('should post a ready case once, with the buttons of its verbs', async () => {
      const c = await seedCase(db, { aiResult: aiResult('nv') });
      await app.get(DoctorInboxService).postCase(c);
      await app.get(DoctorInboxService).postCase(c);
      const posts = group.posts.filter((p) => p.message.text.includes(c.code));
      expect(posts).toHaveLength(1);
      expect(posts[0].message.buttons!.flat().map((b) => b.data)).toContain(CLAIM.encode(c.code));
      expect((await consultations.getById(c.id)).groupMessageId).toBe(posts[0].id);
    });
  });

  describe('button presses', () => {
    it('should let one doctor claim a case, and tell the next who has it', async () => {
      const c = await seedCase(db, { aiResult: aiResult('bcc'), groupMessageId: '77', postedAt: new Date() });
      const first = await press(AMINA, CLAIM.encode(c.code), '77');
      expect(group.answerTo(first)?.text).toBe(`You have case ${c.code}. Reply to the post to answer the patient.`);
      const second = await press(BARAKA, CLAIM.encode(c.code), '77');
      expect(group.answerTo(second)).toEqual({ callbackId: second, text: 'Already claimed by Dr Amina Okafor.', alert: true });
      expect((await consultations.getById(c.id)).status).toBe('claimed');
      expect(group.edits.some((e) => e.id === '77' && e.message.text.includes('Claimed by Dr Amina Okafor'))).toBe(true);
    });

    it('should refuse a member who is not a registered doctor, in an alert and privately', async () => {
      const c = await seedCase(db, {});
      const cb = await press(STRANGER, CLOSE_CASE.encode(c.code));
      expect(group.answerTo(cb)).toMatchObject({
        text: expect.stringContaining('Only registered doctors') as string,
        alert: true,
      });
      expect(group.privately.some((p) => p.userId === STRANGER.fromId)).toBe(true);
      expect((await consultations.getById(c.id)).status).toBe('awaiting_doctor');
    });

    it('should answer a forged verb "unknown action" and a code that names no case "case gone"', async () => {
      expect(group.answerTo(await press(AMINA, 'erase:C-AAAA'))?.text).toBe('Unknown action.');
      expect(group.answerTo(await press(AMINA, 'claim'))?.text).toBe('This case no longer exists.');
      expect(group.answerTo(await press(AMINA, CLAIM.encode('C-ZZZZZZ')))?.text).toBe('This case no longer exists.');
    });

    it('should close a case and tell the patient, once', async () => {
      const c = await seedCase(db, { status: 'claimed', groupMessageId: '78', postedAt: new Date() });
      const patient = (await patients.findById(c.patientId))!;
      await press(AMINA, CLOSE_CASE.encode(c.code), '78');
      const again = await press(AMINA, CLOSE_CASE.encode(c.code), '78');
      expect(group.answerTo(again)?.text).not.toBe('Case closed.');
      expect((await consultations.getById(c.id)).status).toBe('closed');
      await channel.waitForText(patient.channelUserId, new RegExp(c.code));
    });

    it('should ask the patient for another photo', async () => {
      const c = await seedCase(db, { status: 'claimed', groupMessageId: '79', postedAt: new Date() });
      const patient = (await patients.findById(c.patientId))!;
      const cb = await press(AMINA, ANOTHER_PHOTO.encode(c.code), '79');
      expect(group.answerTo(cb)?.text).toBe('The patient has been asked for another photo.');
      await channel.waitForText(patient.channelUserId, new RegExp(c.code));
      expect((await patients.findById(c.patientId))?.state).toBe('awaiting_photo');
    });
  });

  describe('replies and commands', () => {
    it("should carry a doctor's reply to the case post to the patient and mark the case answered", async () => {
      const c = await seedCase(db, { aiResult: aiResult('nv'), groupMessageId: '80', postedAt: new Date() });
      const patient = (await patients.findById(c.patientId))!;
      await say(AMINA, 'Keep an eye on it and come back in a month.', { replyToMessageId: '80' });
      const reply = await channel.waitForText(patient.channelUserId, /Keep an eye on it/);
      expect(reply.text).toContain(`Dr Amina Okafor about your case ${c.code}:`);
      expect((await consultations.getById(c.id)).status).toBe('answered');
    });

    it("should find the case of a reply to a post whose id was never recorded, from the post's buttons", async () => {
      const c = await seedCase(db, { postedAt: new Date() });
      const patient = (await patients.findById(c.patientId))!;
      await say(AMINA, 'Please see a clinic this week.', {
        replyToMessageId: '81',
        replyToActions: [CLAIM.encode(c.code), CLOSE_CASE.encode(c.code)],
      });
      await channel.waitForText(patient.channelUserId, /Please see a clinic/);
      expect((await consultations.getById(c.id)).groupMessageId).toBe('81');
    });

    it('should list open cases on /queue and record a diagnosis on /dx', async () => {
      const c = await seedCase(db, {
        aiResult: aiResult('mel', 0.8, 'urgent'),
        status: 'claimed',
        groupMessageId: '82',
        postedAt: new Date(),
      });
      await say(AMINA, '/queue');
      expect(group.posts.at(-1)?.message.text).toMatch(/^Open cases \(\d+\):/);
      expect(group.posts.at(-1)?.message.text).toContain(c.code);
      await say(AMINA, `/dx ${c.code} bcc`);
      expect((await consultations.getById(c.id)).doctorDiagnosis).toBe('bcc');
      await say(AMINA, `/dx ${c.code} flu`);
      expect(group.posts.at(-1)?.message.text).toMatch(/^Usage: \/dx/);
      // Another bot's command is not ours to answer.
      const posts = group.posts.length;
      await say(AMINA, '/weather');
      expect(group.posts).toHaveLength(posts);
    });
  });
});
