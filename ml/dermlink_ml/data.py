"""Datasets, splits and sampling.

Images are never decoded here: `npm run train` first prepares every photo with the service's own
preprocessing (sharp, `src/inference/preprocess.ts`) into uint8 rows under `.cache/prepared/`, so
the network is trained, validated and tested on exactly what it is served.
"""

from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence

import numpy as np

#: The seven HAM10000 classes, in the model's output order (as `LESION_LABELS` in TypeScript).
LABELS = ("akiec", "bcc", "bkl", "df", "mel", "nv", "vasc")
#: The classes that make a spot worth a doctor's look soon (cancers and precancers).
MALIGNANT = ("akiec", "bcc", "mel")
#: The preparation the TypeScript side writes (`PREPARATION_VERSION` in scripts/lib/prepared-cache.ts).
PREPARATION_VERSION = "sharp-cover-centre-v2"


@dataclass(frozen=True)
class Sample:
    """One labelled photo: `group` is the lesion (HAM10000) or the patient (PAD-UFES-20)."""

    image_id: str
    label: int
    group: str
    source: str
    split: str


def read_ham(metadata_csv: Path, split_csv: Path) -> List[Sample]:
    """HAM10000 with the committed lesion-level split (`models/split.csv`)."""
    with open(split_csv, newline="") as f:
        split = {row["lesion_id"]: row["split"] for row in csv.DictReader(f)}
    out: List[Sample] = []
    with open(metadata_csv, newline="") as f:
        for row in csv.DictReader(f):
            lesion = row["lesion_id"]
            if lesion not in split:
                raise ValueError(f"lesion {lesion} is not in {split_csv}")
            out.append(Sample(row["image_id"], LABELS.index(row["dx"]), lesion, "ham", split[lesion]))
    return out


def read_pad(metadata_csv: Path) -> List[Sample]:
    """The PAD-UFES-20 development half; split by patient with :func:`patient_folds`."""
    with open(metadata_csv, newline="") as f:
        return [
            Sample(row["image_id"], LABELS.index(row["dx"]), row["patient_id"], "pad", "dev")
            for row in csv.DictReader(f)
        ]


def patient_folds(samples: Sequence[Sample], k: int, seed: int) -> Dict[str, int]:
    """Group-level folds stratified by class: each patient (group) goes to one fold.

    A patient with several lesions counts under the rarest of their classes, so the few melanoma
    patients are spread over the folds. Groups are shuffled per class with one seeded stream and
    dealt round-robin.
    """
    counts = np.bincount([s.label for s in samples], minlength=len(LABELS))
    rarest: Dict[str, int] = {}
    for s in samples:
        prev = rarest.get(s.group)
        if prev is None or counts[s.label] < counts[prev]:
            rarest[s.group] = s.label
    rng = random.Random(seed)
    folds: Dict[str, int] = {}
    dealt = 0
    for c in range(len(LABELS)):
        groups = sorted(g for g, label in rarest.items() if label == c)
        rng.shuffle(groups)
        for g in groups:
            folds[g] = dealt % k
            dealt += 1
    return folds


class PreparedImages:
    """The uint8 rows one dataset was prepared into (N x size x size x 3), loaded into memory."""

    def __init__(self, cache_dir: Path, name: str, size: int) -> None:
        index_path = Path(cache_dir) / f"{name}-{size}.json"
        with open(index_path) as f:
            index = json.load(f)
        if index["preparation"] != PREPARATION_VERSION or index["size"] != size:
            raise ValueError(f"{index_path}: prepared as {index['preparation']} at {index['size']} px; run npm run train to prepare again")
        self.size = size
        self.ids: List[str] = index["ids"]
        self.refused: Dict[str, str] = index["refused"]
        self.stat_keys: List[str] = index["statKeys"]
        self.stats = np.asarray(index["stats"], dtype=np.float64).reshape(len(self.ids), len(self.stat_keys))
        raw = np.fromfile(Path(cache_dir) / f"{name}-{size}.bin", dtype=np.uint8)
        self.images = raw.reshape(len(self.ids), size, size, 3)
        self._row = {image_id: i for i, image_id in enumerate(self.ids)}

    def rows(self, image_ids: Sequence[str]) -> np.ndarray:
        missing = [i for i in image_ids if i not in self._row]
        if missing:
            raise KeyError(f"{len(missing)} images were not prepared (first: {missing[0]})")
        return np.asarray([self._row[i] for i in image_ids], dtype=np.int64)


@dataclass
class Pool:
    """Samples of one source with their image rows, drawn class-balanced to the power `balance`."""

    samples: List[Sample]
    images: PreparedImages
    balance: float

    def __post_init__(self) -> None:
        self.rows = self.images.rows([s.image_id for s in self.samples])
        labels = np.asarray([s.label for s in self.samples])
        counts = np.bincount(labels, minlength=len(LABELS)).astype(np.float64)
        weights = counts[labels] ** -self.balance
        self.p = weights / weights.sum()
        self.labels = labels


class MixedSampler:
    """Batches that mix two pools: `share` of each batch from `second` (phone photos), the rest from `first`.

    Each pool is drawn with replacement, class-balanced to its own power (1: every class equally
    often; 0: as the data is), from a seeded generator whose state is checkpointed.
    """

    def __init__(self, first: Pool, second: Optional[Pool], share: float, batch: int, seed: int) -> None:
        self.first = first
        self.second = second if second is not None and share > 0 else None
        self.n_second = int(round(batch * share)) if self.second is not None else 0
        self.batch = batch
        self.rng = np.random.default_rng(seed)

    def draw(self) -> tuple[np.ndarray, np.ndarray]:
        """One batch: uint8 images (B x S x S x 3) and labels (B)."""
        n_first = self.batch - self.n_second
        pick = self.rng.choice(len(self.first.rows), size=n_first, p=self.first.p)
        images = [self.first.images.images[self.first.rows[pick]]]
        labels = [self.first.labels[pick]]
        if self.second is not None:
            pick2 = self.rng.choice(len(self.second.rows), size=self.n_second, p=self.second.p)
            images.append(self.second.images.images[self.second.rows[pick2]])
            labels.append(self.second.labels[pick2])
        return np.concatenate(images), np.concatenate(labels)

    def epoch(self, batches: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        for _ in range(batches):
            yield self.draw()
