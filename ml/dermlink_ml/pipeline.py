"""The whole recipe after the members: calibration on validation, gates, export and the metrics."""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import asdict
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch

from .augment import AugmentConfig, Augmenter
from .calibrate import choose_triage, features, fit_temperature, gate_thresholds, score, triage_report
from .data import LABELS, PreparedImages
from .gate import PhotoGate, fit_photo_gate, gate_scores, refusal_threshold, synthetic_negatives
from .export import export_onnx, parity_fixture, write_metadata
from .metrics import softmax, summary
from .models import Net, Served
from .recipe import RECIPES, Data, Paths, Recipe
from .train import eval_set, pool_of, train_member

#: Recall goals the triage thresholds are set for on validation: melanoma told 'urgent' on
#: dermoscopic photos (the test target is 0.85), and each of melanoma, BCC and actinic keratosis
#: not told 'routine' on both kinds of photo (the phone-photo target is 0.90 for the three together).
MEL_URGENT_RECALL = 0.90
MALIGNANT_NOT_ROUTINE = 0.90
#: HAM10000 train photos among the lesion-photo detector's positives (with every PAD photo).
GATE_TRAIN_PHOTOS = 3000
#: Synthetic pictures among its negatives.
SYNTHETIC_NEGATIVES = 700


def pad_out_of_fold(recipe: Recipe, data: Data, members: List[Net], views: Sequence[str]) -> np.ndarray:
    """Logits of every PAD-UFES-20 development photo from the members that never saw its patient
    (their mean, over the test-time views too), in `data.pad` order."""
    rows = data.pad_images.rows([s.image_id for s in data.pad])
    logits = np.zeros((len(data.pad), len(LABELS)), dtype=np.float32)
    for fold in range(recipe.pad_folds):
        held = np.asarray([data.pad_fold[s.group] == fold for s in data.pad])
        blind = [m for k, m in enumerate(members) if recipe.fold_of(k) == fold]
        logits[held] = score(blind, data.pad_images.images[rows[held]], views)[0]
    return logits


def member_dir(paths: Paths, recipe: Recipe, k: int) -> Path:
    return paths.work_dir / recipe.name / f"member-{k}"


def train_members(paths: Paths, recipe: Recipe, data: Data, only: Optional[List[int]], threads: int) -> None:
    for k, cfg in enumerate(recipe.members):
        if only is not None and k not in only:
            continue
        started = time.time()
        fold = recipe.fold_of(k)
        reuse_finished_twin(paths, recipe, k)
        train_member(
            cfg,
            member_dir(paths, recipe, k),
            paths.imagenet_weights,
            ham=pool_of(data.ham_split("train"), data.ham_images, cfg.ham_balance),
            pad=pool_of(data.pad_train(fold), data.pad_images, cfg.pad_balance),
            eval_sets=[
                eval_set("ham_val", data.ham_split("val"), data.ham_images),
                eval_set("pad_oof", data.pad_held_out(fold), data.pad_images),
            ],
            threads=threads,
        )
        print(json.dumps({"member": k, "minutes": round((time.time() - started) / 60, 1)}), flush=True)


def reuse_finished_twin(paths: Paths, recipe: Recipe, k: int) -> None:
    """Copies a finished member of another named recipe with the same config and PAD fold into
    member k's folder (train_member then loads it instead of training it again)."""
    target = member_dir(paths, recipe, k)
    if (target / "member.pt").exists():
        return
    for other in RECIPES.values():
        if other.name == recipe.name or other.pad_folds != recipe.pad_folds or other.fold_seed != recipe.fold_seed:
            continue
        for j, cfg in enumerate(other.members):
            source = member_dir(paths, other, j)
            if cfg == recipe.members[k] and other.fold_of(j) == recipe.fold_of(k) and (source / "member.pt").exists():
                target.mkdir(parents=True, exist_ok=True)
                for name in ("member.pt", "history.json"):
                    shutil.copyfile(source / name, target / name)
                print(f"{recipe.name} member {k}: the same as {other.name} member {j}, reused", flush=True)
                return


