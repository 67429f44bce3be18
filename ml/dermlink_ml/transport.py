"""Prepared photos packed small enough to travel to a lent GPU machine, and unpacked there.

A machine lent through the `device` tool receives only the repository's working tree (64 MiB in
all) and cannot read `../shared`; the prepared cache is over a gigabyte. `pack` stores the photos
the members train and validate on (HAM10000 train and validation, never test; every PAD-UFES-20
development photo) as WebP, about 4 KB each; `unpack` writes them back into the cache layout
`PreparedImages` reads. WebP is lossy (a mean absolute error of about 1.4 grey levels in 255 at
quality 90, far under the JPEG and noise augmentation every batch gets): members trained from a
pack see nearly, not exactly, the served preparation. Everything after training (calibration,
gates, export, every reported number) runs on the exact cache, on the machine that holds it.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Dict, List, Sequence

import numpy as np
from PIL import Image
from tqdm import tqdm

from .data import PreparedImages

if TYPE_CHECKING:
    from .recipe import Data, Paths

#: The index fields a pack carries over from the prepared cache.
INDEX_KEYS = ("format", "preparation", "size", "statKeys")


def pack(images: PreparedImages, cache_dir: Path, name: str, image_ids: Sequence[str], out_dir: Path, quality: int = 90) -> Path:
    """Writes `out_dir/{name}-{size}.npz`: the WebP bytes of `image_ids`' prepared photos (`images`,
    dataset `name` of `cache_dir`, already loaded) with their statistics and the cache index's fields."""
    size = images.size
    index = json.loads((Path(cache_dir) / f"{name}-{size}.json").read_text())
    rows = images.rows(list(image_ids))
    blobs: List[bytes] = []
    for r in tqdm(rows, desc=f"pack {name}", mininterval=5):
        buf = io.BytesIO()
        Image.fromarray(images.images[r]).save(buf, format="WEBP", quality=quality, method=6)
        blobs.append(buf.getvalue())
    offsets = np.cumsum([0] + [len(b) for b in blobs]).astype(np.int64)
    header = {**{k: index[k] for k in INDEX_KEYS}, "ids": list(image_ids), "transport": f"webp q{quality}"}
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{name}-{size}.npz"
    np.savez(
        path,
        header=np.frombuffer(json.dumps(header).encode(), dtype=np.uint8),
        blob=np.frombuffer(b"".join(blobs), dtype=np.uint8),
        offsets=offsets,
        stats=images.stats[rows],
    )
    return path


def unpack(pack_path: Path, cache_dir: Path) -> Dict[str, object]:
    """Writes a pack back as `cache_dir/{name}-{size}.json` and `.bin`; returns the index."""
    with np.load(pack_path) as z:
        header = json.loads(z["header"].tobytes().decode())
        blob, offsets, stats = z["blob"], z["offsets"], z["stats"]
    size = int(header["size"])
    name = Path(pack_path).name[: -len(f"-{size}.npz")]
    out = np.empty((len(header["ids"]), size, size, 3), dtype=np.uint8)
    for i in tqdm(range(len(out)), desc=f"unpack {name}", mininterval=5):
        image = Image.open(io.BytesIO(blob[offsets[i] : offsets[i + 1]].tobytes())).convert("RGB")
        if image.size != (size, size):
            raise ValueError(f"{pack_path}: photo {i} is {image.size}, not {size} px square")
        out[i] = np.asarray(image)
    cache_dir.mkdir(parents=True, exist_ok=True)
    out.tofile(cache_dir / f"{name}-{size}.bin")
    index = {**header, "stats": stats.tolist(), "refused": {}}
    (cache_dir / f"{name}-{size}.json").write_text(json.dumps(index))
    return index


def pack_for_device(paths: "Paths", data: "Data", out_dir: Path) -> None:
    """Everything `members` reads, under `out_dir`: both datasets' metadata (as `--ham` and `--pad`
    folders), their packed photos (HAM10000 train and validation, never test; all PAD-UFES-20
    development photos) and the ImageNet starting weights (as a `--pretrained` folder)."""
    for folder, source, files in (("ham10000", paths.ham_dir, ["HAM10000_metadata.csv"]), ("pad-ufes-20-dev", paths.pad_dir, ["metadata.csv"])):
        (out_dir / folder).mkdir(parents=True, exist_ok=True)
        for f in files:
            shutil.copyfile(source / f, out_dir / folder / f)
    # Photos the preparation refused have no row: members never see them either.
    prepared = set(data.ham_images.ids)
    ham_ids = [s.image_id for s in data.ham if s.split in ("train", "val") and s.image_id in prepared]
    pack(data.ham_images, paths.cache_dir, "ham10000", ham_ids, out_dir / "prepared")
    prepared = set(data.pad_images.ids)
    pack(data.pad_images, paths.cache_dir, "pad-ufes-20-dev", [s.image_id for s in data.pad if s.image_id in prepared], out_dir / "prepared", quality=95)
    weights = paths.imagenet_weights
    if weights is not None:
        (out_dir / "pretrained").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(weights, out_dir / "pretrained" / weights.name)
    total = sum(f.stat().st_size for f in out_dir.rglob("*") if f.is_file())
    print(f"pack: {out_dir} holds {total / 2**20:.1f} MiB", flush=True)
