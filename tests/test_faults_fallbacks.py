"""The game's remaining broad `except Exception`s: each falls back, says why in the log, and the game goes on."""
from __future__ import annotations

import logging

import pytest

import game.understanding.intent as intent_module
from agent.scripted import ScriptedBackend
from game.play.session import GameSession
from game.stories.loader import DEFAULT_STORY, load_story
from game.understanding.intent import resolve
from game.world.engine import Engine


@pytest.fixture(scope="module")
def story():
    return load_story(DEFAULT_STORY, check_walkthrough=False)


def test_a_model_that_fails_while_ranking_makes_understanding_ask(story, monkeypatch, caplog):
    def falls_over(*args, **kwargs):
        raise RuntimeError("model fell over")

    monkeypatch.setattr(intent_module, "rank_actions", falls_over)
    with caplog.at_level(logging.WARNING, logger="game.understanding.intent"):
        intent = resolve("walk somewhere", Engine(story), [], ScriptedBackend(["unused"]))
    assert intent.how == "clarify" and intent.action is None and intent.message.startswith("Did you mean: 1) go")
    assert [r.getMessage() for r in caplog.records] == [
        "intent ranking failed, asking the player instead: RuntimeError: model fell over"]


def test_a_village_step_that_fails_is_logged_and_the_clock_goes_on(tmp_path, monkeypatch, caplog):
    from agent.villagers.simulation import STEP

    session = GameSession.start(None, None, save_path=tmp_path / "g.sqlite", villagers=True)
    village = session.village
    start = village.village.clock

    def broken_step():
        raise RuntimeError("a villager's plan does not parse")

    monkeypatch.setattr(village.village, "step", broken_step)
    with caplog.at_level(logging.WARNING, logger="game.play.village"):
        assert village.advance_to(30) == []
    assert village.village.clock == start + 2 * STEP  # two quarter hours passed, though nothing was simulated
    assert len(caplog.records) == 2 and all("village step failed at minute" in r.getMessage() for r in caplog.records)
    assert session.submit("n").location == "bazaar"  # and the game plays on
    session.close()
