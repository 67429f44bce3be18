from pathlib import Path

import numpy as np
import pytest
import torch

from dermlink_ml.gate import fit_photo_gate
from dermlink_ml.models import Net, Routed, Served, ShadesOfGrey, freeze_batch_norm, view, zoom
from dermlink_ml.pipeline import mixed

from .conftest import blob

PRETRAINED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "pretrained" / "mobilenet_v2_1.0_imagenet.pt"


def test_shades_of_grey_equalises_the_channel_norms() -> None:
    x = torch.rand(2, 3, 16, 16) * torch.tensor([200.0, 120.0, 60.0]).view(1, 3, 1, 1)
    y = ShadesOfGrey()(x)
    norms = (y / 255).pow(6).mean(dim=(2, 3)).pow(1 / 6)
    assert torch.allclose(norms, norms.mean(dim=1, keepdim=True), rtol=0.02)
    assert y.max() <= 255


def test_frozen_batch_norm_keeps_its_statistics_in_training() -> None:
    net = Net("mobilenet_v2")
    net.train()
    freeze_batch_norm(net)
    bn = next(m for m in net.modules() if isinstance(m, torch.nn.BatchNorm2d))
    before = bn.running_mean.clone()
    net(torch.rand(4, 3, 32, 32) * 255)
    assert torch.equal(before, bn.running_mean)


def test_served_graph_averages_members_and_views() -> None:
    torch.manual_seed(0)
    members = [Net("mobilenet_v2").eval(), Net("mobilenet_v2").eval()]
    images = torch.from_numpy(np.stack([blob(1, 3), blob(4, 4)]).astype(np.float32))
    x = images.permute(0, 3, 1, 2)
    with torch.no_grad():
        feats = torch.cat([m.embed(x) for m in members], dim=1).numpy()
        gate = fit_photo_gate(np.concatenate([feats, feats + 0.1]), np.concatenate([feats - 5, feats - 6]))
        served = Served(members, ["identity", "hflip"], gate).eval()
        logits, score = served(images)
        expected = sum(m(view(x, v)) for m in members for v in ["identity", "hflip"]) / 4
    assert torch.allclose(logits, expected, atol=1e-5)
    assert score.shape == (2,)


def test_routed_graph_mixes_each_ensemble_at_its_own_temperature() -> None:
    torch.manual_seed(0)
    derm = Served([Net("mobilenet_v2").eval()], ["identity"], torch.nn.Identity()).eval()
    phone = Served([Net("mobilenet_v2").eval(), Net("mobilenet_v2").eval()], ["identity", "hflip"], torch.nn.Identity()).eval()
    images = torch.from_numpy(np.stack([blob(1, 3), blob(4, 4), blob(6, 5)]).astype(np.float32))
    with torch.no_grad():
        derm_logits, _ = derm(images)
        phone_logits, phone_feats = phone(images)
        feats = phone_feats.numpy()
        # A router that calls the first photo dermoscopic and the others phone photos, not all sure.
        router = fit_photo_gate(feats[:1], feats[1:])
        routed = Routed(derm, phone, router, (1.0, 0.25), torch.nn.Identity(), temperatures=(0.8, 1.6)).eval()
        logits, _, p_out = routed(images)
        p_derm = torch.sigmoid(-router(phone_feats)).numpy()
    want = mixed((1.0, 0.25), p_derm, derm_logits.numpy(), phone_logits.numpy(), (0.8, 1.6))
    np.testing.assert_allclose(logits.numpy(), want, atol=1e-5)
    # The router's belief is the graph's third output (the triage rule reads it).
    np.testing.assert_allclose(p_out.numpy(), p_derm, atol=1e-6)
    assert p_out[0] > 0.5 > float(p_out[1:].max())
    # Not the same as mixing first: the temperatures matter.
    assert not np.allclose(want, mixed((1.0, 0.25), p_derm, derm_logits.numpy(), phone_logits.numpy()), atol=1e-3)
    with pytest.raises(ValueError):
        Routed(derm, phone, router, (1.0, 0.0), torch.nn.Identity(), temperatures=(0.0, 1.0))


def test_zoom_views_scale_the_centre_up() -> None:
    # A 20 x 20 picture whose centre 16 x 16 is bright: zoomed 1.25x, the bright square fills it.
    x = torch.zeros(1, 3, 20, 20)
    x[:, :, 2:18, 2:18] = 100.0
    z = zoom(x)
    assert z.shape == x.shape
    assert torch.allclose(z, torch.full_like(z, 100.0))
    ramp = torch.arange(20.0).repeat(1, 3, 20, 1)
    assert torch.equal(view(ramp, "zoom-hflip"), torch.flip(view(ramp, "zoom"), dims=[3]))
    # The zoom keeps the middle: a left-to-right ramp stays one, from 2 to 17 instead of 0 to 19.
    row = view(ramp, "zoom")[0, 0, 0]
    assert float(row[0]) > 1.5 and float(row[-1]) < 17.5 and bool((row[1:] > row[:-1]).all())
    with pytest.raises(ValueError):
        view(x, "zoom2")


@pytest.mark.skipif(not PRETRAINED.exists(), reason=f"ImageNet weights not found at {PRETRAINED}")
def test_imagenet_weights_load_into_the_backbone() -> None:
    net = Net("mobilenet_v2")
    first = net.body[0][0].weight.clone()
    net.load_imagenet(PRETRAINED)
    assert not torch.equal(first, net.body[0][0].weight)
