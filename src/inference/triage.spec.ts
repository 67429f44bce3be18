import { LESION_LABELS, LesionLabel } from './inference.types';
import { softmaxT, triage } from './triage';

const T = { mel: 0.2, soon: 0.3, uncertain: 0.5 };

/** Probabilities with `main` at `top` and the rest spread evenly; `extra` overrides single classes. */
function probs(main: LesionLabel, top: number, extra: Partial<Record<LesionLabel, number>> = {}): number[] {
  const p = LESION_LABELS.map((l) => extra[l] ?? (l === main ? top : 0));
  const rest = 1 - p.reduce((a, b) => a + b, 0);
  const free = LESION_LABELS.filter((l) => l !== main && extra[l] === undefined);
  return p.map((v, i) => (free.includes(LESION_LABELS[i]) ? rest / free.length : v));
}

describe('triage', () => {
  it('should call a melanoma ranked first urgent, whatever the threshold', () => {
    expect(triage(probs('mel', 0.6), { ...T, mel: 0.99 }, false).risk).toBe('urgent');
  });

  it('should call a nevus urgent when p(mel) reaches the threshold', () => {
    expect(triage(probs('nv', 0.7, { mel: 0.2 }), T, false).risk).toBe('urgent');
    expect(triage(probs('nv', 0.6, { mel: 0.19, bcc: 0.08, akiec: 0.05 }), T, false).risk).toBe('soon');
  });

  it('should add the three cancers and precancers for soon', () => {
    expect(triage(probs('nv', 0.64, { akiec: 0.12, bcc: 0.12, mel: 0.06 }), T, false).risk).toBe('soon');
    expect(triage(probs('nv', 0.75, { akiec: 0.1, bcc: 0.1, mel: 0.05 }), T, false).risk).toBe('routine');
    expect(triage(probs('bcc', 0.35), { ...T, soon: 0.99 }, false).risk).toBe('soon');
  });

  it("should hold a photo the router calls dermoscopic to the model's stricter soon threshold", () => {
    const perKind = { ...T, soonDermoscopic: 0.1, dermoscopic: 0.5 };
    // p(akiec) + p(bcc) + p(mel) = 0.15: under soon (0.3), over soonDermoscopic (0.1).
    const p = probs('nv', 0.8, { akiec: 0.05, bcc: 0.05, mel: 0.05 });
    expect(triage(p, perKind, false, 0.9).risk).toBe('soon');
    expect(triage(p, perKind, false, 0.5).risk).toBe('soon');
    expect(triage(p, perKind, false, 0.49).risk).toBe('routine');
    // Without the router's output, or a model without the second threshold: `soon` for every photo.
    expect(triage(p, perKind, false).risk).toBe('routine');
    expect(triage(p, T, false, 0.9).risk).toBe('routine');
  });

  it('should flag a low top probability or an unfamiliar photo as uncertain', () => {
    expect(triage(probs('nv', 0.45), T, false).uncertain).toBe(true);
    expect(triage(probs('nv', 0.9), T, false).uncertain).toBe(false);
    expect(triage(probs('nv', 0.9), T, true).uncertain).toBe(true);
  });
});

describe('softmaxT', () => {
  it('should sum to one and flatten with a higher temperature', () => {
    const a = softmaxT([2, 1, 0], 1);
    const b = softmaxT([2, 1, 0], 3);
    expect(a.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 12);
    expect(b[0]).toBeLessThan(a[0]);
    expect(softmaxT([1000, 0], 1)[0]).toBe(1);
  });
});
