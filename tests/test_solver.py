"""The solver (game.solver.search): a planted softlock is found with its shortest way in, the bundled story is
winnable from every state it can reach, an unwinnable story says so at once, a search cut short proves
nothing, an imported TextWorld game is solved, and `story check --solve` exits with its documented codes.
For recipes (game.solver.recipe): every move called spoiling really leaves no win, the A* bound never
overestimates (both checked against every state of a small recipe story, searched with every engine
action), and a TextWorld cooking game is won, shortest, within a modest state limit."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from game.cli import main
from game.solver.report import (
    EXIT_INCOMPLETE,
    EXIT_NO_WIN,
    EXIT_OK,
    EXIT_SOFTLOCK,
    exit_code,
    report_lines,
    to_dict,
    verdict,
)
from game.solver.scope import ActionScope
from game.solver.search import IN_KEY, NOT_IN_KEY, solve, state_key
from game.stories.loader import load_story, parse_story_text, resolve_story_path
from game.understanding.parser import parse
from game.world.engine import Engine
from game.world.state import WorldState

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


@pytest.mark.slow
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


@pytest.mark.slow
def test_an_imported_textworld_game_is_solved(tmp_path):
    from game.benches.textworld import make_game
    from game.textworld.diff import textworld_walkthrough
    from game.textworld.story_files import open_story

    z8 = make_game(tmp_path, "custom_small", "custom",
                   ["--world-size", "3", "--nb-objects", "5", "--quest-length", "3", "--seed", "11"])
    story = open_story(z8.with_suffix(".json"))
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


SOUP = """
format: 1
id: soup_kitchen
title: The Soup Kitchen
intro: Roast and dice the potato, grill the pepper, make the soup and eat it.
start: kitchen
inventory_limit: 2
rooms:
  - {id: kitchen, name: Kitchen, description: A kitchen with an oven., exits: [{direction: north, to: garden}]}
  - {id: garden, name: Garden, description: A garden with a grill., exits: [{direction: south, to: kitchen}]}
items:
  - {id: oven, name: oven, description: A hot oven., location: kitchen, portable: false, heat: roasted}
  - {id: grill, name: grill, description: A charcoal grill., location: garden, portable: false, heat: grilled}
  - {id: knife, name: knife, description: A sharp knife., location: kitchen, sharp: true}
  - {id: potato, name: potato, description: A potato., location: garden, food: {}}
  - {id: pepper, name: pepper, description: A red pepper., location: kitchen, edible: true, food: {cuttable: false}}
  - {id: soup, name: soup, description: A bowl of soup., location: nowhere, edible: true, food: {}}
recipe:
  room: kitchen
  ingredients: [{item: potato, cooking: roasted, cutting: diced}, {item: pepper, cooking: grilled}]
  meal: soup
win: {when: [{thing: soup, is: eaten}], message: A fine soup.}
lose: [{when: [{thing: potato, is: burned}], message: The potato is charcoal.}]
walkthrough: [take pepper, north, take potato, cook pepper with grill, south, cook potato with oven, drop pepper,
              take knife, dice potato with knife, drop knife, take pepper, prepare meal, eat soup]
"""


def every_state(story):
    """Breadth-first over every engine action (no pruning, no eager moves): the states by key, and the moves."""
    scope, engine = ActionScope(story, exhaustive=True), Engine(story)
    states = {state_key(engine.state): engine.state}
    queue, moves = [engine.state], []
    while queue:
        state = queue.pop()
        if state.outcome != "playing":
            continue
        engine.state = state
        for action in scope.actions(engine):
            engine.state = state
            if engine.perform(action).refused:
                continue
            key = state_key(engine.state)
            if key not in states:
                states[key] = engine.state
                queue.append(engine.state)
            moves.append((state, action, key))
    return states, moves


@pytest.mark.slow
def test_spoiling_moves_leave_no_win_and_the_recipe_bound_never_overestimates():
    story = parse_story_text(SOUP, "soup.yaml")
    states, moves = every_state(story)
    to_win = {k: 0 for k, s in states.items() if s.outcome == "won"}  # fewest commands to a win, backwards
    frontier = list(to_win)
    while frontier:
        reached = {state_key(src) for src, _, dst in moves if dst in frontier} - set(to_win)
        for key in reached:
            to_win[key] = to_win[frontier[0]] + 1
        frontier = list(reached)
    goal = ActionScope(story).goal
    spoiling = [(src, action, dst) for src, action, dst in moves if goal.spoils(action, src)]
    assert {a.verb for _, a, _ in spoiling} == {"cook", "cut", "eat"} and len(spoiling) > 50
    assert not [(a, dst) for _, a, dst in spoiling if dst in to_win]
    pointless = [(src, dst) for src, action, dst in moves if goal.pointless(action, src)]
    assert pointless and all(to_win[dst] >= to_win[state_key(src)] for src, dst in pointless if dst in to_win)
    bounds = {k: goal.lower_bound(s) for k, s in states.items() if k in to_win}
    assert [(to_win[k], b) for k, b in bounds.items() if b > to_win[k]] == []
    start = state_key(Engine(story).state)
    assert goal.lower_bound(Engine(story).state) >= 8 and to_win[start] == 13
    assert len(states) - len(to_win) > 1000  # losses and softlocks the pruned search does not visit

    result = solve(story)
    assert result.complete and result.shortest_proved and len(result.win) == to_win[start]
    assert replay_wins(story, result.win)
    assert result.spoiled > 0 and result.losses == 0 and result.states < len(states) / 4
    text = "\n".join(report_lines("soup", result))
    assert "not reported" in text and "winnable from every reachable state" not in text
    assert exit_code(result) == EXIT_OK and to_dict(result)["spoiling_moves_not_tried"] == result.spoiled


@pytest.mark.slow
def test_a_textworld_cooking_game_is_won_shortest_within_a_modest_limit(tmp_path):
    from game.benches.textworld import make_game
    from game.textworld.diff import textworld_walkthrough
    from game.textworld.story_files import open_story

    z8 = make_game(tmp_path, "cooking", "tw-cooking",  # the settings of the bench's first cooking game (9 rooms)
                   ["--recipe", "2", "--take", "2", "--go", "9", "--cook", "--cut", "--drop", "--seed", "6004"])
    story = open_story(z8.with_suffix(".json"))
    result = solve(story, max_states=1_200, max_seconds=60)
    assert result.win is not None and result.shortest_proved, result.stopped
    assert len(result.win) <= len(textworld_walkthrough(z8))
    assert replay_wins(story, result.win)
    assert result.spoiled > 0
    if not result.complete:  # the whole space is far larger: no claim about softlocks, but the win is the shortest
        assert verdict(result).startswith("INCOMPLETE") and "a shortest win of" in verdict(result)
        assert "shortest win (proved by A*" in "\n".join(report_lines("cooking", result))
