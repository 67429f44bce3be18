"""Networks: the in-graph preprocessing, the backbones with their ImageNet starts, the served ensemble.

Everything after sharp's crop and resize lives inside the graph (colour constancy, the backbone's
input scaling, test-time views, the ensemble mean, the out-of-distribution score), so the ONNX file
the service runs computes exactly what was trained and validated here.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Sequence

import torch
import torch.nn as nn
import torchvision

#: Minkowski norm of the shades-of-grey colour constancy (Finlayson & Trezzi 2004).
SHADES_OF_GREY_P = 6.0
BACKBONES = ("mobilenet_v2",)


class ShadesOfGrey(nn.Module):
    """White balance: scales each channel so its L6 mean matches their common grey (B x 3 x H x W, 0..255)."""

    def __init__(self, p: float = SHADES_OF_GREY_P) -> None:
        super().__init__()
        self.p = p

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        illum = (x / 255.0).clamp_min(0).pow(self.p).mean(dim=(2, 3), keepdim=True).pow(1.0 / self.p)
        grey = illum.pow(2).mean(dim=1, keepdim=True).sqrt()
        gain = grey / illum.clamp_min(1e-6)
        return (x * gain).clamp(0, 255)


class Net(nn.Module):
    """Colour constancy, the backbone's input scaling, the backbone, global pooling, a linear head."""

    def __init__(self, backbone: str, num_classes: int = 7, dropout: float = 0.2) -> None:
        super().__init__()
        if backbone not in BACKBONES:
            raise ValueError(f"unknown backbone {backbone}; known: {', '.join(BACKBONES)}")
        self.backbone_name = backbone
        self.colour = ShadesOfGrey()
        net = torchvision.models.mobilenet_v2(num_classes=1001)
        self.body = net.features
        self.feature_dim = net.last_channel
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(self.feature_dim, num_classes)

    def scale_input(self, x: torch.Tensor) -> torch.Tensor:
        # MobileNetV2 (TF): RGB in [-1, 1].
        return x / 127.5 - 1.0

    def embed(self, x: torch.Tensor) -> torch.Tensor:
        """B x 3 x H x W RGB in 0..255 -> pooled features B x feature_dim."""
        z = self.body(self.scale_input(self.colour(x)))
        return z.mean(dim=(2, 3))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.dropout(self.embed(x)))

    def load_imagenet(self, weights: Path) -> None:
        """The shared ImageNet start (`mobilenet_v2_1.0_imagenet.pt`, batch norm folded); the head stays new."""
        state = torch.load(weights, map_location="cpu")
        body = {k[len("features."):]: v for k, v in state.items() if k.startswith("features.")}
        self.body.load_state_dict(body, strict=True)


def freeze_batch_norm(model: nn.Module) -> None:
    """Keeps every batch norm on its stored statistics (the folded ImageNet ones) while training.

    The affine parameters still learn; only the running statistics and the batch statistics stay out.
    """
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.eval()


def conv_batch_norm_pairs(net: "Net") -> List[tuple[nn.Conv2d, nn.BatchNorm2d]]:
    """Every convolution of the backbone with the batch norm that follows it, in module order."""
    modules = list(net.body.modules())
    pairs = []
    for i, m in enumerate(modules):
        if isinstance(m, nn.Conv2d):
            bn = modules[i + 1]
            if not isinstance(bn, nn.BatchNorm2d) or m.bias is not None:
                raise ValueError("every convolution of the backbone is bias-free and followed by a batch norm")
            pairs.append((m, bn))
    return pairs


def set_folded(net: "Net", convs: Sequence[tuple[torch.Tensor, torch.Tensor]]) -> None:
    """Puts folded (weight, bias) pairs into the backbone's convolutions; each batch norm then passes
    values through (mean 0, variance 1 - eps, scale 1, shift the folded bias)."""
    pairs = conv_batch_norm_pairs(net)
    if len(pairs) != len(convs):
        raise ValueError(f"{len(convs)} convolutions for a backbone of {len(pairs)}")
    with torch.no_grad():
        for (conv, bn), (w, b) in zip(pairs, convs):
            conv.weight.copy_(w)
            bn.weight.fill_(1.0)
            bn.bias.copy_(b)
            bn.running_mean.zero_()
            bn.running_var.fill_(1.0 - bn.eps)


def half_precision_weights(net: "Net") -> "Net":
    """The network as it is served from a half-precision export (`export.store_half`): each batch
    norm folded into its convolution (as the ONNX export folds it) and the folded convolution
    weights rounded to float16; biases and the head stay float32. Scoring, calibration and the
    parity rows then see exactly the weights the ONNX file stores. In place; returns `net`."""
    folded = []
    with torch.no_grad():
        for conv, bn in conv_batch_norm_pairs(net):
            scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)
            w = (conv.weight * scale.view(-1, 1, 1, 1)).half().float()
            b = bn.bias - bn.running_mean * scale
            folded.append((w, b))
    set_folded(net, folded)
    return net


