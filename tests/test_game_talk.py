"""Talking to a villager is resolved by understanding like any other decision; undo and redo are methods."""
from __future__ import annotations

import pytest

from agent.scripted import ScriptedBackend
from game.play.session import GameSession
from game.stories.loader import DEFAULT_STORY, load_story
from game.understanding.addressing import Addressee, addressed
from game.understanding.intent import resolve
from game.understanding.splitting import split_commands
from game.world.choices import Choice
from game.world.engine import Engine
from game.world.events import Talk

HASSAN = Addressee("hassan", frozenset({"hassan", "hassan al-rashid"}))
NADIA = Addressee("nadia", frozenset({"nadia", "merchant"}), plays_character=True)


@pytest.fixture(scope="module")
def story():
    return load_story(DEFAULT_STORY, check_walkthrough=False)


@pytest.mark.parametrize("said, talk", [
    ("talk to Hassan", Talk("hassan")),
    ("ask hassan about the ruins", Talk("hassan", "the ruins")),
    ("Hassan, where are the ruins?", Talk("hassan", "where are the ruins?")),
    ("ask Nadia about the prices", Talk("nadia", "the prices")),  # a topic: the village answers
    ("talk to Nadia", None),  # a plain greeting to a story character: the engine's authored one
    ("talk to Layla", None),  # not here
    ("take the lantern", None),
])
def test_words_said_to_a_villager_present_are_a_talk(said, talk):
    assert addressed(said, [HASSAN, NADIA]) == talk


def test_understanding_resolves_a_talk_typed_or_chosen(story):
    engine = Engine(story)
    typed = resolve("ask Hassan about the well", engine, [], None, villagers=[HASSAN])
    assert (typed.how, typed.talk, typed.action) == ("villager", Talk("hassan", "the well"), None)
    chosen = resolve("1", engine, [Choice(1, "Talk to Hassan", talk=Talk("hassan"))], None, villagers=[HASSAN])
    assert (chosen.how, chosen.talk, chosen.layer) == ("villager", Talk("hassan"), "choice")
    nobody = resolve("ask Hassan about the well", engine, [], None)  # no villager here: not a talk
    assert nobody.talk is None and nobody.how != "villager"


def test_a_line_said_to_a_villager_is_never_split(story):
    line = "Hassan, where are the ruins and the well?"
    assert split_commands(line, story, [HASSAN]) == [line]
    # with nobody of that name here, the line is not one utterance: the comma splits it, and the name alone,
    # naming nothing of the game, is dropped as a remark (game.understanding.splitting)
    assert split_commands(line, story) == ["where are the ruins and the well"]


def test_undo_and_redo_are_methods_the_typed_words_reach_too(story, tmp_path, monkeypatch):
    session = GameSession.start(story, ScriptedBackend(["Prose."]), save_path=tmp_path / "g.sqlite")
    moved = session.submit("west")
    calls = []
    real = session._move_in_time
    monkeypatch.setattr(session, "_move_in_time", lambda delta, shown: calls.append(delta) or real(delta, shown))
    import game.play.session as module

    def no_parsing(*args, **kwargs):
        raise AssertionError("undo() went through the parser")

    monkeypatch.setattr(module, "resolve", no_parsing)
    undone = session.undo()
    assert undone.location == "village_square" and undone.input == "undo" and undone.how == "meta"
    assert session.redo().location == moved.location
    monkeypatch.undo()  # the parser back, the spy gone: now the typed word
    monkeypatch.setattr(session, "_move_in_time", lambda delta, shown: calls.append(delta) or real(delta, shown))
    assert session.submit("undo").location == "village_square"
    assert calls == [-1, 1, -1]
    assert [row["input"] for row in session.store.transcript()][-3:] == ["undo", "redo", "undo"]
    session.close()
