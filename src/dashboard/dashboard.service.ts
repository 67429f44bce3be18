import { Injectable } from '@nestjs/common';
import type { Consultation } from '@/consultations/consultation.entity';
import { ConsultationsService } from '@/consultations/consultations.service';
import { LESION_LABELS } from '@/inference/inference.types';
import { PatientsService } from '@/patients/patients.service';

/** The numbers the coordinators' dashboard shows. Computed from the cases on each request. */
export interface DashboardStats {
  generatedAt: string;
  totals: { cases: number; open: number; answered: number; rejected: number };
  openByRisk: Record<'urgent' | 'soon' | 'routine', number>;
  openByAge: Record<'under1h' | 'under24h' | 'over24h', number>;
  perDay: { day: string; telegram: number; whatsapp: number; web: number }[];
  firstAnswerMinutes: { count: number; median: number | null; p90: number | null };
  aiVsDoctor: { reviewed: number; agreement: number | null; labels: string[]; confusion: number[][] };
  rejections: Record<string, number>;
  villages: { village: string; cases: number }[];
}

const OPEN = new Set(['awaiting_doctor', 'claimed']);

function quantile(sorted: number[], q: number): number | null {
  if (!sorted.length) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return Math.round(sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo));
}

@Injectable()
export class DashboardService {
  constructor(
    private readonly consultations: ConsultationsService,
    private readonly patients: PatientsService,
  ) {}

  async stats(now = new Date(), days = 30): Promise<DashboardStats> {
    const all = await this.consultations.list();
    const open = all.filter((c) => OPEN.has(c.status));
    const risk = (c: Consultation) => (c.urgentReferral ? 'urgent' : (c.aiResult?.risk ?? 'routine'));
    const ageH = (c: Consultation) => (now.getTime() - c.createdAt.getTime()) / 3_600_000;

    const perDay = new Map<string, { day: string; telegram: number; whatsapp: number; web: number }>();
    for (let i = days - 1; i >= 0; i--) {
      const day = new Date(now.getTime() - i * 86_400_000).toISOString().slice(0, 10);
      perDay.set(day, { day, telegram: 0, whatsapp: 0, web: 0 });
    }
    for (const c of all) {
      const row = perDay.get(c.createdAt.toISOString().slice(0, 10));
      if (row) row[c.channel]++;
    }

    const answerTimes = all
      .filter((c) => c.answeredAt)
      .map((c) => (c.answeredAt!.getTime() - c.createdAt.getTime()) / 60_000)
      .sort((a, b) => a - b);

    const labels = [...LESION_LABELS, 'other'];
    const confusion = labels.map(() => labels.map(() => 0));
    let agree = 0;
    const reviewed = all.filter((c) => c.doctorDiagnosis && c.aiResult?.top.length);
    for (const c of reviewed) {
      const ai = c.aiResult!.top[0].label;
      confusion[labels.indexOf(c.doctorDiagnosis!)][labels.indexOf(ai)]++;
      if (ai === c.doctorDiagnosis) agree++;
    }

    const rejections: Record<string, number> = {};
    for (const c of all.filter((x) => x.status === 'rejected')) {
      for (const r of c.aiResult?.reasons.length ? c.aiResult.reasons : [c.aiResult?.verdict ?? 'unknown'])
        rejections[r] = (rejections[r] ?? 0) + 1;
    }

    const villages = new Map<string, number>();
    const patientIds = new Set(all.map((c) => c.patientId));
    for (const id of patientIds) {
      const p = await this.patients.findById(id);
      const village = p?.profile?.village;
      if (village) villages.set(village, (villages.get(village) ?? 0) + all.filter((c) => c.patientId === id).length);
    }

    return {
      generatedAt: now.toISOString(),
      totals: {
        cases: all.length,
        open: open.length,
        answered: all.filter((c) => c.answeredAt).length,
        rejected: all.filter((c) => c.status === 'rejected').length,
      },
      openByRisk: {
        urgent: open.filter((c) => risk(c) === 'urgent').length,
        soon: open.filter((c) => risk(c) === 'soon').length,
        routine: open.filter((c) => risk(c) === 'routine').length,
      },
      openByAge: {
        under1h: open.filter((c) => ageH(c) < 1).length,
        under24h: open.filter((c) => ageH(c) >= 1 && ageH(c) < 24).length,
        over24h: open.filter((c) => ageH(c) >= 24).length,
      },
      perDay: [...perDay.values()],
      firstAnswerMinutes: { count: answerTimes.length, median: quantile(answerTimes, 0.5), p90: quantile(answerTimes, 0.9) },
      aiVsDoctor: { reviewed: reviewed.length, agreement: reviewed.length ? agree / reviewed.length : null, labels, confusion },
      rejections,
      villages: [...villages.entries()].map(([village, cases]) => ({ village, cases })).sort((a, b) => b.cases - a.cases),
    };
  }
}