def load_members(paths: Paths, recipe: Recipe) -> List[Net]:
    members = []
    for k, cfg in enumerate(recipe.members):
        path = member_dir(paths, recipe, k) / "member.pt"
        if not path.exists():
            raise FileNotFoundError(f"{path} is missing: train the members first")
        net = Net(cfg.backbone, dropout=cfg.dropout)
        net.load_state_dict(torch.load(path, map_location="cpu"))
        members.append(net.eval())
    return members


def fit_gate(
    recipe: Recipe, data: Data, members: List[Net], val_feats: np.ndarray, negatives: Optional[PreparedImages]
) -> tuple[PhotoGate, np.ndarray, np.ndarray, Dict[str, object]]:
    """Fits the lesion-photo detector (gate.py) on the members' features and scores HAM10000
    validation (unseen) and the PAD photos out of fold (a detector fitted without their fold)."""
    size = recipe.members[0].size
    rng = np.random.default_rng(recipe.fold_seed)
    train = data.ham_split("train")
    pick = sorted(rng.choice(len(train), size=min(GATE_TRAIN_PHOTOS, len(train)), replace=False))
    ham_pos = data.ham_images.images[data.ham_images.rows([train[i].image_id for i in pick])]
    pad_images = data.pad_images.images[data.pad_images.rows([s.image_id for s in data.pad])]
    drawn = synthetic_negatives(SYNTHETIC_NEGATIVES, size, recipe.fold_seed)
    neg_images = drawn if negatives is None else np.concatenate([negatives.images, drawn])
    # Every picture as it is and in augmented views (the same augmentation for both sides, so
    # blur or JPEG artefacts do not tell them apart).
    augmenter = Augmenter(AugmentConfig(), recipe.fold_seed)

    def views(images: np.ndarray, extra: int) -> np.ndarray:
        seen = [images] + [augmenter(images[i : i + 256]).clamp(0, 255).round().to(torch.uint8).permute(0, 2, 3, 1).numpy() for _ in range(extra) for i in range(0, len(images), 256)]
        return np.concatenate(seen)

    ham_feats = features(members, views(ham_pos, 1))
    pad_feats = features(members, pad_images)
    pad_aug = features(members, views(pad_images, 1)[len(pad_images) :])
    neg_feats = features(members, views(neg_images, 2))
    pad_fold = np.asarray([data.pad_fold[s.group] for s in data.pad])
    pad_ood = np.zeros(len(data.pad))
    for f in range(recipe.pad_folds):
        keep = pad_fold != f
        cross = fit_photo_gate(np.concatenate([ham_feats, pad_feats[keep], pad_aug[keep]]), neg_feats)
        pad_ood[~keep] = gate_scores(cross, pad_feats[~keep])
    gate = fit_photo_gate(np.concatenate([ham_feats, pad_feats, pad_aug]), neg_feats)
    info: Dict[str, object] = {
        "positives": {"ham10000_train": len(ham_pos), "pad_ufes_20_dev": len(pad_images), "augmented_views": 1},
        "negatives": {"debian_pictures": 0 if negatives is None else len(negatives.ids), "synthetic": len(drawn), "augmented_views": 2},
        "negatives_refused_in_sample": round(float((gate_scores(gate, neg_feats) > 0).mean()), 4),
    }
    return gate, gate_scores(gate, val_feats), pad_ood, info


