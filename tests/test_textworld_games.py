"""Games nobody here wrote: tw-make generates them in the test run, our engine imports and wins them, and
every step of the walkthrough and of random command sequences agrees with TextWorld's own environment."""
from __future__ import annotations

import pytest

from game.benches.textworld import make_game
from game.cli import main
from game.textworld.diff import compare_game, random_commands, textworld_walkthrough
from game.textworld.importer import load_textworld

pytestmark = pytest.mark.slow  # every test here takes seconds (the fast lane leaves them out)

SPREAD = {
    "custom_small": ("custom", ["--world-size", "3", "--nb-objects", "5", "--quest-length", "3", "--seed", "11"]),
    "custom_adjectives": ("custom", ["--world-size", "6", "--nb-objects", "14", "--quest-length", "5",
                                     "--include-adj", "--seed", "12"]),
    "custom_parallel": ("custom", ["--world-size", "8", "--nb-objects", "16", "--quest-length", "4",
                                   "--nb-parallel-quests", "2", "--seed", "13"]),
    "simple_dense": ("tw-simple", ["--rewards", "dense", "--goal", "detailed", "--seed", "14"]),
    "simple_sparse": ("tw-simple", ["--rewards", "sparse", "--goal", "none", "--seed", "15"]),
    "coin_5": ("tw-coin_collector", ["--level", "5", "--seed", "16"]),
    "coin_150": ("tw-coin_collector", ["--level", "150", "--seed", "17"]),
    "treasure_5": ("tw-treasure_hunter", ["--level", "5", "--seed", "18"]),
    "treasure_25": ("tw-treasure_hunter", ["--level", "25", "--seed", "19"]),
    "cooking_simple": ("tw-cooking", ["--recipe", "1", "--take", "1", "--go", "1", "--cook", "--cut",
                                      "--seed", "20"]),
    "cooking_full": ("tw-cooking", ["--recipe", "3", "--take", "3", "--go", "9", "--open", "--cook", "--cut",
                                    "--drop", "--seed", "21"]),
}


@pytest.fixture(scope="session")
def games(tmp_path_factory):
    out = tmp_path_factory.mktemp("textworld")
    made = {}

    def get(name):
        if name not in made:
            generator, args = SPREAD[name]
            made[name] = make_game(out, name, generator, args)
        return made[name]
    return get


@pytest.mark.parametrize("name", sorted(SPREAD))
def test_walkthrough_wins_with_textworlds_score_and_every_step_agrees(games, name):
    z8 = games(name)
    story = load_textworld(z8.with_suffix(".json"))  # also checks that our own walkthrough wins
    walk = compare_game(z8, textworld_walkthrough(z8), story)
    assert walk.theirs_won and walk.ours_won, walk.first_disagreement
    assert walk.score == walk.theirs_score > 0
    assert walk.full_agreement, walk.disagreements
    for seed in range(2):
        walk = compare_game(z8, random_commands(z8, 30, seed), story)
        assert walk.steps > 0 and walk.full_agreement, walk.disagreements


@pytest.mark.model
@pytest.mark.parametrize("name", ["cooking_full", "custom_adjectives"])
def test_adventure_run_plays_a_textworld_json_directly(games, name, tmp_path, capsys):
    z8 = games(name)
    code = main(["run", str(z8.with_suffix(".json")), "--walkthrough", "--no-narration",
                 "--save", str(tmp_path / "save.sqlite"), "--jsonl", str(tmp_path / "turns.jsonl")])
    assert code == 0
    assert "; won;" in capsys.readouterr().err


def test_import_command_writes_a_story_that_checks(games, tmp_path, capsys):
    z8 = games("simple_dense")
    out = tmp_path / "imported.yaml"
    assert main(["story", "import-textworld", str(z8.with_suffix(".json")), "-o", str(out)]) == 0
    assert main(["story", "check", str(out)]) == 0
    assert "walkthrough of" in capsys.readouterr().out
