import json
from pathlib import Path

import numpy as np
import pytest
import torch

from dermlink_ml.export import export_onnx, parity_fixture, run_served
from dermlink_ml.gate import PhotoGate
from dermlink_ml.models import Net, Served
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
