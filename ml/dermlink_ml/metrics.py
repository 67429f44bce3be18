"""Scores used for model selection and the model card (numpy only)."""

from __future__ import annotations

from typing import Callable, Dict, Optional, Sequence

import numpy as np


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    z = logits / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def recalls(y: np.ndarray, pred: np.ndarray, n_classes: int) -> np.ndarray:
    """Recall per class; NaN for classes absent from `y`."""
    out = np.full(n_classes, np.nan)
    for c in range(n_classes):
        mask = y == c
        if mask.any():
            out[c] = float((pred[mask] == c).mean())
    return out


def balanced_accuracy(y: np.ndarray, pred: np.ndarray, n_classes: int) -> float:
    """Mean recall over the classes present in `y` (PAD-UFES-20 has five of the seven)."""
    return float(np.nanmean(recalls(y, pred, n_classes)))


def auc(scores: np.ndarray, positive: np.ndarray) -> float:
    """Area under the ROC curve by the rank statistic (ties share their rank)."""
    pos = int(positive.sum())
    neg = len(positive) - pos
    if pos == 0 or neg == 0:
        return float("nan")
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    i = 0
    while i < len(scores):
        j = i
        while j + 1 < len(scores) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return float((ranks[positive].sum() - pos * (pos + 1) / 2) / (pos * neg))


def macro_auc(y: np.ndarray, probs: np.ndarray) -> float:
    return float(np.nanmean([auc(probs[:, c], y == c) for c in range(probs.shape[1]) if (y == c).any()]))


def ece(y: np.ndarray, probs: np.ndarray, bins: int = 15) -> float:
    """Expected calibration error of the top probability (equal-width bins)."""
    conf = probs.max(axis=1)
    correct = probs.argmax(axis=1) == y
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = (conf > lo) & (conf <= hi)
        if m.any():
            total += m.mean() * abs(conf[m].mean() - correct[m].mean())
    return float(total)


def summary(y: np.ndarray, probs: np.ndarray, labels: Sequence[str], present: Optional[Sequence[int]] = None) -> Dict[str, object]:
    """Balanced accuracy, accuracy, AUC, ECE and per-class recall of argmax predictions."""
    pred = probs.argmax(axis=1)
    rec = recalls(y, pred, len(labels))
    return {
        "n": int(len(y)),
        "balanced_accuracy": round(balanced_accuracy(y, pred, len(labels)), 4),
        "accuracy": round(float((pred == y).mean()), 4),
        "macro_auc": round(macro_auc(y, probs), 4),
        "ece": round(ece(y, probs), 4),
        "recall": {labels[c]: round(float(rec[c]), 4) for c in range(len(labels)) if not np.isnan(rec[c])},
    }


def group_bootstrap(
    groups: Sequence[str], stat: Callable[[np.ndarray], float], resamples: int = 1000, level: float = 0.95, seed: int = 2026
) -> tuple[float, float]:
    """A percentile bootstrap interval of `stat(rows)` by group (lesion or patient): each resample
    draws the groups with replacement and keeps every photo of a drawn group. Seeded; resamples
    where `stat` is undefined (NaN) are skipped. As `groupBootstrap` in scripts/lib/metrics.ts."""
    by_group: Dict[str, list] = {}
    for i, g in enumerate(groups):
        by_group.setdefault(g, []).append(i)
    units = [np.asarray(rows) for rows in by_group.values()]
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(resamples):
        picked = rng.integers(0, len(units), size=len(units))
        value = stat(np.concatenate([units[u] for u in picked]))
        if not np.isnan(value):
            values.append(value)
    if not values:
        return float("nan"), float("nan")
    tail = (1 - level) / 2
    return float(np.quantile(values, tail)), float(np.quantile(values, 1 - tail))
