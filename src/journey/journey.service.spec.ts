import * as fs from 'node:fs';
import * as path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { ConsultationsService } from '@/consultations/consultations.service';
import { lesionLike } from '../../test/support/synthetic';
import type { IncomingMessage } from '@/messaging/channel.port';
import { PatientsService } from '@/patients/patients.service';
import type { RecordingChannel } from '../../test/support/fakes';
import { until } from '../../test/support/fakes';
import { serviceModule } from '../../test/support/service-module';
import { CONSENT, DELETE_CONFIRM, INTAKE_ANSWER, LANGUAGE } from './journey.actions';
import { JourneyModule } from './journey.module';
import { JourneyService } from './journey.service';

describe(JourneyService.name, () => {
  let app: INestApplication;
  let channel: RecordingChannel;
  let journey: JourneyService;
  let patients: PatientsService;
  let consultations: ConsultationsService;
  let photosDir: string;
  let n = 0;

  const message = (chatId: string, m: Record<string, unknown>): IncomingMessage =>
    ({ channel: 'telegram', chatId, messageId: `m${++n}`, languageCode: 'en', ...m }) as IncomingMessage;
  const command = (chatId: string, name: string) => journey.handle(message(chatId, { kind: 'command', command: name, args: '' }));
  const press = (chatId: string, data: string) => journey.handle(message(chatId, { kind: 'action', data }));
  const photo = async (chatId: string, seed: number) =>
    journey.handle(message(chatId, { kind: 'photo', fileRef: channel.hold(`file-${chatId}-${seed}`, await lesionLike(seed)) }));

  async function consented(chatId: string): Promise<void> {
    await command(chatId, 'start');
    await press(chatId, LANGUAGE.encode('en'));
    await press(chatId, CONSENT.encode(true));
    await channel.waitForText(chatId, /Send a clear, close photo/);
  }

  beforeAll(async () => {
    let config;
    ({ app, channel, config } = await serviceModule([JourneyModule]));
    journey = app.get(JourneyService);
    patients = app.get(PatientsService);
    consultations = app.get(ConsultationsService);
    photosDir = config.photosDir;
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  describe('handle', () => {
    it('should welcome on /start, then offer the languages and the consent with buttons of their verbs', async () => {
      await command('1', 'start');
      await channel.waitForText('1', /Please choose your language/);
      const languages = channel.buttonsTo('1').map((d) => LANGUAGE.decode(d));
      expect(languages).toContain('en');
      expect(languages).toContain('sw');
      await press('1', LANGUAGE.encode('fr'));
      await until(() => channel.buttonsTo('1').some((d) => CONSENT.decode(d) !== undefined), 'the consent buttons');
      expect((await patients.find('telegram', '1'))?.language).toBe('fr');
      expect(
        channel
          .buttonsTo('1')
          .filter((d) => CONSENT.decode(d) !== undefined)
          .map((d) => CONSENT.decode(d)),
      ).toEqual([true, false]);
    });

    it('should keep a photo sent before consent and analyse it once the patient agrees', async () => {
      await command('2', 'start');
      await press('2', LANGUAGE.encode('en'));
      await photo('2', 1);
      await channel.waitForText('2', /we need your agreement before we look at it/);
      const patient = (await patients.find('telegram', '2'))!;
      expect(patient.consentAt).toBeNull();
      expect(await consultations.undelivered(patient.id)).toHaveLength(1);
      await press('2', CONSENT.encode(true));
      const opened = await channel.waitForText('2', /case code is C-[A-Z0-9]{4,8}/, 60_000);
      const code = /C-[A-Z0-9]{4,8}/.exec(opened.text)![0];
      const c = await consultations.getByCode(code);
      expect(c.aiResult?.verdict).toBe('ok');
      // Marked delivered right after its messages were written (which the outbox may send first).
      await expect(
        until(async () => (await consultations.getById(c.id)).resultSentAt, 'the result marked sent'),
      ).resolves.toBeInstanceOf(Date);
      // The first intake question follows, its answers typed with the intake verb.
      const intake = await until(
        () =>
          channel
            .buttonsTo('2')
            .map((d) => INTAKE_ANSWER.decode(d))
            .find(Boolean),
        'the intake buttons',
      );
      expect(intake).toEqual({ field: 'bodySite', value: 'head' });
    });

    it('should record an intake answer given with its button and ask the next question', async () => {
      await consented('3');
      await photo('3', 2);
      await channel.waitForText('3', /case code is/, 60_000);
      await press('3', INTAKE_ANSWER.encode({ field: 'bodySite', value: 'legs' }));
      await until(() => channel.buttonsTo('3').some((d) => INTAKE_ANSWER.decode(d)?.field === 'discreet'), 'the next question');
      const [c] = await consultations.forPatient((await patients.find('telegram', '3'))!.id);
      expect(c.intake?.bodySite).toBe('legs');
      // A stale button from the question before changes nothing.
      await press('3', INTAKE_ANSWER.encode({ field: 'bodySite', value: 'head' }));
      expect((await consultations.getById(c.id)).intake?.bodySite).toBe('legs');
    });

    it('should erase nothing on a forged "delete:yes" no deletion was asked for, and ignore unknown verbs', async () => {
      await consented('4');
      const before = channel.textsTo('4').length;
      await press('4', DELETE_CONFIRM.encode(true));
      await press('4', 'bogus:1');
      await press('4', '');
      expect(await patients.find('telegram', '4')).not.toBeNull();
      await new Promise((r) => setTimeout(r, 200));
      expect(channel.textsTo('4')).toHaveLength(before);
    });

    it('should erase the patient, their cases and photos after /delete is confirmed, and say so', async () => {
      await consented('5');
      await photo('5', 3);
      await channel.waitForText('5', /case code is/, 60_000);
      const patient = (await patients.find('telegram', '5'))!;
      const files = await consultations.photoFilesOf(patient.id);
      expect(files.length).toBeGreaterThan(0);
      await command('5', 'delete');
      await until(() => channel.buttonsTo('5').some((d) => DELETE_CONFIRM.decode(d) === true), 'the confirmation');
      await press('5', DELETE_CONFIRM.encode(true));
      await channel.waitForText('5', /Your data has been erased/);
      expect(await patients.find('telegram', '5')).toBeNull();
      expect(await consultations.forPatient(patient.id)).toEqual([]);
      for (const f of files) expect(fs.existsSync(path.join(photosDir, f))).toBe(false);
    });

    it('should keep the data when the patient answers no', async () => {
      await consented('6');
      await command('6', 'delete');
      await press('6', DELETE_CONFIRM.encode(false));
      await channel.waitForText('6', /Nothing was erased/);
      expect(await patients.find('telegram', '6')).not.toBeNull();
    });
  });
});
