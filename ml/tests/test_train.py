from pathlib import Path

import torch

from dermlink_ml.augment import AugmentConfig
from dermlink_ml.data import PreparedImages, read_ham, read_pad
from dermlink_ml.train import MemberConfig, _config_dict, _same_recipe, eval_set, pool_of, train_member


def tiny(epochs: int = 2) -> MemberConfig:
    return MemberConfig(size=32, epochs=epochs, batches_per_epoch=3, batch=8, augment=AugmentConfig(p_jpeg=0.5))


def run(world: dict, out: Path, cfg: MemberConfig, **kw):  # type: ignore[no-untyped-def]
    ham = read_ham(world["ham"] / "HAM10000_metadata.csv", world["split"])
    pad = read_pad(world["pad"] / "metadata.csv")
    hi = PreparedImages(world["cache"], "ham10000", 32)
    pi = PreparedImages(world["cache"], "pad-ufes-20-dev", 32)
    return train_member(
        cfg,
        out,
        None,
        ham=pool_of([s for s in ham if s.split == "train"], hi, 1.0),
        pad=pool_of(pad, pi, 0.5),
        eval_sets=[eval_set("ham_val", [s for s in ham if s.split == "val"], hi)],
        threads=1,
        **kw,
    )


def test_an_interrupted_member_resumes_to_the_same_weights(world: dict, tmp_path: Path) -> None:
    whole = run(world, tmp_path / "whole", tiny())

    class Crash(Exception):
        pass

    def crash(epoch: int) -> None:
        if epoch == 0:
            raise Crash()

    try:
        run(world, tmp_path / "cut", tiny(), on_epoch_end=crash)
        raise AssertionError("the crash hook did not run")
    except Crash:
        pass
    assert (tmp_path / "cut" / "checkpoint.pt").exists() and not (tmp_path / "cut" / "member.pt").exists()
    resumed = run(world, tmp_path / "cut", tiny())
    for a, b in zip(whole.state_dict().values(), resumed.state_dict().values()):
        assert torch.equal(a, b)
    history = (tmp_path / "cut" / "history.json").read_text()
    assert '"epoch": 2' in history and "ham_val_balanced_accuracy" in history


def test_a_finished_member_is_loaded_not_trained_again(world: dict, tmp_path: Path) -> None:
    first = run(world, tmp_path / "m", tiny(1))
    stamp = (tmp_path / "m" / "member.pt").stat().st_mtime_ns
    again = run(world, tmp_path / "m", tiny(1))
    assert (tmp_path / "m" / "member.pt").stat().st_mtime_ns == stamp
    assert all(torch.equal(a, b) for a, b in zip(first.state_dict().values(), again.state_dict().values()))


def test_a_checkpoint_of_another_recipe_is_refused(world: dict, tmp_path: Path) -> None:
    def stop(epoch: int) -> None:
        raise KeyboardInterrupt()

    try:
        run(world, tmp_path / "m", tiny(), on_epoch_end=stop)
    except KeyboardInterrupt:
        pass
    other = tiny()
    other.lr_head = 1.0
    try:
        run(world, tmp_path / "m", other)
        raise AssertionError("resumed another recipe's checkpoint")
    except ValueError as err:
        assert "another recipe" in str(err)


def test_recipe_fields_added_later_keep_old_checkpoints_when_at_their_default() -> None:
    current = _config_dict(MemberConfig())
    saved = _config_dict(MemberConfig())
    del saved["augment"]["rotate"]  # type: ignore[attr-defined]
    assert _same_recipe(saved, current, current)
    changed = _config_dict(MemberConfig(augment=AugmentConfig(rotate=False)))
    assert not _same_recipe(saved, changed, current)


def test_batches_from_worker_processes_do_not_depend_on_how_many_and_resume(world: dict, tmp_path: Path) -> None:
    one = run(world, tmp_path / "one", tiny(), workers=1)
    two = run(world, tmp_path / "two", tiny(), workers=2)
    for a, b in zip(one.state_dict().values(), two.state_dict().values()):
        assert torch.equal(a, b)

    def stop(epoch: int) -> None:
        raise KeyboardInterrupt()

    try:
        run(world, tmp_path / "cut", tiny(), workers=2, on_epoch_end=stop)
    except KeyboardInterrupt:
        pass
    try:
        run(world, tmp_path / "cut", tiny())
        raise AssertionError("resumed per-batch seeding on the single stream")
    except ValueError as err:
        assert "--workers" in str(err)
    resumed = run(world, tmp_path / "cut", tiny(), workers=1)
    for a, b in zip(one.state_dict().values(), resumed.state_dict().values()):
        assert torch.equal(a, b)
    # Another random stream than the single one: the same recipe, other batches.
    stream = run(world, tmp_path / "stream", tiny())
    assert not all(torch.equal(a, b) for a, b in zip(one.state_dict().values(), stream.state_dict().values()))
