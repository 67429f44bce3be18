from pathlib import Path

import numpy as np

from dermlink_ml.cli import main
from dermlink_ml.data import PreparedImages, read_ham
from dermlink_ml.recipe import RECIPES, Recipe
from dermlink_ml.train import MemberConfig

from .conftest import SIZE


def test_a_pack_carries_the_training_photos_but_never_the_test_split(world: dict, tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(RECIPES, "tiny", Recipe(name="tiny", members=[MemberConfig(size=SIZE), MemberConfig(size=SIZE, seed=2)]))
    pretrained = tmp_path / "pretrained"
    pretrained.mkdir()
    (pretrained / "mobilenet_v2_1.0_imagenet.pt").write_bytes(b"weights")
    out = tmp_path / "pack"
    common = ["--recipe", "tiny", "--ham", str(world["ham"]), "--pad", str(world["pad"]), "--split", str(world["split"]), "--cache", str(world["cache"])]
    main(["pack", *common, "--pretrained", str(pretrained), "--to", str(out)])
    assert (out / "pretrained" / "mobilenet_v2_1.0_imagenet.pt").read_bytes() == b"weights"
    assert (out / "ham10000" / "HAM10000_metadata.csv").read_text() == (world["ham"] / "HAM10000_metadata.csv").read_text()
    assert "pack:" in capsys.readouterr().out

    there = tmp_path / "there"
    main(["unpack", "--from", str(out / "prepared"), "--cache", str(there)])
    for name in ("ham10000", "pad-ufes-20-dev"):
        original, carried = PreparedImages(world["cache"], name, SIZE), PreparedImages(there, name, SIZE)
        rows = original.rows(carried.ids)
        np.testing.assert_array_equal(carried.stats, original.stats[rows])
        # Lossy, but close: WebP at quality 90-95 (these synthetic pictures carry strong pixel
        # noise that WebP smooths; the real prepared photos differ by about 1.4 grey levels).
        error = np.abs(carried.images.astype(float) - original.images[rows].astype(float)).mean()
        assert 0 < error < 8
    ham = read_ham(world["ham"] / "HAM10000_metadata.csv", world["split"])
    carried_ids = set(PreparedImages(there, "ham10000", SIZE).ids)
    assert carried_ids == {s.image_id for s in ham if s.split in ("train", "val")}
    assert len(PreparedImages(there, "pad-ufes-20-dev", SIZE).ids) == 20
