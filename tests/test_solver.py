"""The solver (game.solver): a planted softlock is found with its shortest way in, the bundled story is
winnable from every state it can reach, an unwinnable story says so at once, a search cut short proves
nothing, an imported TextWorld game is solved, and `story check --solve` exits with its documented codes."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from game.cli import main
from game.engine import Engine
from game.parser import parse
from game.solver import IN_KEY, NOT_IN_KEY, solve
from game.solver_report import (
    EXIT_INCOMPLETE,
    EXIT_NO_WIN,
    EXIT_OK,
    EXIT_SOFTLOCK,
    exit_code,
    to_dict,
    verdict,
)
from game.state import WorldState
from game.story import load_story, parse_story_text, resolve_story_path

STORIES = Path(__file__).parent / "data" / "stories"
TRAP = STORIES / "pedlar_trap.yaml"
SEALED = STORIES / "sealed_gem.yaml"


def replay_wins(story, commands: list[str]) -> bool:
    """Typed as a player would: each command through the deterministic parser, then the engine."""
    engine = Engine(story)
    for text in commands:
        parsed = parse(story, engine.state, text)
        assert parsed.action is not None, f"{text!r}: {parsed.message}"
        assert not engine.perform(parsed.action).refused, text
    return engine.state.outcome == "won"


def test_every_state_field_is_in_the_key_or_left_out_for_a_reason():
    assert set(IN_KEY) | set(NOT_IN_KEY) == set(WorldState.model_fields)
    assert not set(IN_KEY) & set(NOT_IN_KEY)


@pytest.mark.parametrize("exhaustive", [False, True])
def test_the_planted_softlocks_are_found_with_their_shortest_way_in(exhaustive):
    story = load_story(TRAP)
    result = solve(story, exhaustive=exhaustive)
    assert result.complete and result.win is not None
    assert len(result.win) == 4 and replay_wins(story, result.win)
    paths = {g.label: g.path for g in result.softlock_groups}
    assert paths == {"go down": ["go down"],
                     "sell the iron key": ["take the iron key", "go east", "sell the iron key"]}
    assert result.softlocks == sum(g.count for g in result.softlock_groups) >= 2
    assert exit_code(result) == EXIT_SOFTLOCK and verdict(result).startswith("SOFTLOCKS")


def test_the_bundled_story_is_solved_with_no_softlocks_and_a_win_no_longer_than_its_walkthrough():
    story = load_story(resolve_story_path("oasis"))
    result = solve(story, max_seconds=120)
    assert result.complete, result.stopped
    assert result.softlocks == 0 and result.unreached_rooms == [] and result.unsolved_riddles == []
    assert result.win is not None and len(result.win) <= len(story.walkthrough)
    assert replay_wins(story, result.win)
    assert result.losses > 0 and [g.label for g in result.loss_groups] == ["go south"]  # the sinking sands
    assert exit_code(result) == EXIT_OK


def test_an_unreachable_win_is_reported_quickly():
    started = time.perf_counter()
    result = solve(load_story(SEALED))
    assert time.perf_counter() - started < 5
    assert result.complete and result.win is None and result.solvable is False
    assert result.unreached_items == ["gem"]
    assert exit_code(result) == EXIT_NO_WIN and verdict(result).startswith("NO WIN")


def test_a_win_no_rule_can_make_true_is_reported_without_a_search():
    text = TRAP.read_text(encoding="utf-8").replace("    - {item: crown, at: player}", "    - {flag: crowned}")
    result = solve(parse_story_text(text, "crowned.yaml", check_walkthrough=False))
    assert result.states == 1 and result.win is None
    assert result.impossible == ["flag 'crowned' is never set (no item's reading sets it, and it starts false)"]
    assert exit_code(result) == EXIT_NO_WIN and "never set" in verdict(result)


def test_a_search_cut_short_says_so_and_never_solvable():
    result = solve(load_story(resolve_story_path("oasis")), max_states=300)
    assert not result.complete and result.solvable is None
    text = verdict(result)
    assert text.startswith("INCOMPLETE: stopped at the state limit (300 states)")
    assert "solvable" not in text and "no softlocks" not in text
    data = to_dict(result)
    assert data["softlocks"] is None and data["solvable"] is None and data["exit_code"] == EXIT_INCOMPLETE


def test_an_imported_textworld_game_is_solved(tmp_path):
    from game.textworld_bench import make_game
    from game.textworld_diff import textworld_walkthrough

    z8 = make_game(tmp_path, "custom_small", "custom",
                   ["--world-size", "3", "--nb-objects", "5", "--quest-length", "3", "--seed", "11"])
    story = load_story(z8.with_suffix(".json"))
    result = solve(story, max_seconds=60)
    assert result.complete and result.win is not None
    assert len(result.win) <= len(textworld_walkthrough(z8))
    assert replay_wins(story, result.win)


def test_story_check_solve_exit_codes(tmp_path, capsys):
    assert main(["story", "check", "--solve", str(TRAP)]) == EXIT_SOFTLOCK
    assert "after 'sell the iron key'" in capsys.readouterr().out
    assert main(["story", "check", "--solve", str(SEALED)]) == EXIT_NO_WIN
    assert main(["story", "check", "--solve", "--max-states", "2", str(TRAP)]) == EXIT_INCOMPLETE
    assert "INCOMPLETE" in capsys.readouterr().out
    safe = tmp_path / "safe.yaml"  # the trap story without its two traps
    text = TRAP.read_text(encoding="utf-8").replace("      - {direction: down, to: well_bottom}\n", "")
    text = text.replace("    buys:\n      - {item: iron_key, price: 3}\n", "")
    safe.write_text(text, encoding="utf-8")
    assert main(["story", "check", "--solve", str(safe)]) == EXIT_OK
    assert "no softlocks" in capsys.readouterr().out
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: 1\nid: [\n", encoding="utf-8")
    assert main(["story", "check", "--solve", str(bad)]) == 1
