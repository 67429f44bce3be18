from pathlib import Path

import numpy as np

from dermlink_ml.data import LABELS, MixedSampler, Pool, PreparedImages, patient_folds, read_ham, read_pad


def test_read_ham_keeps_the_lesion_split(world: dict) -> None:
    samples = read_ham(world["ham"] / "HAM10000_metadata.csv", world["split"])
    by_lesion: dict = {}
    for s in samples:
        by_lesion.setdefault(s.group, set()).add(s.split)
    assert all(len(v) == 1 for v in by_lesion.values())
    assert {s.split for s in samples} == {"train", "val", "test"}


def test_patient_folds_keep_patients_together_and_spread_classes(world: dict) -> None:
    pad = read_pad(world["pad"] / "metadata.csv")
    folds = patient_folds(pad, 2, seed=1)
    assert set(folds) == {s.group for s in pad}
    for c in {s.label for s in pad}:
        per_fold = np.bincount([folds[s.group] for s in pad if s.label == c], minlength=2)
        assert abs(per_fold[0] - per_fold[1]) <= 1
    assert patient_folds(pad, 2, seed=1) == folds
    assert patient_folds(pad, 2, seed=2) != folds


def test_prepared_images_refuse_another_preparation(world: dict, tmp_path: Path) -> None:
    images = PreparedImages(world["cache"], "ham10000", 32)
    assert images.images.shape == (len(images.ids), 32, 32, 3)
    index = (world["cache"] / "ham10000-32.json").read_text().replace("sharp-cover-centre-v2", "old")
    (world["cache"] / "ham10000-32.json").write_text(index)
    try:
        PreparedImages(world["cache"], "ham10000", 32)
        raise AssertionError("an index of another preparation was accepted")
    except ValueError as err:
        assert "prepare again" in str(err)


def test_mixed_sampler_shares_and_balances(world: dict) -> None:
    ham = read_ham(world["ham"] / "HAM10000_metadata.csv", world["split"])
    pad = read_pad(world["pad"] / "metadata.csv")
    ham_images = PreparedImages(world["cache"], "ham10000", 32)
    pad_images = PreparedImages(world["cache"], "pad-ufes-20-dev", 32)
    # Unbalanced on purpose: every nevus, one image of each other class.
    skewed = [s for s in ham if s.label == LABELS.index("nv")] + [next(s for s in ham if s.label == c) for c in range(7) if c != 5]
    sampler = MixedSampler(Pool(skewed, ham_images, 1.0), Pool(pad, pad_images, 0.5), share=0.25, batch=40, seed=3)
    labels = np.concatenate([sampler.draw()[1][:30] for _ in range(200)])
    counts = np.bincount(labels, minlength=7) / len(labels)
    assert np.all(np.abs(counts - 1 / 7) < 0.03)
    images, batch_labels = sampler.draw()
    assert images.shape == (40, 32, 32, 3) and batch_labels.shape == (40,)
    again = MixedSampler(Pool(skewed, ham_images, 1.0), Pool(pad, pad_images, 0.5), share=0.25, batch=40, seed=3)
    assert np.array_equal(again.draw()[1], MixedSampler(Pool(skewed, ham_images, 1.0), Pool(pad, pad_images, 0.5), 0.25, 40, 3).draw()[1])
