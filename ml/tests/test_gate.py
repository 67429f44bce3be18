import numpy as np

from dermlink_ml.gate import fit_photo_gate, gate_scores, leave_one_source_out, negative_source, refusal_threshold, synthetic_negatives


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


def test_a_widened_detector_scores_the_full_features_as_the_narrow_one_scores_its_columns() -> None:
    rng = np.random.default_rng(1)
    pos, neg = rng.normal(0, 1, (200, 12)), rng.normal(0, 1, (150, 12)) + 2.0
    columns = slice(4, 9)
    narrow = fit_photo_gate(pos[:, columns], neg[:, columns])
    wide = narrow.widen(columns, 12)
    np.testing.assert_allclose(gate_scores(wide, neg), gate_scores(narrow, neg[:, columns]), atol=1e-5)
    # The other columns do not move the score.
    shifted = neg.copy()
    shifted[:, :4] += 100.0
    np.testing.assert_allclose(gate_scores(wide, shifted), gate_scores(wide, neg), atol=1e-5)


def test_negative_sources_are_named_by_package_activity_or_stamp_category() -> None:
    assert negative_source(".cache/qt-resources/erase/gcompris__erase__resource__gorilla.webp") == "gcompris erase"
    assert negative_source("/usr/share/tuxpaint/stamps/animals/mammals/cat.png") == "tux paint animals"
    assert negative_source("/usr/share/tuxpaint/stamps/food/apple.png") == "tux paint other stamps"
    assert negative_source("/usr/share/games/neverball/textures/a.png") == "neverball"
    assert negative_source("/usr/share/doc/HTML/en/marble/map.png") == "marble"
    assert negative_source("/somewhere/else.png") == "other"


def test_a_source_like_no_other_is_accepted_when_held_out() -> None:
    """Negatives of source 'far' lie where only they are: a detector that never saw them takes
    them for positives; 'near' looks like the other negatives and stays refused."""
    rng = np.random.default_rng(2)
    pos = rng.normal(0, 1, (300, 6))
    near = rng.normal(0, 1, (200, 6)) + np.r_[8.0, 0, 0, 0, 0, 0]
    seen = rng.normal(0, 1, (200, 6)) + np.r_[8.0, 0, 0, 0, 0, 0]
    far = rng.normal(0, 1, (100, 6)) + np.r_[0, -8.0, 0, 0, 0, 0]
    neg = np.concatenate([near, seen, far])
    sources = np.asarray(["near"] * 200 + ["seen"] * 200 + ["far"] * 100)
    judged = np.ones(len(neg), dtype=bool)
    unseen = [rng.normal(0, 1, (200, 6))]
    accepted = leave_one_source_out(pos, neg, sources, judged, unseen, [0.99], l2=1e-2)
    assert set(accepted) == {"near", "seen", "far"}
    assert accepted["near"] < 0.05 and accepted["seen"] < 0.05
    # Not seen, 'far' is not along the direction that tells the others apart.
    assert accepted["far"] > 0.5
    # Only the judged pictures count.
    only_first = leave_one_source_out(pos, neg, sources, np.arange(len(neg)) < 250, unseen, [0.99], l2=1e-2)
    assert only_first["near"] == accepted["near"] and set(only_first) == {"near", "seen"}
