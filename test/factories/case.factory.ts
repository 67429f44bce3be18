import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { ChannelName } from '@/messaging/channel.port';
import { newCaseCode } from '@/consultations/case-code';
import { Consultation } from '@/consultations/consultation.entity';
import type { InferenceResult, LesionLabel } from '@/inference/inference.types';
import { LESION_LABELS, LESION_NAMES } from '@/inference/inference.types';
import { Patient, PatientProfile } from '@/patients/patient.entity';

/** An AI result with `label` on top at probability `p` (the rest share the remainder). */
export function aiResult(label: LesionLabel, p = 0.7, risk: InferenceResult['risk'] = 'routine'): InferenceResult {
  const rest = LESION_LABELS.filter((l) => l !== label);
  return {
    model: { name: 'dermlink-skin', version: 'test' },
    verdict: 'ok',
    reasons: [],
    top: [
      { label, name: LESION_NAMES[label], probability: p },
      ...rest.map((l) => ({ label: l, name: LESION_NAMES[l], probability: (1 - p) / rest.length })),
    ],
    risk,
    uncertain: p < 0.5,
  };
}

export function rejectedResult(verdict: 'retake' | 'not_skin', reasons: InferenceResult['reasons']): InferenceResult {
  return { model: { name: 'dermlink-skin', version: 'test' }, verdict, reasons, top: [], risk: 'routine', uncertain: false };
}

/** Builds a patient and a case in the real database. */
export async function seedCase(
  db: DataSource,
  c: Partial<Consultation> & { channel?: ChannelName; profile?: PatientProfile; ageMinutes?: number },
): Promise<Consultation> {
  const channel = c.channel ?? 'telegram';
  const patient = await db.getRepository(Patient).save({
    channel,
    channelUserId: randomBytes(6).toString('hex'),
    language: 'en',
    state: 'ready',
    consentAt: new Date(),
    consentVersion: 'test',
    profile: c.profile ?? null,
  } as Partial<Patient>);
  const createdAt = new Date(Date.now() - (c.ageMinutes ?? 30) * 60_000);
  const { profile: _p, ageMinutes: _a, ...fields } = c;
  return db.getRepository(Consultation).save({
    code: newCaseCode(),
    patientId: patient.id,
    channel,
    status: 'awaiting_doctor',
    sourceMessageId: randomBytes(6).toString('hex'),
    createdAt,
    resultAt: createdAt,
    ...fields,
  } as Partial<Consultation>);
}
