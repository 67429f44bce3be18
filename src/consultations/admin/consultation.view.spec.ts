import type { Consultation } from '../consultation.entity';
import { toCsv } from './consultation.view';

describe('toCsv', () => {
  it('should quote fields and defuse spreadsheet formulas', () => {
    const c = {
      code: 'C-ABCDEF',
      status: 'answered',
      channel: 'telegram',
      aiResult: null,
      doctorDiagnosis: null,
      urgentReferral: false,
      intake: { bodySite: '=HYPERLINK("x")', age: '40', sex: 'female' },
      createdAt: new Date('2026-01-01T10:00:00Z'),
      resultAt: null,
      claimedAt: null,
      answeredAt: new Date('2026-01-01T10:30:00Z'),
      closedAt: null,
    } as unknown as Consultation;
    const [header, row] = toCsv([c]).trim().split('\n');
    expect(header.split(',')).toHaveLength(19);
    expect(row).toContain(`"'=HYPERLINK(""x"")"`);
    expect(row.endsWith(',30')).toBe(true);
  });
});
