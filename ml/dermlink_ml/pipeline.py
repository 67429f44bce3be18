"""The whole recipe after the members: calibration on validation, gates, export and the metrics."""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence

import numpy as np
import torch
import torch.nn as nn

from .augment import AugmentConfig, Augmenter
from .calibrate import Triage, choose_triage, features, fit_temperature, gate_thresholds, score, triage_intervals, triage_report
from .data import LABELS, PreparedImages, read_ham, read_pad
from .gate import PhotoGate, fit_photo_gate, gate_scores, leave_one_source_out, negative_source, refusal_threshold, synthetic_negatives
from .export import export_onnx, output_names, parity_fixture, write_metadata
from .metrics import softmax, summary
from .models import Net, Routed, Served, half_precision_weights
from .recipe import RECIPES, AnyRecipe, Data, Paths, Recipe, RoutedRecipe, with_folds
from .recover import recover
from .train import EvalSet, eval_set, pool_of, train_member

#: Recall goals the triage thresholds are set for on validation: melanoma told 'urgent' on
#: dermoscopic photos (the test target is 0.85), and each of melanoma, BCC and actinic keratosis
#: not told 'routine' on both kinds of photo (the phone-photo target is 0.90 for the three together).
MEL_URGENT_RECALL = 0.90
MALIGNANT_NOT_ROUTINE = 0.90
#: The stricter 'not routine' goal, per class, on HAM10000 validation for the photos a routed
#: model's router calls dermoscopic (their own 'soon' threshold). With one threshold for both kinds,
#: fitted at 0.90 and set by the phone photos, model 2.3.0 told 9 of 282 HAM10000 test-split
#: cancers 'routine' where 2.2.0 told none; on dermoscopic photos the networks separate the cancers
#: well enough (AUC 0.94) that a stricter goal costs fewer benign spots than it would on phone photos.
MALIGNANT_NOT_ROUTINE_DERMOSCOPIC = 0.98
#: HAM10000 train photos among the lesion-photo detector's positives (with every PAD photo).
GATE_TRAIN_PHOTOS = 3000
#: Synthetic pictures among its negatives.
SYNTHETIC_NEGATIVES = 700
#: Its L2 weight (gate.fit_photo_gate).
GATE_L2 = 1e-2
#: A photo is refused over these quantiles of its OOD score on HAM10000 validation and on the PAD
#: photos out of fold, flagged uncertain over the second pair.
REFUSAL_QUANTILES = (0.995, 0.99)
UNCERTAIN_QUANTILES = (0.975, 0.95)


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


def train_members(paths: Paths, recipe: AnyRecipe, data: Data, only: Optional[List[int]], threads: int, device: str = "cpu", workers: int = 0) -> None:
    """Trains (or finds) the recipe's members; `device` and `workers` as train.train_member's."""
    if isinstance(recipe, RoutedRecipe):
        # Each member is its own recipe's, trained (or found) in that recipe's folders.
        for k in range(len(recipe.members)):
            if only is None or k in only:
                part, j = recipe.part_of(k)
                train_members(paths, part, with_folds(data, part), [j], threads, device, workers)
        return
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
            device=device,
            workers=workers,
        )
        print(json.dumps({"member": k, "minutes": round((time.time() - started) / 60, 1)}), flush=True)


def reuse_finished_twin(paths: Paths, recipe: Recipe, k: int) -> None:
    """Copies a finished member of another named recipe with the same config and PAD fold into
    member k's folder (train_member then loads it instead of training it again)."""
    target = member_dir(paths, recipe, k)
    if (target / "member.pt").exists():
        return
    for other in RECIPES.values():
        if not isinstance(other, Recipe) or other.name == recipe.name or other.pad_folds != recipe.pad_folds or other.fold_seed != recipe.fold_seed:
            continue
        for j, cfg in enumerate(other.members):
            source = member_dir(paths, other, j)
            if cfg == recipe.members[k] and other.fold_of(j) == recipe.fold_of(k) and (source / "member.pt").exists():
                target.mkdir(parents=True, exist_ok=True)
                for name in ("member.pt", "history.json"):
                    shutil.copyfile(source / name, target / name)
                print(f"{recipe.name} member {k}: the same as {other.name} member {j}, reused", flush=True)
                return


def parity_photos(data: Data) -> Dict[str, np.ndarray]:
    """The real photos of parity.json, by key: the first 6 HAM10000 validation and first 4 PAD photos."""
    named = {f"ham10000:{s.image_id}": data.ham_images.images[data.ham_images.rows([s.image_id])[0]] for s in data.ham_split("val")[:6]}
    named.update({f"pad-ufes-20-dev:{s.image_id}": data.pad_images.images[data.pad_images.rows([s.image_id])[0]] for s in data.pad[:4]})
    return named


