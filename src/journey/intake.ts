import type { Button } from '@/messaging/channel.port';
import type { IntakeAnswers } from '@/consultations/consultation.entity';
import type { MessageKey } from '@/i18n/catalogs/en';
import { INTAKE_ANSWER } from './journey.actions';

/** One optional intake question: its prompt, its choices (message keys), and the answer field. */
export interface IntakeStep {
  field: keyof IntakeAnswers;
  prompt: MessageKey;
  options: { value: string; label: MessageKey }[];
  /** Typed free text accepted as an answer (e.g. an age), normalised, or undefined when not acceptable. */
  parseText?: (text: string) => string | undefined;
}

const yesNo = [
  { value: 'yes', label: 'yes' },
  { value: 'no', label: 'no' },
] as const satisfies IntakeStep['options'];

export const INTAKE_STEPS: IntakeStep[] = [
  {
    field: 'bodySite',
    prompt: 'q_bodySite',
    options: [
      { value: 'head', label: 'bodySite_head' },
      { value: 'trunk', label: 'bodySite_trunk' },
      { value: 'arms', label: 'bodySite_arms' },
      { value: 'legs', label: 'bodySite_legs' },
      { value: 'intimate', label: 'bodySite_intimate' },
      { value: 'other', label: 'bodySite_other' },
    ],
  },
  { field: 'discreet', prompt: 'q_discreet', options: [...yesNo] },
  {
    field: 'duration',
    prompt: 'q_duration',
    options: [
      { value: 'weeks', label: 'duration_weeks' },
      { value: 'months', label: 'duration_months' },
      { value: 'years', label: 'duration_years' },
    ],
  },
  { field: 'changing', prompt: 'q_changing', options: [...yesNo] },
  { field: 'bleeding', prompt: 'q_bleeding', options: [...yesNo] },
  { field: 'itching', prompt: 'q_itching', options: [...yesNo] },
  {
    field: 'age',
    prompt: 'q_age',
    options: [
      { value: '<18', label: 'age_child' },
      { value: '18-39', label: 'age_young' },
      { value: '40-59', label: 'age_middle' },
      { value: '60+', label: 'age_older' },
    ],
    parseText: (text) => {
      const n = Number(text.trim());
      return Number.isInteger(n) && n >= 0 && n <= 120 ? String(n) : undefined;
    },
  },
  {
    field: 'sex',
    prompt: 'q_sex',
    options: [
      { value: 'female', label: 'sex_female' },
      { value: 'male', label: 'sex_male' },
      { value: 'other', label: 'sex_other' },
    ],
  },
];

export const SKIP = '-';

/** Builds the buttons of a step, two per row, then Skip; `t` translates labels. */
export function intakeButtons(step: IntakeStep, t: (key: MessageKey) => string): Button[][] {
  const rows: Button[][] = [];
  step.options.forEach((o, i) => {
    if (i % 2 === 0) rows.push([]);
    rows[rows.length - 1].push({ label: t(o.label), data: INTAKE_ANSWER.encode({ field: step.field, value: o.value }) });
  });
  rows.push([{ label: t('skip'), data: INTAKE_ANSWER.encode({ field: step.field, value: SKIP }) }]);
  return rows;
}
