import { setTimeout as sleep } from 'node:timers/promises';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AuditService } from '@/audit/audit.service';
import { AdminSessionsService } from '@/dashboard/admin-sessions.service';
import type { AppConfig } from '@/config/app-config';
import { APP_CONFIG } from '@/config/config.module';
import { parseCaseCode } from '@/consultations/case-code';
import { CaseEvents } from '@/consultations/case-events';
import type { Consultation, DoctorDiagnosis } from '@/consultations/consultation.entity';
import { ConsultationsService, OPEN_STATUSES } from '@/consultations/consultations.service';
import type { ClinicTranslate } from '@/i18n/clinic/en';
import { I18nService } from '@/i18n/i18n.service';
import { LESION_LABELS } from '@/inference/inference.types';
import { Scheduler } from '@/jobs/scheduler';
import { JourneyService } from '@/journey/journey.service';
import { PatientMessenger } from '@/journey/patient-messenger.service';
import { PatientsService } from '@/patients/patients.service';
import { OutboxService } from '@/outbox/outbox.service';
import { PhotoStore } from '@/photos/photo-store.service';
import { ActionRoute, actionVerb, dispatchAction, onAction } from '@/messaging/actions';
import { ageMinutes, caseButtons, casePostText } from './case-post';
import { ANOTHER_PHOTO, caseOnButtons, CLAIM, CLOSE_CASE, URGENT_REFERRAL } from './case.actions';
import type { Doctor } from './doctor.entity';
import { DOCTORS_GROUP, DoctorsGroup, DoctorsGroupEvent } from '@/messaging/doctors-group.port';
import { Inbound } from '@/messaging/inbound';
import { DoctorsService } from './doctors.service';

const DIAGNOSES: DoctorDiagnosis[] = [...LESION_LABELS, 'other'];

/** Photos of intimate sites, or of patients who asked for it, are sent behind Telegram's spoiler. */
function wantsDiscretion(c: Consultation): boolean {
  return c.intake?.bodySite === 'intimate' || c.intake?.discreet === 'yes';
}

/** Whether a case waits to be posted to the group and nobody has taken it for posting. */
function unposted(c: Consultation): boolean {
  return !c.postedAt && c.status === 'awaiting_doctor';
}

/**
 * A case taken for posting holds it while its post is sent, renewing `postedAt` every POST_RENEW_MS;
 * one not renewed for STALE_POST_MS without a group message (its poster crashed) is posted again.
 */
const POST_RENEW_MS = 10_000;
const STALE_POST_MS = 60_000;
/** How often each instance looks for cases to post, stale posts and due reminders. */
const SWEEP_MS = 15_000;

/** A doctor's press of a case post's button. */
interface CasePress {
  event: DoctorsGroupEvent;
  callbackId: string;
  doctor: Doctor;
  /** The audit's name for the doctor. */
  actor: string;
}

/**
 * The doctors' inbox: posts ready cases to the group, handles Claim / another photo / urgent /
 * close, carries doctors' replies to the patient and patients' follow-ups back to the thread,
 * and reminds the group of unclaimed cases.
 */
