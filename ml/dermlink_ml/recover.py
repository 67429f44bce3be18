"""Members back from an exported model: the PyTorch networks inside a committed `model.onnx`.

The export folds every batch norm into its convolution, so a recovered member carries the folded
weights and batch norms that pass values through (mean 0, variance 1 - eps, scale 1, shift the
folded bias); its outputs are the exported graph's. `recover` checks that against the export's own
`parity.json` (PyTorch's outputs at export time) before it writes anything, and writes member
folders that `finish` and `compare` read as if the members had just been trained. A machine without
the training cache then rebuilds on a shipped model's networks instead of training them again
(hours here).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np
import onnx
import torch
import torch.nn as nn
from onnx import numpy_helper

from .export import run_served, synthetic_image
from .gate import PhotoGate
from .models import Net, Routed, Served, set_folded


def _float32(a: np.ndarray) -> np.ndarray:
    return a.astype(np.float32) if a.dtype == np.float16 else a.copy()


def _initializer_of(name: str, inits: Dict[str, np.ndarray], identity: Dict[str, str]) -> str:
    while name not in inits and name in identity:
        name = identity[name]
    if name not in inits:
        raise ValueError(f"{name} is not a stored weight")
    return name


def conv_weights(model: onnx.ModelProto) -> Tuple[List[Tuple[np.ndarray, np.ndarray]], Dict[str, np.ndarray]]:
    """Every distinct convolution's (weight, bias) in graph order, and the named initializers.

    A network called on several test-time views is one set of weights reached through Identity
    nodes, so each convolution counts once, at its first use. A half-precision export
    (`export.store_half`) stores the convolution weights as float16 behind Cast nodes; they come
    back as float32 (every float16 value is exactly a float32 one).
    """
    inits = {i.name: _float32(numpy_helper.to_array(i)) for i in model.graph.initializer}
    identity = {n.output[0]: n.input[0] for n in model.graph.node if n.op_type in ("Identity", "Cast")}
    seen: Dict[Tuple[str, str], None] = {}
    for node in model.graph.node:
        if node.op_type != "Conv":
            continue
        if len(node.input) < 3:
            raise ValueError("a convolution without a folded bias: not an export of this package")
        seen.setdefault((_initializer_of(node.input[1], inits, identity), _initializer_of(node.input[2], inits, identity)), None)
    return [(inits[w], inits[b]) for w, b in seen], inits


def load_folded(net: Net, convs: Sequence[Tuple[np.ndarray, np.ndarray]]) -> None:
    """Puts folded (weight, bias) pairs into the backbone's convolutions, in module order."""
    set_folded(net, [(torch.from_numpy(w), torch.from_numpy(b)) for w, b in convs])


def _ensemble(convs: Sequence[Tuple[np.ndarray, np.ndarray]], inits: Dict[str, np.ndarray], prefix: str, n: int, backbone: str, dropout: float) -> List[Net]:
    if n == 0 or len(convs) % n:
        raise ValueError(f"{len(convs)} convolutions do not split into {n} members")
    per = len(convs) // n
    members: List[Net] = []
    for k in range(n):
        net = Net(backbone, dropout=dropout)
        load_folded(net, convs[k * per : (k + 1) * per])
        with torch.no_grad():
            net.head.weight.copy_(torch.from_numpy(inits[f"{prefix}members.{k}.head.weight"]))
            net.head.bias.copy_(torch.from_numpy(inits[f"{prefix}members.{k}.head.bias"]))
        members.append(net.eval())
    return members


def _linear(inits: Dict[str, np.ndarray], prefix: str) -> PhotoGate:
    return PhotoGate(*(torch.from_numpy(inits[f"{prefix}.{p}"]) for p in ("mean", "std", "weight", "bias")))


