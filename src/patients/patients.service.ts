import { NO_TRANSACTION } from '@/database/database.options';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { ChannelName } from '@/messaging/channel.port';
import { randomBytes } from 'node:crypto';
import { JourneyState, Patient, PatientProfile } from './patient.entity';

@Injectable()
export class PatientsService {
  constructor(@InjectRepository(Patient) private readonly patients: Repository<Patient>) {}

  find(channel: ChannelName, channelUserId: string): Promise<Patient | null> {
    return this.patients.findOne({ where: { channel, channelUserId } });
  }

  findById(id: string): Promise<Patient | null> {
    return this.patients.findOne({ where: { id } });
  }

  /** Finds the patient for a chat or creates one; safe when two messages race to create it. */
  async findOrCreate(channel: ChannelName, channelUserId: string, language: string): Promise<Patient> {
    const existing = await this.find(channel, channelUserId);
    if (existing) return existing;
    try {
      await this.patients.insert({ channel, channelUserId, language, state: 'new', stateData: null });
    } catch (err) {
      const raced = await this.find(channel, channelUserId);
      if (raced) return raced;
      throw err;
    }
    return (await this.find(channel, channelUserId))!;
  }

  /** A patient registered by an outreach worker, who has recorded the patient's consent. */
  async createForOutreach(input: {
    channel: ChannelName;
    workerChatId: string;
    outreachWorkerId: string;
    language: string;
    consentVersion: string;
    profile: PatientProfile;
  }): Promise<Patient> {
    return this.patients.save(
      this.patients.create({
        channel: input.channel,
        channelUserId: `${input.workerChatId}#${randomBytes(4).toString('hex')}`,
        contactChatId: input.workerChatId,
        outreachWorkerId: input.outreachWorkerId,
        language: input.language,
        state: 'ready',
        stateData: null,
        consentAt: new Date(),
        consentVersion: input.consentVersion,
        profile: input.profile,
      }),
      NO_TRANSACTION,
    );
  }

  forOutreachWorker(outreachWorkerId: string): Promise<Patient[]> {
    return this.patients.find({ where: { outreachWorkerId }, order: { createdAt: 'ASC' } });
  }

  async setState(patient: Patient, state: JourneyState, stateData: Patient['stateData'] = null): Promise<void> {
    patient.state = state;
    patient.stateData = stateData;
    await this.patients.update(patient.id, { state, stateData });
  }

  async setLanguage(patient: Patient, language: string): Promise<void> {
    patient.language = language;
    await this.patients.update(patient.id, { language });
  }

  async recordConsent(patient: Patient, version: string): Promise<void> {
    patient.consentAt = new Date();
    patient.consentVersion = version;
    await this.patients.update(patient.id, { consentAt: patient.consentAt, consentVersion: version });
  }

  async remove(patient: Patient): Promise<void> {
    await this.patients.delete(patient.id);
  }
}
