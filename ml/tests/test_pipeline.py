import json
from pathlib import Path

import numpy as np
import onnx

from dermlink_ml.pipeline import VIEW_SETS, compare, finish, train_members
from dermlink_ml.recipe import Paths, Recipe, load_data
from dermlink_ml.train import MemberConfig


def test_members_then_finish_export_a_checked_onnx_model_with_its_metadata(world: dict, tmp_path: Path) -> None:
    cfg = dict(size=32, epochs=1, batches_per_epoch=2, batch=8)
    views = ["identity", "hflip", "zoom", "zoom-hflip"]
    recipe = Recipe(name="tiny", members=[MemberConfig(seed=1, **cfg), MemberConfig(seed=2, **cfg)], views=views)  # type: ignore[arg-type]
    paths = Paths(world["ham"], world["pad"], world["split"], None, world["cache"], tmp_path / "work")
    data = load_data(paths, recipe, 32)
    train_members(paths, recipe, data, None, threads=1)
    out = tmp_path / "model"
    metrics = finish(paths, recipe, data, out, "9.9.9", threads=1)
    model = onnx.load(str(out / "model.onnx"))
    onnx.checker.check_model(model)
    assert [i.name for i in model.graph.input] == ["image"]
    assert [o.name for o in model.graph.output] == ["logits", "ood"]
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["version"] == "9.9.9" and meta["input"]["size"] == 32 and meta["testViews"] == views
    assert set(meta["thresholds"]) == {"mel", "soon", "uncertain"}
    assert {"minSkinShare", "maxSharpness", "maxOodScore", "uncertainOodScore"} <= set(meta["gates"])
    assert meta["onnx"]["bytes"] == (out / "model.onnx").stat().st_size
    parity = json.loads((out / "parity.json").read_text())
    assert len(parity["rows"]) == 12 and all(len(r["logits"]) == 7 and np.isfinite(r["ood"]) for r in parity["rows"])
    assert metrics["pad_dev_out_of_fold"]["n"] == 20  # type: ignore[index]
    rows = compare(paths, recipe, data, threads=1)
    assert len(rows) == len(VIEW_SETS) * 3 and {r["model"] for r in rows} == {"member 0", "member 1", "ensemble"}
    assert all(r["pad_photos"] == 20 for r in rows if r["model"] == "ensemble")
    assert all(r["pad_photos"] < 20 for r in rows if r["model"] != "ensemble")
    assert (paths.work_dir / "tiny" / "compare.json").exists()