#: The centre zoom of the `zoom` views: the middle 1/1.25 of the photo scaled back to full size.
ZOOM = 1.25


def zoom(x: torch.Tensor, factor: float = ZOOM) -> torch.Tensor:
    """The centre 1/`factor` of B x 3 x H x W images, scaled back to H x W (bilinear)."""
    h, w = int(x.shape[2]), int(x.shape[3])
    ch, cw = int(round(h / factor)), int(round(w / factor))
    top, left = (h - ch) // 2, (w - cw) // 2
    crop = x[:, :, top : top + ch, left : left + cw]
    return nn.functional.interpolate(crop, size=(h, w), mode="bilinear", align_corners=False)


def view(x: torch.Tensor, name: str) -> torch.Tensor:
    """A test-time view of B x 3 x H x W images."""
    if name == "identity":
        return x
    if name == "hflip":
        return torch.flip(x, dims=[3])
    if name == "vflip":
        return torch.flip(x, dims=[2])
    if name == "rot90":
        return torch.rot90(x, 1, dims=[2, 3])
    if name == "rot270":
        return torch.rot90(x, 3, dims=[2, 3])
    if name == "zoom":
        return zoom(x)
    if name == "zoom-hflip":
        return torch.flip(zoom(x), dims=[3])
    raise ValueError(f"unknown view {name}")


class Served(nn.Module):
    """The exported graph: image B x S x S x 3 (RGB 0..255, as sharp gives it) -> (logits B x 7, ood B).

    Logits are the mean over members and test-time views; `ood` is `gate` (gate.PhotoGate: higher,
    less like a lesion photo) on the members' pooled features of the photo as it is, concatenated.
    """

    def __init__(self, members: Sequence[Net], views: Sequence[str], gate: nn.Module) -> None:
        super().__init__()
        self.members = nn.ModuleList(members)
        self.views = list(views)
        self.gate = gate

    def embed_all(self, x: torch.Tensor) -> List[torch.Tensor]:
        return [m.embed(x) for m in self.members]

    def forward(self, image: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        x = image.permute(0, 3, 1, 2)
        total = None
        first: List[torch.Tensor] = []
        for v in self.views:
            xv = view(x, v)
            for m in self.members:
                f = m.embed(xv)
                if v == self.views[0]:
                    first.append(f)
                y = m.head(f)
                total = y if total is None else total + y
        assert total is not None
        logits = total / float(len(self.views) * len(self.members))
        return logits, self.gate(torch.cat(first, dim=1))


class Routed(nn.Module):
    """Two served ensembles mixed per photo by a router that tells dermoscopic photos from phone ones.

    `derm` and `phone` are Served graphs whose gate is the identity, so each gives its mean logits
    and its members' pooled features of the photo as it is. `router` (a gate.PhotoGate fitted with
    dermoscopic photos as positives) scores the phone ensemble's features; p = sigmoid(-score) is
    the router's belief that the photo is dermoscopic, and the dermoscopic ensemble's weight is
    `mix[1] + (mix[0] - mix[1]) * p`: `mix[0]` on a dermoscopic photo, `mix[1]` on a phone photo.
    Each ensemble's logits are divided by its own `temperatures` entry first (fitted on its own kind
    of photo), so the mixture is calibrated on both kinds. `gate` (the lesion-photo detector) reads
    every member's features. The graph also gives p (output `dermoscopic`): the triage rule holds
    dermoscopic photos to a stricter 'soon' threshold than phone ones (calibrate.Triage).
    """

    def __init__(
        self, derm: Served, phone: Served, router: nn.Module, mix: Sequence[float], gate: nn.Module, temperatures: Sequence[float] = (1.0, 1.0)
    ) -> None:
        super().__init__()
        self.derm = derm
        self.phone = phone
        self.router = router
        self.mix = (float(mix[0]), float(mix[1]))
        self.temperatures = (float(temperatures[0]), float(temperatures[1]))
        if min(self.temperatures) <= 0:
            raise ValueError("temperatures are positive")
        self.gate = gate

    def p_dermoscopic(self, phone_features: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(-self.router(phone_features))

    def derm_weight(self, p: torch.Tensor) -> torch.Tensor:
        return (self.mix[1] + (self.mix[0] - self.mix[1]) * p).unsqueeze(1)

    def forward(self, image: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        derm_logits, derm_features = self.derm(image)
        phone_logits, phone_features = self.phone(image)
        p = self.p_dermoscopic(phone_features)
        w = self.derm_weight(p)
        logits = w * (derm_logits / self.temperatures[0]) + (1.0 - w) * (phone_logits / self.temperatures[1])
        return logits, self.gate(torch.cat([derm_features, phone_features], dim=1)), p
