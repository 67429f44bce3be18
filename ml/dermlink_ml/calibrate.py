"""What turns the members' logits into the service's answer: temperature, triage thresholds, gates.

Everything here is fitted on validation data only: HAM10000's validation split (which no member
trained on) and the PAD-UFES-20 development photos scored out of fold (each by the member that
never saw its patient). The test split is not read.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch

from .data import LABELS, MALIGNANT
from .metrics import balanced_accuracy, group_bootstrap
from .models import Net, view
from .train import predict

MEL = LABELS.index("mel")
MALIGNANT_IDX = [LABELS.index(c) for c in MALIGNANT]


def score(members: Sequence[Net], images: np.ndarray, views: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """What the served graph computes: mean logits over `members` and test-time `views`, and the
    members' pooled features of the photos as they are (the first view), concatenated."""
    total = None
    first = []
    for m in members:
        for v in views:
            f = predict(m, images, fn=lambda x, m=m, v=v: m.embed(view(x, v)))
            if v == views[0]:
                first.append(f)
            with torch.no_grad():
                y = m.head(torch.from_numpy(f)).numpy()
            total = y if total is None else total + y
    assert total is not None
    return total / (len(members) * len(views)), np.concatenate(first, axis=1)


#: `features` reports each member's progress on sets at least this large (minutes of work here).
FEATURES_PROGRESS_AT = 1000


def features(members: Sequence[Net], images: np.ndarray) -> np.ndarray:
    """The members' pooled features of the photos as they are, concatenated (the OOD score's input)."""
    out = []
    for k, m in enumerate(members):
        started = time.time()
        out.append(predict(m, images, fn=m.embed))
        if len(images) >= FEATURES_PROGRESS_AT:
            print(f"features: member {k + 1} of {len(members)}, {len(images)} pictures, {time.time() - started:.0f} s", file=sys.stderr, flush=True)
    return np.concatenate(out, axis=1)