def recover_members(paths: Paths, recipe: AnyRecipe, data: Data, source: Path, tolerance: Optional[float] = None) -> None:
    """Writes the members of the export in `source` as `recipe`'s trained members (recover.py),
    after checking them against the export's parity rows on the prepared photos."""
    named = parity_photos(data)
    targets = [member_dir(paths, *(recipe.part_of(k) if isinstance(recipe, RoutedRecipe) else (recipe, k))) for k in range(len(recipe.members))]
    worst = recover(source, targets, named, tolerance)
    print(f"{recipe.name}: {len(targets)} members recovered from {source} (largest difference from its parity rows {worst:.1e})", flush=True)


def load_members(paths: Paths, recipe: Recipe, half: bool = False) -> List[Net]:
    """The trained members; `half` (a recipe with half-precision storage): as the export will
    store them (batch norms folded, convolution weights rounded to float16)."""
    members = []
    for k, cfg in enumerate(recipe.members):
        path = member_dir(paths, recipe, k) / "member.pt"
        if not path.exists():
            raise FileNotFoundError(f"{path} is missing: train the members first")
        net = Net(cfg.backbone, dropout=cfg.dropout)
        net.load_state_dict(torch.load(path, map_location="cpu"))
        members.append((half_precision_weights(net) if half else net).eval())
    return members


@dataclass
class DetectorInputs:
    """Pooled features (every member's, concatenated) of the photos both linear detectors learn
    from: HAM10000 train photos (each also in an augmented view), the PAD photos as they are and
    in an augmented view, and the non-skin negatives (in two augmented views)."""

    ham: np.ndarray
    pad: np.ndarray
    pad_aug: np.ndarray
    neg: np.ndarray
    info: Dict[str, object]


def detector_inputs(recipe: Recipe, data: Data, members: List[Net], negatives: Optional[PreparedImages], negatives_too: bool = True) -> DetectorInputs:
    """`negatives_too=False`: the lesion photos only (what the router needs), the same features."""
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

    info: Dict[str, object] = {
        "positives": {"ham10000_train": len(ham_pos), "pad_ufes_20_dev": len(pad_images), "augmented_views": 1},
        "negatives": {"debian_pictures": 0 if negatives is None else len(negatives.ids), "synthetic": len(drawn), "augmented_views": 2},
    }
    return DetectorInputs(
        ham=features(members, views(ham_pos, 1)),
        pad=features(members, pad_images),
        pad_aug=features(members, views(pad_images, 1)[len(pad_images) :]),
        neg=features(members, views(neg_images, 2)) if negatives_too else np.zeros((0, 0), dtype=np.float32),
        info=info,
    )


def fit_gate(
    data: Data, folds: int, inputs: DetectorInputs, val_feats: np.ndarray, columns: slice = slice(None), l2: float = GATE_L2
) -> tuple[PhotoGate, np.ndarray, np.ndarray, Dict[str, object]]:
    """Fits the lesion-photo detector (gate.py) on the members' features (`columns` of them) and
    scores HAM10000 validation (unseen) and the PAD photos out of fold (a detector fitted without
    their fold). The detector returned reads every column (weight 0 on the others)."""
    width = inputs.ham.shape[1]
    pad_fold = np.asarray([data.pad_fold[s.group] for s in data.pad])
    pad_ood = np.zeros(len(data.pad))
    for f in range(folds):
        keep = pad_fold != f
        cross = fit_photo_gate(np.concatenate([inputs.ham, inputs.pad[keep], inputs.pad_aug[keep]])[:, columns], inputs.neg[:, columns], l2=l2)
        pad_ood[~keep] = gate_scores(cross, inputs.pad[~keep][:, columns])
    gate = fit_photo_gate(np.concatenate([inputs.ham, inputs.pad, inputs.pad_aug])[:, columns], inputs.neg[:, columns], l2=l2).widen(columns, width)
    info = {
        **inputs.info,
        "features": {"columns": [columns.start or 0, width if columns.stop is None else columns.stop], "of": width},
        "negatives_refused_in_sample": round(float((gate_scores(gate, inputs.neg) > 0).mean()), 4),
    }
    return gate, gate_scores(gate, val_feats), pad_ood, info


