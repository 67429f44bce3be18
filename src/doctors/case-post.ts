import type { Button } from '@/messaging/channel.port';
import type { Consultation } from '@/consultations/consultation.entity';
import { ClinicKey, clinicEn, ClinicTranslate } from '@/i18n/clinic/en';
import { ANOTHER_PHOTO, CLAIM, CLOSE_CASE, URGENT_REFERRAL } from './case.actions';
import type { Doctor } from './doctor.entity';

const pct = (p: number) => `${Math.round(p * 100)}%`;

/** Minutes (rounded) since a date, for "waiting 25 min". */
export function ageMinutes(since: Date, now: Date): number {
  return Math.max(0, Math.round((now.getTime() - since.getTime()) / 60_000));
}

function ageText(since: Date, now: Date, t: ClinicTranslate): string {
  const m = ageMinutes(since, now);
  return m < 120
    ? t('age_minutes', { n: m })
    : m < 48 * 60
      ? t('age_hours', { n: Math.round(m / 60) })
      : t('age_days', { n: Math.round(m / 1440) });
}

/** The clinic's word for a machine code (`value_legs`, `reason_blurry`...), or the code itself when there is none. */
function word(t: ClinicTranslate, prefix: 'value' | 'reason', code: string): string {
  const key = `${prefix}_${code}`;
  return key in clinicEn ? t(key as ClinicKey) : code;
}

/** The case as doctors read it in the group (the caption of the photo post), in the clinic's language. */
export function casePostText(c: Consultation, doctor: Doctor | null, t: ClinicTranslate, now = new Date()): string {
  const ai = c.aiResult;
  const risk = c.urgentReferral ? t('casePost_riskUrgentReferral') : t(`casePost_risk_${ai?.risk ?? 'routine'}`);
  const lines = [t('casePost_title', { code: c.code, risk })];
  if (ai && ai.top.length) {
    lines.push(
      t('casePost_ai', {
        list: ai.top
          .slice(0, 3)
          .map((p) => `${p.label} ${pct(p.probability)}`)
          .join(', '),
      }),
    );
    lines.push(t(ai.uncertain ? 'casePost_topUncertain' : 'casePost_top', { name: t(`lesion_${ai.top[0].label}`) }));
  }
  if (ai?.reasons.length)
    lines.push(t('casePost_photoNotes', { reasons: ai.reasons.map((r) => word(t, 'reason', r)).join(', ') }));
  const i = c.intake ?? {};
  const intake = [
    i.bodySite && t('casePost_site', { value: word(t, 'value', i.bodySite) }),
    i.duration && t('casePost_duration', { value: word(t, 'value', i.duration) }),
    i.changing && t('casePost_changing', { value: word(t, 'value', i.changing) }),
    i.bleeding && t('casePost_bleeding', { value: word(t, 'value', i.bleeding) }),
    i.itching && t('casePost_itching', { value: word(t, 'value', i.itching) }),
  ].filter(Boolean);
  lines.push(intake.length ? t('casePost_intake', { answers: intake.join('; ') }) : t('casePost_intakeNone'));
  lines.push(t('casePost_patient', { age: i.age ?? '?', sex: i.sex ? word(t, 'value', i.sex) : '?', channel: c.channel }));
  if (c.extraPhotos?.length) lines.push(t('casePost_extraPhotos', { count: c.extraPhotos.length }));
  if (c.doctorDiagnosis) lines.push(t('casePost_doctorDiagnosis', { diagnosis: c.doctorDiagnosis }));
  lines.push(
    c.status === 'claimed' || c.status === 'answered'
      ? t(c.status === 'claimed' ? 'casePost_statusClaimed' : 'casePost_statusAnswered', { doctor: doctor?.name ?? '?' })
      : c.status === 'closed'
        ? t('casePost_statusClosed')
        : t('casePost_statusWaiting', { age: ageText(c.resultAt ?? c.createdAt, now, t) }),
  );
  lines.push(t('casePost_replyHint'));
  return lines.join('\n');
}

/** The buttons under a case post, labelled in the clinic's language; none once the case is closed. */
export function caseButtons(c: Consultation, t: ClinicTranslate): Button[][] | undefined {
  if (c.status === 'closed') return undefined;
  const rows: Button[][] = [];
  if (c.status === 'awaiting_doctor') rows.push([{ label: t('button_claim'), data: CLAIM.encode(c.code) }]);
  rows.push([
    { label: t('button_anotherPhoto'), data: ANOTHER_PHOTO.encode(c.code) },
    { label: t('button_urgentReferral'), data: URGENT_REFERRAL.encode(c.code) },
  ]);
  rows.push([{ label: t('button_close'), data: CLOSE_CASE.encode(c.code) }]);
  return rows;
}
