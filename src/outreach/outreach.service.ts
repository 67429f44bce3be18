import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditService } from '@/audit/audit.service';
import type { Button, IncomingMessage } from '@/messaging/channel.port';
import type { AppConfig } from '@/config/app-config';
import { APP_CONFIG } from '@/config/config.module';
import { ConsultationsService } from '@/consultations/consultations.service';
import type { MessageKey } from '@/i18n/catalogs/en';
import { I18nService } from '@/i18n/i18n.service';
import { JourneyService } from '@/journey/journey.service';
import { ChatLock } from '@/redis/chat-lock';
import { PatientMessenger } from '@/journey/patient-messenger.service';
import { PatientsService } from '@/patients/patients.service';
import { OUTREACH_CONSENT, OUTREACH_SEX } from './outreach.actions';
import type { OutreachWorker } from './outreach-worker.entity';
import { OutreachWorkersService } from './outreach-workers.service';

/**
 * An outreach worker's conversation: NEW registers a patient (initials, age, sex, village, consent
 * read aloud), then photos and answers from the worker's phone belong to that patient's cases,
 * handled by the ordinary patient journey. Replies reach the worker tagged with the patient.
 */
@Injectable()
export class OutreachService {
  private readonly logger = new Logger(OutreachService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly workers: OutreachWorkersService,
    private readonly patients: PatientsService,
    private readonly consultations: ConsultationsService,
    private readonly journey: JourneyService,
    private readonly messenger: PatientMessenger,
    private readonly i18n: I18nService,
    private readonly audit: AuditService,
    private readonly lock: ChatLock,
  ) {}

  handle(worker: OutreachWorker, msg: IncomingMessage): Promise<void> {
    // Its own key: the journey takes the chat's key inside (handleFor), and the lock is not re-entrant.
    return this.lock.run(`outreach:${msg.channel}:${msg.chatId}`, () => this.dispatch(worker, msg));
  }

  private async dispatch(worker: OutreachWorker, msg: IncomingMessage): Promise<void> {
    const text = msg.kind === 'text' ? msg.text.trim() : '';
    const command = msg.kind === 'command' ? msg.command : /^new$/i.test(text) ? 'new' : undefined;
    if (command === 'new') return this.startRegistration(worker, msg);
    if (command === 'help' || command === 'start') return this.say(worker, msg, 'outreachHelp');
    if (command === 'status') return this.status(worker, msg);
    if (worker.state !== 'idle') return this.registrationStep(worker, msg, text);
    const patient = worker.activePatientId ? await this.patients.findById(worker.activePatientId) : null;
    if (!patient) return this.say(worker, msg, msg.kind === 'photo' ? 'outreachNoPatient' : 'outreachHelp');
    await this.journey.handleFor(patient, msg);
  }

  private async startRegistration(worker: OutreachWorker, msg: IncomingMessage): Promise<void> {
    worker.state = 'np_initials';
    worker.draft = {};
    await this.workers.save(worker);
    await this.say(worker, msg, 'outreachAskInitials');
  }