def fit_router(data: Data, folds: int, inputs: DetectorInputs, columns: slice, val_feats: np.ndarray) -> tuple[PhotoGate, np.ndarray, np.ndarray]:
    """The dermoscopy router: a linear detector of dermoscopic photos (HAM10000 train, positives)
    against phone photos (PAD-UFES-20, negatives) on the `columns` of the features. Returns it and
    its probability that a photo is dermoscopic on HAM10000 validation (`val_feats`, already those
    columns) and on the PAD photos out of fold."""
    ham, pad, pad_aug = inputs.ham[:, columns], inputs.pad[:, columns], inputs.pad_aug[:, columns]
    pad_fold = np.asarray([data.pad_fold[s.group] for s in data.pad])
    pad_p = np.zeros(len(data.pad))
    for f in range(folds):
        keep = pad_fold != f
        cross = fit_photo_gate(ham, np.concatenate([pad[keep], pad_aug[keep]]))
        pad_p[~keep] = dermoscopic(cross, pad[~keep])
    router = fit_photo_gate(ham, np.concatenate([pad, pad_aug]))
    return router, dermoscopic(router, val_feats), pad_p


def dermoscopic(router: PhotoGate, feats: np.ndarray) -> np.ndarray:
    """The router's probability that each photo is dermoscopic (models.Routed computes the same)."""
    return 1.0 / (1.0 + np.exp(gate_scores(router, feats).astype(np.float64)))


def mixed(mix: Sequence[float], p_derm: np.ndarray, derm_logits: np.ndarray, phone_logits: np.ndarray, temperatures: Sequence[float] = (1.0, 1.0)) -> np.ndarray:
    """models.Routed's mixture of the two ensembles' logits, each divided by its temperature."""
    w = (mix[1] + (mix[0] - mix[1]) * p_derm)[:, None]
    return (w * (derm_logits / temperatures[0]) + (1.0 - w) * (phone_logits / temperatures[1])).astype(np.float32)


def ensemble_temperatures(derm_val: np.ndarray, val_y: np.ndarray, phone_pad: np.ndarray, pad_y: np.ndarray) -> tuple[float, float]:
    """Each ensemble's own temperature, on its own kind of photo: the dermoscopic one on HAM10000
    validation, the phone one on the PAD-UFES-20 photos out of fold (one temperature for both
    left phone photos over-confident: ECE 0.12-0.14 for 2.0.0-2.2.0)."""
    return fit_temperature(derm_val, val_y), fit_temperature(phone_pad, pad_y)


def finish(
    paths: Paths, recipe: AnyRecipe, data: Data, out_dir: Path, version: str, threads: int, negatives: Optional[PreparedImages] = None
) -> Dict[str, object]:
    """Calibrates the trained members on validation, fits the gates, exports `out_dir`. `negatives`:
    prepared non-skin pictures for the lesion-photo detector (synthetic ones are always added)."""
    torch.set_num_threads(threads)
    out_dir.mkdir(parents=True, exist_ok=True)
    if isinstance(recipe, RoutedRecipe):
        return finish_routed(paths, recipe, data, out_dir, version, negatives)
    members = load_members(paths, recipe, recipe.half_storage)
    print("finish: scoring HAM10000 validation and PAD-UFES-20 out of fold", flush=True)
    val = eval_set("ham_val", data.ham_split("val"), data.ham_images)
    val_logits, val_feats = score(members, val.images, recipe.views)
    pad_logits = pad_out_of_fold(recipe, data, members, recipe.views)
    print("finish: fitting the lesion-photo detector", flush=True)
    inputs = detector_inputs(recipe, data, members, negatives)
    return export_model(
        paths, recipe, data, out_dir, version, val, val_logits, pad_logits, inputs, val_feats, lambda gate: Served(members, recipe.views, gate), {}, {}
    )


