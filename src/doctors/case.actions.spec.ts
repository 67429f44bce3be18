import { ANOTHER_PHOTO, caseOnButtons, CLAIM, CLOSE_CASE, URGENT_REFERRAL } from './case.actions';

describe('case actions', () => {
  it('should give every case button its own verb, and read the code back', () => {
    const codecs = [CLAIM, ANOTHER_PHOTO, URGENT_REFERRAL, CLOSE_CASE];
    expect(new Set(codecs.map((c) => c.verb)).size).toBe(codecs.length);
    for (const codec of codecs) {
      expect(codec.decode(codec.encode('C-7KQ2MX'))).toBe('C-7KQ2MX');
      for (const other of codecs.filter((c) => c !== codec)) expect(other.decode(codec.encode('C-7KQ2MX'))).toBeUndefined();
    }
  });

  describe('caseOnButtons', () => {
    it("should read the case from a case post's buttons, and none from other buttons", () => {
      expect(caseOnButtons([CLAIM.encode('C-7KQ2MX'), CLOSE_CASE.encode('C-7KQ2MX')])).toBe('C-7KQ2MX');
      expect(caseOnButtons([CLOSE_CASE.encode('C-ABCD')])).toBe('C-ABCD');
      expect(caseOnButtons(['C-7KQ2MX', 'lang:en', 'consent:yes'])).toBeUndefined();
      expect(caseOnButtons(undefined)).toBeUndefined();
    });
  });
});
