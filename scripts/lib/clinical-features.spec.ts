import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { hamDir } from '@/inference/testing/dataset-dir';
import { encodeClinical, readClinical } from './clinical-features';

const HAM = hamDir();
const itWithData = HAM ? it : it.skip;

describe('encodeClinical', () => {
  it('should encode what the intake asks as one-hot age band, sex and body site', () => {
    // age bands <18, 18-39, 40-59, 60+ | male, female | head, trunk, arms, legs, intimate
    expect([...encodeClinical({ age: 45, sex: 'female', localization: 'hand' }, 'intake')]).toEqual([
      0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0,
    ]);
    expect([...encodeClinical({ age: 17, sex: 'male', localization: 'genital' }, 'intake')]).toEqual([
      1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1,
    ]);
  });

  it('should leave unknown values at zero, and flag a missing age in the fine encoding', () => {
    expect([...encodeClinical({ sex: 'unknown', localization: 'unknown' }, 'intake')].every((v) => v === 0)).toBe(true);
    const fine = encodeClinical({ localization: 'face' }, 'fine');
    expect([...fine.subarray(0, 4)]).toEqual([50, 1, 0, 0]);
    expect(fine.reduce((s, v) => s + v, 0)).toBe(52); // age 50, the flag, the face site
  });
});

describe('readClinical', () => {
  it('should read a HAM10000 metadata file by column name and refuse one without the columns', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'clinical-'));
    const good = path.join(dir, 'meta.csv');
    writeFileSync(good, 'lesion_id,image_id,dx,dx_type,age,sex,localization\nL1,ISIC_1,nv,histo,,male,back\n');
    expect([...(readClinical(good, 'intake').get('ISIC_1') ?? [])]).toEqual([0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0]);
    const bad = path.join(dir, 'isic.csv');
    writeFileSync(bad, 'image,MEL,NV,BCC,AKIEC,BKL,DF,VASC\nISIC_1,0,1,0,0,0,0,0\n');
    expect(() => readClinical(bad, 'intake')).toThrow(/no image_id column/);
  });

  itWithData('should give every HAM10000 image a site unless its localization is unknown', () => {
    const sites = readClinical(path.join(HAM ?? '', 'HAM10000_metadata.csv'), 'intake');
    expect(sites.size).toBe(10015);
    const withSite = [...sites.values()].filter((v) => v.subarray(6).some((x) => x === 1)).length;
    expect(withSite).toBe(10015 - 234); // 234 images have localization "unknown"
  });
});
