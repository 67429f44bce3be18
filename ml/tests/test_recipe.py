from dataclasses import replace
from pathlib import Path

import pytest

from dermlink_ml.pipeline import member_dir, reuse_finished_twin
from dermlink_ml.recipe import DEFAULT_RECIPE, RECIPES, Paths, Recipe, RoutedRecipe


def test_every_recipe_is_consistent() -> None:
    assert DEFAULT_RECIPE in RECIPES
    for name, any_recipe in RECIPES.items():
        assert any_recipe.name == name
        if isinstance(any_recipe, RoutedRecipe):
            # Its ensembles are named recipes of their own, whose members it trains and reuses.
            assert all(RECIPES[part.name].members == part.members for part in any_recipe.parts)
            assert any_recipe.members == any_recipe.derm.members + any_recipe.phone.members
            assert any_recipe.gate_features in (None, any_recipe.derm.name, any_recipe.phone.name)
            continue
        recipe = any_recipe
        assert isinstance(recipe, Recipe)
        folds = [recipe.fold_of(k) for k in range(len(recipe.members))]
        assert sorted(set(folds)) == list(range(recipe.pad_folds))
        assert all(folds.count(f) == folds.count(0) for f in set(folds))


def test_a_finished_twin_of_another_recipe_is_reused(tmp_path: Path) -> None:
    paths = Paths(tmp_path, tmp_path, tmp_path, None, tmp_path, tmp_path / "work")
    v2, v3 = RECIPES["v2"], RECIPES["v3"]
    assert isinstance(v2, Recipe) and isinstance(v3, Recipe)
    done = member_dir(paths, v2, 1)
    done.mkdir(parents=True)
    (done / "member.pt").write_bytes(b"weights")
    (done / "history.json").write_text("[]")
    reuse_finished_twin(paths, v3, 1)
    assert (member_dir(paths, v3, 1) / "member.pt").read_bytes() == b"weights"
    # Member 3 of v3 has another recipe (a longer schedule): nothing to reuse.
    reuse_finished_twin(paths, v3, 3)
    assert not member_dir(paths, v3, 3).exists()


def test_a_routed_recipe_refuses_a_gate_on_an_ensemble_it_does_not_have() -> None:
    v8 = RECIPES["v8"]
    with pytest.raises(ValueError, match="gate_features"):
        replace(v8, gate_features="v4")
