import type { INestApplication } from '@nestjs/common';
import { lesionLike } from '../../test/support/synthetic';
import type { IncomingMessage } from '@/messaging/channel.port';
import { PatientsService } from '@/patients/patients.service';
import { RecordingChannel, until } from '../../test/support/fakes';
import { serviceModule } from '../../test/support/service-module';
import { OUTREACH_CONSENT, OUTREACH_SEX } from './outreach.actions';
import type { OutreachWorker } from './outreach-worker.entity';
import { OutreachModule } from './outreach.module';
import { OutreachWorkersService } from './outreach-workers.service';
import { OutreachService } from './outreach.service';

describe(OutreachService.name, () => {
  let app: INestApplication;
  let channel: RecordingChannel;
  let outreach: OutreachService;
  let workers: OutreachWorkersService;
  let patients: PatientsService;
  let n = 0;

  /** The worker as stored now (the dialogue saves its state after every step). */
  const current = async (w: OutreachWorker) => (await workers.findByChat(w.chatId))!;
  const send = async (w: OutreachWorker, m: Record<string, unknown>) =>
    outreach.handle(await current(w), { channel: 'whatsapp', chatId: w.chatId, messageId: `w${++n}`, ...m } as IncomingMessage);
  const text = (w: OutreachWorker, body: string) => send(w, { kind: 'text', text: body });
  const press = (w: OutreachWorker, data: string) => send(w, { kind: 'action', data });

  beforeAll(async () => {
    ({ app, channel } = await serviceModule([OutreachModule], { channel: new RecordingChannel('whatsapp') }));
    outreach = app.get(OutreachService);
    workers = app.get(OutreachWorkersService);
    patients = app.get(PatientsService);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  /** Takes a worker through NEW up to the consent question. */
  async function upToConsent(w: OutreachWorker): Promise<void> {
    await text(w, 'NEW');
    await text(w, 'ak');
    await text(w, '34');
    await press(w, OUTREACH_SEX.encode('female'));
    await text(w, 'Kibera');
    await until(() => channel.buttonsTo(w.chatId).some((d) => OUTREACH_CONSENT.decode(d) !== undefined), 'the consent question');
  }

  describe('handle', () => {
    it('should register a patient from NEW through initials, age, sex, village and consent', async () => {
      const w = await workers.add({ phone: '+254700000001', name: 'Neema Otieno', organisation: 'Afya' });
      await upToConsent(w);
      expect(
        channel
          .buttonsTo(w.chatId)
          .map((d) => OUTREACH_SEX.decode(d))
          .filter(Boolean),
      ).toEqual(['female', 'male', 'other']);
      await press(w, OUTREACH_CONSENT.encode(true));
      await channel.waitForText(w.chatId, /Patient AK registered/);
      const worker = await current(w);
      expect(worker.state).toBe('idle');
      const patient = (await patients.findById(worker.activePatientId!))!;
      expect(patient.profile).toEqual({ initials: 'AK', age: '34', sex: 'female', village: 'Kibera' });
      expect(patient.consentAt).not.toBeNull();
    });

    it('should ask again for what does not fit (initials, age, a sex not chosen with its button)', async () => {
      const w = await workers.add({ phone: '+254700000002', name: 'Juma' });
      await text(w, 'NEW');
      await text(w, 'not initials 123');
      expect((await current(w)).state).toBe('np_initials');
      await text(w, 'JM');
      await text(w, '300');
      expect((await current(w)).state).toBe('np_age');
      await text(w, '8');
      await text(w, 'female');
      expect((await current(w)).state).toBe('np_sex');
      await press(w, 'sex:female');
      expect((await current(w)).state).toBe('np_sex');
    });

    it('should register nothing when the patient declines, and ask again on a forged consent answer', async () => {
      const w = await workers.add({ phone: '+254700000003', name: 'Achieng' });
      await upToConsent(w);
      await press(w, 'oconsent:maybe');
      await channel.waitForText(w.chatId, /Please answer the question above/);
      expect((await current(w)).state).toBe('np_consent');
      await press(w, OUTREACH_CONSENT.encode(false));
      await channel.waitForText(w.chatId, /Nothing was registered/);
      expect(await patients.forOutreachWorker(w.id)).toEqual([]);
    });

    it("should hand the registered patient's photo to the journey, answering on the worker's phone under the patient's initials", async () => {
      const w = await workers.add({ phone: '+254700000004', name: 'Wanjiru' });
      await upToConsent(w);
      await press(w, OUTREACH_CONSENT.encode(true));
      await channel.waitForText(w.chatId, /registered/);
      await send(w, { kind: 'photo', fileRef: channel.hold('wa-photo-1', await lesionLike(4)) });
      const opened = await channel.waitForText(w.chatId, /case code is C-/, 60_000);
      expect(opened.text).toMatch(/^\[AK, Kibera\]/);
    });
  });
});
