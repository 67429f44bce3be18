"""ONNX export: the served graph, its metadata.json and the parity fixture the TypeScript tests read."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import numpy as np
import onnx
from onnx import numpy_helper
import torch
import torch.nn as nn

from .data import LABELS, PREPARATION_VERSION
from .models import Routed

#: ONNX opset of the exported graph (onnxruntime-node 1.2x runs up to 21).
OPSET = 13
MODEL_FILE = "model.onnx"


def synthetic_image(size: int, seed: int) -> np.ndarray:
    """A deterministic RGB test picture (the TypeScript parity spec builds the same one)."""
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float64)
    r = 128 + 90 * np.sin((xx + 3 * seed) / 17.0) * np.cos(yy / 23.0)
    g = 100 + 60 * np.cos((xx + yy) / 31.0 + seed)
    b = 80 + 50 * np.sin(yy / 11.0 - seed)
    return np.clip(np.stack([r, g, b], axis=-1), 0, 255).round().astype(np.uint8)


@torch.no_grad()
def run_served(served: nn.Module, images: np.ndarray) -> tuple[np.ndarray, np.ndarray, Optional[np.ndarray]]:
    """The graph's outputs: logits, OOD score and, for a routed graph, p(dermoscopic) (else None)."""
    served.eval()
    out = served(torch.from_numpy(images.astype(np.float32)))
    return out[0].numpy(), out[1].numpy(), out[2].numpy() if len(out) > 2 else None


def output_names(served: nn.Module) -> List[str]:
    """`logits`, `ood` and, for a routed graph (models.Routed), `dermoscopic`."""
    return ["logits", "ood"] + (["dermoscopic"] if isinstance(served, Routed) else [])


def export_onnx(served: nn.Module, size: int, out_dir: Path, half_storage: bool = False) -> Path:
    """Writes `model.onnx` (input `image` N x size x size x 3 float32 RGB 0..255; outputs
    `logits` N x 7, `ood` N and, for a routed graph, `dermoscopic` N). `half_storage`: the
    convolution weights are stored as float16 (`store_half`); the members must already carry
    float16-rounded weights (`models.half_precision_weights`) for the file to compute what PyTorch does."""
    served.eval()
    path = out_dir / MODEL_FILE
    dummy = torch.zeros(1, size, size, 3)
    names = output_names(served)
    torch.onnx.export(
        served,
        (dummy,),
        str(path),
        input_names=["image"],
        output_names=names,
        dynamic_axes={"image": {0: "batch"}, **{name: {0: "batch"} for name in names}},
        opset_version=OPSET,
        do_constant_folding=True,
    )
    model = onnx.load(str(path))
    if half_storage:
        model = store_half(model)
        onnx.save(model, str(path))
    onnx.checker.check_model(model)
    return path


#: Suffix of a float16 initializer whose float32 value a Cast node gives under the original name.
HALF_SUFFIX = "__float16"


def store_half(model: onnx.ModelProto) -> onnx.ModelProto:
    """Stores every convolution weight (the bulk of the file) as float16 behind a Cast to float32,
    so the file is about half the size while every operation still computes in float32. ONNX
    Runtime folds the casts once when it loads the model. Biases, heads and the linear detectors
    stay float32. Lossless only when the weights are float16 values already
    (`models.half_precision_weights`); otherwise the file rounds them."""
    inits = {i.name: i for i in model.graph.initializer}
    identity = {n.output[0]: n.input[0] for n in model.graph.node if n.op_type == "Identity"}
    names: Dict[str, None] = {}
    for node in model.graph.node:
        if node.op_type == "Conv":
            name = node.input[1]
            while name not in inits and name in identity:
                name = identity[name]
            if name in inits and inits[name].data_type == onnx.TensorProto.FLOAT:
                names.setdefault(name, None)
    casts = []
    for name in names:
        init = inits[name]
        half = numpy_helper.from_array(numpy_helper.to_array(init).astype(np.float16), name + HALF_SUFFIX)
        init.CopyFrom(half)
        casts.append(onnx.helper.make_node("Cast", [name + HALF_SUFFIX], [name], to=onnx.TensorProto.FLOAT, name=name + "_cast"))
    # The casts come first, so the graph stays in topological order.
    nodes = casts + list(model.graph.node)
    del model.graph.node[:]
    model.graph.node.extend(nodes)
    return model


def parity_fixture(served: nn.Module, named: Dict[str, np.ndarray], size: int) -> Dict[str, object]:
    """PyTorch's outputs for real prepared photos (by id) and synthetic pictures, for the ORT parity test."""
    inputs = {**named, **{f"synthetic:{seed}": synthetic_image(size, seed) for seed in range(2)}}
    rows: List[Dict[str, object]] = []
    for key, image in inputs.items():
        logits, ood, derm = run_served(served, image[None])
        row: Dict[str, object] = {"key": key, "logits": [float(v) for v in logits[0]], "ood": float(ood[0])}
        if derm is not None:
            row["dermoscopic"] = float(derm[0])
        rows.append(row)
    return {"size": size, "tolerance": 1e-4, "rows": rows}


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_metadata(
    out_dir: Path,
    *,
    outputs: Sequence[str],
    storage: str = "float32",
    version: str,
    size: int,
    views: Sequence[str],
    members: List[Dict[str, object]],
    temperature: float,
    thresholds: Dict[str, float],
    gates: Dict[str, float],
    metrics: Dict[str, object],
    training: Dict[str, object],
) -> Path:
    model = out_dir / MODEL_FILE
    meta = {
        "name": "dermlink-skin",
        "version": version,
        "labels": list(LABELS),
        "input": {
            "size": size,
            "preparation": PREPARATION_VERSION,
            "crop": "EXIF rotate, sRGB, alpha flattened on white, centre square crop (sharp fit cover), resize",
            "layout": "NHWC float32 RGB 0..255",
            "colourConstancy": "shades of grey, p = 6 (inside the graph)",
            "minShortSide": 200,
        },
        "onnx": {"file": MODEL_FILE, "sha256": sha256(model), "bytes": model.stat().st_size, "opset": OPSET, "inputs": ["image"], "outputs": list(outputs), "weights": storage},
        "testViews": list(views),
        "members": members,
        "temperature": temperature,
        "thresholds": thresholds,
        "gates": gates,
        "metrics": metrics,
        "training": training,
    }
    path = out_dir / "metadata.json"
    path.write_text(json.dumps(meta, indent=2) + "\n")
    return path