def finish_routed(paths: Paths, recipe: RoutedRecipe, data: Data, out_dir: Path, version: str, negatives: Optional[PreparedImages]) -> Dict[str, object]:
    """finish for a routed recipe: both ensembles, the router between them, one gate on all members."""
    derm_members, phone_members = load_members(paths, recipe.derm, recipe.half_storage), load_members(paths, recipe.phone, recipe.half_storage)
    print("finish: scoring HAM10000 validation and PAD-UFES-20 out of fold with both ensembles", flush=True)
    val = eval_set("ham_val", data.ham_split("val"), data.ham_images)
    derm_val, derm_feats = score(derm_members, val.images, recipe.derm.views)
    phone_val, phone_feats = score(phone_members, val.images, recipe.phone.views)
    derm_pad = pad_out_of_fold(recipe.derm, with_folds(data, recipe.derm), derm_members, recipe.derm.views)
    phone_pad = pad_out_of_fold(recipe.phone, data, phone_members, recipe.phone.views)
    print("finish: fitting the dermoscopy router and the lesion-photo detector", flush=True)
    members = derm_members + phone_members
    inputs = detector_inputs(recipe.phone, data, members, negatives)
    phone_columns = slice(derm_feats.shape[1], derm_feats.shape[1] + phone_feats.shape[1])
    router, val_p, pad_p = fit_router(data, recipe.phone.pad_folds, inputs, phone_columns, phone_feats)
    pad_y = np.asarray([s.label for s in data.pad])
    # Rounded as metadata.json and the graph store them, before anything is computed with them.
    temperatures = tuple(round(t, 4) for t in ensemble_temperatures(derm_val, val.labels, phone_pad, pad_y))
    val_logits = mixed(recipe.mix, val_p, derm_val, phone_val, temperatures)
    pad_logits = mixed(recipe.mix, pad_p, derm_pad, phone_pad, temperatures)
    routing = {
        "mix": list(recipe.mix),
        "temperatures": [round(t, 4) for t in temperatures],
        "router": "logistic regression on the phone ensemble's pooled features: HAM10000 train photos (dermoscopic) against PAD-UFES-20 photos (phone), each also in an augmented view",
        "p_dermoscopic": {
            name: {q: round(float(np.quantile(v, float(q))), 4) for q in ["0.01", "0.05", "0.5", "0.95", "0.99"]} for name, v in {"ham_val": val_p, "pad_dev_out_of_fold": pad_p}.items()
        },
        "ham_val_called_phone": round(float((val_p < 0.5).mean()), 4),
        "pad_dev_called_dermoscopic": round(float((pad_p >= 0.5).mean()), 4),
    }
    print(json.dumps({"routing": routing}), flush=True)
    # The second ensemble's features follow the first's: the router reads its columns.
    derm = Served(derm_members, recipe.derm.views, nn.Identity())
    phone = Served(phone_members, recipe.phone.views, nn.Identity())
    return export_model(
        paths,
        recipe,
        data,
        out_dir,
        version,
        val,
        val_logits,
        pad_logits,
        inputs,
        np.concatenate([derm_feats, phone_feats], axis=1),
        lambda gate: Routed(derm, phone, router, recipe.mix, gate, [round(t, 4) for t in temperatures]),
        {"routing": routing},
        {"p_dermoscopic": {"val": val_p, "pad": pad_p}},
        {None: slice(None), recipe.derm.name: slice(0, derm_feats.shape[1]), recipe.phone.name: phone_columns}[recipe.gate_features],
    )


def member_infos(paths: Paths, recipe: AnyRecipe) -> tuple[List[Dict[str, object]], List[object]]:
    """metadata.json's `members` and every member's training history, in graph order."""
    infos: List[Dict[str, object]] = []
    histories: List[object] = []
    for k, cfg in enumerate(recipe.members):
        part, j = recipe.part_of(k) if isinstance(recipe, RoutedRecipe) else (recipe, k)
        info: Dict[str, object] = {"backbone": cfg.backbone, "pad_fold_held_out": part.fold_of(j)}
        if isinstance(recipe, RoutedRecipe):
            info.update({"recipe": part.name, "pad_folds": part.pad_folds, "ensemble": "dermoscopic" if part is recipe.derm else "phone"})
        infos.append(info)
        histories.append(json.loads((member_dir(paths, part, j) / "history.json").read_text()))
    return infos, histories


def calibrated_triage(
    val_logits: np.ndarray, val_y: np.ndarray, pad_logits: np.ndarray, pad_y: np.ndarray, per_kind: bool = False
) -> tuple[float, Triage, Dict[str, tuple[np.ndarray, np.ndarray]]]:
    """The softmax temperature (both validation sets together) and the triage rule fitted on the
    calibrated probabilities, which it returns per set ('ham_val', 'pad_oof') with the labels.

    The melanoma threshold is set on dermoscopic photos, where the 'urgent' target is defined; on
    phone photos (21 melanomas here) the network is too unsure of melanoma for an 'urgent'
    threshold that keeps 90% of them without calling nearly every spot urgent, so there the
    cancers and precancers together set 'soon'. `per_kind` (a routed model, whose router tells
    dermoscopic photos from phone ones): a second 'soon' threshold for the photos the router calls
    dermoscopic, fitted on HAM10000 validation (dermoscopic photos) for
    MALIGNANT_NOT_ROUTINE_DERMOSCOPIC."""
    # Rounded as metadata.json stores it (and serving reads it) before the thresholds are fitted with it.
    temperature = round(fit_temperature(np.concatenate([val_logits, pad_logits]), np.concatenate([val_y, pad_y])), 4)
    sets = {"ham_val": (softmax(val_logits, temperature), val_y), "pad_oof": (softmax(pad_logits, temperature), pad_y)}
    triage = choose_triage(
        {"ham_val": sets["ham_val"]},
        sets,
        MEL_URGENT_RECALL,
        MALIGNANT_NOT_ROUTINE,
        {"ham_val": sets["ham_val"]} if per_kind else None,
        MALIGNANT_NOT_ROUTINE_DERMOSCOPIC if per_kind else None,
    )
    return temperature, triage, sets