@Injectable()
export class DoctorInboxService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(DoctorInboxService.name);
  private readonly posting = new Set<Promise<void>>();
  /** Doctors' texts in the clinic's language (CLINIC_LANGUAGE). */
  private readonly t: ClinicTranslate = (key, params) => this.i18n.clinic(key, params);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DOCTORS_GROUP) private readonly group: DoctorsGroup,
    private readonly doctors: DoctorsService,
    private readonly consultations: ConsultationsService,
    private readonly patients: PatientsService,
    private readonly messenger: PatientMessenger,
    private readonly journey: JourneyService,
    private readonly photos: PhotoStore,
    private readonly audit: AuditService,
    private readonly i18n: I18nService,
    private readonly adminSessions: AdminSessionsService,
    private readonly outbox: OutboxService,
    private readonly inbound: Inbound,
    private readonly scheduler: Scheduler,
    events: CaseEvents,
  ) {
    events.on('intakeUpdated', (c) => {
      this.postInBackground(c);
      return Promise.resolve();
    });
    events.on('patientFollowUp', ({ consultation, text, photo }) => this.forwardFollowUp(consultation, text, photo));
  }

  onModuleInit(): void {
    this.inbound.receiveGroupEvents((e) => this.onGroupEvent(e));
    this.scheduler.every("Doctors' inbox sweep", SWEEP_MS, () => this.sweep(new Date()));
  }

  /** Lets posts under way finish while the database and Telegram are still there. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.posting]);
  }

  /**
   * Posts a case without holding up the patient's conversation: the intake ends under the chat's
   * lock, and the group's pacing (20 posts a minute) may make a post wait. A failed post is left to
   * the sweep, which posts unposted cases.
   */
  private postInBackground(c: Consultation): void {
    const post = this.postCase(c)
      .catch((err: Error) =>
        this.logger.error(`Posting case ${c.code} failed; the sweep will try again: ${err.message}`, err.stack),
      )
      .finally(() => this.posting.delete(post));
    this.posting.add(post);
  }

  /**
   * Periodic work, with the clock passed in (tests use a fake one): posts cases whose patient did not
   * finish the intake within CASE_POST_WAIT_MIN, posts again those whose poster stopped before the post
   * was recorded, and reminds the group of unclaimed cases.
   */
  async sweep(now: Date): Promise<void> {
    const waiting = await this.consultations.list({ status: ['awaiting_doctor'] });
    for (const c of waiting) {
      if (!c.postedAt) {
        if (ageMinutes(c.resultAt ?? c.createdAt, now) >= this.config.reminders.postWaitMinutes) await this.postCase(c);
        continue;
      }
      if (!c.groupMessageId) {
        // Taken for posting but never posted: the instance posting it stopped in between (a crash).
        if (now.getTime() - c.postedAt.getTime() >= STALE_POST_MS && (await this.consultations.releasePost(c))) {
          this.logger.warn(`Case ${c.code} was never posted to the doctors' group; posting it again`);
          await this.postCase(c);
        }
        continue;
      }
      await this.remind(c, now);
    }
  }

  /**
   * Reminds the group of an unclaimed case when its time has come. Every instance sweeps: the one that
   * takes the reminder sends it, after its turn in the group's pacing (taken first, so a reminder
   * taken is sent at once, not lost with an instance that stops while it waits).
   */
  private async remind(c: Consultation, now: Date): Promise<void> {
    const urgent = c.urgentReferral || c.aiResult?.risk === 'urgent';
    const after = urgent ? this.config.reminders.urgentAfterMinutes : this.config.reminders.afterMinutes;
    if (ageMinutes(c.remindedAt ?? c.postedAt!, now) < after) return;
    await this.group.takeTurn();
    const previous = c.remindedAt;
    if (!(await this.consultations.takeReminder(c, now))) return;
    try {
      await this.group.post(
        {
          text: this.t(urgent ? 'reminderUrgent' : 'reminder', {
            code: c.code,
            minutes: ageMinutes(c.resultAt ?? c.postedAt!, now),
          }),
          replyToMessageId: c.groupMessageId!,
        },
        { paced: false },
      );
    } catch (err) {
      await this.consultations.update(c, { remindedAt: previous }); // the next sweep tries again
      throw err;
    }
    this.logger.log(`Reminded the group of case ${c.code}`);
  }

  /**
   * Posts a ready case to the group once (photo behind a spoiler for intimate sites or on request). The
   * group's pacing is waited for before the case is taken, and the hold is renewed while the post is
   * sent, so only a poster that stopped (a crash) leaves a case to be posted again. The one window left
   * is a crash between Telegram's acceptance of the post and the record of its message id.
   */
  async postCase(c: Consultation): Promise<void> {
    if (!unposted(await this.consultations.getById(c.id))) return;
    await this.group.takeTurn();
    const fresh = await this.consultations.getById(c.id);
    if (!unposted(fresh) || !(await this.consultations.transitionWhereUnposted(fresh, new Date()))) return;
    const holding = setInterval(() => {
      this.consultations
        .renewPost(fresh, new Date())
        .catch((err: Error) => this.logger.warn(`Could not renew the hold on case ${fresh.code}: ${err.message}`));
    }, POST_RENEW_MS);
    try {
      const photo = fresh.photoFile ? await this.photos.read(fresh.photoFile) : undefined;
      const messageId = await this.group.post(
        {
          text: casePostText(fresh, null, this.t),
          buttons: caseButtons(fresh, this.t),
          photo: photo && { data: photo, spoiler: wantsDiscretion(fresh) },
        },
        { paced: false },
      );
      clearInterval(holding);
      if (!(await this.consultations.recordPost(fresh, messageId, new Date()))) {
        this.logger.warn(`Case ${fresh.code} was posted to the doctors' group twice (its first post was learnt of meanwhile)`);
        return;
      }
      await this.audit.record({
        direction: 'out',
        actor: 'system',
        action: 'group_post',
        consultationId: fresh.id,
        patientId: fresh.patientId,
      });
      this.logger.log(`Case ${fresh.code} posted to the doctors' group`);
    } catch (err) {
      clearInterval(holding);
      await this.consultations.releasePost(fresh); // the sweep will try again
      throw err;
    }
  }

  /**
   * The case as it stands in the group: posted now if nobody is posting it, or once the post under way
   * (here, on another instance, in the background after the intake) is recorded. Gives up after twice
   * the stale-post time, with the case as it is.
   */
  private async posted(c: Consultation): Promise<Consultation> {
    const deadline = Date.now() + 2 * STALE_POST_MS;
    for (;;) {
      const fresh = await this.consultations.getById(c.id);
      if (fresh.groupMessageId || fresh.status !== 'awaiting_doctor' || Date.now() > deadline) return fresh;
      if (!fresh.postedAt) await this.postCase(fresh);
      else if (Date.now() - fresh.postedAt.getTime() >= STALE_POST_MS) await this.consultations.releasePost(fresh);
      else await sleep(200);
    }
  }

  /** A doctor's message or button press; the patient messages it leads to are written once, however often it is delivered. */
  private onGroupEvent(e: DoctorsGroupEvent): Promise<void> {
    return this.outbox.forEvent(`group:${e.action ? `cb:${e.action.callbackId}` : `m:${e.messageId}`}`, () =>
      this.handleGroupEvent(e),
    );
  }

  private async handleGroupEvent(e: DoctorsGroupEvent): Promise<void> {
    if (e.action) return this.onButton(e, e.action);
    const text = e.text?.trim();
    if (!text) return;
    const command = /^\/(\w+)(?:@\w+)?\s*([\s\S]*)$/.exec(text);
    if (command) return this.onCommand(e, command[1].toLowerCase(), command[2].trim());
    if (e.replyToMessageId) {
      const replyToCase = caseOnButtons(e.replyToActions);
      const c =
        (await this.consultations.findByGroupMessage(e.replyToMessageId)) ??
        (replyToCase ? await this.postOf(replyToCase, e.replyToMessageId) : null);
      if (!c) return;
      const doctor = await this.requireDoctor(e);
      if (doctor) await this.answerPatient(doctor, c, text, e);
    }
  }

  /**
   * The case post's buttons: each verb's codec (case.actions.ts, which `caseButtons` encodes with)
   * beside its handler. A press that no codec reads (forged, or from an older version) is answered
   * "unknown action"; one whose code names no case, "case gone".
   */
  private readonly caseActions: ActionRoute<CasePress>[] = [
    onAction(CLAIM, (press, code) => this.onCase(press, code, (c) => this.claim(press, c))),
    onAction(ANOTHER_PHOTO, (press, code) => this.onCase(press, code, (c) => this.askAnotherPhoto(press, c))),
    onAction(URGENT_REFERRAL, (press, code) => this.onCase(press, code, (c) => this.markUrgent(press, c))),
    onAction(CLOSE_CASE, (press, code) => this.onCase(press, code, (c) => this.close(press, c))),
  ];

  private async onButton(e: DoctorsGroupEvent, action: { callbackId: string; data: string }): Promise<void> {
    const doctor = await this.doctors.findByTelegramId(e.fromId);
    if (!doctor) {
      await this.group.answer(action.callbackId, this.t('notRegistered'), true);
      await this.group.tellPrivately(e.fromId, this.t('notRegistered'));
      await this.audit.record({
        direction: 'action',
        actor: `telegram:${e.fromId}`,
        action: 'refused',
        detail: actionVerb(action.data),
      });
      return;
    }
    const press: CasePress = { event: e, callbackId: action.callbackId, doctor, actor: `doctor:${doctor.telegramId}` };
    if (!(await dispatchAction(this.caseActions, press, action.data)))
      await this.group.answer(action.callbackId, this.t('unknownAction'));
  }

  /** Runs `handle` on the case a button names (learning its post from the press), or answers that it is gone. */
  private async onCase(press: CasePress, code: string, handle: (c: Consultation) => Promise<void>): Promise<void> {
    const c = code ? await this.postOf(code, press.event.messageId) : null;
    if (!c) return this.group.answer(press.callbackId, this.t('caseGone'), true);
    return handle(c);
  }

  private async claim({ callbackId, doctor, actor }: CasePress, c: Consultation): Promise<void> {
    const claimed = await this.consultations.transition(c, ['awaiting_doctor'], {
      status: 'claimed',
      assignedDoctorId: doctor.id,
      claimedAt: new Date(),
    });
    if (!claimed) {
      const fresh = await this.consultations.getById(c.id);
      const holder = fresh.assignedDoctorId ? await this.doctors.findById(fresh.assignedDoctorId) : null;
      const text = holder
        ? this.t('alreadyClaimed', { doctor: holder.name })
        : this.t('caseIsStatus', { status: this.t(`status_${fresh.status}`) });
      await this.group.answer(callbackId, text, true);
      return;
    }
    await this.group.answer(callbackId, this.t('claimed', { code: c.code }));
    await this.recordAction(actor, 'claim', c);
    await this.refresh(c);
  }

  private async askAnotherPhoto({ callbackId, actor }: CasePress, c: Consultation): Promise<void> {
    await this.group.answer(callbackId, this.t('photoRequested'));
    await this.journey.requestAnotherPhoto(c.patientId, c);
    await this.recordAction(actor, 'ask_photo', c);
  }

  private async markUrgent({ callbackId, doctor, actor }: CasePress, c: Consultation): Promise<void> {
    await this.group.answer(callbackId, this.t('urgentMarked'));
    await this.consultations.update(c, { urgentReferral: true });
    await this.tellPatient(c, 'doctorUrgent', doctor, 'urgent_referral');
    await this.recordAction(actor, 'urgent_referral', c);
    await this.refresh(c);
  }

  private async close({ callbackId, doctor, actor }: CasePress, c: Consultation): Promise<void> {
    const closed = await this.consultations.transition(c, OPEN_STATUSES, { status: 'closed', closedAt: new Date() });
    await this.group.answer(callbackId, this.t(closed ? 'caseClosed' : 'alreadyClosed'));
    if (!closed) return;
    await this.tellPatient(c, 'doctorClosed', doctor, 'closed');
    await this.recordAction(actor, 'close', c);
    await this.refresh(c);
  }

  /** The group's commands, each declared once with its handler (grammY's `command('queue', h)`); `args` is the text after it. */
  private readonly commands: Record<string, (e: DoctorsGroupEvent, doctor: Doctor, args: string) => Promise<void>> = {
    queue: (e) => this.postQueue(e),
    dashboard: (e, doctor) => this.sendDashboardLink(doctor, e),
    case: (e, _doctor, args) => this.withCaseArg(e, 'case', args, (c) => this.showCase(e, c)),
    prescribe: (e, doctor, args) => this.withCaseArg(e, 'prescribe', args, (c, rest) => this.prescribe(e, doctor, c, rest)),
    dx: (e, doctor, args) => this.withCaseArg(e, 'dx', args, (c, rest) => this.recordDiagnosis(e, doctor, c, rest)),
  };

  private async onCommand(e: DoctorsGroupEvent, command: string, args: string): Promise<void> {
    if (!Object.hasOwn(this.commands, command)) return; // another bot's command, or chatter
    const doctor = await this.requireDoctor(e);
    if (!doctor) return;
    await this.commands[command](e, doctor, args);
  }

  /** Runs `handle` with the case named first in `args` and the text after its code, or posts the command's usage. */
  private async withCaseArg(
    e: DoctorsGroupEvent,
    command: string,
    args: string,
    handle: (c: Consultation, rest: string) => Promise<void>,
  ): Promise<void> {
    const code = parseCaseCode(args);
    const c = code ? await this.consultations.findByCode(code) : null;
    if (!c) {
      await this.group.post({
        text: this.t(command === 'case' ? 'noCaseUsage' : 'noCaseUsageArgs', { command }),
        replyToMessageId: e.messageId,
      });
      return;
    }
    return handle(c, args.slice(args.toUpperCase().indexOf(c.code) + c.code.length).trim());
  }

  private async showCase(e: DoctorsGroupEvent, c: Consultation): Promise<void> {
    const holder = c.assignedDoctorId ? await this.doctors.findById(c.assignedDoctorId) : null;
    await this.group.post({ text: casePostText(c, holder, this.t), replyToMessageId: e.messageId });
  }

  private async prescribe(e: DoctorsGroupEvent, doctor: Doctor, c: Consultation, rest: string): Promise<void> {
    if (!rest) {
      await this.group.post({ text: this.t('usagePrescribe', { code: c.code }), replyToMessageId: e.messageId });
      return;
    }
    return this.answerPatient(doctor, c, rest, e);
  }

  private async recordDiagnosis(e: DoctorsGroupEvent, doctor: Doctor, c: Consultation, rest: string): Promise<void> {
    const dx = rest.toLowerCase() as DoctorDiagnosis;
    if (!DIAGNOSES.includes(dx)) {
      await this.group.post({
        text: this.t('usageDx', { code: c.code, labels: DIAGNOSES.join('|') }),
        replyToMessageId: e.messageId,
      });
      return;
    }
    await this.consultations.update(c, { doctorDiagnosis: dx });
    await this.recordAction(`doctor:${doctor.telegramId}`, 'dx', c, dx);
    await this.group.post({
      text: this.t('dxRecorded', { doctor: doctor.name, code: c.code, diagnosis: dx, ai: c.aiResult?.top[0]?.label ?? '?' }),
      replyToMessageId: e.messageId,
    });
    await this.refresh(c);
  }

  /** Sends a doctor's advice or prescription to the patient on their channel; the case becomes answered. */
  private async answerPatient(doctor: Doctor, c: Consultation, text: string, e: DoctorsGroupEvent): Promise<void> {
    if (c.status === 'closed' || c.status === 'rejected' || c.status === 'new') {
      await this.group.post({
        text: this.t('notSent', { code: c.code, status: this.t(`status_${c.status}`) }),
        replyToMessageId: e.messageId,
      });
      return;
    }
    if (c.assignedDoctorId && c.assignedDoctorId !== doctor.id) {
      const holder = await this.doctors.findById(c.assignedDoctorId);
      await this.group.post({
        text: this.t('claimedByOther', { code: c.code, doctor: holder?.name ?? '?' }),
        replyToMessageId: e.messageId,
      });
      return;
    }
    const patient = await this.patients.findById(c.patientId);
    if (!patient) {
      await this.group.post({ text: this.t('patientErased', { code: c.code }), replyToMessageId: e.messageId });
      return;
    }
    const header = this.i18n.t(patient.language, 'doctorReply', { doctor: doctor.name, code: c.code });
    const notice = { kind: 'doctor_answer' as const, caseCode: c.code, doctor: doctor.name };
    await this.messenger.send(patient, { text: `${header}\n\n${text}`, notice }, c.id, 'doctor_answer');
    const now = new Date();
    await this.consultations.update(c, {
      status: 'answered',
      assignedDoctorId: doctor.id,
      claimedAt: c.claimedAt ?? now,
      answeredAt: c.answeredAt ?? now,
    });
    await this.recordAction(`doctor:${doctor.telegramId}`, 'answer', c, text);
    this.logger.log(`Dr answer delivered for case ${c.code}`);
    await this.refresh(c);
  }

  /**
   * Threads a patient's message under the case post. A case not posted yet (its intake under way) is
   * posted first, and one being posted (the background post at the end of the intake) is waited for,
   * so the message is never dropped; throws when it cannot reach the group.
   */
  private async forwardFollowUp(consultation: Consultation, text?: string, photo?: Buffer): Promise<void> {
    const c = consultation.groupMessageId ? consultation : await this.posted(consultation);
    if (!c.groupMessageId)
      throw new Error(`Case ${c.code} is not in the doctors' group (status ${c.status}); the follow-up was not forwarded`);
    await this.group.post({
      text: text ? this.t('followUpText', { code: c.code, text }) : this.t('followUpPhoto', { code: c.code }),
      replyToMessageId: c.groupMessageId,
      photo: photo && { data: photo, spoiler: wantsDiscretion(c) },
    });
    await this.audit.record({
      direction: 'out',
      actor: 'system',
      action: 'follow_up_forwarded',
      consultationId: c.id,
      patientId: c.patientId,
    });
  }

  /**
   * The case a doctor acted on through one of its posts (a button on it, a reply to it). A case whose
   * post was never recorded (the poster crashed right after Telegram took it) learns it from this one,
   * so it is not posted again and replies to it reach the case.
   */
  private async postOf(code: string, groupMessageId: string): Promise<Consultation | null> {
    const c = await this.consultations.findByCode(code);
    if (c && !c.groupMessageId && (await this.consultations.recordPost(c, groupMessageId, c.postedAt ?? new Date()))) {
      this.logger.warn(`Case ${c.code}: learnt its group post from a doctor's action on it`);
    }
    return c;
  }

  private async postQueue(e: DoctorsGroupEvent): Promise<void> {
    const open = await this.consultations.list({ status: ['awaiting_doctor', 'claimed'] });
    const now = new Date();
    const urgent = (c: Consultation) => (c.urgentReferral || c.aiResult?.risk === 'urgent' ? 0 : 1);
    open.sort((a, b) => urgent(a) - urgent(b) || a.createdAt.getTime() - b.createdAt.getTime());
    const risk = (c: Consultation) =>
      urgent(c) === 0 ? this.t('queueUrgent') : this.t(c.aiResult?.risk === 'soon' ? 'queue_soon' : 'queue_routine');
    const lines = open.map((c) =>
      this.t('queueLine', {
        code: c.code,
        risk: risk(c),
        minutes: ageMinutes(c.createdAt, now),
        state: this.t(c.status === 'claimed' ? 'queueClaimed' : 'queueUnclaimed'),
      }),
    );
    await this.group.post({
      text: lines.length ? `${this.t('queueHeader', { count: lines.length })}\n${lines.join('\n')}` : this.t('queueEmpty'),
      replyToMessageId: e.messageId,
    });
  }

  /** A one-time dashboard sign-in link, sent privately (never in the group). */
  private async sendDashboardLink(doctor: Doctor, e: DoctorsGroupEvent): Promise<void> {
    const link = await this.adminSessions.oneTimeLink(`doctor:${doctor.telegramId}`);
    const sent = await this.group.tellPrivately(e.fromId, this.t('dashboardLink', { link }));
    await this.group.post({
      text: this.t(sent ? 'dashboardSent' : 'dashboardCannotWrite'),
      replyToMessageId: e.messageId,
    });
    await this.audit.record({ direction: 'action', actor: `doctor:${doctor.telegramId}`, action: 'dashboard_link' });
  }

  private async tellPatient(
    c: Consultation,
    key: 'doctorUrgent' | 'doctorClosed',
    doctor: Doctor,
    action: string,
  ): Promise<void> {
    const patient = await this.patients.findById(c.patientId);
    if (!patient) return;
    await this.messenger.send(
      patient,
      {
        text: this.i18n.t(patient.language, key, { doctor: doctor.name, code: c.code }),
        notice: { kind: 'doctor_answer', caseCode: c.code, doctor: doctor.name },
      },
      c.id,
      action,
    );
  }

  /** A doctor's action on a case, in the audit trail (`detail`: what they wrote, erased with the patient). */
  private recordAction(actor: string, action: string, c: Consultation, detail?: string): Promise<void> {
    return this.audit.record({ direction: 'action', actor, action, consultationId: c.id, patientId: c.patientId, detail });
  }

  private async refresh(c: Consultation): Promise<void> {
    if (!c.groupMessageId) return;
    const fresh = await this.consultations.getById(c.id);
    const holder = fresh.assignedDoctorId ? await this.doctors.findById(fresh.assignedDoctorId) : null;
    await this.group.edit(
      fresh.groupMessageId!,
      { text: casePostText(fresh, holder, this.t), buttons: caseButtons(fresh, this.t) },
      !!fresh.photoFile,
    );
  }

  private async requireDoctor(e: DoctorsGroupEvent): Promise<Doctor | null> {
    const doctor = await this.doctors.findByTelegramId(e.fromId);
    if (doctor) return doctor;
    const told = await this.group.tellPrivately(e.fromId, this.t('notRegistered'));
    if (!told) await this.group.post({ text: this.t('notRegistered'), replyToMessageId: e.messageId });
    await this.audit.record({ direction: 'action', actor: `telegram:${e.fromId}`, action: 'refused' });
    return null;
  }
}
