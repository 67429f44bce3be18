import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AuditService } from '@/audit/audit.service';
import { Button, IncomingMessage, IncomingMessageHandler, MediaUnavailableError, MESSAGE_SHAPES } from '@/messaging/channel.port';
import { ChannelRegistry } from '@/messaging/channel.registry';
import type { AppConfig } from '@/config/app-config';
import { APP_CONFIG } from '@/config/config.module';
import { CaseEvents } from '@/consultations/case-events';
import type { Consultation, IntakeAnswers } from '@/consultations/consultation.entity';
import { ConsultationsService } from '@/consultations/consultations.service';
import { I18nService } from '@/i18n/i18n.service';
import type { MessageKey } from '@/i18n/catalogs/en';
import { InferenceService } from '@/inference/inference.service';
import type { InferenceResult } from '@/inference/inference.types';
import { OutboxService } from '@/outbox/outbox.service';
import { JobName } from '@/jobs/job.types';
import { JobsService } from '@/jobs/jobs.service';
import { Scheduler } from '@/jobs/scheduler';
import { contactChat, Patient } from '@/patients/patient.entity';
import { PatientsService } from '@/patients/patients.service';
import { PhotoStore } from '@/photos/photo-store.service';
import { ErasureService } from '@/privacy/erasure.service';
import { RateLimits } from '@/rate-limits/rate-limits.service';
import { ActionRoute, dispatchAction, onAction } from '@/messaging/actions';
import { INTAKE_STEPS, intakeButtons, SKIP } from './intake';
import { CONSENT, DELETE_CONFIRM, INTAKE_ANSWER, LANGUAGE } from './journey.actions';
import { ChatLock } from '@/redis/chat-lock';
import { PatientMessage, PatientMessenger } from './patient-messenger.service';
import { formatCard, formatResult } from './result-formatter';

/** How often photos not answered yet are queued again (their job may have been lost with a crashed worker). */
const RESUME_MS = 30_000;

/**
 * The patient's conversation, the same on every channel: consent, photo, result, card, case,
 * intake, status and the erasure request (the erasure itself is src/privacy/'s). Channels hand it
 * normalised {@link IncomingMessage}s through the conversation (src/conversation/).
 */