def nll(logits: np.ndarray, y: np.ndarray, t: float) -> float:
    z = logits / t
    z = z - z.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return float(-logp[np.arange(len(y)), y].mean())


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The softmax temperature with the lowest negative log-likelihood (grid, then a finer grid)."""
    grid = np.exp(np.linspace(np.log(0.3), np.log(6.0), 121))
    best = min(grid, key=lambda t: nll(logits, y, t))
    fine = np.linspace(best * 0.95, best * 1.05, 41)
    return float(min(fine, key=lambda t: nll(logits, y, t)))


@dataclass
class Triage:
    """risk 'urgent': p(mel) >= mel or mel ranked first; 'soon': p(akiec)+p(bcc)+p(mel) at or over
    the photo's `soon` threshold, or akiec/bcc ranked first; otherwise 'routine'. `uncertain`: top
    probability under `uncertain`.

    A routed model (models.Routed) also tells how sure its router is that a photo is dermoscopic;
    where that reaches `dermoscopic`, the photo's 'soon' threshold is `soon_dermoscopic` (a stricter
    goal, fitted on dermoscopic photos), else `soon` (fitted on phone photos). Without a
    `soon_dermoscopic` (or a router's output), every photo has `soon`."""

    mel: float
    soon: float
    uncertain: float
    soon_dermoscopic: Optional[float] = None
    dermoscopic: float = 0.5

    def called_dermoscopic(self, p_dermoscopic: np.ndarray) -> np.ndarray:
        """Which photos the router calls dermoscopic (they have `soon_dermoscopic`, where there is one)."""
        return p_dermoscopic >= self.dermoscopic

    def soon_thresholds(self, n: int, p_dermoscopic: Optional[np.ndarray] = None) -> np.ndarray:
        """Each photo's 'soon' threshold."""
        if self.soon_dermoscopic is None or p_dermoscopic is None:
            return np.full(n, self.soon)
        return np.where(self.called_dermoscopic(p_dermoscopic), self.soon_dermoscopic, self.soon)

    def risk(self, probs: np.ndarray, p_dermoscopic: Optional[np.ndarray] = None) -> np.ndarray:
        """0 routine, 1 soon, 2 urgent, per row of calibrated probabilities."""
        top = probs.argmax(axis=1)
        malignant = probs[:, MALIGNANT_IDX].sum(axis=1)
        soon = (malignant >= self.soon_thresholds(len(probs), p_dermoscopic)) | np.isin(top, [LABELS.index("akiec"), LABELS.index("bcc")])
        urgent = (probs[:, MEL] >= self.mel) | (top == MEL)
        return np.where(urgent, 2, np.where(soon, 1, 0))


#: A threshold sits this far (relative) under the score of the photo that sets it. Chosen exactly at
#: that score, the photo was kept by a hair: 2.3.1 as served (float32, temperatures rounded to 4
#: decimals after its fit) told one of 47 validation actinic keratoses 'routine' that the fit had
#: kept. A percent absorbs rounding and float32, not another sample of photos.
THRESHOLD_MARGIN = 0.01


def threshold_for_recall(scores: np.ndarray, positive: np.ndarray, recall: float) -> float:
    """A threshold t with share(scores[positive] >= t) >= recall: the score of the photo that sets
    the share, less THRESHOLD_MARGIN, so that the share holds where the scores are computed again."""
    pos = np.sort(scores[positive])[::-1]
    if len(pos) == 0:
        return 1.0
    k = int(np.ceil(recall * len(pos))) - 1
    return float(pos[min(max(k, 0), len(pos) - 1)]) * (1 - THRESHOLD_MARGIN)


def soon_threshold(sets: Dict[str, tuple[np.ndarray, np.ndarray]], recall: float) -> float:
    """The largest 'soon' threshold that keeps each of melanoma, BCC and actinic keratosis, each
    class on its own (so that the many BCCs cannot hide melanomas), out of 'routine' for at least
    `recall` of its photos on every set."""
    return min(
        threshold_for_recall(p[:, MALIGNANT_IDX].sum(axis=1), y == c, recall)
        for p, y in sets.values()
        for c in MALIGNANT_IDX
        if (y == c).any()
    )


def choose_triage(
    mel_sets: Dict[str, tuple[np.ndarray, np.ndarray]],
    malignant_sets: Dict[str, tuple[np.ndarray, np.ndarray]],
    mel_recall: float,
    malignant_recall: float,
    dermoscopic_sets: Optional[Dict[str, tuple[np.ndarray, np.ndarray]]] = None,
    dermoscopic_recall: Optional[float] = None,
) -> Triage:
    """The largest thresholds that meet the recall goals: melanomas told 'urgent' (on every set
    of `mel_sets`), and melanoma, BCC and actinic keratosis not told 'routine' (soon_threshold on
    `malignant_sets`). With `dermoscopic_sets`, a second 'soon' threshold for the photos the
    router calls dermoscopic, for `dermoscopic_recall` on those sets, and never above the first."""
    mel_t = [threshold_for_recall(p[:, MEL], y == MEL, mel_recall) for p, y in mel_sets.values() if (y == MEL).any()]
    soon = soon_threshold(malignant_sets, malignant_recall)
    soon_dermoscopic = None
    if dermoscopic_sets is not None:
        if dermoscopic_recall is None:
            raise ValueError("dermoscopic_sets need a dermoscopic_recall")
        soon_dermoscopic = min(soon, soon_threshold(dermoscopic_sets, dermoscopic_recall))
    # A calibrated top probability under one half: more likely wrong than right.
    return Triage(mel=min(mel_t), soon=soon, uncertain=0.5, soon_dermoscopic=soon_dermoscopic)


def triage_report(triage: Triage, probs: np.ndarray, y: np.ndarray, p_dermoscopic: Optional[np.ndarray] = None) -> Dict[str, object]:
    """What the rule does on one set: recalls it promises and what it costs benign spots."""
    risk = triage.risk(probs, p_dermoscopic)
    malignant = np.isin(y, MALIGNANT_IDX)
    benign = ~malignant
    out: Dict[str, object] = {
        "mel_urgent_recall": _share(risk[y == MEL] == 2),
        "mel_urgent_precision": _share(y[risk == 2] == MEL),
        "malignant_not_routine": _share(risk[malignant] >= 1),
        "benign_urgent": _share(risk[benign] == 2),
        "benign_soon_or_urgent": _share(risk[benign] >= 1),
        "uncertain": _share(probs.max(axis=1) < triage.uncertain),
    }
    if triage.soon_dermoscopic is not None and p_dermoscopic is not None:
        out["dermoscopic_threshold_applied"] = _share(triage.called_dermoscopic(p_dermoscopic))
    for c in MALIGNANT:
        out[f"{c}_not_routine"] = _share(risk[y == LABELS.index(c)] >= 1)
    return out


def _share(mask: np.ndarray) -> float | None:
    return round(float(mask.mean()), 4) if mask.size else None


def gate_thresholds(stats: List[np.ndarray], keys: List[str]) -> Dict[str, float]:
    """Photo-statistics gates: physical defaults loosened just enough that the validation photos of
    every set pass (`stats` holds one array per set: HAM10000 validation, PAD development)."""
    col = {k: i for i, k in enumerate(keys)}

    def q(key: str, p: float) -> float:
        return min(float(np.quantile(s[:, col[key]], p)) for s in stats) if p < 0.5 else max(float(np.quantile(s[:, col[key]], p)) for s in stats)

    return {
        "minMeanLuma": min(40.0, 0.9 * q("meanLuma", 0.001)),
        "maxMeanLuma": max(235.0, q("meanLuma", 0.999)),
        "maxClippedShare": max(0.3, q("clippedShare", 0.999)),
        "minStdLuma": min(6.0, 0.9 * q("stdLuma", 0.001)),
        "minSharpness": 0.8 * q("sharpness", 0.001),
        # Pixel noise and fine textures have a Laplacian variance no photo of a spot reaches.
        "maxSharpness": 2.0 * q("sharpness", 0.999),
        "minSkinShare": min(0.05, 0.8 * q("skinShare", 0.002)),
    }


def triage_intervals(
    triage: Triage, probs: np.ndarray, y: np.ndarray, groups: Sequence[str], p_dermoscopic: Optional[np.ndarray] = None
) -> Dict[str, object]:
    """The headline numbers of one validation set with 95% bootstrap intervals by group (lesion or
    patient): balanced accuracy by argmax, melanoma 'urgent' recall, cancers kept out of 'routine',
    benign spots sent to a doctor. Each is [value, low, high]."""
    risk = triage.risk(probs, p_dermoscopic)
    pred = probs.argmax(axis=1)
    malignant = np.isin(y, MALIGNANT_IDX)

    def share(rows: np.ndarray, pick: np.ndarray, hit: np.ndarray) -> float:
        chosen = rows[pick[rows]]
        return float(hit[chosen].mean()) if len(chosen) else float("nan")

    stats = {
        "balanced_accuracy": lambda rows: balanced_accuracy(y[rows], pred[rows], len(LABELS)),
        "mel_urgent_recall": lambda rows: share(rows, y == MEL, risk == 2),
        "malignant_not_routine": lambda rows: share(rows, malignant, risk >= 1),
        "benign_soon_or_urgent": lambda rows: share(rows, ~malignant, risk >= 1),
    }
    everything = np.arange(len(y))
    out: Dict[str, object] = {"n": int(len(y)), "groups": len(set(groups))}
    for name, stat in stats.items():
        low, high = group_bootstrap(groups, stat)
        out[name] = [round(stat(everything), 4), round(low, 4), round(high, 4)]
    return out
