"""Fine-tuning one ensemble member: resumable (a checkpoint every epoch), seeded, with progress bars."""

from __future__ import annotations

import copy
import json
import math
import os
import random
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterable, Iterator, List, Optional

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from tqdm import tqdm

from .augment import AugmentConfig, Augmenter, to_tensor
from .data import LABELS, MixedSampler, Pool, PreparedImages, Sample
from .metrics import balanced_accuracy
from .models import Net, freeze_batch_norm


@dataclass
class MemberConfig:
    """One member's recipe. Every field is recorded in the checkpoint and in metadata.json."""

    backbone: str = "mobilenet_v2"
    size: int = 192
    epochs: int = 20
    batches_per_epoch: int = 128
    batch: int = 32
    lr_backbone: float = 4e-4
    lr_head: float = 2e-3
    weight_decay: float = 0.02
    warmup_epochs: float = 1.0
    label_smoothing: float = 0.1
    dropout: float = 0.2
    ema_decay: float = 0.998
    #: Share of each batch drawn from the phone photos (PAD-UFES-20 development, training patients).
    pad_share: float = 0.35
    #: Class balancing power of the draws (1: each class equally often, 0: as the data is).
    ham_balance: float = 1.0
    pad_balance: float = 0.5
    seed: int = 2026
    augment: AugmentConfig = field(default_factory=AugmentConfig)


@dataclass
class EvalSet:
    """A named validation set: images and labels, scored every epoch."""

    name: str
    images: np.ndarray
    labels: np.ndarray


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


@torch.no_grad()
def predict(model: nn.Module, images: np.ndarray, batch: int = 64, fn: Optional[Callable[[torch.Tensor], torch.Tensor]] = None) -> np.ndarray:
    """Logits (or `fn`'s output) of uint8 N x S x S x 3 images, without augmentation, in eval mode,
    on the device the model is on."""
    was_training = model.training
    model.eval()
    outs: List[np.ndarray] = []
    call = fn if fn is not None else model
    device = next(model.parameters()).device
    for start in range(0, len(images), batch):
        x = to_tensor(images[start : start + batch]).to(device).contiguous(memory_format=torch.channels_last)
        outs.append(call(x).float().cpu().numpy())
    model.train(was_training)
    return np.concatenate(outs) if outs else np.zeros((0, len(LABELS)), dtype=np.float32)


class Ema:
    """Exponential moving average of the weights (the averaged model is the one validated and shipped)."""

    def __init__(self, model: nn.Module, decay: float) -> None:
        self.model = copy.deepcopy(model).eval()
        self.decay = decay
        for p in self.model.parameters():
            p.requires_grad_(False)

    @torch.no_grad()
    def update(self, model: nn.Module, step: int) -> None:
        # Short warm-up: early on the average follows the live weights closely.
        d = min(self.decay, (1 + step) / (10 + step))
        for e, p in zip(self.model.state_dict().values(), model.state_dict().values()):
            if e.dtype.is_floating_point:
                e.mul_(d).add_(p.detach(), alpha=1 - d)
            else:
                e.copy_(p)


def lr_factor(step: int, total: int, warmup: int) -> float:
    """Linear warm-up, then cosine decay to zero."""
    if step < warmup:
        return (step + 1) / warmup
    t = (step - warmup) / max(1, total - warmup)
    return 0.5 * (1 + math.cos(math.pi * min(1.0, t)))


class EpochBatches(torch.utils.data.IterableDataset):
    """One epoch's augmented batches for worker processes (`train_member(workers=N)`).

    Batch i of epoch e is drawn and augmented by generators seeded from (seed, e, i) alone, so the
    batches do not depend on how many workers make them, and a run resumes at any epoch without
    saved generator states. Workers take every n-th batch; the loader hands them back in order.
    """

    def __init__(self, cfg: MemberConfig, ham: Pool, pad: Optional[Pool], epoch: int) -> None:
        self.cfg, self.ham, self.pad, self.epoch = cfg, ham, pad, epoch

    def batch(self, i: int) -> tuple[torch.Tensor, torch.Tensor]:
        seed = int(np.random.SeedSequence([self.cfg.seed, self.epoch, i]).generate_state(1)[0])
        sampler = MixedSampler(self.ham, self.pad, self.cfg.pad_share, self.cfg.batch, seed)
        images, labels = sampler.draw()
        framable = np.arange(len(images)) < len(images) - sampler.n_second
        return Augmenter(self.cfg.augment, seed)(images, framable), torch.from_numpy(labels).long()

    def __iter__(self):  # type: ignore[no-untyped-def]
        info = torch.utils.data.get_worker_info()
        first, step = (info.id, info.num_workers) if info is not None else (0, 1)
        torch.set_num_threads(1)
        for i in range(first, self.cfg.batches_per_epoch, step):
            yield self.batch(i)