def export_model(
    paths: Paths,
    recipe: AnyRecipe,
    data: Data,
    out_dir: Path,
    version: str,
    val: EvalSet,
    val_logits: np.ndarray,
    pad_logits: np.ndarray,
    inputs: DetectorInputs,
    val_feats: np.ndarray,
    build: Callable[[nn.Module], nn.Module],
    extra_metrics: Dict[str, object],
    extra_arrays: Dict[str, Dict[str, np.ndarray]],
    gate_columns: slice = slice(None),
) -> Dict[str, object]:
    """What every recipe shares after scoring validation: the temperature, the triage rule, the
    gates (the lesion-photo detector on `gate_columns` of the features), the ONNX export of
    `build(gate)`, its parity rows and metadata.json."""
    size = recipe.members[0].size
    folds = recipe.phone if isinstance(recipe, RoutedRecipe) else recipe
    pad_y = np.asarray([s.label for s in data.pad])
    # A routed model's router output on each set: its triage has a 'soon' threshold per kind of photo.
    routed_p = extra_arrays.get("p_dermoscopic")
    p_dermoscopic = {"ham_val": routed_p["val"], "pad_oof": routed_p["pad"]} if routed_p else {}
    temperature, triage, sets = calibrated_triage(val_logits, val.labels, pad_logits, pad_y, per_kind=bool(p_dermoscopic))
    val_probs, pad_probs = sets["ham_val"][0], sets["pad_oof"][0]

    gate, val_ood, pad_ood, gate_info = fit_gate(data, folds.pad_folds, inputs, val_feats, gate_columns)
    val_stats = data.ham_images.stats[data.ham_images.rows([s.image_id for s in data.ham_split("val")])]
    pad_stats = data.pad_images.stats[data.pad_images.rows([s.image_id for s in data.pad])]
    gates = gate_thresholds([val_stats, pad_stats], data.ham_images.stat_keys)
    # Refused over the 99.5% quantile of HAM10000 validation and the 99% quantile of PAD (out of
    # fold); flagged uncertain over their 97.5% and 95% quantiles.
    gates["maxOodScore"] = refusal_threshold([val_ood, pad_ood], REFUSAL_QUANTILES)
    gates["uncertainOodScore"] = refusal_threshold([val_ood, pad_ood], UNCERTAIN_QUANTILES)
    # Everything the thresholds were chosen from, for reanalysis without running the network again.
    arrays = {f"{set_}_{name}": a for name, by_set in extra_arrays.items() for set_, a in by_set.items()}
    np.savez(out_dir / "calibration.npz", val_logits=val_logits, val_y=val.labels, pad_logits=pad_logits, pad_y=pad_y, val_ood=val_ood, pad_ood=pad_ood, **arrays)

    served = build(gate).eval()
    export_onnx(served, size, out_dir, recipe.half_storage)
    (out_dir / "parity.json").write_text(json.dumps(parity_fixture(served, parity_photos(data), size), indent=1) + "\n")

    infos, histories = member_infos(paths, recipe)
    metrics: Dict[str, object] = {
        "calibration": "HAM10000 validation split (ensemble) + PAD-UFES-20 development out of fold (each photo by the members that never saw its patient)",
        "validation": summary(val.labels, val_probs, LABELS),
        "pad_dev_out_of_fold": summary(pad_y, pad_probs, LABELS),
        "triage": {name: triage_report(triage, p, y, p_dermoscopic.get(name)) for name, (p, y) in sets.items()},
        "photo_gate": gate_info,
        "ood_quantiles": {
            name: {q: round(float(np.quantile(o, float(q))), 4) for q in ["0.5", "0.95", "0.99", "0.995"]}
            for name, o in {"ham_val": val_ood, "pad_dev": pad_ood}.items()
        },
        **extra_metrics,
    }
    training: Dict[str, object] = {
        "recipe": recipe.name,
        "pad_folds": folds.pad_folds,
        "fold_seed": folds.fold_seed,
        "members": [asdict(c) for c in recipe.members],
        "train_minutes": [round(sum(float(r["train_s"]) for r in h) / 60, 1) for h in histories],  # type: ignore[attr-defined]
        "history": histories,
        "torch": torch.__version__,
    }
    if isinstance(recipe, RoutedRecipe):
        # What recover.py needs to rebuild the graph from the export alone.
        training["parts"] = {
            name: {"recipe": part.name, "members": len(part.members), "views": part.views, "pad_folds": part.pad_folds}
            for name, part in (("dermoscopic", recipe.derm), ("phone", recipe.phone))
        }
    views = recipe.views if isinstance(recipe, Recipe) else list(dict.fromkeys(recipe.derm.views + recipe.phone.views))
    thresholds: Dict[str, float] = {"mel": triage.mel, "soon": triage.soon, "uncertain": triage.uncertain}
    if triage.soon_dermoscopic is not None:
        thresholds.update({"soonDermoscopic": triage.soon_dermoscopic, "dermoscopic": triage.dermoscopic})
    write_metadata(
        out_dir,
        outputs=output_names(served),
        storage="float16" if recipe.half_storage else "float32",
        version=version,
        size=size,
        views=views,
        members=infos,
        temperature=round(temperature, 4),
        thresholds=thresholds,
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


def compare(paths: Paths, recipe: AnyRecipe, data: Data, threads: int) -> List[Dict[str, object]]:
    """Validation-only comparisons: each member, each group of members that share a recipe but the
    seed, and the whole ensemble, under each test-time view set. HAM10000 validation (every member
    unseen) and PAD-UFES-20 development out of fold (only members blind to a photo's patient)."""
    if isinstance(recipe, RoutedRecipe):
        return compare_routed(paths, recipe, data, threads)
    torch.set_num_threads(threads)
    members = load_members(paths, recipe, recipe.half_storage)
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


#: Mixes compared for a routed recipe: the dermoscopic ensemble's weight on a photo the router
#: calls dermoscopic, and on one it calls a phone photo. (1, 1) and (0, 0) are either ensemble alone.
MIXES = ((1.0, 0.0), (1.0, 0.25), (0.75, 0.0), (0.75, 0.25), (0.5, 0.0), (0.5, 0.5), (1.0, 1.0), (0.0, 0.0))
#: Test-time view sets tried for each ensemble of a routed recipe (fewer views: less time per photo).
ROUTED_VIEW_SETS = (("identity", "hflip", "zoom", "zoom-hflip"), ("identity", "hflip"), ("identity", "zoom"), ("identity",))


def out_of_fold(recipe: Recipe, data: Data, logits: Sequence[np.ndarray]) -> np.ndarray:
    """Per-member PAD logits (data.pad order) -> each photo's mean over the members blind to it."""
    pad_fold = np.asarray([data.pad_fold[s.group] for s in data.pad])
    out = np.zeros_like(logits[0])
    for f in range(recipe.pad_folds):
        blind = [k for k in range(len(logits)) if recipe.fold_of(k) == f]
        out[pad_fold == f] = (sum(logits[k] for k in blind) / len(blind))[pad_fold == f]
    return out


def compare_routed(paths: Paths, recipe: RoutedRecipe, data: Data, threads: int) -> List[Dict[str, object]]:
    """Validation-only comparisons of a routed recipe: each ensemble alone and mixed by the router
    under MIXES, each ensemble on each of ROUTED_VIEW_SETS (the members' own logits, before
    temperature and triage; PAD out of fold for each ensemble's members)."""
    torch.set_num_threads(threads)
    parts = [(part, load_members(paths, part, recipe.half_storage)) for part in (recipe.derm, recipe.phone)]
    val = eval_set("ham_val", data.ham_split("val"), data.ham_images)
    pad_images = data.pad_images.images[data.pad_images.rows([s.image_id for s in data.pad])]
    pad_y = np.asarray([s.label for s in data.pad])
    views = sorted({v for vs in ROUTED_VIEW_SETS for v in vs}, key=ROUTED_VIEW_SETS[0].index)
    # Per recipe, view and member: logits on HAM10000 validation and on every PAD photo.
    cached: Dict[str, Dict[str, tuple[List[np.ndarray], List[np.ndarray]]]] = {}
    # The phone members' pooled features of the validation photos as they are (the router's input).
    phone_identity: List[np.ndarray] = []
    for part, members in parts:
        cached[part.name] = {}
        for v in views:
            scored = [score([m], val.images, [v]) for m in members]
            if part is recipe.phone and v == "identity":
                phone_identity = [f for _, f in scored]
            cached[part.name][v] = ([z for z, _ in scored], [score([m], pad_images, [v])[0] for m in members])
            print(f"compare: {part.name} members on view {v} scored", flush=True)
    members_all = parts[0][1] + parts[1][1]
    inputs = detector_inputs(recipe.phone, data, members_all, None, negatives_too=False)
    phone_val_feats = np.concatenate(phone_identity, axis=1)
    derm_dim = inputs.ham.shape[1] - phone_val_feats.shape[1]
    _, val_p, pad_p = fit_router(data, recipe.phone.pad_folds, inputs, slice(derm_dim, inputs.ham.shape[1]), phone_val_feats)
    print(json.dumps({"ham_val_called_phone": float((val_p < 0.5).mean()), "pad_dev_called_dermoscopic": float((pad_p >= 0.5).mean())}), flush=True)

    def ensemble(part: Recipe, vs: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        ham = sum(sum(cached[part.name][v][0]) for v in vs) / (len(vs) * len(part.members))
        pad = [sum(cached[part.name][v][1][k] for v in vs) / len(vs) for k in range(len(part.members))]
        return ham, out_of_fold(part, with_folds(data, part), pad)  # type: ignore[return-value]

    rows: List[Dict[str, object]] = []
    for derm_views in ROUTED_VIEW_SETS:
        for phone_views in ROUTED_VIEW_SETS:
            derm_val, derm_pad = ensemble(recipe.derm, derm_views)
            phone_val, phone_pad = ensemble(recipe.phone, phone_views)
            temperatures = tuple(round(t, 4) for t in ensemble_temperatures(derm_val, val.labels, phone_pad, pad_y))
            for mix in MIXES:
                if mix == (1.0, 1.0) and phone_views != ROUTED_VIEW_SETS[0] or mix == (0.0, 0.0) and derm_views != ROUTED_VIEW_SETS[0]:
                    continue  # one ensemble alone does not depend on the other's views
                val_logits = mixed(mix, val_p, derm_val, phone_val, temperatures)
                pad_logits = mixed(mix, pad_p, derm_pad, phone_pad, temperatures)
                s = summary(val.labels, softmax(val_logits), LABELS)
                p = summary(pad_y, softmax(pad_logits), LABELS)
                # What the triage rule, fitted as finish fits it, would cost benign spots.
                _, triage, sets = calibrated_triage(val_logits, val.labels, pad_logits, pad_y, per_kind=True)
                kinds = {"ham_val": val_p, "pad_oof": pad_p}
                cost = {name: triage_report(triage, *sets[name], kinds[name]) for name in sets}
                row: Dict[str, object] = {
                    "derm_views": "+".join(derm_views),
                    "phone_views": "+".join(phone_views),
                    "mix": list(mix),
                    # What the graph runs per photo (one ensemble alone needs no router).
                    "network_passes": len(derm_views) * len(recipe.derm.members) * (mix != (0.0, 0.0)) + len(phone_views) * len(recipe.phone.members) * (mix != (1.0, 1.0)),
                    "ham_val_balanced_accuracy": s["balanced_accuracy"],
                    "ham_val_auc": s["macro_auc"],
                    "ham_val_ece": s["ece"],
                    "pad_oof_balanced_accuracy": p["balanced_accuracy"],
                    "pad_oof_auc": p["macro_auc"],
                    "pad_oof_ece": p["ece"],
                    "pad_oof_mel_recall": p["recall"].get("mel"),  # type: ignore[union-attr]
                    "temperatures": [round(t, 4) for t in temperatures],
                    "soon_threshold": round(triage.soon, 4),
                    "soon_dermoscopic_threshold": round(triage.soon if triage.soon_dermoscopic is None else triage.soon_dermoscopic, 4),
                    "ham_val_benign_soon_or_urgent": cost["ham_val"]["benign_soon_or_urgent"],
                    "pad_oof_benign_soon_or_urgent": cost["pad_oof"]["benign_soon_or_urgent"],
                    "pad_oof_mel_urgent": cost["pad_oof"]["mel_urgent_recall"],
                }
                rows.append(row)
                print(json.dumps(row), flush=True)
    out = paths.work_dir / recipe.name / "compare.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(rows, indent=1) + "\n")
    return rows


def validation_intervals(paths: Paths, model_dir: Path) -> Dict[str, object]:
    """95% bootstrap intervals of an export's validation numbers, from its `calibration.npz` (the
    outputs its thresholds were chosen on): HAM10000 validation by lesion, PAD-UFES-20 out of fold
    by patient (`calibrate.triage_intervals`)."""
    meta = json.loads((model_dir / "metadata.json").read_text())
    t = meta["thresholds"]
    triage = Triage(t["mel"], t["soon"], t["uncertain"], t.get("soonDermoscopic"), t.get("dermoscopic", 0.5))
    ham_val = [s for s in read_ham(paths.ham_dir / "HAM10000_metadata.csv", paths.split_csv) if s.split == "val"]
    pad = read_pad(paths.pad_dir / "metadata.csv")
    out: Dict[str, object] = {"model": meta["version"], "level": 0.95, "resamples": 1000}
    with np.load(model_dir / "calibration.npz") as z:
        for name, prefix, samples in (("ham_val_by_lesion", "val", ham_val), ("pad_dev_out_of_fold_by_patient", "pad", pad)):
            y = z[f"{prefix}_y"]
            if len(samples) != len(y) or any(s.label != int(v) for s, v in zip(samples, y)):
                raise ValueError(f"{model_dir}/calibration.npz: its {prefix} labels are not those of the datasets given")
            p_derm = z[f"{prefix}_p_dermoscopic"] if f"{prefix}_p_dermoscopic" in z.files else None
            probs = softmax(z[f"{prefix}_logits"], float(meta["temperature"]))
            out[name] = triage_intervals(triage, probs, y, [s.group for s in samples], p_derm)
    return out


#: The lesion-photo detector variants `compare-gates` measures: the L2 weights (with each member
#: set's features: all members, and for a routed recipe each ensemble's alone).
GATE_L2S = (1e-3, 1e-2, 1e-1)


def compare_gates(paths: Paths, recipe: AnyRecipe, data: Data, negatives: PreparedImages, threads: int) -> List[Dict[str, object]]:
    """Validation-only comparison of lesion-photo detectors: for each variant, its refusal
    threshold (HAM10000 validation and PAD out of fold, as `finish` sets it) and, holding out one
    source of negatives (and the first PAD fold's patients) at a time, how many of that source's
    pictures a detector that never saw them accepts as lesion photos at a threshold set on lesion
    photos it never saw either. The gate measurement sets are not read. The members' features
    are computed once, into gate-features.npz beside the members (again when a member or the
    negatives change)."""
    torch.set_num_threads(threads)
    parts = recipe.parts if isinstance(recipe, RoutedRecipe) else [recipe]
    folds = recipe.phone if isinstance(recipe, RoutedRecipe) else recipe
    cache = paths.work_dir / recipe.name / "gate-features.npz"
    # The cached features hold while the members and the negatives are the same.
    key = hashlib.sha256()
    for part in parts:
        for k in range(len(part.members)):
            key.update((member_dir(paths, part, k) / "member.pt").read_bytes())
    key.update("\n".join(negatives.ids).encode())
    fingerprint = key.hexdigest()
    cached = False
    if cache.exists():
        with np.load(cache) as z:
            if "fingerprint" in z.files and str(z["fingerprint"]) == fingerprint:
                inputs = DetectorInputs(z["ham"], z["pad"], z["pad_aug"], z["neg"], {})
                val_feats, widths = z["val"], [int(w) for w in z["widths"]]
                cached = True
    if not cached:
        print("compare-gates: the members' features of the detector's pictures and of HAM10000 validation", flush=True)
        members_by_part = [load_members(paths, part, recipe.half_storage) for part in parts]
        members = [m for ms in members_by_part for m in ms]
        inputs = detector_inputs(folds, data, members, negatives)
        val_feats = features(members, eval_set("ham_val", data.ham_split("val"), data.ham_images).images)
        widths = [features(ms, data.pad_images.images[:1]).shape[1] for ms in members_by_part]
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.savez(cache, ham=inputs.ham, pad=inputs.pad, pad_aug=inputs.pad_aug, neg=inputs.neg, val=val_feats, widths=np.asarray(widths), fingerprint=np.asarray(fingerprint))
    names = np.asarray([negative_source(i) for i in negatives.ids] + ["synthetic"] * SYNTHETIC_NEGATIVES)
    sources = np.tile(names, len(inputs.neg) // len(names))
    judged = np.arange(len(inputs.neg)) < len(names)
    column_sets = [("all members", slice(None))]
    if len(parts) > 1:
        starts = np.cumsum([0] + widths)
        column_sets += [(f"{part.name} members", slice(int(a), int(b))) for part, a, b in zip(parts, starts[:-1], starts[1:])]
    rows: List[Dict[str, object]] = []
    # Held out with each source, for its detector's threshold: the first PAD fold's patients.
    blind = np.asarray([data.pad_fold[s.group] == 0 for s in data.pad])
    positives = np.concatenate([inputs.ham, inputs.pad[~blind], inputs.pad_aug[~blind]])
    for name, columns in column_sets:
        for l2 in GATE_L2S:
            _, val_ood, pad_ood, _ = fit_gate(data, folds.pad_folds, inputs, val_feats, columns, l2)
            threshold = refusal_threshold([val_ood, pad_ood], REFUSAL_QUANTILES)
            accepted = leave_one_source_out(
                positives[:, columns], inputs.neg[:, columns], sources, judged, [val_feats[:, columns], inputs.pad[blind][:, columns]], REFUSAL_QUANTILES, l2
            )
            row: Dict[str, object] = {"features": name, "l2": l2, "threshold": round(threshold, 4), "held_out_accepted": accepted}
            row["held_out_accepted_mean"] = round(float(np.mean(list(accepted.values()))), 4)
            rows.append(row)
            print(json.dumps(row), flush=True)
    out = paths.work_dir / recipe.name / "compare-gates.json"
    out.write_text(json.dumps(rows, indent=1) + "\n")
    print(f"compare-gates: {len(rows)} rows in {out}", flush=True)
    return rows
