import json
from pathlib import Path

import numpy as np
import onnx
import pytest
import torch

from dermlink_ml.export import HALF_SUFFIX, export_onnx, parity_fixture, run_served
from dermlink_ml.gate import PhotoGate
from dermlink_ml.models import Net, Served, half_precision_weights
from dermlink_ml.recover import recover

from .conftest import SIZE, blob

VIEWS = ["identity", "hflip", "zoom", "zoom-hflip"]


def trained_looking_net(seed: int) -> Net:
    """A network whose batch norms are not the identity, as after fine-tuning."""
    torch.manual_seed(seed)
    net = Net("mobilenet_v2")
    for m in net.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.normal_(0, 0.1)
            m.running_mean.normal_(0, 0.1)
            m.running_var.uniform_(0.5, 2.0)
    return net.eval()


def export(tmp_path: Path) -> tuple[Served, Path, dict]:
    members = [trained_looking_net(1), trained_looking_net(2)]
    dim = 2 * members[0].feature_dim
    gate = PhotoGate(torch.zeros(dim), torch.ones(dim), torch.randn(dim) * 0.01, torch.tensor([0.3]))
    served = Served(members, VIEWS, gate).eval()
    out = tmp_path / "export"
    out.mkdir()
    export_onnx(served, SIZE, out)
    named = {"ham10000:A": blob(0, 1), "ham10000:B": blob(4, 2)}
    (out / "parity.json").write_text(json.dumps(parity_fixture(served, named, SIZE)))
    history = [[{"epoch": 1, "train_s": 1.0}], [{"epoch": 1, "train_s": 2.0}]]
    meta = {"testViews": VIEWS, "members": [{"backbone": "mobilenet_v2"}] * 2, "training": {"history": history}}
    (out / "metadata.json").write_text(json.dumps(meta))
    return served, out, named


def test_members_come_back_from_an_export_with_the_same_outputs(tmp_path: Path) -> None:
    served, out, named = export(tmp_path)
    targets = [tmp_path / "member-0", tmp_path / "member-1"]
    worst = recover(out, targets, named)
    assert worst < 1e-4
    nets = []
    for t in targets:
        net = Net("mobilenet_v2")
        net.load_state_dict(torch.load(t / "member.pt"))
        nets.append(net.eval())
    again = Served(nets, VIEWS, served.gate).eval()
    images = np.stack([blob(c, 10 + c) for c in range(7)])
    want, want_ood, _ = run_served(served, images)
    got, got_ood, _ = run_served(again, images)
    np.testing.assert_allclose(got, want, atol=1e-4)
    np.testing.assert_allclose(got_ood, want_ood, atol=1e-4)
    assert json.loads((targets[1] / "history.json").read_text()) == [{"epoch": 1, "train_s": 2.0}]


def test_an_export_that_does_not_match_its_parity_rows_is_refused(tmp_path: Path) -> None:
    _, out, named = export(tmp_path)
    parity = json.loads((out / "parity.json").read_text())
    parity["rows"][0]["logits"][0] += 0.01
    (out / "parity.json").write_text(json.dumps(parity))
    with pytest.raises(ValueError, match="differ"):
        recover(out, [tmp_path / "a", tmp_path / "b"], named)
    assert not (tmp_path / "a").exists()


def test_a_half_precision_export_is_half_the_size_and_computes_what_pytorch_does(tmp_path: Path) -> None:
    members = [half_precision_weights(trained_looking_net(1)), half_precision_weights(trained_looking_net(2))]
    dim = 2 * members[0].feature_dim
    gate = PhotoGate(torch.zeros(dim), torch.ones(dim), torch.randn(dim) * 0.01, torch.tensor([0.3]))
    served = Served(members, VIEWS, gate).eval()
    full, half = tmp_path / "full", tmp_path / "half"
    full.mkdir()
    half.mkdir()
    export_onnx(served, SIZE, full)
    export_onnx(served, SIZE, half, half_storage=True)
    ratio = (half / "model.onnx").stat().st_size / (full / "model.onnx").stat().st_size
    assert 0.45 < ratio < 0.6
    model = onnx.load(str(half / "model.onnx"))
    stored = {i.name: i.data_type for i in model.graph.initializer}
    # Every convolution weight of both members (52 convolutions each) is float16 behind a Cast.
    halves = [name for name, t in stored.items() if t == onnx.TensorProto.FLOAT16]
    assert len(halves) == 2 * 52 and all(name.endswith(HALF_SUFFIX) for name in halves)
    casts = {n.input[0]: n.output[0] for n in model.graph.node if n.op_type == "Cast"}
    assert all(casts.get(name) == name[: -len(HALF_SUFFIX)] for name in halves)
    assert not any(stored.get(n.input[1]) == onnx.TensorProto.FLOAT for n in model.graph.node if n.op_type == "Conv")
    # The stored weights are the rounded ones exactly: the networks come back with the same outputs.
    named = {"ham10000:A": blob(0, 1)}
    (half / "parity.json").write_text(json.dumps(parity_fixture(served, named, SIZE)))
    meta = {"testViews": VIEWS, "members": [{"backbone": "mobilenet_v2"}] * 2}
    (half / "metadata.json").write_text(json.dumps(meta))
    worst = recover(half, [tmp_path / "m0", tmp_path / "m1"], named, tolerance=1e-5)
    assert worst < 1e-5


def test_half_precision_weights_change_the_outputs_only_by_float16_rounding() -> None:
    net = trained_looking_net(3)
    images = torch.from_numpy(np.stack([blob(c, 20 + c) for c in range(3)]).astype(np.float32)).permute(0, 3, 1, 2)
    with torch.no_grad():
        want = net(images)
        got = half_precision_weights(net)(images)
    assert not torch.equal(got, want)
    np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=0.02, atol=0.02 * float(want.abs().max()))
    weights = [m.weight for m in net.body.modules() if isinstance(m, torch.nn.Conv2d)]
    assert all(torch.equal(w, w.half().float()) for w in weights)
