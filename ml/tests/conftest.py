"""Tiny synthetic datasets in the layout `npm run train` leaves behind (no real images needed)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dermlink_ml.data import LABELS, PREPARATION_VERSION  # noqa: E402

STAT_KEYS = ["meanLuma", "stdLuma", "clippedShare", "darkShare", "sharpness", "skinShare", "meanSaturation"]
SIZE = 32


def blob(label: int, seed: int, size: int = SIZE) -> np.ndarray:
    """A skin-coloured square with a class-coloured spot: learnable, and different per seed."""
    rng = np.random.default_rng(seed)
    img = np.empty((size, size, 3), dtype=np.float64)
    img[:] = (200, 150, 130)
    yy, xx = np.mgrid[0:size, 0:size]
    cy, cx = size / 2 + rng.normal(0, 2), size / 2 + rng.normal(0, 2)
    spot = (yy - cy) ** 2 + (xx - cx) ** 2 < (size / 4) ** 2
    hue = np.array([[120, 60, 40], [200, 90, 120], [150, 120, 60], [110, 80, 90], [40, 30, 30], [100, 60, 40], [180, 30, 50]])[label]
    img[spot] = hue
    img += rng.normal(0, 6, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


def write_prepared(cache: Path, name: str, ids: list[str], images: list[np.ndarray], size: int = SIZE) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    np.concatenate([i[None] for i in images]).tofile(cache / f"{name}-{size}.bin")
    stats = [[150.0, 30.0, 0.0, 0.0, 0.2, 0.9, 0.3] for _ in ids]
    index = {"format": 1, "preparation": PREPARATION_VERSION, "size": size, "ids": ids, "stats": stats, "statKeys": STAT_KEYS, "refused": {}}
    (cache / f"{name}-{size}.json").write_text(json.dumps(index))


@pytest.fixture()
def world(tmp_path: Path) -> dict:
    """HAM10000-like and PAD-like folders, a split and a prepared cache, all synthetic."""
    ham_dir = tmp_path / "ham"
    pad_dir = tmp_path / "pad"
    ham_dir.mkdir()
    pad_dir.mkdir()
    ham_rows, split_rows, ids, images = [], [], [], []
    n = 0
    for c, label in enumerate(LABELS):
        for lesion in range(6):
            lesion_id = f"HAM_{c}{lesion}"
            split = "train" if lesion < 3 else "val" if lesion < 5 else "test"
            split_rows.append(f"{lesion_id},{split}")
            for shot in range(2):
                image_id = f"ISIC_{n:05d}"
                n += 1
                ham_rows.append(f"{lesion_id},{image_id},{label},histo,50,male,back")
                ids.append(image_id)
                images.append(blob(c, n))
    (ham_dir / "HAM10000_metadata.csv").write_text("lesion_id,image_id,dx,dx_type,age,sex,localization\n" + "\n".join(ham_rows) + "\n")
    split_csv = tmp_path / "split.csv"
    split_csv.write_text("lesion_id,split\n" + "\n".join(split_rows) + "\n")
    cache = tmp_path / "cache"
    write_prepared(cache, "ham10000", ids, images)
    pad_rows, pad_ids, pad_images = [], [], []
    for c in [LABELS.index(x) for x in ("akiec", "bcc", "bkl", "mel", "nv")]:
        for patient in range(4):
            image_id = f"PAT_{c}{patient}_1_1"
            pad_rows.append(f"{image_id},{LABELS[c]},X,PAT_{c}{patient},1,True,ARM,2.0,60")
            pad_ids.append(image_id)
            pad_images.append(blob(c, 1000 + len(pad_ids)))
    (pad_dir / "metadata.csv").write_text("image_id,dx,pad_diagnostic,patient_id,lesion_id,biopsed,region,fitzpatrick,age\n" + "\n".join(pad_rows) + "\n")
    write_prepared(cache, "pad-ufes-20-dev", pad_ids, pad_images)
    return {"root": tmp_path, "ham": ham_dir, "pad": pad_dir, "split": split_csv, "cache": cache}
