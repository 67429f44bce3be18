import type { Button } from '@/bots/channel.port';
import type { Consultation } from '@/consultations/consultation.entity';
import { LESION_NAMES } from '@/inference/inference.types';
import type { Doctor } from './doctor.entity';

const pct = (p: number) => `${Math.round(p * 100)}%`;

/** Minutes (rounded) since a date, for "waiting 25 min". */
export function ageMinutes(since: Date, now: Date): number {
  return Math.max(0, Math.round((now.getTime() - since.getTime()) / 60_000));
}

function ageText(since: Date, now: Date): string {
  const m = ageMinutes(since, now);
  return m < 120 ? `${m} min` : m < 48 * 60 ? `${Math.round(m / 60)} h` : `${Math.round(m / 1440)} d`;
}

/** The case as doctors read it in the group (the caption of the photo post). Clinic language: English. */
export function casePostText(c: Consultation, doctor: Doctor | null, now = new Date()): string {
  const ai = c.aiResult;
  const risk = c.urgentReferral ? 'URGENT REFERRAL' : (ai?.risk ?? 'routine').toUpperCase();
  const lines = [`Case ${c.code} · ${risk}`];
  if (ai && ai.top.length) {
    lines.push(`AI: ${ai.top.slice(0, 3).map((p) => `${p.label} ${pct(p.probability)}`).join(', ')}`);
    lines.push(`Top: ${LESION_NAMES[ai.top[0].label]}${ai.uncertain ? ' (uncertain)' : ''}`);
  }
  if (ai?.reasons.length) lines.push(`Photo notes: ${ai.reasons.join(', ')}`);
  const i = c.intake ?? {};
  const intake = [
    i.bodySite && `site ${i.bodySite}`,
    i.duration && `for ${i.duration}`,
    i.changing && `changing ${i.changing}`,
    i.bleeding && `bleeding ${i.bleeding}`,
    i.itching && `itching ${i.itching}`,
  ].filter(Boolean);
  lines.push(`Intake: ${intake.length ? intake.join('; ') : 'none given'}`);
  lines.push(`Age ${i.age ?? '?'} · Sex ${i.sex ?? '?'} · via ${c.channel}`);
  if (c.extraPhotos?.length) lines.push(`Extra photos: ${c.extraPhotos.length}`);
  if (c.doctorDiagnosis) lines.push(`Doctor's diagnosis: ${c.doctorDiagnosis}`);
  const status =
    c.status === 'claimed' || c.status === 'answered'
      ? `${c.status === 'claimed' ? 'Claimed' : 'Answered'} by Dr ${doctor?.name ?? '?'}`
      : c.status === 'closed'
        ? 'Closed'
        : `Waiting for a doctor (${ageText(c.resultAt ?? c.createdAt, now)})`;
  lines.push(`Status: ${status}`);
  lines.push('Reply to this message to answer the patient.');
  return lines.join('\n');
}

/** The buttons under a case post; none once the case is closed. */
export function caseButtons(c: Consultation): Button[][] | undefined {
  if (c.status === 'closed') return undefined;
  const rows: Button[][] = [];
  if (c.status === 'awaiting_doctor') rows.push([{ label: 'Claim', data: `claim:${c.code}` }]);
  rows.push([
    { label: 'Ask for another photo', data: `photo:${c.code}` },
    { label: 'Urgent referral', data: `urgent:${c.code}` },
  ]);
  rows.push([{ label: 'Close (not a case)', data: `close:${c.code}` }]);
  return rows;
}