def train_member(
    cfg: MemberConfig,
    out_dir: Path,
    imagenet_weights: Optional[Path],
    ham: Pool,
    pad: Optional[Pool],
    eval_sets: List[EvalSet],
    threads: int = 2,
    on_epoch_end: Optional[Callable[[int], None]] = None,
    device: str = "cpu",
    workers: int = 0,
) -> Net:
    """Trains (or resumes) one member into `out_dir`; returns the averaged (EMA) network.

    `out_dir/checkpoint.pt` is written after every epoch and `out_dir/member.pt` plus
    `out_dir/history.json` at the end; a finished member is loaded instead of trained again.
    `imagenet_weights` None starts from random weights (tests); `on_epoch_end(epoch)` runs after
    each checkpoint. `device`: where the network trains ('cuda' on a GPU machine). `workers` 0:
    the batches come from one seeded stream in this process (how every shipped member was made);
    N > 0: N worker processes draw and augment them (`EpochBatches`, seeded per batch: the same
    recipe, another random stream), which keeps a GPU fed from many CPU cores.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(threads)
    final = out_dir / "member.pt"
    if final.exists():
        net = Net(cfg.backbone, dropout=cfg.dropout)
        net.load_state_dict(torch.load(final, map_location="cpu"))
        return net.eval()

    seed_everything(cfg.seed)
    net = Net(cfg.backbone, dropout=cfg.dropout)
    if imagenet_weights is not None:
        net.load_imagenet(imagenet_weights)
    net = net.to(device=device, memory_format=torch.channels_last)
    if device.startswith("cuda"):
        torch.backends.cudnn.benchmark = True
    # Batches in worker processes are seeded per batch; the checkpoint says which, so a run is
    # never resumed on the other kind of stream.
    seeding = "per-batch" if workers > 0 else "stream"
    ema = Ema(net, cfg.ema_decay)
    head_params = list(net.head.parameters())
    body_params = [p for n, p in net.named_parameters() if not n.startswith("head.")]
    opt = torch.optim.AdamW(
        [{"params": body_params, "lr": cfg.lr_backbone}, {"params": head_params, "lr": cfg.lr_head}],
        weight_decay=cfg.weight_decay,
    )
    base_lrs = [cfg.lr_backbone, cfg.lr_head]
    sampler = MixedSampler(ham, pad, cfg.pad_share, cfg.batch, cfg.seed)
    augmenter = Augmenter(cfg.augment, cfg.seed)
    total_steps = cfg.epochs * cfg.batches_per_epoch
    warmup = int(cfg.warmup_epochs * cfg.batches_per_epoch)
    history: List[Dict[str, object]] = []
    start_epoch = 0
    ckpt_path = out_dir / "checkpoint.pt"
    if ckpt_path.exists():
        ckpt = torch.load(ckpt_path, map_location="cpu")
        if not _same_recipe(ckpt["config"], _config_dict(cfg), _config_dict(MemberConfig())):
            raise ValueError(f"{ckpt_path} was written by another recipe; delete {out_dir} to start again")
        if ckpt.get("seeding", "stream") != seeding:
            raise ValueError(f"{ckpt_path} was drawn with {ckpt.get('seeding', 'stream')} batches; resume it with the same --workers setting (0 or more)")
        net.load_state_dict(ckpt["model"])
        ema.model.load_state_dict(ckpt["ema"])
        opt.load_state_dict(ckpt["optimizer"])
        sampler.rng.bit_generator.state = ckpt["sampler"]
        augmenter.load_state(ckpt["augmenter"])
        torch.set_rng_state(ckpt["torch_rng"])
        history = ckpt["history"]
        start_epoch = ckpt["epoch"] + 1
        print(f"resuming {out_dir.name} at epoch {start_epoch + 1}/{cfg.epochs}", flush=True)

    for epoch in range(start_epoch, cfg.epochs):
        net.train()
        freeze_batch_norm(net)
        started = time.time()
        smoothed, weight = 0.0, 0.0
        # The previous epoch's validation scores ride along on the bar.
        last_scores = {k.replace("_balanced_accuracy", ""): v for k, v in (history[-1] if history else {}).items() if k.endswith("_balanced_accuracy")}
        if workers > 0:
            batches: Iterable[tuple[torch.Tensor, torch.Tensor]] = torch.utils.data.DataLoader(
                EpochBatches(cfg, ham, pad, epoch), batch_size=None, num_workers=workers, pin_memory=device != "cpu"
            )
        else:
            batches = _stream(sampler, augmenter, cfg.batches_per_epoch)
        bar = tqdm(batches, total=cfg.batches_per_epoch, desc=f"{out_dir.name} epoch {epoch + 1}/{cfg.epochs}", mininterval=5, leave=True)
        for i, (x, y) in enumerate(bar):
            step = epoch * cfg.batches_per_epoch + i
            for g, base in zip(opt.param_groups, base_lrs):
                g["lr"] = base * lr_factor(step, total_steps, warmup)
            x = x.to(device, non_blocking=True).contiguous(memory_format=torch.channels_last)
            y = y.to(device, non_blocking=True)
            loss = F.cross_entropy(net(x), y, label_smoothing=cfg.label_smoothing)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            ema.update(net, step)
            # The bar shows a debiased moving average of the batch losses.
            smoothed, weight = 0.95 * smoothed + 0.05 * loss.item(), 0.95 * weight + 0.05
            running = smoothed / weight
            bar.set_postfix(loss=f"{running:.3f}", **last_scores)
        row: Dict[str, object] = {"epoch": epoch + 1, "loss": round(smoothed / max(weight, 1e-12), 4), "train_s": round(time.time() - started, 1)}
        for s in eval_sets:
            logits = predict(ema.model, s.images)
            row[f"{s.name}_balanced_accuracy"] = round(balanced_accuracy(s.labels, logits.argmax(1), len(LABELS)), 4)
        history.append(row)
        print(json.dumps({"member": out_dir.name, **row}), flush=True)
        tmp = out_dir / "checkpoint.pt.part"
        torch.save(
            {
                "config": _config_dict(cfg),
                "epoch": epoch,
                "model": net.state_dict(),
                "ema": ema.model.state_dict(),
                "optimizer": opt.state_dict(),
                "sampler": sampler.rng.bit_generator.state,
                "augmenter": augmenter.state(),
                "torch_rng": torch.get_rng_state(),
                "history": history,
                "seeding": seeding,
            },
            tmp,
        )
        os.replace(tmp, ckpt_path)
        if on_epoch_end is not None:
            on_epoch_end(epoch)

    result = Net(cfg.backbone, dropout=cfg.dropout)
    result.load_state_dict(ema.model.state_dict())
    torch.save(result.state_dict(), out_dir / "member.pt.part")
    os.replace(out_dir / "member.pt.part", final)
    (out_dir / "history.json").write_text(json.dumps(history, indent=1))
    return result.eval()


def _stream(sampler: MixedSampler, augmenter: Augmenter, batches: int) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """The batches of one epoch from the member's single seeded stream (workers 0)."""
    for images, labels in sampler.epoch(batches):
        # The first rows of a batch are the dermoscopic photos (MixedSampler), the rest phone photos.
        framable = np.arange(len(images)) < len(images) - sampler.n_second
        yield augmenter(images, framable), torch.from_numpy(labels).long()


def _config_dict(cfg: MemberConfig) -> Dict[str, object]:
    return json.loads(json.dumps(asdict(cfg)))


def _same_recipe(saved: Dict[str, object], current: Dict[str, object], defaults: Dict[str, object]) -> bool:
    """True when a checkpoint's recipe is the current one; a field added since then counts as equal
    when the current value is its default (the behaviour before the field existed)."""
    for key, value in current.items():
        if key not in saved:
            if value != defaults.get(key):
                return False
        elif isinstance(value, dict):
            if not isinstance(saved[key], dict) or not _same_recipe(saved[key], value, defaults.get(key, {})):  # type: ignore[arg-type]
                return False
        elif saved[key] != value:
            return False
    return set(saved) <= set(current)


def pool_of(samples: List[Sample], images: PreparedImages, balance: float) -> Pool:
    return Pool(samples=samples, images=images, balance=balance)


def eval_set(name: str, samples: List[Sample], images: PreparedImages) -> EvalSet:
    rows = images.rows([s.image_id for s in samples])
    return EvalSet(name, images.images[rows], np.asarray([s.label for s in samples]))
