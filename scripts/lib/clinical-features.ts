import { readFileSync } from 'node:fs';
import { parseCsv } from '@/inference/dataset';

/**
 * What a patient can say besides the photo (age, sex, body site), from HAM10000's metadata, for the
 * clinical-information experiment (`npm run experiment:cv -- --clinical ...`). Two encodings:
 * - `fine`: age in years (missing: 50, with a flag), sex, and eight body sites;
 * - `intake`: only what the bot's intake asks (`src/journey/intake.ts`): an age band (<18, 18-39,
 *   40-59, 60+), sex, and the five sites it offers (head, trunk, arms, legs, intimate).
 * An unknown value is all zeros in its part.
 */
export type ClinicalEncoding = 'fine' | 'intake';

export const CLINICAL_ENCODINGS: ClinicalEncoding[] = ['fine', 'intake'];

/** HAM10000's localization values, grouped into the fine encoding's sites. */
const FINE_SITE: Record<string, string> = {
  face: 'face',
  scalp: 'head',
  ear: 'head',
  neck: 'head',
  back: 'trunk',
  chest: 'trunk',
  abdomen: 'trunk',
  trunk: 'trunk',
  'upper extremity': 'arm',
  hand: 'hand',
  'lower extremity': 'leg',
  foot: 'foot',
  acral: 'foot',
  genital: 'genital',
};

/** The fine sites, grouped into the intake's choices. */
const INTAKE_SITE: Record<string, string> = {
  face: 'head',
  head: 'head',
  trunk: 'trunk',
  arm: 'arms',
  hand: 'arms',
  leg: 'legs',
  foot: 'legs',
  genital: 'intimate',
};

const SITES: Record<ClinicalEncoding, string[]> = {
  fine: [...new Set(Object.values(FINE_SITE))],
  intake: [...new Set(Object.values(INTAKE_SITE))],
};

export interface ClinicalRecord {
  age?: number;
  sex?: string;
  localization?: string;
}

/** One record's vector in `encoding`. */
export function encodeClinical(record: ClinicalRecord, encoding: ClinicalEncoding): Float32Array {
  const sites = SITES[encoding];
  const ageDim = encoding === 'intake' ? 4 : 2;
  const v = new Float32Array(ageDim + 2 + sites.length);
  const age = record.age;
  if (encoding === 'intake') {
    if (age !== undefined) v[age < 18 ? 0 : age < 40 ? 1 : age < 60 ? 2 : 3] = 1;
  } else {
    v[0] = age ?? 50;
    v[1] = age === undefined ? 1 : 0;
  }
  v[ageDim] = record.sex === 'male' ? 1 : 0;
  v[ageDim + 1] = record.sex === 'female' ? 1 : 0;
  const fine = FINE_SITE[record.localization ?? ''];
  const site = encoding === 'intake' ? INTAKE_SITE[fine] : fine;
  if (site) v[ageDim + 2 + sites.indexOf(site)] = 1;
  return v;
}

/** Every image's vector, from a HAM10000 metadata file (`image_id,...,age,sex,localization`). */
export function readClinical(csvPath: string, encoding: ClinicalEncoding): Map<string, Float32Array> {
  const [header, ...body] = parseCsv(readFileSync(csvPath, 'utf8'));
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${csvPath}: no ${name} column; clinical information needs HAM10000's metadata format`);
    return i;
  };
  const [id, age, sex, site] = ['image_id', 'age', 'sex', 'localization'].map(col);
  return new Map(
    body.map((r) => [
      r[id],
      encodeClinical({ age: r[age] === '' ? undefined : Number(r[age]), sex: r[sex], localization: r[site] }, encoding),
    ]),
  );
}
