import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { FindOptionsWhere, In, IsNull, Not, Repository } from 'typeorm';
import type { ChannelName } from '@/messaging/channel.port';
import type { InferenceResult } from '@/inference/inference.types';
import { newCaseCode } from './case-code';
import { Consultation, ConsultationStatus, IntakeAnswers } from './consultation.entity';

export const OPEN_STATUSES: ConsultationStatus[] = ['new', 'awaiting_doctor', 'claimed', 'answered'];

/** Thrown when a case code or id names no case. */
export class ConsultationNotFoundError extends Error {
  override name = 'ConsultationNotFoundError';
  constructor(readonly ref: string) {
    super(`No consultation ${ref}`);
  }
}

@Injectable()
export class ConsultationsService {
  constructor(@InjectRepository(Consultation) private readonly consultations: Repository<Consultation>) {}

  /**
   * Opens a case for a received photo. Idempotent per (channel, sourceMessageId): a redelivered
   * message returns the existing case and `created: false`.
   */
  async open(input: {
    patientId: string;
    channel: ChannelName;
    sourceMessageId: string;
    photoFile: string;
    intake?: IntakeAnswers | null;
  }): Promise<{ consultation: Consultation; created: boolean }> {
    const existing = await this.consultations.findOne({
      where: { channel: input.channel, sourceMessageId: input.sourceMessageId },
    });
    if (existing) return { consultation: existing, created: false };
    for (let attempt = 0; ; attempt++) {
      const code = newCaseCode(attempt < 5 ? 6 : 8);
      try {
        await this.consultations.insert({ ...input, code, status: 'new' });
        return { consultation: await this.getByCode(code), created: true };
      } catch (err) {
        const raced = await this.consultations.findOne({
          where: { channel: input.channel, sourceMessageId: input.sourceMessageId },
        });
        if (raced) return { consultation: raced, created: false };
        if (attempt >= 10) throw err; // not a code collision after all
      }
    }
  }

  async getByCode(code: string): Promise<Consultation> {
    const found = await this.consultations.findOne({ where: { code: code.toUpperCase() } });
    if (!found) throw new ConsultationNotFoundError(code);
    return found;
  }

  findByCode(code: string): Promise<Consultation | null> {
    return this.consultations.findOne({ where: { code: code.toUpperCase() } });
  }

  findById(id: string): Promise<Consultation | null> {
    return this.consultations.findOne({ where: { id } });
  }

  async getById(id: string): Promise<Consultation> {
    const found = await this.findById(id);
    if (!found) throw new ConsultationNotFoundError(id);
    return found;
  }

  findByGroupMessage(groupMessageId: string): Promise<Consultation | null> {
    return this.consultations.findOne({ where: { groupMessageId } });
  }

  forPatient(patientId: string): Promise<Consultation[]> {
    return this.consultations.find({ where: { patientId }, order: { createdAt: 'DESC' } });
  }

  /** The patient's most recent open case that has reached a doctor's queue, if any. */
  async latestOpenForPatient(patientId: string): Promise<Consultation | null> {
    return this.consultations.findOne({
      where: { patientId, status: In(['awaiting_doctor', 'claimed', 'answered']) },
      order: { createdAt: 'DESC' },
    });
  }

  /**
   * Cases whose result has not reached the patient yet (not analysed, or analysed but not sent),
   * oldest first: resumed after consent or after a restart.
   */
  undelivered(patientId?: string): Promise<Consultation[]> {
    return this.consultations.find({
      where: { resultSentAt: IsNull(), status: In(['new', 'awaiting_doctor', 'rejected']), ...(patientId ? { patientId } : {}) },
      order: { createdAt: 'ASC' },
    });
  }

  async recordResult(consultation: Consultation, result: InferenceResult): Promise<void> {
    consultation.aiResult = result;
    consultation.resultAt = new Date();
    consultation.status = result.verdict === 'ok' ? 'awaiting_doctor' : 'rejected';
    await this.consultations.update(consultation.id, {
      aiResult: result,
      resultAt: consultation.resultAt,
      status: consultation.status,
    });
  }

  async updateIntake(consultation: Consultation, answers: IntakeAnswers): Promise<void> {
    consultation.intake = { ...(consultation.intake ?? {}), ...answers };
    await this.consultations.update(consultation.id, { intake: consultation.intake });
  }

  /** Applies a partial update and returns the fresh row. */
  async update(consultation: Consultation, changes: Partial<Consultation>): Promise<Consultation> {
    await this.consultations.update(consultation.id, changes);
    Object.assign(consultation, changes);
    return consultation;
  }

  /**
   * Atomically sets fields only if the case is still in one of `fromStatuses` (e.g. a claim);
   * returns false when someone else changed it first.
   */
  transition(consultation: Consultation, fromStatuses: ConsultationStatus[], changes: Partial<Consultation>): Promise<boolean> {
    return this.updateWhere(consultation, { status: In(fromStatuses) }, changes);
  }

  /**
   * Takes a case for posting to the doctors' group (`postedAt` set, no group message yet); false when
   * another worker has it. The taker renews `postedAt` while it posts ({@link renewPost}).
   */
  transitionWhereUnposted(consultation: Consultation, at: Date): Promise<boolean> {
    return this.updateWhere(consultation, { postedAt: IsNull() }, { postedAt: at });
  }

  /** Renews the hold on a case being posted; false when it was released or posted meanwhile. */
  renewPost(consultation: Consultation, at: Date): Promise<boolean> {
    return this.updateWhere(consultation, { postedAt: consultation.postedAt!, groupMessageId: IsNull() }, { postedAt: at });
  }

  /**
   * Records the group message of a case's post, unless one is recorded already (false): the first
   * post the service learns of is the case's post.
   */
  recordPost(consultation: Consultation, groupMessageId: string, at: Date): Promise<boolean> {
    return this.updateWhere(consultation, { groupMessageId: IsNull() }, { groupMessageId, postedAt: at });
  }

  /** Takes the reminder due on a case for `at`; false when another instance took it first. */
  takeReminder(consultation: Consultation, at: Date): Promise<boolean> {
    return this.updateWhere(consultation, { remindedAt: consultation.remindedAt ?? IsNull() }, { remindedAt: at });
  }

  /** Frees a case whose posting failed or never finished, for posting again; false when it has moved on meanwhile. */
  releasePost(consultation: Consultation): Promise<boolean> {
    return this.updateWhere(consultation, { postedAt: consultation.postedAt!, groupMessageId: IsNull() }, { postedAt: null });
  }

  /** Sets `changes` only while the case still matches `condition`; false (and nothing set) when it no longer does. */
  private async updateWhere(
    consultation: Consultation,
    condition: FindOptionsWhere<Consultation>,
    changes: Partial<Consultation>,
  ): Promise<boolean> {
    const result = await this.consultations.update({ id: consultation.id, ...condition }, changes);
    if (!result.affected) return false;
    Object.assign(consultation, changes);
    return true;
  }

  list(filter: { status?: ConsultationStatus[] } = {}): Promise<Consultation[]> {
    return this.consultations.find({
      where: filter.status ? { status: In(filter.status) } : {},
      order: { createdAt: 'DESC' },
    });
  }

  /** Photo files of a patient's cases (for erasure). */
  async photoFilesOf(patientId: string): Promise<string[]> {
    const rows = await this.consultations.find({
      where: { patientId, photoFile: Not(IsNull()) },
      select: { id: true, photoFile: true },
    });
    return rows.map((r) => r.photoFile!).filter(Boolean);
  }
}
