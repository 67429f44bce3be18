import numpy as np

from dermlink_ml.gate import fit_photo_gate, gate_scores, refusal_threshold, synthetic_negatives


def test_the_detector_separates_two_clouds_and_scores_negatives_higher() -> None:
    rng = np.random.default_rng(0)
    pos = rng.normal(0, 1, (400, 20))
    neg = rng.normal(0, 1, (300, 20)) + np.r_[4.0, np.zeros(19)]
    gate = fit_photo_gate(pos, neg)
    sp, sn = gate_scores(gate, pos), gate_scores(gate, neg)
    t = refusal_threshold([sp], [0.99])
    assert (sp > t).mean() <= 0.011
    assert (sn > t).mean() > 0.8
    assert np.array_equal(gate_scores(fit_photo_gate(pos, neg), pos), sp)


def test_synthetic_negatives_are_seeded_and_varied() -> None:
    a = synthetic_negatives(16, 32, seed=1)
    assert a.shape == (16, 32, 32, 3) and a.dtype == np.uint8
    assert np.array_equal(a, synthetic_negatives(16, 32, seed=1))
    assert not np.array_equal(a, synthetic_negatives(16, 32, seed=2))
    assert len({img.tobytes() for img in a}) == 16


def test_refusal_threshold_takes_the_strictest_set() -> None:
    a = np.linspace(0, 1, 1001)
    b = np.linspace(0, 2, 1001)
    assert refusal_threshold([a, b], [0.99, 0.2]) == float(np.quantile(a, 0.99))
    assert refusal_threshold([a, b], [0.5, 0.99]) == float(np.quantile(b, 0.99))