def finish(
    paths: Paths, recipe: Recipe, data: Data, out_dir: Path, version: str, threads: int, negatives: Optional[PreparedImages] = None
) -> Dict[str, object]:
    """Calibrates the trained members on validation, fits the gates, exports `out_dir`. `negatives`:
    prepared non-skin pictures for the lesion-photo detector (synthetic ones are always added)."""
    torch.set_num_threads(threads)
    out_dir.mkdir(parents=True, exist_ok=True)
    members = load_members(paths, recipe)
    size = recipe.members[0].size
    views = recipe.views
    print("finish: scoring HAM10000 validation and PAD-UFES-20 out of fold", flush=True)
    val = eval_set("ham_val", data.ham_split("val"), data.ham_images)
    val_logits, val_feats = score(members, val.images, views)
    pad_samples = data.pad
    pad_rows = data.pad_images.rows([s.image_id for s in pad_samples])
    pad_y = np.asarray([s.label for s in pad_samples])
    pad_logits = pad_out_of_fold(recipe, data, members, views)

    temperature = fit_temperature(np.concatenate([val_logits, pad_logits]), np.concatenate([val.labels, pad_y]))
    val_probs = softmax(val_logits, temperature)
    pad_probs = softmax(pad_logits, temperature)
    sets = {"ham_val": (val_probs, val.labels), "pad_oof": (pad_probs, pad_y)}
    # The melanoma threshold is set on dermoscopic photos, where the 'urgent' target is defined;
    # on phone photos (21 melanomas here) the network is too unsure of melanoma for an 'urgent'
    # threshold that keeps 90% of them without calling nearly every spot urgent, so there the
    # cancers and precancers together set 'soon'.
    triage = choose_triage({"ham_val": sets["ham_val"]}, sets, MEL_URGENT_RECALL, MALIGNANT_NOT_ROUTINE)

    print("finish: fitting the lesion-photo detector", flush=True)
    gate, val_ood, pad_ood, gate_info = fit_gate(recipe, data, members, val_feats, negatives)
    val_stats = data.ham_images.stats[data.ham_images.rows([s.image_id for s in data.ham_split("val")])]
    pad_stats = data.pad_images.stats[data.pad_images.rows([s.image_id for s in data.pad])]
    gates = gate_thresholds([val_stats, pad_stats], data.ham_images.stat_keys)
    # Refused over the 99.5% quantile of HAM10000 validation and the 99% quantile of PAD (out of
    # fold); flagged uncertain over their 97.5% and 95% quantiles.
    gates["maxOodScore"] = refusal_threshold([val_ood, pad_ood], [0.995, 0.99])
    gates["uncertainOodScore"] = refusal_threshold([val_ood, pad_ood], [0.975, 0.95])
    # Everything the thresholds were chosen from, for reanalysis without running the network again.
    np.savez(out_dir / "calibration.npz", val_logits=val_logits, val_y=val.labels, pad_logits=pad_logits, pad_y=pad_y, val_ood=val_ood, pad_ood=pad_ood)

    served = Served(members, views, gate).eval()
    export_onnx(served, size, out_dir)
    parity_ids = {f"ham10000:{s.image_id}": data.ham_images.images[data.ham_images.rows([s.image_id])[0]] for s in data.ham_split("val")[:6]}
    parity_ids.update({f"pad-ufes-20-dev:{s.image_id}": data.pad_images.images[data.pad_images.rows([s.image_id])[0]] for s in pad_samples[:4]})
    (out_dir / "parity.json").write_text(json.dumps(parity_fixture(served, parity_ids, size), indent=1) + "\n")

    histories = [json.loads((member_dir(paths, recipe, k) / "history.json").read_text()) for k in range(len(members))]
    metrics: Dict[str, object] = {
        "calibration": "HAM10000 validation split (ensemble) + PAD-UFES-20 development out of fold (each photo by the member that never saw its patient)",
        "validation": summary(val.labels, val_probs, LABELS),
        "pad_dev_out_of_fold": summary(pad_y, pad_probs, LABELS),
        "triage": {name: triage_report(triage, p, y) for name, (p, y) in sets.items()},
        "photo_gate": gate_info,
        "ood_quantiles": {
            name: {q: round(float(np.quantile(o, float(q))), 4) for q in ["0.5", "0.95", "0.99", "0.995"]}
            for name, o in {"ham_val": val_ood, "pad_dev": pad_ood}.items()
        },
    }
    training = {
        "recipe": recipe.name,
        "pad_folds": recipe.pad_folds,
        "fold_seed": recipe.fold_seed,
        "members": [asdict(c) for c in recipe.members],
        "train_minutes": [round(sum(float(r["train_s"]) for r in h) / 60, 1) for h in histories],
        "history": histories,
        "torch": torch.__version__,
    }
    write_metadata(
        out_dir,
        version=version,
        size=size,
        views=views,
        members=[{"backbone": c.backbone, "pad_fold_held_out": recipe.fold_of(k)} for k, c in enumerate(recipe.members)],
        temperature=round(temperature, 4),
        thresholds={"mel": triage.mel, "soon": triage.soon, "uncertain": triage.uncertain},
        gates=gates,
        metrics=metrics,
        training=training,
    )
    print(json.dumps({"temperature": temperature, "thresholds": asdict(triage), "gates": gates, **metrics}, indent=1), flush=True)
    return metrics