@Injectable()
export class JourneyService implements IncomingMessageHandler, OnApplicationBootstrap {
  private readonly logger = new Logger(JourneyService.name);
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly patients: PatientsService,
    private readonly consultations: ConsultationsService,
    private readonly photos: PhotoStore,
    private readonly inference: InferenceService,
    private readonly jobs: JobsService,
    private readonly channels: ChannelRegistry,
    private readonly messenger: PatientMessenger,
    private readonly i18n: I18nService,
    private readonly audit: AuditService,
    private readonly events: CaseEvents,
    private readonly outbox: OutboxService,
    private readonly rateLimits: RateLimits,
    private readonly lock: ChatLock,
    private readonly scheduler: Scheduler,
    private readonly erasure: ErasureService,
  ) {}

  /**
   * After a restart, photos that were accepted but not answered yet are queued again, and every
   * RESUME_MS after that too (a job can be lost: with Redis, bull gives up on a job whose worker died
   * three times). Queueing is idempotent (one job per case), so nothing is lost and nothing is doubled.
   */
  async onApplicationBootstrap(): Promise<void> {
    const resumed = await this.resumeUndelivered();
    if (resumed) this.logger.log(`Resumed ${resumed} photo(s) received before the restart`);
    this.scheduler.every('Resuming photos', RESUME_MS, () => this.resumeUndelivered(RESUME_MS));
  }

  /** Queues the analysis of consented patients' photos not answered yet (received at least `minAgeMs` ago); resolves to how many. */
  private async resumeUndelivered(minAgeMs = 0): Promise<number> {
    let queued = 0;
    for (const c of await this.consultations.undelivered()) {
      if (Date.now() - c.createdAt.getTime() < minAgeMs) continue;
      const patient = await this.patients.findById(c.patientId);
      if (!patient?.consentAt) continue;
      await this.jobs.enqueue(JobName.AnalysePhoto, { consultationId: c.id }, c.id);
      queued++;
    }
    return queued;
  }

  handle(message: IncomingMessage): Promise<void> {
    return this.lock.run(chatKey(message.channel, message.chatId), async () => {
      const patient = await this.patients.findOrCreate(message.channel, message.chatId, this.i18n.resolve(message.languageCode));
      await this.dispatch(patient, message);
    });
  }

  /**
   * Handles a message on behalf of a known patient whose messages arrive from another chat
   * (an outreach worker's phone). Serialised with everything else in that chat.
   */
  handleFor(patient: Patient, message: IncomingMessage): Promise<void> {
    return this.lock.run(chatKey(message.channel, message.chatId), () => this.dispatch(patient, message));
  }

  private async dispatch(patient: Patient, msg: IncomingMessage): Promise<void> {
    await this.audit.record({
      direction: 'in',
      actor: 'patient',
      action: msg.kind === 'command' ? `/${msg.command}` : msg.kind,
      patientId: patient.id,
      detail: msg.kind === 'text' ? msg.text : msg.kind === 'action' ? msg.data : null,
    });
    switch (msg.kind) {
      case 'command':
        return this.onCommand(patient, msg.command);
      case 'action':
        return this.onAction(patient, msg.data);
      case 'photo':
        return this.onPhoto(patient, msg);
      case 'text':
        return this.onText(patient, msg.text);
      case 'unsupported':
        await this.say(patient, 'unsupported');
        return;
    }
  }

  private async onCommand(patient: Patient, command: string): Promise<void> {
    switch (command) {
      case 'start':
        await this.say(patient, 'welcome');
        await this.askLanguage(patient);
        return;
      case 'language':
        await this.askLanguage(patient);
        return;
      case 'help':
        await this.say(patient, 'help');
        return;
      case 'status':
        await this.sendStatus(patient);
        return;
      case 'delete':
        await this.patients.setState(patient, 'confirm_delete');
        await this.say(patient, 'deleteConfirm', [
          [
            { label: this.t(patient, 'deleteYes'), data: DELETE_CONFIRM.encode(true) },
            { label: this.t(patient, 'deleteNo'), data: DELETE_CONFIRM.encode(false) },
          ],
        ]);
        return;
      default:
        await this.say(patient, 'textHint');
    }
  }

  /** The journey's buttons: each verb's codec (journey.actions.ts, which also builds the buttons) beside its handler. */
  private readonly actions: ActionRoute<Patient>[] = [
    onAction(LANGUAGE, (patient, code) => this.onLanguage(patient, code)),
    onAction(CONSENT, (patient, agree) => (agree ? this.onConsent(patient) : this.onDecline(patient))),
    onAction(INTAKE_ANSWER, (patient, { field, value }) => this.onIntakeAnswer(patient, field, value)),
    onAction(DELETE_CONFIRM, (patient, erase) => this.onDeleteAnswer(patient, erase)),
  ];

  private async onAction(patient: Patient, data: string): Promise<void> {
    if (!(await dispatchAction(this.actions, patient, data))) this.ignoreAction(patient);
  }

  /** Stale or forged button data: ignored quietly, the channel has already acknowledged the press. */
  private ignoreAction(patient: Patient): void {
    this.logger.debug(`Ignored an unknown or stale action from a ${patient.channel} patient`);
  }

  private async onLanguage(patient: Patient, code: string): Promise<void> {
    await this.patients.setLanguage(patient, this.i18n.resolve(code));
    if (!patient.consentAt) return this.askConsent(patient);
    await this.say(patient, 'languageSet');
  }

  private async onDeleteAnswer(patient: Patient, erase: boolean): Promise<void> {
    // Only an answer to the question asked: a forged or stale "delete:yes" erases nothing.
    if (patient.state !== 'confirm_delete') return this.ignoreAction(patient);
    return erase ? this.erase(patient) : this.cancelDelete(patient);
  }

  private async onPhoto(patient: Patient, msg: Extract<IncomingMessage, { kind: 'photo' }>): Promise<void> {
    const limit = this.channels.get(msg.channel).capabilities.maxFileBytes;
    if (limit && msg.fileSize && msg.fileSize > limit) return this.say(patient, 'mediaTooLarge');
    // A friendly brake on floods (100 photos in a minute); the patient is told to slow down.
    if (
      !(await this.rateLimits.take({
        key: `photos:${patient.id}`,
        limit: this.config.privacy.photoRatePerMinute,
        windowMs: 60_000,
      }))
    ) {
      this.logger.warn(`Photo rate limit reached by a ${msg.channel} patient`);
      return this.say(patient, 'rateLimited');
    }
    let data: Buffer;
    try {
      data = await this.channels.get(msg.channel).downloadFile(msg.fileRef);
    } catch (err) {
      if (!(err instanceof MediaUnavailableError)) throw err;
      this.logger.warn(`Could not fetch a ${msg.channel} photo (${err.reason}); asked the patient to resend`);
      await this.say(patient, err.reason === 'too_large' ? 'mediaTooLarge' : 'mediaUnavailable');
      return;
    }
    if (patient.state === 'awaiting_photo' && patient.stateData?.consultationId) {
      return this.attachRequestedPhoto(patient, String(patient.stateData.consultationId), data);
    }
    const photoFile = await this.photos.save(data);
    const { consultation, created } = await this.consultations.open({
      patientId: patient.id,
      channel: msg.channel,
      sourceMessageId: msg.messageId,
      photoFile,
      intake: profileIntake(patient),
    });
    if (!created) {
      // A redelivery of a photo we already have (its first handling may have stopped before the end):
      // finish what that one began. The acknowledgement is written once, the analysis queued once.
      await this.photos.remove(photoFile);
      if (patient.consentAt && !consultation.resultSentAt) {
        await this.say(patient, 'photoReceived');
        await this.jobs.enqueue(JobName.AnalysePhoto, { consultationId: consultation.id }, consultation.id);
      }
      return;
    }
    this.logger.log(`Photo received for case ${consultation.code} (${msg.channel})`);
    await this.audit.record({
      direction: 'in',
      actor: 'patient',
      action: 'photo',
      patientId: patient.id,
      consultationId: consultation.id,
    });
    if (patient.state === 'intake') await this.patients.setState(patient, 'ready');
    if (!patient.consentAt) {
      await this.say(patient, 'consentNeeded');
      return this.askConsent(patient);
    }
    await this.say(patient, 'photoReceived');
    await this.jobs.enqueue(JobName.AnalysePhoto, { consultationId: consultation.id }, consultation.id);
  }

  /** A doctor asked for another photo: it joins the same case and goes to the doctors' thread. */
  private async attachRequestedPhoto(patient: Patient, consultationId: string, data: Buffer): Promise<void> {
    const consultation = await this.consultations.getById(consultationId);
    const file = await this.photos.save(data);
    await this.consultations.update(consultation, { extraPhotos: [...(consultation.extraPhotos ?? []), file] });
    await this.audit.record({ direction: 'in', actor: 'patient', action: 'extra_photo', patientId: patient.id, consultationId });
    await this.patients.setState(patient, 'ready');
    await this.say(patient, 'extraPhotoAdded', undefined, { code: consultation.code }, consultationId);
    await this.events.emit('patientFollowUp', { consultation, photo: data });
  }

  /** Called when a doctor asks for another photo: the patient's next photo joins this case. */
  async requestAnotherPhoto(patientId: string, consultation: Consultation): Promise<void> {
    const patient = await this.patients.findById(patientId);
    if (!patient) return;
    await this.lock.run(chatKey(patient.channel, contactChat(patient)), async () => {
      await this.patients.setState(patient, 'awaiting_photo', { consultationId: consultation.id });
      await this.say(patient, 'doctorAsksPhoto', undefined, { code: consultation.code }, consultation.id);
    });
  }

  private async onText(patient: Patient, text: string): Promise<void> {
    if (patient.state === 'intake' && patient.stateData) {
      const step = INTAKE_STEPS[Number(patient.stateData.step)];
      const value = step?.parseText?.(text);
      if (step && value !== undefined) return this.onIntakeAnswer(patient, step.field, value);
    }
    if (!patient.consentAt && (patient.state === 'new' || patient.state === 'awaiting_language')) {
      // A first "hello" (common on WhatsApp, where there is no /start button) starts the conversation.
      return this.onCommand(patient, 'start');
    }
    const open = await this.consultations.latestOpenForPatient(patient.id);
    if (open && this.events.hasListeners('patientFollowUp')) {
      // Told only what is true: a message that did not reach the group is to be sent again.
      const forwarded = await this.events.emit('patientFollowUp', { consultation: open, text });
      await this.say(patient, forwarded ? 'followUpSent' : 'followUpNotSent', undefined, { code: open.code }, open.id);
      return;
    }
    await this.say(patient, 'textHint');
  }

  private async askLanguage(patient: Patient): Promise<void> {
    await this.patients.setState(patient, 'awaiting_language');
    const buttons = this.i18n.languages().map((l) => ({ label: l.name, data: LANGUAGE.encode(l.code) }));
    await this.say(patient, 'chooseLanguage', chunk(buttons, 2));
  }

  private async askConsent(patient: Patient): Promise<void> {
    await this.patients.setState(patient, 'awaiting_consent');
    await this.say(patient, 'consent', [
      [
        { label: this.t(patient, 'consentAgree'), data: CONSENT.encode(true) },
        { label: this.t(patient, 'consentDecline'), data: CONSENT.encode(false) },
      ],
    ]);
  }

  private async onConsent(patient: Patient): Promise<void> {
    if (!patient.consentAt) {
      await this.patients.recordConsent(patient, this.config.consentVersion);
      await this.audit.record({
        direction: 'action',
        actor: 'patient',
        action: 'consent',
        patientId: patient.id,
        detail: this.config.consentVersion,
      });
    }
    await this.patients.setState(patient, 'ready');
    await this.say(patient, 'consentThanks');
    const pending = await this.consultations.undelivered(patient.id);
    for (const c of pending) {
      await this.say(patient, 'pendingAfterConsent', undefined, undefined, c.id);
      await this.jobs.enqueue(JobName.AnalysePhoto, { consultationId: c.id }, c.id);
    }
  }

  private async onDecline(patient: Patient): Promise<void> {
    await this.patients.setState(patient, 'new');
    await this.say(patient, 'consentDeclined');
  }

  /** The AnalysePhoto job: gates + model, then the result, the card and the case code go to the patient. */
  async analyse(consultationId: string): Promise<void> {
    const consultation = await this.consultations.getById(consultationId);
    if (consultation.resultSentAt) return; // already delivered (a repeated job)
    const patient = await this.patients.findById(consultation.patientId);
    if (!patient?.consentAt) return;
    let result = consultation.aiResult;
    if (!result) {
      if (!consultation.photoFile) return;
      result = await this.inference.diagnose(await this.photos.read(consultation.photoFile));
      await this.consultations.recordResult(consultation, result);
      this.logger.log(
        `Case ${consultation.code}: verdict ${result.verdict}${result.verdict === 'ok' ? `, risk ${result.risk}` : ''}`,
      );
    }
    const verdict = result;
    // If a send fails the job is retried: the stored result is sent again, the model is not rerun.
    await this.lock.run(chatKey(patient.channel, contactChat(patient)), async () => {
      // Read again under the chat's lock: during the analysis the patient may have erased their data
      // (nothing more is sent or recorded), or another attempt of this job may have sent the result.
      const [current, fresh] = await Promise.all([
        this.consultations.findById(consultationId),
        this.patients.findById(patient.id),
      ]);
      if (!current || current.resultSentAt || !fresh) return;
      await this.deliverResult(fresh, current, verdict);
    });
  }

  /**
   * The result, the card, the case code and the first intake question are written to the outbox in
   * one statement, each under a key of its own (`result:<case>:<kind>`), and `resultSentAt` is set
   * after them: a crash anywhere in between makes the job run again, and the second run finds the
   * messages written and writes none of them twice. The patient's state is set before the messages, so
   * a second run that finds them leaves the state (and any intake answer given since) alone.
   */
  private async deliverResult(patient: Patient, consultation: Consultation, verdict: InferenceResult): Promise<void> {
    const key = (kind: string) => `result:${consultation.id}:${kind}`;
    let intakeDone = false;
    if (!(await this.outbox.has(key('result')))) {
      const lang = patient.language;
      const messages: PatientMessage[] = [
        { message: formatResult(this.i18n, lang, verdict), action: 'result', key: key('result') },
      ];
      if (verdict.verdict === 'ok') {
        const compact = MESSAGE_SHAPES[patient.channel].compact;
        messages.push({ message: formatCard(this.i18n, lang, verdict.top[0].label, compact), action: 'card', key: key('card') });
        messages.push(this.line(patient, 'caseOpened', key('caseOpened'), { code: consultation.code }));
        // A patient asked whether to erase their data keeps that question: the intake would replace it
        // and their answer would then be ignored.
        if (patient.state !== 'confirm_delete') {
          messages.push(this.line(patient, 'intakeIntro', key('intakeIntro')));
          const step = nextIntakeStep(consultation, 0);
          if (step === undefined) {
            await this.patients.setState(patient, 'ready');
            messages.push(this.line(patient, 'intakeDone', key('intakeDone'), { code: consultation.code }));
            intakeDone = true;
          } else {
            await this.patients.setState(patient, 'intake', { consultationId: consultation.id, step });
            const prompt = INTAKE_STEPS[step];
            messages.push({
              message: { text: this.t(patient, prompt.prompt), buttons: intakeButtons(prompt, (k) => this.t(patient, k)) },
              action: prompt.prompt,
              key: key(prompt.prompt),
            });
          }
        }
      }
      await this.messenger.sendAll(patient, messages, consultation.id);
    }
    await this.consultations.update(consultation, { resultSentAt: new Date() });
    if (intakeDone) await this.events.emit('intakeUpdated', consultation);
  }

  private line(patient: Patient, key: MessageKey, name: string, params?: Record<string, string | number>): PatientMessage {
    return { message: { text: this.t(patient, key, params) }, action: key, key: name };
  }

  private async askIntake(patient: Patient, consultation: Consultation, first: number): Promise<void> {
    // Steps already answered (e.g. age and sex given by an outreach worker) are not asked again.
    const step = nextIntakeStep(consultation, first);
    if (step === undefined) {
      await this.patients.setState(patient, 'ready');
      await this.say(patient, 'intakeDone', undefined, { code: consultation.code }, consultation.id);
      await this.events.emit('intakeUpdated', consultation);
      return;
    }
    const next = INTAKE_STEPS[step];
    await this.patients.setState(patient, 'intake', { consultationId: consultation.id, step });
    await this.say(
      patient,
      next.prompt,
      intakeButtons(next, (k) => this.t(patient, k)),
    );
  }

  private async onIntakeAnswer(patient: Patient, field: string, value: string): Promise<void> {
    if (patient.state !== 'intake' || !patient.stateData) return;
    const step = Number(patient.stateData.step);
    const current = INTAKE_STEPS[step];
    if (!current || current.field !== field) return; // a button from an earlier question
    const valid = value === SKIP || current.options.some((o) => o.value === value) || current.parseText?.(value) === value;
    if (!valid) return;
    const consultation = await this.consultations.getById(String(patient.stateData.consultationId));
    if (value !== SKIP) {
      await this.consultations.updateIntake(consultation, { [current.field]: value });
    }
    await this.askIntake(patient, consultation, step + 1);
  }

  private async sendStatus(patient: Patient): Promise<void> {
    const cases = (await this.consultations.forPatient(patient.id)).filter((c) => c.status !== 'rejected');
    if (!cases.length) return this.say(patient, 'statusNone');
    const lines = cases.slice(0, 10).map((c) =>
      this.t(patient, 'statusLine', {
        code: c.code,
        status: this.t(patient, `status_${c.status}`),
        date: c.createdAt.toISOString().slice(0, 10),
      }),
    );
    await this.messenger.send(patient, { text: lines.join('\n') }, undefined, 'status');
  }

  private async cancelDelete(patient: Patient): Promise<void> {
    await this.patients.setState(patient, 'ready');
    await this.say(patient, 'deleteCancelled');
  }

  /** Erases the patient's data (src/privacy/), then says so on the chat it was asked from. */
  private async erase(patient: Patient): Promise<void> {
    const lang = patient.language;
    await this.erasure.erase(patient);
    await this.messenger.sendToChat(patient.channel, contactChat(patient), lang, { text: this.i18n.t(lang, 'deleteDone') });
  }

  private t(patient: Patient, key: MessageKey, params?: Record<string, string | number>): string {
    return this.i18n.t(patient.language, key, params);
  }

  private async say(
    patient: Patient,
    key: MessageKey,
    buttons?: Button[][],
    params?: Record<string, string | number>,
    consultationId?: string,
  ): Promise<void> {
    // Said of a case (its code in the text): a channel that must ask before it sends says which one.
    const notice = typeof params?.code === 'string' ? { kind: 'case_update' as const, caseCode: params.code } : undefined;
    await this.messenger.send(patient, { text: this.t(patient, key, params), buttons, notice }, consultationId, key);
  }
}

/** The first intake step from `first` on that the case has no answer for (e.g. age given by an outreach worker). */
function nextIntakeStep(consultation: Consultation, first: number): number | undefined {
  let step = first;
  while (INTAKE_STEPS[step] && consultation.intake?.[INTAKE_STEPS[step].field] !== undefined) step++;
  return INTAKE_STEPS[step] ? step : undefined;
}

/** Intake answers already known from an outreach worker's registration. */
function profileIntake(patient: Patient): IntakeAnswers | null {
  if (!patient.profile) return null;
  const { age, sex, village } = patient.profile;
  return Object.fromEntries(Object.entries({ age, sex, village }).filter(([, v]) => v !== undefined));
}

/** The lock key of a chat's conversation (the outreach registration dialogue has its own). */
function chatKey(channel: string, chatId: string): string {
  return `chat:${channel}:${chatId}`;
}

function chunk<T>(items: T[], size: number): T[][] {
  const rows: T[][] = [];
  for (let i = 0; i < items.length; i += size) rows.push(items.slice(i, i + size));
  return rows;
}
