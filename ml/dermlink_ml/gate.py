"""The lesion-photo detector: is this a photo of a skin spot at all?

A logistic regression on the members' pooled features, inside the served graph. Positives: lesion
photos (HAM10000 train, PAD-UFES-20). Negatives: pictures from Debian packages that the gate
measurement never reads (tux paint stamps, game textures, maps, GCompris's animal and object
photos; `NEGATIVE_SOURCES` in scripts/train.ts), each seen in a few augmented views, and synthetic
pictures drawn here (documents, app screens, charts, gradients, noise, shapes). The measurement
sets (wallpapers, scikit-image samples, themes, paper textures, charts, other GCompris activities'
animal and monument photos) are kept apart so the refusal rate measured on them is
out of sample.
"""

from __future__ import annotations

import re
from typing import Dict, List, Sequence

import numpy as np
import torch
import torch.nn as nn


class PhotoGate(nn.Module):
    """Standardised features -> one linear score; the graph's `ood` output is its negative logit
    (higher: less like a lesion photo)."""

    def __init__(self, mean: torch.Tensor, std: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor) -> None:
        super().__init__()
        self.register_buffer("mean", mean.float())
        self.register_buffer("std", std.float())
        self.register_buffer("weight", weight.float())
        self.register_buffer("bias", bias.float().reshape(1))

    def forward(self, f: torch.Tensor) -> torch.Tensor:
        return -(((f - self.mean) / self.std) @ self.weight + self.bias)

    def widen(self, columns: slice, width: int) -> "PhotoGate":
        """The same detector reading all `width` features, of which it was fitted on `columns`
        (weight 0 on the others): the served graph hands it every member's features."""
        mean, std, weight = torch.zeros(width), torch.ones(width), torch.zeros(width, dtype=self.weight.dtype)
        mean[columns], std[columns], weight[columns] = self.mean, self.std, self.weight
        return PhotoGate(mean, std, weight, self.bias)


def fit_photo_gate(positives: np.ndarray, negatives: np.ndarray, l2: float = 1e-2, steps: int = 200) -> PhotoGate:
    """Class-balanced, L2-regularised logistic regression by L-BFGS (deterministic)."""
    x = torch.from_numpy(np.concatenate([positives, negatives]).astype(np.float64))
    y = torch.cat([torch.ones(len(positives)), torch.zeros(len(negatives))]).double()
    mean = x.mean(dim=0)
    std = x.std(dim=0).clamp_min(1e-6)
    z = (x - mean) / std
    sample_w = torch.where(y > 0, 0.5 / len(positives), 0.5 / len(negatives)).double()
    w = torch.zeros(z.shape[1], dtype=torch.float64, requires_grad=True)
    b = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([w, b], lr=1.0, max_iter=steps, line_search_fn="strong_wolfe")

    def closure() -> torch.Tensor:
        opt.zero_grad()
        logit = z @ w + b
        loss = (sample_w * nn.functional.binary_cross_entropy_with_logits(logit, y, reduction="none")).sum() + l2 * w.pow(2).sum()
        loss.backward()
        return loss

    opt.step(closure)
    return PhotoGate(mean, std, w.detach(), b.detach())


@torch.no_grad()
def gate_scores(gate: PhotoGate, feats: np.ndarray) -> np.ndarray:
    return gate(torch.from_numpy(feats.astype(np.float32))).numpy()


