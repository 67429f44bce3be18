import type { Consultation } from '../consultation.entity';

/** What clinic staff see of a case over REST: no photo bytes, no patient chat id. */
export interface ConsultationView {
  code: string;
  status: Consultation['status'];
  channel: Consultation['channel'];
  ai: { verdict: string; top: { label: string; probability: number }[]; risk: string; uncertain: boolean } | null;
  intake: Consultation['intake'];
  doctorDiagnosis: Consultation['doctorDiagnosis'];
  urgentReferral: boolean;
  createdAt: string;
  resultAt: string | null;
  claimedAt: string | null;
  answeredAt: string | null;
  closedAt: string | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toView(c: Consultation): ConsultationView {
  return {
    code: c.code,
    status: c.status,
    channel: c.channel,
    ai: c.aiResult && {
      verdict: c.aiResult.verdict,
      top: c.aiResult.top.slice(0, 3).map(({ label, probability }) => ({ label, probability })),
      risk: c.aiResult.risk,
      uncertain: c.aiResult.uncertain,
    },
    intake: c.intake,
    doctorDiagnosis: c.doctorDiagnosis,
    urgentReferral: c.urgentReferral,
    createdAt: c.createdAt.toISOString(),
    resultAt: iso(c.resultAt),
    claimedAt: iso(c.claimedAt),
    answeredAt: iso(c.answeredAt),
    closedAt: iso(c.closedAt),
  };
}

const CSV_COLUMNS = [
  'code',
  'status',
  'channel',
  'ai_verdict',
  'ai_top',
  'ai_top_probability',
  'ai_risk',
  'ai_uncertain',
  'doctor_diagnosis',
  'urgent_referral',
  'body_site',
  'age',
  'sex',
  'created_at',
  'result_at',
  'claimed_at',
  'answered_at',
  'closed_at',
  'minutes_to_first_answer',
] as const;

function cell(value: string | number | boolean | null | undefined): string {
  const s = value === null || value === undefined ? '' : String(value);
  // Quote, and defuse spreadsheet formulas (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The cases as CSV: AI result, doctor's diagnosis and timings. */
export function toCsv(rows: Consultation[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const c of rows) {
    const top = c.aiResult?.top[0];
    lines.push(
      [
        c.code,
        c.status,
        c.channel,
        c.aiResult?.verdict,
        top?.label,
        top?.probability.toFixed(4),
        c.aiResult?.risk,
        c.aiResult?.uncertain,
        c.doctorDiagnosis,
        c.urgentReferral,
        c.intake?.bodySite,
        c.intake?.age,
        c.intake?.sex,
        iso(c.createdAt),
        iso(c.resultAt),
        iso(c.claimedAt),
        iso(c.answeredAt),
        iso(c.closedAt),
        c.answeredAt ? Math.round((c.answeredAt.getTime() - c.createdAt.getTime()) / 60_000) : '',
      ]
        .map(cell)
        .join(','),
    );
  }
  return lines.join('\n') + '\n';
}
