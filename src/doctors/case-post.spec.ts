import 'reflect-metadata';
import { loadConfig } from '@/config/app-config';
import type { Consultation } from '@/consultations/consultation.entity';
import type { ClinicTranslate } from '@/i18n/clinic/en';
import { I18nService } from '@/i18n/i18n.service';
import type { InferenceResult } from '@/inference/inference.types';
import { caseButtons, casePostText } from './case-post';
import type { Doctor } from './doctor.entity';

const NOW = new Date('2026-11-26T10:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

/** The clinic texts as the inbox gets them, from a configuration built like production's. */
function clinicTexts(env: Record<string, string> = {}): ClinicTranslate {
  const i18n = new I18nService(loadConfig(env));
  return (key, params) => i18n.clinic(key, params);
}

const AI: InferenceResult = {
  model: { name: 'dermlink-skin', version: 'test' },
  verdict: 'ok',
  reasons: ['blurry'],
  top: [
    { label: 'mel', name: 'Melanoma', probability: 0.62 },
    { label: 'nv', name: 'Melanocytic nevus (mole)', probability: 0.21 },
    { label: 'bkl', name: 'Benign keratosis', probability: 0.09 },
  ],
  risk: 'urgent',
  uncertain: false,
};

/** A posted case waiting for a doctor for 25 minutes. */
function waitingCase(overrides: Partial<Consultation> = {}): Consultation {
  return {
    code: 'C-K7Q2AB',
    status: 'awaiting_doctor',
    channel: 'whatsapp',
    urgentReferral: false,
    aiResult: AI,
    intake: { bodySite: 'legs', duration: 'months', changing: 'yes', bleeding: 'no', age: '40-59', sex: 'female' },
    extraPhotos: ['extra-1.jpg'],
    doctorDiagnosis: null,
    createdAt: minutesAgo(30),
    resultAt: minutesAgo(25),
    ...overrides,
  } as Consultation;
}

const AMINA = { name: 'Amina Okafor' } as Doctor;

describe('case post', () => {
  it('should read in English by default, exactly as the group has always seen it', () => {
    const t = clinicTexts();
    expect(casePostText(waitingCase(), null, t, NOW)).toBe(
      [
        'Case C-K7Q2AB · URGENT',
        'AI: mel 62%, nv 21%, bkl 9%',
        'Top: Melanoma',
        'Photo notes: blurry',
        'Intake: site legs; for months; changing yes; bleeding no',
        'Age 40-59 · Sex female · via whatsapp',
        'Extra photos: 1',
        'Status: Waiting for a doctor (25 min)',
        'Reply to this message to answer the patient.',
      ].join('\n'),
    );
    const answered = waitingCase({
      status: 'answered',
      urgentReferral: true,
      doctorDiagnosis: 'bkl',
      intake: null,
      extraPhotos: null,
    });
    expect(casePostText(answered, AMINA, t, NOW)).toBe(
      [
        'Case C-K7Q2AB · URGENT REFERRAL',
        'AI: mel 62%, nv 21%, bkl 9%',
        'Top: Melanoma',
        'Photo notes: blurry',
        'Intake: none given',
        'Age ? · Sex ? · via whatsapp',
        "Doctor's diagnosis: bkl",
        'Status: Answered by Dr Amina Okafor',
        'Reply to this message to answer the patient.',
      ].join('\n'),
    );
    expect(casePostText(waitingCase({ status: 'claimed' }), AMINA, t, NOW)).toContain('\nStatus: Claimed by Dr Amina Okafor\n');
    expect(casePostText(waitingCase({ resultAt: minutesAgo(3 * 60) }), null, t, NOW)).toContain('Waiting for a doctor (3 h)');
    expect(caseButtons(waitingCase(), t)).toEqual([
      [{ label: 'Claim', data: 'claim:C-K7Q2AB' }],
      [
        { label: 'Ask for another photo', data: 'photo:C-K7Q2AB' },
        { label: 'Urgent referral', data: 'urgent:C-K7Q2AB' },
      ],
      [{ label: 'Close (not a case)', data: 'close:C-K7Q2AB' }],
    ]);
  });

  it('should read in French with CLINIC_LANGUAGE=fr, keeping the case code, labels and callback data', () => {
    const t = clinicTexts({ CLINIC_LANGUAGE: 'fr' });
    expect(casePostText(waitingCase(), null, t, NOW)).toBe(
      [
        'Dossier C-K7Q2AB · URGENT',
        'IA : mel 62%, nv 21%, bkl 9%',
        'Hypothèse principale : Mélanome',
        'Remarques sur la photo : floue',
        'Anamnèse : localisation jambes; depuis des mois; évolution oui; saignement non',
        'Âge 40-59 · Sexe femme · via whatsapp',
        'Photos supplémentaires : 1',
        'Statut : en attente d’un médecin (25 min)',
        'Répondez à ce message pour répondre au patient.',
      ].join('\n'),
    );
    expect(casePostText(waitingCase({ status: 'claimed', resultAt: minutesAgo(3 * 24 * 60) }), AMINA, t, NOW)).toContain(
      '\nStatut : pris en charge par Dr Amina Okafor\n',
    );
    expect(casePostText(waitingCase({ resultAt: minutesAgo(3 * 24 * 60) }), null, t, NOW)).toContain('(3 j)');
    expect(caseButtons(waitingCase(), t)).toEqual([
      [{ label: 'Prendre en charge', data: 'claim:C-K7Q2AB' }],
      [
        { label: 'Demander une autre photo', data: 'photo:C-K7Q2AB' },
        { label: 'Orientation urgente', data: 'urgent:C-K7Q2AB' },
      ],
      [{ label: 'Clore (pas un cas)', data: 'close:C-K7Q2AB' }],
    ]);
    expect(caseButtons(waitingCase({ status: 'closed' }), t)).toBeUndefined();
  });
});