def synthetic_negatives(n: int, size: int, seed: int) -> np.ndarray:
    """Pictures that are not skin photos, drawn with numpy: printed pages, app screens, charts,
    gradients, solid colours with grain, colour and grey noise, stripes and checkerboards, shapes."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float64) / size
    out: List[np.ndarray] = []
    kinds = ("page", "screen", "chart", "gradient", "solid", "noise", "stripes", "shapes")
    for i in range(n):
        kind = kinds[i % len(kinds)]
        img = np.empty((size, size, 3))
        if kind == "page":
            img[:] = rng.uniform(225, 255)
            for row in range(rng.integers(6, 20)):
                top = int(rng.uniform(0.05, 0.9) * size)
                left = int(rng.uniform(0.02, 0.2) * size)
                img[top : top + max(1, size // 60), left : int(rng.uniform(0.5, 0.95) * size)] = rng.uniform(0, 80)
        elif kind == "screen":
            img[:] = rng.uniform(0, 255, 3)
            for _ in range(rng.integers(3, 12)):
                t, l = rng.integers(0, size, 2)
                h, w = rng.integers(size // 16, size // 2, 2)
                img[t : t + h, l : l + w] = rng.uniform(0, 255, 3)
        elif kind == "chart":
            img[:] = rng.uniform(200, 255)
            line = max(1, size // 96)
            img[int(0.85 * size) : int(0.85 * size) + line, int(0.1 * size) :] = 0
            img[: int(0.85 * size), int(0.1 * size) : int(0.1 * size) + line] = 0
            for _ in range(rng.integers(1, 4)):
                ys = np.clip(0.5 + np.cumsum(rng.normal(0, 0.05, 48)), 0.05, 0.8)
                xs = np.linspace(0.12, 0.98, 48)
                colour = rng.uniform(0, 255, 3)
                for x0, y0, x1, y1 in zip(xs[:-1], ys[:-1], xs[1:], ys[1:]):
                    for t in np.linspace(0, 1, 8):
                        cy, cx = int((y0 + t * (y1 - y0)) * size), int((x0 + t * (x1 - x0)) * size)
                        img[cy : cy + 2 * line, cx : cx + 2 * line] = colour
        elif kind == "gradient":
            a, b = rng.uniform(0, 255, 3), rng.uniform(0, 255, 3)
            angle = rng.uniform(0, 2 * np.pi)
            t = np.clip((np.cos(angle) * (xx - 0.5) + np.sin(angle) * (yy - 0.5)) + 0.5, 0, 1)[..., None]
            img[:] = a * (1 - t) + b * t
        elif kind == "solid":
            img[:] = rng.uniform(0, 255, 3)
            img += rng.normal(0, rng.uniform(1, 10), img.shape)
        elif kind == "noise":
            grey = rng.random() < 0.4
            noise = rng.uniform(0, 255, (size, size, 1 if grey else 3))
            img[:] = noise
        elif kind == "stripes":
            period = rng.uniform(0.02, 0.3)
            a, b = rng.uniform(0, 255, 3), rng.uniform(0, 255, 3)
            checker = rng.random() < 0.5
            phase = (np.floor(xx / period) + (np.floor(yy / period) if checker else 0)) % 2
            img[:] = np.where(phase[..., None] > 0, a, b)
        else:
            img[:] = rng.uniform(0, 255, 3)
            for _ in range(rng.integers(2, 10)):
                cx, cy, r = rng.uniform(0, 1), rng.uniform(0, 1), rng.uniform(0.05, 0.3)
                img[(xx - cx) ** 2 + (yy - cy) ** 2 < r * r] = rng.uniform(0, 255, 3)
        out.append(np.clip(img, 0, 255).astype(np.uint8))
    return np.stack(out) if out else np.zeros((0, size, size, 3), dtype=np.uint8)


def refusal_threshold(lesion_scores: Sequence[np.ndarray], keep: Sequence[float]) -> float:
    """The score over which a photo is refused: the highest `keep` quantile over the lesion sets."""
    return max(float(np.quantile(s, q)) for s, q in zip(lesion_scores, keep))


#: Where a detector negative comes from, by its id (a file path, or the GCompris resource bundle it
#: was read out of): the groups `leave_one_source_out` holds out one at a time.
NEGATIVE_SOURCE_RULES = (
    (re.compile(r"qt-resources/([^/]+)/"), "gcompris {}"),
    (re.compile(r"/tuxpaint/stamps/(animals)/"), "tux paint {}"),
    (re.compile(r"/tuxpaint/stamps/"), "tux paint other stamps"),
    (re.compile(r"/share/games/([^/]+)/"), "{}"),
    (re.compile(r"/(marble)/"), "{}"),
)


def negative_source(picture_id: str) -> str:
    for pattern, name in NEGATIVE_SOURCE_RULES:
        found = pattern.search(picture_id)
        if found:
            return name.format(*found.groups())
    return "other"


def leave_one_source_out(
    positives: np.ndarray,
    negatives: np.ndarray,
    sources: np.ndarray,
    judged: np.ndarray,
    unseen: Sequence[np.ndarray],
    keep: Sequence[float],
    l2: float,
) -> Dict[str, float]:
    """For each source of negatives: a detector fitted without it, its refusal threshold set on
    lesion photos it never saw (`unseen`, the `keep` quantile of each), and the share of the
    source's `judged` pictures (the unaugmented ones) it accepts as lesion photos. How well a
    detector refuses a kind of picture it never saw."""
    accepted: Dict[str, float] = {}
    for source in sorted(set(sources[judged].tolist())):
        held = sources == source
        gate = fit_photo_gate(positives, negatives[~held], l2=l2)
        threshold = refusal_threshold([gate_scores(gate, u) for u in unseen], keep)
        accepted[source] = round(float((gate_scores(gate, negatives[held & judged]) <= threshold).mean()), 4)
    return accepted
