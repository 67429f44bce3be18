"""The recipes: which members are trained on which data, and how they are scored out of fold.

Member k fine-tunes on the HAM10000 train split plus the phone photos of all PAD-UFES-20
development patients but those of fold k % pad_folds; that fold is its out-of-fold validation. The
members together are the served ensemble, so every PAD photo has predictions from members that
never saw its patient, and HAM10000's validation and test splits are unseen by all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Dict, List, Optional, Tuple, Union

from .augment import AugmentConfig
from .data import PreparedImages, Sample, patient_folds, read_ham, read_pad
from .train import MemberConfig


@dataclass
class Paths:
    ham_dir: Path
    pad_dir: Path
    split_csv: Path
    #: None: members start from random weights (the tests' tiny runs).
    pretrained_dir: Optional[Path]
    cache_dir: Path
    work_dir: Path

    @property
    def imagenet_weights(self) -> Optional[Path]:
        if self.pretrained_dir is None:
            return None
        path = self.pretrained_dir / "mobilenet_v2_1.0_imagenet.pt"
        if not path.exists():
            raise FileNotFoundError(f"ImageNet starting weights not found: {path} (see ../shared/data/pretrained/README.md)")
        return path


@dataclass
class Recipe:
    name: str = "v2"
    #: The model version a recipe's export carries (`--version` overrides it).
    version: str = "2.0.0"
    pad_folds: int = 2
    fold_seed: int = 2026
    members: List[MemberConfig] = field(default_factory=lambda: [MemberConfig(seed=2026), MemberConfig(seed=2027)])
    #: Test-time views averaged by the served graph.
    views: List[str] = field(default_factory=lambda: ["identity", "hflip"])
    #: Convolution weights stored as float16 in the export (half the file; 60 MB holds about 13
    #: networks instead of 6). Scoring and calibration then use the rounded weights too.
    half_storage: bool = False

    def __post_init__(self) -> None:
        if len(self.members) % self.pad_folds:
            raise ValueError("the same number of members for every PAD fold")
        if len({m.size for m in self.members}) != 1:
            raise ValueError("every member takes the same input size")

    def fold_of(self, member: int) -> int:
        """The PAD-UFES-20 fold member `member` never sees."""
        return member % self.pad_folds


@dataclass
class RoutedRecipe:
    """Two recipes' ensembles served together, mixed per photo by a router (models.Routed).

    `derm` is the ensemble for dermoscopic photos, `phone` the one for phone photos; their members
    are trained (and found on disk) as their own recipes' members. The router is fitted in `finish`
    on the phone ensemble's features, dermoscopic HAM10000 train photos against the PAD-UFES-20
    photos; `mix` is the dermoscopic ensemble's weight on a photo the router calls dermoscopic and on
    one it calls a phone photo (chosen on validation by `compare`).
    """

    name: str
    version: str
    derm: Recipe
    phone: Recipe
    mix: Tuple[float, float] = (1.0, 0.0)
    #: As Recipe.half_storage, for both ensembles.
    half_storage: bool = False
    #: Whose pooled features the lesion-photo detector reads: both ensembles' (None) or one
    #: ensemble's, by its recipe name (`compare-gates` measures each).
    gate_features: Optional[str] = None

    def __post_init__(self) -> None:
        if self.derm.members[0].size != self.phone.members[0].size:
            raise ValueError("both ensembles take the same input size")
        if not all(0.0 <= w <= 1.0 for w in self.mix):
            raise ValueError("mix weights are between 0 and 1")
        if self.gate_features not in (None, self.derm.name, self.phone.name):
            raise ValueError(f"gate_features names neither ensemble: {self.gate_features}")

    @property
    def members(self) -> List[MemberConfig]:
        return self.derm.members + self.phone.members

    @property
    def parts(self) -> List[Recipe]:
        return [self.derm, self.phone]

    def part_of(self, member: int) -> Tuple[Recipe, int]:
        """The recipe member `member` belongs to, and its index there."""
        if member < len(self.derm.members):
            return self.derm, member
        return self.phone, member - len(self.derm.members)


AnyRecipe = Union[Recipe, RoutedRecipe]

#: Named recipes (`--recipe`); the default is the shipped one. Members of a recipe that match
#: another's (same config, same fold) are trained once: `npm run train` reuses finished members.
RECIPES: Dict[str, AnyRecipe] = {
    "v2": Recipe(),
    # v2's members served on four test-time views: the photo and its 1.25x centre zoom, each also
    # mirrored (chosen on HAM10000 validation and PAD out of fold; see the model card).
    "v4": Recipe(name="v4", version="2.1.0", views=["identity", "hflip", "zoom", "zoom-hflip"]),
    # Measured, not shipped: v4 with two more members of v2's recipe (other seeds). Level with v4 on
    # HAM10000 validation, a little lower on PAD out of fold, twice the compute (the model card).
    "v5": Recipe(
        name="v5",
        version="2.2.0-v5",
        views=["identity", "hflip", "zoom", "zoom-hflip"],
        members=[MemberConfig(seed=2026), MemberConfig(seed=2027), MemberConfig(seed=2028), MemberConfig(seed=2029)],
    ),
    # 2.2.0: four PAD folds instead of two, so each member trains on 75% of the phone-photo patients
    # instead of 50% (phone photos mattered more than anything else measured), four members (one
    # blind to each fold) and 12 epochs instead of 20 (v2's members peaked on PAD out of fold at
    # epochs 2-9, then drifted).
    "v6": Recipe(
        name="v6",
        version="2.2.0",
        pad_folds=4,
        views=["identity", "hflip", "zoom", "zoom-hflip"],
        members=[MemberConfig(seed=seed, epochs=12) for seed in (2026, 2027, 2028, 2029)],
    ),
    "v3": Recipe(
        name="v3",
        version="2.0.0-v3",
        members=[
            MemberConfig(seed=2026),
            MemberConfig(seed=2027),
            MemberConfig(seed=2028, epochs=30, pad_share=0.2, augment=AugmentConfig(p_zoom_out=0.4)),
            MemberConfig(seed=2029, epochs=30, pad_share=0.2, augment=AugmentConfig(p_zoom_out=0.4)),
        ],
    ),
}
# Recipe v7 (validated, not shipped): each photo answered by the ensemble that is best on its kind
# of photo. A router (a linear detector on v6's features, dermoscopic HAM10000 train photos against
# PAD-UFES-20 phone photos) sends phone photos to v6 (2.2.0's four members on its four views, best
# on PAD out of fold) and dermoscopic photos to v4's two members (2.1.0's, best on HAM10000
# validation) on the photo and its centre zoom, so that one photo stays under 100 ms on one core
# (20 network passes; all four views for both would be 24, 114 ms). The mix is pure routing, not
# tuned. The views were chosen from a one-off analysis of cached validation logits. Recipe v8
# (2.3.0) replaced its dermoscopic side.
RECIPES["v7"] = RoutedRecipe(
    name="v7",
    version="2.3.0-v7",
    derm=replace(RECIPES["v4"], views=["identity", "zoom"]),  # type: ignore[arg-type]
    phone=RECIPES["v6"],  # type: ignore[arg-type]
    mix=(1.0, 0.0),
)
# The dermoscopy specialists: v3's phone-framing members (20% phone photos, 30 epochs), the best
# members on HAM10000 validation measured so far (0.738 and 0.749 alone, 0.752 together on the
# photo as it is; v3 table of the model card). Served only inside a routed recipe.
RECIPES["v8-derm"] = Recipe(
    name="v8-derm",
    version="2.3.0-derm",
    views=["identity"],
    members=[MemberConfig(seed=seed, epochs=30, pad_share=0.2, augment=AugmentConfig(p_zoom_out=0.4)) for seed in (2028, 2029)],
)
# 2.3.0: the dermoscopy specialists for dermoscopic photos, 2.2.0's members (v6) for phone photos,
# pure routing, each on the photo as it is (six network passes). Chosen by `compare --recipe v8`
# (the model card): the cheapest view sets within 0.005 of the best balanced accuracy on both
# validation sets, and among them the fewest benign spots sent to a doctor. 2.3.1: the same
# networks, router and temperatures; the graph also outputs the router's p(dermoscopic), and the
# triage rule holds the photos it calls dermoscopic to a stricter 'soon' threshold
# (pipeline.MALIGNANT_NOT_ROUTINE_DERMOSCOPIC), after 2.3.0 told 9 of 282 test-split cancers 'routine'.
# 2.3.2: the same networks; the thresholds are fitted with the temperatures as stored and sit 1%
# under the photo that sets them (calibrate.THRESHOLD_MARGIN): 2.3.1 as served told one validation
# actinic keratosis 'routine' that its fit had kept out. 2.3.3: the same networks, router and
# triage; the lesion-photo detector reads the phone members' features only (as 2.2.0's did), chosen
# by `compare-gates --recipe v8`: holding out each source of negatives in turn, a detector on v6's
# features accepted 2.3% of the unseen pictures, on all six members' 4.5%, on v8-derm's 4.8%.
RECIPES["v8"] = RoutedRecipe(
    name="v8",
    version="2.3.3",
    derm=RECIPES["v8-derm"],  # type: ignore[arg-type]
    phone=replace(RECIPES["v6"], views=["identity"]),  # type: ignore[arg-type]
    mix=(1.0, 0.0),
    gate_features="v6",
)
# v8's networks with their convolution weights stored as float16 (export.store_half): measured
# against v8 (2.3.1) on validation to show what the half-precision storage a larger ensemble needs costs.
RECIPES["v8-half"] = replace(RECIPES["v8"], name="v8-half", version="2.3.3-half", half_storage=True)  # type: ignore[type-var]
DEFAULT_RECIPE = "v8"


@dataclass
class Data:
    """Every sample and the prepared images of both datasets at one input size."""

    ham: List[Sample]
    pad: List[Sample]
    pad_fold: Dict[str, int]
    ham_images: PreparedImages
    pad_images: PreparedImages

    def ham_split(self, split: str) -> List[Sample]:
        return [s for s in self.ham if s.split == split]

    def pad_train(self, fold: int) -> List[Sample]:
        return [s for s in self.pad if self.pad_fold[s.group] != fold]

    def pad_held_out(self, fold: int) -> List[Sample]:
        return [s for s in self.pad if self.pad_fold[s.group] == fold]


def load_data(paths: Paths, recipe: AnyRecipe, size: int) -> Data:
    """Both datasets; the PAD folds are the recipe's (a routed recipe's: its phone ensemble's)."""
    folds = recipe.phone if isinstance(recipe, RoutedRecipe) else recipe
    ham = read_ham(paths.ham_dir / "HAM10000_metadata.csv", paths.split_csv)
    pad = read_pad(paths.pad_dir / "metadata.csv")
    return Data(
        ham=ham,
        pad=pad,
        pad_fold=patient_folds(pad, folds.pad_folds, folds.fold_seed),
        ham_images=PreparedImages(paths.cache_dir, "ham10000", size),
        pad_images=PreparedImages(paths.cache_dir, "pad-ufes-20-dev", size),
    )


def with_folds(data: Data, recipe: Recipe) -> Data:
    """The same data (and images) with `recipe`'s PAD folds."""
    return replace(data, pad_fold=patient_folds(data.pad, recipe.pad_folds, recipe.fold_seed))
