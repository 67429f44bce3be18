"""One entry point: `python3 -m dermlink_ml train|members|finish [options]` (npm run train calls it).

- `members`: fine-tunes the ensemble members (resumable: a checkpoint per epoch under --work).
- `finish`: calibrates them on validation, fits the gates, exports the ONNX model into --out.
- `train`: both.
- `compare`: validation-only comparisons of members, the ensemble and test-time view sets.
- `compare-gates`: validation-only comparison of lesion-photo detectors (which members' features,
  which L2 weight), each source of negatives held out in turn.
- `recipe`: prints the recipe as JSON (its input size and member count tell npm run train what to prepare).
- `recover --from DIR`: the members of an export in DIR (model.onnx, metadata.json, parity.json)
  written back as the recipe's trained members, checked against DIR's parity rows first.
- `pack --to DIR`: what `members` needs on a lent GPU machine (transport.py: the training and
  validation photos as WebP, the metadata, the ImageNet weights), small enough to travel;
  `unpack --from DIR` there writes the photos into --cache. `ml/device/members.sh` runs both ends.
- `intervals --from DIR`: 95% bootstrap intervals (by lesion, by patient) of the validation numbers
  of the export in DIR, from its calibration.npz.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict
from pathlib import Path
from typing import List, Optional

from .pipeline import compare, compare_gates, finish, recover_members, train_members, validation_intervals
from .data import PreparedImages
from .transport import pack_for_device, unpack
from .recipe import DEFAULT_RECIPE, RECIPES, Paths, load_data


def main(argv: Optional[List[str]] = None) -> None:
    p = argparse.ArgumentParser(prog="dermlink_ml", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("command", choices=["train", "members", "finish", "compare", "compare-gates", "recipe", "recover", "pack", "unpack", "intervals"])
    p.add_argument("--ham", default="../shared/data/ham10000", help="HAM10000 folder (HAM10000_metadata.csv, images/)")
    p.add_argument("--pad", default="../shared/data/pad-ufes-20-dev", help="PAD-UFES-20 development folder (metadata.csv, images/)")
    p.add_argument("--split", default="models/split.csv", help="the lesion-level HAM10000 split")
    p.add_argument("--pretrained", default="../shared/data/pretrained", help="ImageNet starting weights")
    p.add_argument("--cache", default=".cache/prepared", help="images prepared by the service's preprocessing (npm run train writes them)")
    p.add_argument("--work", default=".cache/train", help="checkpoints and members")
    p.add_argument("--out", default=".cache/train/model", help="where finish writes the exported model")
    p.add_argument("--version", help="the exported model's version (default: the recipe's)")
    p.add_argument("--negatives", default="negatives", help="prepared non-skin pictures for the lesion-photo detector (a name in --cache; 'none': synthetic only)")
    p.add_argument("--recipe", default=DEFAULT_RECIPE, choices=sorted(RECIPES), help="which recipe (the default is the shipped one)")
    p.add_argument("--member", type=int, action="append", help="train only these members (their index in the recipe)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--device", default="cpu", help="members: where the networks train (cpu, or cuda on a GPU machine)")
    p.add_argument("--workers", type=int, default=0, help="members: processes that draw and augment the batches (0: one seeded stream in the trainer, as the shipped members were made)")
    p.add_argument("--from", dest="source", help="recover: the export folder whose members to write back; intervals: the export folder; unpack: the pack folder")
    p.add_argument("--to", help="pack: the folder to write (ignored by git, carried to the GPU machine)")
    args = p.parse_args(argv)
    recipe = RECIPES[args.recipe]
    paths = Paths(
        ham_dir=Path(args.ham),
        pad_dir=Path(args.pad),
        split_csv=Path(args.split),
        pretrained_dir=Path(args.pretrained),
        cache_dir=Path(args.cache),
        work_dir=Path(args.work),
    )
    if args.command == "recipe":
        print(json.dumps({"size": recipe.members[0].size, "members": len(recipe.members), "recipe": asdict(recipe)}))
        return
    started = time.time()
    if args.command == "unpack":
        if not args.source:
            p.error("unpack needs --from DIR")
        for pack_path in sorted(Path(args.source).glob("*.npz")):
            index = unpack(pack_path, paths.cache_dir)
            print(f"unpack: {len(index['ids'])} photos from {pack_path} ({index['transport']})", flush=True)
        return
    if args.command == "intervals":
        if not args.source:
            p.error("intervals needs --from DIR (an export folder with calibration.npz)")
        print(json.dumps(validation_intervals(paths, Path(args.source)), indent=1), flush=True)
        return
    data = load_data(paths, recipe, recipe.members[0].size)
    if args.command == "pack":
        if not args.to:
            p.error("pack needs --to DIR")
        pack_for_device(paths, data, Path(args.to))
    if args.command in ("train", "members"):
        train_members(paths, recipe, data, args.member, args.threads, args.device, args.workers)
    if args.command in ("train", "finish"):
        negatives = None
        if args.negatives != "none":
            negatives = PreparedImages(paths.cache_dir, args.negatives, recipe.members[0].size)
        finish(paths, recipe, data, Path(args.out), args.version or recipe.version, args.threads, negatives)
    if args.command == "compare":
        compare(paths, recipe, data, args.threads)
    if args.command == "compare-gates":
        compare_gates(paths, recipe, data, PreparedImages(paths.cache_dir, args.negatives, recipe.members[0].size), args.threads)
    if args.command == "recover":
        if not args.source:
            p.error("recover needs --from DIR")
        recover_members(paths, recipe, data, Path(args.source))
    print(f"dermlink_ml {args.command}: {(time.time() - started) / 60:.1f} min", flush=True)
