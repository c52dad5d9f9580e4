"""The deterministic parser: synonyms, abbreviations, noun matching against what is present."""
from __future__ import annotations

import pytest

from game.stories.loader import DEFAULT_STORY, load_story
from game.understanding.parser import parse
from game.world.engine import Engine
from game.world.events import Action
from game.world.place import Place


@pytest.fixture(scope="module")
def story():
    return load_story(DEFAULT_STORY)


def at(story, commands):
    engine = Engine(story)
    for command in commands:
        engine.perform(parse(story, engine.state, command).action)
    return engine


@pytest.mark.parametrize("text,expected", [
    ("n", Action("go", "north")), ("go north", Action("go", "north")), ("walk to the bazaar", Action("go", "north")),
    ("head to the elder's house", Action("go", "west")), ("S", Action("go", "south")),
    ("i", Action("inventory")), ("l", Action("look")), ("look around", Action("look")),
    ("x board", Action("examine", "notice_board")), ("read the notice", Action("read", "notice_board")),
    ("please look at the well", Action("examine", "stone_well")), ("wait", Action("wait")),
    ("answer wind", Action("answer", text="wind")), ("answer the fire", Action("answer", text="the fire")),
])
def test_commands_in_the_square(story, text, expected):
    assert parse(story, Engine(story).state, text).action == expected


def test_partial_names_adjectives_and_from(story):
    engine = at(story, ["west", "open chest"])
    from_chest = parse(story, engine.state, "get the bronze key from the chest").action
    assert from_chest == Action("take", "bronze_key", from_chest.target) and from_chest.target is not None
    assert not engine.perform(from_chest).refused
    engine = at(story, ["west", "open chest"])
    assert engine.perform(Action("take", "bronze_key", "bronze_key")).refused  # not in itself
    assert parse(story, engine.state, "take sun key").action == Action("take", "bronze_key")
    assert parse(story, engine.state, "take tab").action == Action("take", "clay_tablet")
    assert parse(story, engine.state, "talk to the elder").action == Action("talk", "yusuf")
    assert parse(story, engine.state, "talk").action == Action("talk", "yusuf")  # one person here


def test_say_is_an_answer_only_where_a_riddle_is(story):
    assert parse(story, Engine(story).state, "say hi to the boy").status == "absent"  # a greeting; he is elsewhere
    assert parse(story, Engine(story).state, "say wind").status == "unknown"  # no gate here to answer
    engine = at(story, story.walkthrough[: story.walkthrough.index("answer wind")])
    assert parse(story, engine.state, "say fire").action == Action("answer", text="fire")
    assert parse(story, engine.state, "descend the stairs").action == Action("go", "down")


def test_absent_and_unknown_nouns(story):
    state = Engine(story).state
    assert parse(story, state, "take the lantern").status == "absent"  # real, but Nadia has it
    assert parse(story, state, "take the dragon").status == "unknown"
    assert parse(story, state, "take").status == "incomplete"
    assert parse(story, state, "dance wildly").status == "unknown"


def test_ambiguity_lists_candidates(story):
    engine = at(story, [])
    for shard in ("shard_wind", "shard_straw"):
        engine.state.items[shard] = Place.parse("player")
    result = parse(story, engine.state, "drop shard")
    assert result.status == "ambiguous" and len(result.candidates) == 2
    assert parse(story, engine.state, "drop the straw shard").action == Action("drop", "shard_straw")


def test_put_buy_sell_forms(story):
    engine = at(story, ["east", "take bracelet", "west", "north"])
    assert parse(story, engine.state, "sell the bracelet to nadia").action == Action("sell", "silver_bracelet")
    assert parse(story, engine.state, "buy lamp").action == Action("buy", "lantern")
    assert parse(story, engine.state, "buy the lantern with 14 gold").action == Action("buy", "lantern", text="14")
    engine.state.items["shard_fire"] = Place.parse("player")
    engine.state.location = "sanctum"
    put = parse(story, engine.state, "put red shard on the altar").action
    assert put == Action("put", "shard_fire", "altar", text="on")


def test_nasty_input_never_raises(story):
    state = Engine(story).state
    expected = {"": "incomplete", " ": "incomplete", "\x00\x01\x1b[2J": "unknown", "ä" * 5000: "unknown",
                "take " + "key " * 2000: "absent", "🙂": "incomplete", "go go go go": "unknown", "12abc": "unknown"}
    assert {text: parse(story, state, text).status for text in expected} == expected
