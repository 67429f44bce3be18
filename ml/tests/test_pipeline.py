import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import onnx
import torch

from dermlink_ml.data import PreparedImages
from dermlink_ml.pipeline import GATE_L2S, MIXES, ROUTED_VIEW_SETS, VIEW_SETS, compare, compare_gates, finish, member_dir, recover_members, train_members, validation_intervals
from dermlink_ml.recipe import Paths, Recipe, RoutedRecipe, load_data, with_folds
from dermlink_ml.train import MemberConfig

from .conftest import write_prepared


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
    assert set(meta["thresholds"]) == {"mel", "soon", "uncertain"} and meta["onnx"]["outputs"] == ["logits", "ood"]
    assert all("dermoscopic" not in r for r in json.loads((out / "parity.json").read_text())["rows"])
    assert {"minSkinShare", "maxSharpness", "maxOodScore", "uncertainOodScore"} <= set(meta["gates"])
    assert meta["onnx"]["bytes"] == (out / "model.onnx").stat().st_size
    parity = json.loads((out / "parity.json").read_text())
    assert len(parity["rows"]) == 12 and all(len(r["logits"]) == 7 and np.isfinite(r["ood"]) for r in parity["rows"])
    assert metrics["pad_dev_out_of_fold"]["n"] == 20  # type: ignore[index]
    intervals = validation_intervals(paths, out)
    assert intervals["pad_dev_out_of_fold_by_patient"]["groups"] == 20  # type: ignore[index]
    assert intervals["ham_val_by_lesion"]["groups"] == 14  # type: ignore[index]  (2 validation lesions a class)
    for name in ("ham_val_by_lesion", "pad_dev_out_of_fold_by_patient"):
        value, low, high = intervals[name]["balanced_accuracy"]  # type: ignore[index]
        assert low <= value <= high
        assert value == round(metrics["validation" if name.startswith("ham") else "pad_dev_out_of_fold"]["balanced_accuracy"], 4)  # type: ignore[index]
    rows = compare(paths, recipe, data, threads=1)
    assert len(rows) == len(VIEW_SETS) * 3 and {r["model"] for r in rows} == {"member 0", "member 1", "ensemble"}
    assert all(r["pad_photos"] == 20 for r in rows if r["model"] == "ensemble")
    assert all(r["pad_photos"] < 20 for r in rows if r["model"] != "ensemble")
    assert (paths.work_dir / "tiny" / "compare.json").exists()


def test_a_routed_recipe_trains_both_ensembles_then_exports_one_graph_that_recovers(world: dict, tmp_path: Path) -> None:
    cfg = dict(size=32, epochs=1, batches_per_epoch=2, batch=8)
    derm = Recipe(name="tiny-derm", members=[MemberConfig(seed=1, **cfg), MemberConfig(seed=2, **cfg)], views=["identity", "zoom"])  # type: ignore[arg-type]
    phone = Recipe(name="tiny-phone", pad_folds=4, fold_seed=7, members=[MemberConfig(seed=s, **cfg) for s in (3, 4, 5, 6)], views=["identity", "hflip"])  # type: ignore[arg-type]
    routed = RoutedRecipe(name="tiny-routed", version="9.9.9", derm=derm, phone=phone, mix=(1.0, 0.25))
    paths = Paths(world["ham"], world["pad"], world["split"], None, world["cache"], tmp_path / "work")
    data = load_data(paths, routed, 32)
    assert data.pad_fold == with_folds(data, phone).pad_fold != with_folds(data, derm).pad_fold
    train_members(paths, routed, data, None, threads=1)
    # Each member lives in its own recipe's folders.
    assert all((member_dir(paths, part, j) / "member.pt").exists() for part in (derm, phone) for j in range(len(part.members)))
    out = tmp_path / "model"
    metrics = finish(paths, routed, data, out, "9.9.9", threads=1)
    model = onnx.load(str(out / "model.onnx"))
    assert [o.name for o in model.graph.output] == ["logits", "ood", "dermoscopic"]
    assert {"router.weight", "derm.members.1.head.weight", "phone.members.3.head.weight"} <= {i.name for i in model.graph.initializer}
    meta = json.loads((out / "metadata.json").read_text())
    assert [m["ensemble"] for m in meta["members"]] == ["dermoscopic"] * 2 + ["phone"] * 4
    assert meta["training"]["parts"]["phone"] == {"recipe": "tiny-phone", "members": 4, "views": ["identity", "hflip"], "pad_folds": 4}
    assert meta["testViews"] == ["identity", "zoom", "hflip"]
    assert meta["onnx"]["outputs"] == ["logits", "ood", "dermoscopic"]
    # A 'soon' threshold per kind of photo: the dermoscopic one never above the phone one.
    t = meta["thresholds"]
    assert set(t) == {"mel", "soon", "uncertain", "soonDermoscopic", "dermoscopic"} and t["soonDermoscopic"] <= t["soon"] and t["dermoscopic"] == 0.5
    assert all(0 <= r["dermoscopic"] <= 1 for r in json.loads((out / "parity.json").read_text())["rows"])
    assert 0 <= metrics["triage"]["ham_val"]["dermoscopic_threshold_applied"] <= 1  # type: ignore[index]
    routing = metrics["routing"]
    assert routing["mix"] == [1.0, 0.25] and 0 <= routing["ham_val_called_phone"] <= 1  # type: ignore[index]
    assert len(routing["temperatures"]) == 2 and min(routing["temperatures"]) > 0  # type: ignore[index]
    assert metrics["pad_dev_out_of_fold"]["n"] == 20  # type: ignore[index]
    # The export alone gives its members back, checked against its parity rows.
    recovered = tmp_path / "recovered"
    rpaths = Paths(world["ham"], world["pad"], world["split"], None, world["cache"], recovered)
    # The tiny world's untrained networks have near-constant features that the photo gate's
    # standardisation magnifies, so its rounding is checked more loosely than a real export's.
    recover_members(rpaths, routed, data, out, tolerance=1e-3)
    for part in (derm, phone):
        for j in range(len(part.members)):
            want = torch.load(member_dir(paths, part, j) / "member.pt")
            got = torch.load(member_dir(rpaths, part, j) / "member.pt")
            assert set(got) == set(want)
    rows = compare(paths, routed, data, threads=1)
    assert len(rows) == len(ROUTED_VIEW_SETS) ** 2 * (len(MIXES) - 2) + 2 * len(ROUTED_VIEW_SETS)
    assert all(r["soon_dermoscopic_threshold"] <= r["soon_threshold"] for r in rows)
    assert all(r["network_passes"] > 0 and min(r["temperatures"]) > 0 and 0 <= r["pad_oof_ece"] <= 1 and 0 <= r["pad_oof_benign_soon_or_urgent"] <= 1 for r in rows)