#: Test-time view sets compared by `compare` (the served set is the recipe's `views`).
VIEW_SETS = (
    ("identity",),
    ("identity", "hflip"),
    ("identity", "hflip", "vflip", "rot90"),
    ("identity", "hflip", "zoom", "zoom-hflip"),
)


def compare(paths: Paths, recipe: Recipe, data: Data, threads: int) -> List[Dict[str, object]]:
    """Validation-only comparisons: each member, each group of members that share a recipe but the
    seed, and the whole ensemble, under each test-time view set. HAM10000 validation (every member
    unseen) and PAD-UFES-20 development out of fold (only members blind to a photo's patient)."""
    torch.set_num_threads(threads)
    members = load_members(paths, recipe)
    val = eval_set("ham_val", data.ham_split("val"), data.ham_images)
    pad_rows = data.pad_images.rows([s.image_id for s in data.pad])
    pad_y = np.asarray([s.label for s in data.pad])
    pad_fold = np.asarray([data.pad_fold[s.group] for s in data.pad])
    groups: Dict[str, List[int]] = {}
    for k, cfg in enumerate(recipe.members):
        key = json.dumps({f: v for f, v in asdict(cfg).items() if f != "seed"}, sort_keys=True)
        groups.setdefault(key, []).append(k)
    subsets = [(f"member {k}", [k]) for k in range(len(members))]
    if len(groups) > 1:
        subsets += [("members " + "+".join(map(str, ks)), ks) for ks in groups.values()]
    subsets.append(("ensemble", list(range(len(members)))))
    rows: List[Dict[str, object]] = []
    for views in VIEW_SETS:
        ham = [score([m], val.images, views)[0] for m in members]
        pad = [score([m], data.pad_images.images[pad_rows], views)[0] for m in members]
        for name, ks in subsets:
            s = summary(val.labels, softmax(sum(ham[k] for k in ks) / len(ks)), LABELS)
            row: Dict[str, object] = {"views": "+".join(views), "model": name, "ham_val_balanced_accuracy": s["balanced_accuracy"], "ham_val_auc": s["macro_auc"], "ham_val_mel_recall": s["recall"]["mel"]}  # type: ignore[index]
            # PAD photos whose patient every member of the subset was blind to.
            folds = {recipe.fold_of(k) for k in ks}
            oof = np.zeros((len(data.pad), len(LABELS)), dtype=np.float32)
            covered = np.zeros(len(data.pad), dtype=bool)
            for f in folds:
                blind = [k for k in ks if recipe.fold_of(k) == f]
                oof[pad_fold == f] = (sum(pad[k] for k in blind) / len(blind))[pad_fold == f]
                covered |= pad_fold == f
            p = summary(pad_y[covered], softmax(oof[covered]), LABELS)
            row.update({"pad_photos": int(covered.sum()), "pad_oof_balanced_accuracy": p["balanced_accuracy"], "pad_oof_auc": p["macro_auc"], "pad_oof_mel_recall": p["recall"].get("mel")})  # type: ignore[union-attr]
            rows.append(row)
            print(json.dumps(row), flush=True)
    out = paths.work_dir / recipe.name / "compare.json"
    out.write_text(json.dumps(rows, indent=1) + "\n")
    return rows
