"""The engine's own words: a/an, names that keep their capitals, score lines that name a quest."""
from __future__ import annotations

import copy

import pytest

from game.textworld.story_files import open_story
from game.understanding.parser import parse
from game.world.engine import Engine
from game.world.events import Action
from game.world.wording import capitalise_first, quest_title, with_article
from tests.test_textworld_import import GAME, write


@pytest.mark.parametrize("name, expected", [
    ("oven", "an oven"), ("apple", "an apple"), ("iron key", "an iron key"), ("bronze key", "a bronze key"),
    ("unicorn horn", "a unicorn horn"), ("one-eyed idol", "a one-eyed idol"), ("hour glass", "an hour glass"),
    ("European map", "a European map"), ("American keycard", "an American keycard"),
    ("Canadian chest", "a Canadian chest"), ("the east gate", "the east gate"), ("some rice", "some rice"),
    ("Nadia's lamp", "Nadia's lamp"), ("2 coins", "2 coins"),
])
def test_article_follows_the_sound(name, expected):
    assert with_article(name) == expected


def test_capitalise_first_keeps_the_rest():
    assert capitalise_first("talk to Nadia") == "Talk to Nadia"
    assert capitalise_first("ask Elder Yusuf") == "Ask Elder Yusuf"
    assert capitalise_first("") == ""


def test_room_and_containers_say_an_before_a_vowel(tmp_path):
    story = open_story(write(tmp_path, GAME))  # an apple on the table, an iron key in the chest
    engine = Engine(story)
    room = engine.perform(Action("look")).events[0].message
    assert "an apple (on the table)" in room
    assert "a apple" not in room
    opened = engine.perform(parse(story, engine.state, "open chest").action).events[0].message
    assert opened.endswith("Inside: an iron key.")


def test_score_line_names_the_quest_never_its_id(tmp_path):
    game = copy.deepcopy(GAME)
    for quest in game["quests"]:
        quest["desc"] = ""  # tw-make's cooking games leave it empty
    story = open_story(write(tmp_path, game))
    engine = Engine(story)
    for command in ("take apple from table", "eat apple"):
        outcome = engine.perform(parse(story, engine.state, command).action)
    score = next(e for e in outcome.events if e.kind == "score")
    assert "quest_0" not in score.message
    assert score.message.startswith("(+1 points: the apple is eaten.")


def test_quest_title_prefers_the_description_first_sentence(tmp_path):
    game = copy.deepcopy(GAME)
    game["quests"][0]["desc"] = "Eat the apple. Then rest for a while, as long as you like, in the hall."
    story = open_story(write(tmp_path, game))
    assert quest_title(story, story.quests[0]) == "Eat the apple"
    assert quest_title(story, story.quests[1]) == "Key on the desk"


def test_clarify_choices_keep_a_name_capital(tmp_path):
    from agent.scripted import ScriptedBackend
    from game.play.session import GameSession

    session = GameSession.start(None, ScriptedBackend(["x"]), save_path=tmp_path / "g.sqlite")
    session.submit("2")  # the bazaar, where Nadia is
    result = session.submit("nadia")  # a bare name: the game asks what to do with her
    assert result.how == "clarify"
    assert "Talk to Nadia" in [c.label for c in result.choices]
    session.close()