def recover_served(onnx_path: Path, metadata: Dict[str, Any], backbone: str = "mobilenet_v2", dropout: float = 0.2) -> nn.Module:
    """The served graph of an export as PyTorch modules: a Served ensemble, or for a routed
    recipe's export (metadata `training.parts`) the Routed pair with its router and mix."""
    model = onnx.load(str(onnx_path))
    convs, inits = conv_weights(model)
    gate = _linear(inits, "gate")
    parts = metadata.get("training", {}).get("parts")
    if not parts:
        members = _ensemble(convs, inits, "", len(metadata["members"]), backbone, dropout)
        return Served(members, list(metadata["testViews"]), gate).eval()
    derm, phone = parts["dermoscopic"], parts["phone"]
    total = int(derm["members"]) + int(phone["members"])
    if total == 0 or len(convs) % total:
        raise ValueError(f"{len(convs)} convolutions do not split into {total} members")
    split = len(convs) // total * int(derm["members"])
    derm_net = Served(_ensemble(convs[:split], inits, "derm.", int(derm["members"]), backbone, dropout), list(derm["views"]), nn.Identity())
    phone_net = Served(_ensemble(convs[split:], inits, "phone.", int(phone["members"]), backbone, dropout), list(phone["views"]), nn.Identity())
    routing = metadata["metrics"]["routing"]
    return Routed(derm_net, phone_net, _linear(inits, "router"), routing["mix"], gate, routing.get("temperatures", (1.0, 1.0))).eval()


def members_of(served: nn.Module) -> List[Net]:
    if isinstance(served, Routed):
        return list(served.derm.members) + list(served.phone.members)  # type: ignore[arg-type]
    return list(served.members)  # type: ignore[arg-type]


def check_against_parity(served: nn.Module, parity: Dict[str, object], named: Dict[str, np.ndarray]) -> float:
    """The largest difference from the export's parity rows (real photos in `named`, synthetic ones
    drawn), relative to max(1, |value|): folding a batch norm into its convolution rounds
    differently, and an untrained network's large logits carry that rounding up with them."""
    size = int(parity["size"])  # type: ignore[arg-type]
    worst = 0.0
    checked = 0
    for row in parity["rows"]:  # type: ignore[union-attr]
        key = str(row["key"])
        if key.startswith("synthetic:"):
            image = synthetic_image(size, int(key.split(":")[1]))
        elif key in named:
            image = named[key]
        else:
            continue
        logits, ood, derm = run_served(served, image[None])
        want = np.asarray(list(row["logits"]) + [row["ood"]], dtype=np.float64)
        got = np.concatenate([logits[0], ood[:1]]).astype(np.float64)
        if "dermoscopic" in row and derm is not None:  # exports before 2.3.1 have no such row
            want = np.append(want, float(row["dermoscopic"]))
            got = np.append(got, float(derm[0]))
        worst = max(worst, float((np.abs(got - want) / np.maximum(1.0, np.abs(want))).max()))
        checked += 1
    if checked == 0:
        raise ValueError("no parity row could be checked")
    return worst


def recover(model_dir: Path, target_dirs: Sequence[Path], named: Dict[str, np.ndarray], tolerance: Optional[float] = None) -> float:
    """Writes `member.pt` and `history.json` into one folder per member of the export in
    `model_dir` (model.onnx, metadata.json, parity.json), after checking the recovered networks
    against the export's parity rows (to `tolerance`, by default the rows' own). Returns the
    largest difference found."""
    metadata = json.loads((model_dir / "metadata.json").read_text())
    parity = json.loads((model_dir / "parity.json").read_text())
    served = recover_served(model_dir / "model.onnx", metadata)
    members = members_of(served)
    if len(target_dirs) != len(members):
        raise ValueError(f"the export holds {len(members)} members, {len(target_dirs)} folders given")
    worst = check_against_parity(served, parity, named)
    tolerance = float(parity.get("tolerance", 1e-4)) if tolerance is None else tolerance
    if worst > tolerance:
        raise ValueError(f"recovered networks differ from the export's parity rows by {worst:.2e} (tolerance {tolerance})")
    histories = metadata.get("training", {}).get("history", [])  # type: ignore[union-attr]
    for k, (member, out) in enumerate(zip(members, target_dirs)):
        out.mkdir(parents=True, exist_ok=True)
        torch.save(member.state_dict(), out / "member.pt")
        history = histories[k] if k < len(histories) else []
        (out / "history.json").write_text(json.dumps(history, indent=1) + "\n")
    return worst