  private async registrationStep(worker: OutreachWorker, msg: IncomingMessage, text: string): Promise<void> {
    const draft = worker.draft ?? {};
    const action = msg.kind === 'action' ? msg.data : '';
    switch (worker.state) {
      case 'np_initials':
        if (!/^\p{L}{1,4}$/u.test(text)) return this.say(worker, msg, 'outreachAskInitials');
        draft.initials = text.toUpperCase();
        return this.next(worker, msg, draft, 'np_age', 'outreachAskAge');
      case 'np_age': {
        const age = Number(text);
        if (!Number.isInteger(age) || age < 0 || age > 120) return this.say(worker, msg, 'outreachAskAge');
        draft.age = String(age);
        return this.next(worker, msg, draft, 'np_sex', 'outreachAskSex', this.sexButtons(worker));
      }
      case 'np_sex': {
        const sex = OUTREACH_SEX.decode(action);
        if (sex === undefined) return this.say(worker, msg, 'outreachAskSex', this.sexButtons(worker));
        draft.sex = sex;
        return this.next(worker, msg, draft, 'np_village', 'outreachAskVillage');
      }
      case 'np_village':
        if (!text || text.length > 60) return this.say(worker, msg, 'outreachAskVillage');
        draft.village = text;
        return this.next(worker, msg, draft, 'np_consent', 'outreachConsent', [
          [
            { label: this.i18n.t(worker.language, 'consentAgree'), data: OUTREACH_CONSENT.encode(true) },
            { label: this.i18n.t(worker.language, 'consentDecline'), data: OUTREACH_CONSENT.encode(false) },
          ],
        ]);
      case 'np_consent': {
        const agreed = OUTREACH_CONSENT.decode(action);
        if (agreed === true) return this.register(worker, msg, draft);
        if (agreed === false) {
          worker.state = 'idle';
          worker.draft = null;
          await this.workers.save(worker);
          return this.say(worker, msg, 'outreachDeclined');
        }
        return this.say(worker, msg, 'outreachInvalid');
      }
      case 'idle':
        return;
    }
  }

  private async next(
    worker: OutreachWorker,
    msg: IncomingMessage,
    draft: NonNullable<OutreachWorker['draft']>,
    state: OutreachWorker['state'],
    key: MessageKey,
    buttons?: Button[][],
  ): Promise<void> {
    worker.state = state;
    worker.draft = draft;
    await this.workers.save(worker);
    await this.say(worker, msg, key, buttons);
  }

  private async register(
    worker: OutreachWorker,
    msg: IncomingMessage,
    draft: NonNullable<OutreachWorker['draft']>,
  ): Promise<void> {
    const patient = await this.patients.createForOutreach({
      channel: msg.channel,
      workerChatId: msg.chatId,
      outreachWorkerId: worker.id,
      language: worker.language,
      consentVersion: this.config.consentVersion,
      profile: { initials: draft.initials ?? '?', age: draft.age, sex: draft.sex, village: draft.village },
    });
    await this.audit.record({
      direction: 'action',
      actor: `outreach:${worker.id}`,
      action: 'consent',
      patientId: patient.id,
      detail: this.config.consentVersion,
    });
    worker.state = 'idle';
    worker.draft = null;
    worker.activePatientId = patient.id;
    await this.workers.save(worker);
    this.logger.log(`An outreach worker registered a patient`);
    await this.say(worker, msg, 'outreachRegistered', undefined, { initials: patient.profile!.initials });
  }

  private async status(worker: OutreachWorker, msg: IncomingMessage): Promise<void> {
    const lines: string[] = [];
    for (const p of await this.patients.forOutreachWorker(worker.id)) {
      for (const c of await this.consultations.forPatient(p.id)) {
        if (c.status === 'rejected') continue;
        lines.push(`[${p.profile?.initials ?? '?'}] ${c.code}: ${this.i18n.t(worker.language, `status_${c.status}`)}`);
      }
    }
    await this.messenger.sendToChat(msg.channel, msg.chatId, worker.language, {
      text: lines.length ? lines.join('\n') : this.i18n.t(worker.language, 'statusNone'),
    });
  }

  private sexButtons(worker: OutreachWorker): Button[][] {
    return [
      [
        { label: this.i18n.t(worker.language, 'sex_female'), data: OUTREACH_SEX.encode('female') },
        { label: this.i18n.t(worker.language, 'sex_male'), data: OUTREACH_SEX.encode('male') },
        { label: this.i18n.t(worker.language, 'sex_other'), data: OUTREACH_SEX.encode('other') },
      ],
    ];
  }

  private async say(
    worker: OutreachWorker,
    msg: IncomingMessage,
    key: MessageKey,
    buttons?: Button[][],
    params?: Record<string, string>,
  ): Promise<void> {
    await this.messenger.sendToChat(msg.channel, msg.chatId, worker.language, {
      text: this.i18n.t(worker.language, key, params),
      buttons,
    });
  }
}
