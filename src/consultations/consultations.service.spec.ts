import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { aiResult, rejectedResult, seedCase } from '../../test/factories/case.factory';
import { serviceModule } from '../../test/support/service-module';
import { ConsultationsModule } from './consultations.module';
import { ConsultationNotFoundError, ConsultationsService } from './consultations.service';

describe(ConsultationsService.name, () => {
  let app: INestApplication;
  let consultations: ConsultationsService;
  let db: DataSource;

  beforeAll(async () => {
    ({ app } = await serviceModule([ConsultationsModule]));
    consultations = app.get(ConsultationsService);
    db = app.get(DataSource);
  });

  afterAll(async () => {
    await app?.close();
  });

  /** A patient with no case yet (seedCase makes one with a case; its patient is reused). */
  async function patientId(): Promise<string> {
    return (await seedCase(db, { status: 'closed' })).patientId;
  }

  describe('open', () => {
    it('should open one case per received photo, even when the message is delivered again or twice at once', async () => {
      const input = { patientId: await patientId(), channel: 'telegram' as const, sourceMessageId: 'm-1', photoFile: 'a.jpg' };
      const [one, two] = await Promise.all([consultations.open(input), consultations.open(input)]);
      expect(one.consultation.id).toBe(two.consultation.id);
      expect([one.created, two.created].filter(Boolean)).toHaveLength(1);
      const again = await consultations.open(input);
      expect(again).toMatchObject({ created: false, consultation: { id: one.consultation.id, status: 'new' } });
      expect(one.consultation.code).toMatch(/^C-[A-Z0-9]{6}$/);
    });

    it('should keep cases of the same message id on different channels apart', async () => {
      const id = await patientId();
      const a = await consultations.open({ patientId: id, channel: 'telegram', sourceMessageId: 'm-2', photoFile: 'b.jpg' });
      const b = await consultations.open({ patientId: id, channel: 'whatsapp', sourceMessageId: 'm-2', photoFile: 'c.jpg' });
      expect(a.consultation.id).not.toBe(b.consultation.id);
    });
  });

  describe('getByCode', () => {
    it('should find a case by its code in any case, and throw ConsultationNotFoundError for an unknown one', async () => {
      const c = await seedCase(db, {});
      expect((await consultations.getByCode(c.code.toLowerCase())).id).toBe(c.id);
      await expect(consultations.getByCode('C-NOPE00')).rejects.toBeInstanceOf(ConsultationNotFoundError);
      expect(await consultations.findByCode('C-NOPE00')).toBeNull();
    });
  });

  describe('recordResult', () => {
    it('should send an ok verdict to the doctors and reject a photo to retake', async () => {
      const { consultation: ok } = await consultations.open({
        patientId: await patientId(),
        channel: 'web',
        sourceMessageId: 'm-3',
        photoFile: 'd.jpg',
      });
      await consultations.recordResult(ok, aiResult('bcc'));
      expect((await consultations.getById(ok.id)).status).toBe('awaiting_doctor');
      const { consultation: blurry } = await consultations.open({
        patientId: await patientId(),
        channel: 'web',
        sourceMessageId: 'm-4',
        photoFile: 'e.jpg',
      });
      await consultations.recordResult(blurry, rejectedResult('retake', ['blurry']));
      const stored = await consultations.getById(blurry.id);
      expect(stored.status).toBe('rejected');
      expect(stored.aiResult?.reasons).toEqual(['blurry']);
    });
  });

  describe('transition', () => {
    it('should let only one of two racing claims through', async () => {
      const c = await seedCase(db, {});
      const [copyA, copyB] = [await consultations.getById(c.id), await consultations.getById(c.id)];
      const results = await Promise.all([
        consultations.transition(copyA, ['awaiting_doctor'], { status: 'claimed', assignedDoctorId: 'doctor-a' }),
        consultations.transition(copyB, ['awaiting_doctor'], { status: 'claimed', assignedDoctorId: 'doctor-b' }),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await consultations.getById(c.id)).assignedDoctorId).toBe(results[0] ? 'doctor-a' : 'doctor-b');
    });
  });

  describe('posting', () => {
    it('should let one worker take a case for posting, record its post once, and release only an unrecorded hold', async () => {
      const c = await seedCase(db, {});
      const at = new Date();
      expect(await consultations.transitionWhereUnposted(await consultations.getById(c.id), at)).toBe(true);
      expect(await consultations.transitionWhereUnposted(await consultations.getById(c.id), at)).toBe(false);
      const held = await consultations.getById(c.id);
      expect(await consultations.recordPost(held, '900', at)).toBe(true);
      expect(await consultations.recordPost(await consultations.getById(c.id), '901', at)).toBe(false);
      expect(await consultations.releasePost(await consultations.getById(c.id))).toBe(false);
      expect(await consultations.findByGroupMessage('900')).toMatchObject({ id: c.id });
    });

    it('should hand a reminder to one taker only', async () => {
      const c = await seedCase(db, { groupMessageId: '902', postedAt: new Date() });
      const at = new Date();
      const [a, b] = [await consultations.getById(c.id), await consultations.getById(c.id)];
      expect([await consultations.takeReminder(a, at), await consultations.takeReminder(b, at)]).toEqual([true, false]);
    });
  });

  describe('undelivered', () => {
    it("should list a patient's photos whose result has not been sent, oldest first", async () => {
      const id = await patientId();
      const first = await consultations.open({ patientId: id, channel: 'telegram', sourceMessageId: 'm-5', photoFile: 'f.jpg' });
      const second = await consultations.open({ patientId: id, channel: 'telegram', sourceMessageId: 'm-6', photoFile: 'g.jpg' });
      await consultations.update(second.consultation, { resultSentAt: new Date() });
      expect((await consultations.undelivered(id)).map((c) => c.id)).toEqual([first.consultation.id]);
      expect(await consultations.photoFilesOf(id)).toEqual(expect.arrayContaining(['f.jpg', 'g.jpg']) as string[]);
    });
  });
});
