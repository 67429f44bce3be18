import numpy as np

from dermlink_ml.calibrate import MEL, THRESHOLD_MARGIN, Triage, choose_triage, fit_temperature, threshold_for_recall
from dermlink_ml.metrics import auc, balanced_accuracy, ece, group_bootstrap, softmax


def test_fit_temperature_recovers_the_temperature_of_the_data() -> None:
    rng = np.random.default_rng(0)
    logits = rng.normal(0, 3, size=(4000, 7))
    y = np.array([rng.choice(7, p=p) for p in softmax(logits, 2.0)])
    assert abs(fit_temperature(logits, y) - 2.0) < 0.2


def test_threshold_for_recall_keeps_the_share() -> None:
    scores = np.linspace(0, 1, 101)
    positive = scores > 0.3
    t = threshold_for_recall(scores, positive, 0.9)
    assert (scores[positive] >= t).mean() >= 0.9
    assert (scores[positive] >= t + 0.011).mean() < 0.9


def test_choose_triage_meets_both_recalls_on_every_set() -> None:
    rng = np.random.default_rng(1)
    sets = {}
    for name in ("a", "b"):
        y = rng.integers(0, 7, 700)
        probs = softmax(rng.normal(0, 1, (700, 7)) + 2 * np.eye(7)[y], 1.0)
        sets[name] = (probs, y)
    t = choose_triage(sets, sets, mel_recall=0.9, malignant_recall=0.93)
    for probs, y in sets.values():
        risk = t.risk(probs)
        assert (risk[y == MEL] == 2).mean() >= 0.9
        for c in (0, 1, 4):
            assert (risk[y == c] >= 1).mean() >= 0.93


def test_triage_ranks_a_top_melanoma_urgent_whatever_the_threshold() -> None:
    p = np.array([[0.05, 0.05, 0.05, 0.05, 0.6, 0.15, 0.05]])
    assert Triage(mel=0.99, soon=0.99, uncertain=0.5).risk(p)[0] == 2


def test_metrics_on_known_cases() -> None:
    y = np.array([0, 0, 1, 1])
    assert balanced_accuracy(y, np.array([0, 1, 1, 1]), 7) == 0.75
    assert auc(np.array([0.1, 0.4, 0.35, 0.8]), np.array([False, False, True, True])) == 0.75
    probs = np.array([[0.9, 0.1], [0.9, 0.1]])
    assert abs(ece(np.array([0, 1]), probs) - 0.4) < 1e-9


def test_the_melanoma_threshold_comes_only_from_its_own_sets() -> None:
    rng = np.random.default_rng(3)
    y = rng.integers(0, 7, 700)
    sure = softmax(rng.normal(0, 1, (700, 7)) + 4 * np.eye(7)[y], 1.0)
    unsure = softmax(rng.normal(0, 1, (700, 7)), 1.0)
    t = choose_triage({"dermoscopic": (sure, y)}, {"dermoscopic": (sure, y), "phone": (unsure, y)}, 0.9, 0.93)
    assert t.mel == choose_triage({"dermoscopic": (sure, y)}, {"dermoscopic": (sure, y)}, 0.9, 0.93).mel
    assert (t.risk(unsure)[np.isin(y, [0, 1, 4])] >= 1).mean() >= 0.93


def test_a_photo_the_router_calls_dermoscopic_gets_the_dermoscopic_soon_threshold() -> None:
    # p(akiec) + p(bcc) + p(mel) = 0.05 on both photos: 'routine' at soon 0.08, 'soon' at 0.02.
    p = np.array([[0.02, 0.02, 0.1, 0.05, 0.01, 0.75, 0.05]] * 2)
    t = Triage(mel=0.5, soon=0.08, uncertain=0.5, soon_dermoscopic=0.02)
    assert list(t.risk(p, np.array([0.9, 0.1]))) == [1, 0]
    assert list(t.risk(p, np.array([0.5, 0.4999]))) == [1, 0]
    # Without the router's output (or the second threshold) every photo has `soon`.
    assert list(t.risk(p)) == [0, 0]
    assert list(Triage(mel=0.5, soon=0.08, uncertain=0.5).risk(p, np.array([0.9, 0.1]))) == [0, 0]


def test_the_dermoscopic_soon_threshold_meets_its_stricter_goal_and_never_exceeds_soon() -> None:
    rng = np.random.default_rng(4)
    y = rng.integers(0, 7, 1400)
    derm = softmax(rng.normal(0, 1, (1400, 7)) + 2.5 * np.eye(7)[y], 1.0)
    phone = softmax(rng.normal(0, 1, (1400, 7)) + 1.0 * np.eye(7)[y], 1.0)
    sets = {"derm": (derm, y), "phone": (phone, y)}
    t = choose_triage({"derm": (derm, y)}, sets, 0.9, 0.9, {"derm": (derm, y)}, 0.99)
    assert t.soon_dermoscopic is not None and t.soon_dermoscopic <= t.soon
    risk = t.risk(derm, np.ones(len(y)))
    for c in (0, 1, 4):
        assert (risk[y == c] >= 1).mean() >= 0.99
    # A goal the shared threshold already meets leaves it where it is.
    assert choose_triage({"derm": (derm, y)}, sets, 0.9, 0.9, {"derm": (derm, y)}, 0.5).soon_dermoscopic == t.soon


def test_group_bootstrap_is_seeded_and_wider_when_photos_of_a_lesion_share_their_outcome() -> None:
    # 100 lesions photographed twice; the outcome is the lesion's.
    hit = np.array([(i // 2) % 3 != 0 for i in range(200)], dtype=float)

    def mean(rows: np.ndarray) -> float:
        return float(hit[rows].mean())

    by_lesion = group_bootstrap([str(i // 2) for i in range(200)], mean)
    by_photo = group_bootstrap([str(i) for i in range(200)], mean)
    assert by_lesion == group_bootstrap([str(i // 2) for i in range(200)], mean)
    assert by_lesion[0] < hit.mean() < by_lesion[1]
    assert by_lesion[1] - by_lesion[0] > 1.2 * (by_photo[1] - by_photo[0])


def test_a_threshold_keeps_its_share_when_the_scores_are_computed_again_a_little_differently() -> None:
    rng = np.random.default_rng(3)
    scores = rng.uniform(0, 1, 500)
    positive = rng.uniform(0, 1, 500) < 0.3
    t = threshold_for_recall(scores, positive, 0.98)
    # Serving recomputes the scores in float32 with the temperature rounded as stored.
    again = (scores * (1 - 1e-4)).astype(np.float32)
    assert (again[positive] >= t).mean() >= 0.98
    setter = np.sort(scores[positive])[::-1][int(np.ceil(0.98 * positive.sum())) - 1]
    assert t == setter * (1 - THRESHOLD_MARGIN)
