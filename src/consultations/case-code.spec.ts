import { CASE_CODE_PATTERN, newCaseCode, parseCaseCode } from './case-code';

describe('newCaseCode', () => {
  it('should match C-[A-Z0-9]{4,8} without look-alike characters', () => {
    const codes = Array.from({ length: 500 }, () => newCaseCode());
    for (const code of codes) {
      expect(code).toMatch(CASE_CODE_PATTERN);
      expect(code.slice(2)).not.toMatch(/[01IO]/);
    }
    expect(new Set(codes).size).toBeGreaterThan(495);
  });
});

describe('parseCaseCode', () => {
  it('should find a code in free text, case-insensitively', () => {
    expect(parseCaseCode('/dx c-7kq2mx mel')).toBe('C-7KQ2MX');
    expect(parseCaseCode('no code here')).toBeUndefined();
  });
});