def test_compare_gates_holds_out_each_source_and_a_recipe_can_fit_its_gate_on_one_ensemble(world: dict, tmp_path: Path) -> None:
    cfg = dict(size=32, epochs=1, batches_per_epoch=2, batch=8)
    derm = Recipe(name="tiny-derm", members=[MemberConfig(seed=1, **cfg), MemberConfig(seed=2, **cfg)], views=["identity"])  # type: ignore[arg-type]
    phone = Recipe(name="tiny-phone", members=[MemberConfig(seed=3, **cfg), MemberConfig(seed=4, **cfg)], views=["identity"])  # type: ignore[arg-type]
    routed = RoutedRecipe(name="tiny-routed", version="9.9.9", derm=derm, phone=phone)
    paths = Paths(world["ham"], world["pad"], world["split"], None, world["cache"], tmp_path / "work")
    data = load_data(paths, routed, 32)
    train_members(paths, routed, data, None, threads=1)
    rng = np.random.default_rng(3)
    ids = [f"/usr/share/games/neverball/textures/{i}.png" for i in range(6)] + [f".cache/qt-resources/erase/gcompris__erase__{i}.webp" for i in range(6)]
    write_prepared(world["cache"], "negatives", ids, [rng.integers(0, 255, (32, 32, 3), dtype=np.uint8) for _ in ids])
    negatives = PreparedImages(world["cache"], "negatives", 32)
    rows = compare_gates(paths, routed, data, negatives, threads=1)
    assert [(r["features"], r["l2"]) for r in rows] == [(f, l2) for f in ("all members", "tiny-derm members", "tiny-phone members") for l2 in GATE_L2S]
    assert all(set(r["held_out_accepted"]) == {"neverball", "gcompris erase", "synthetic"} for r in rows)  # type: ignore[arg-type]
    assert all(0 <= v <= 1 for r in rows for v in r["held_out_accepted"].values())  # type: ignore[attr-defined]
    # The members' features are computed once: a second comparison reads them back.
    assert (paths.work_dir / "tiny-routed" / "gate-features.npz").exists()
    assert compare_gates(paths, routed, data, negatives, threads=1) == rows
    assert json.loads((paths.work_dir / "tiny-routed" / "compare-gates.json").read_text()) == rows
    # A retrained member makes the cached features stale: they are computed again.
    cache = paths.work_dir / "tiny-routed" / "gate-features.npz"
    with np.load(cache) as z:
        before = z["neg"].copy()
    state = torch.load(member_dir(paths, phone, 0) / "member.pt")
    torch.save({k: v + 0.5 if v.is_floating_point() else v for k, v in state.items()}, member_dir(paths, phone, 0) / "member.pt")
    compare_gates(paths, routed, data, negatives, threads=1)
    with np.load(cache) as z:
        assert not np.array_equal(z["neg"], before)
    torch.save(state, member_dir(paths, phone, 0) / "member.pt")

    out = tmp_path / "model"
    finish(paths, replace(routed, gate_features="tiny-phone"), data, out, "9.9.9", threads=1, negatives=negatives)
    weights = {i.name: onnx.numpy_helper.to_array(i) for i in onnx.load(str(out / "model.onnx")).graph.initializer}
    width = len(weights["gate.weight"])
    # The detector reads the phone members' features only: the dermoscopic members' half weighs nothing.
    assert not weights["gate.weight"][: width // 2].any() and weights["gate.weight"][width // 2 :].any()
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["metrics"]["photo_gate"]["features"] == {"columns": [width // 2, width], "of": width}
