"""A correction inside a line, things said around a command, words that must never move the player, list marks
(game.understanding.correction, negation, normalise, intent), on the bundled story without a model.

The lines here are the rules' own examples, not lines of any evaluation set.
"""
from __future__ import annotations

import pytest

from game.understanding.correction import corrected
from game.understanding.intent import resolve
from game.understanding.negation import negated
from game.understanding.splitting import split_commands
from tests._oasis import STORY, W, engine_at


@pytest.mark.parametrize("said, meant", [
    ("go north, no wait, east", "east"),
    ("go west, sorry, east", "east"),
    ("take the lamp... I mean the key", "take the key"),
    ("pick up the lamp, no, the key", "pick up the key"),
    ("answer hay no wait straw", "answer straw"),
    ("is it water? no wait, fire", "answer fire"),
    ("take the lamp, no wait, open the chest", "open the chest"),
    ("put the key on the table, no, the chest", "the chest"),  # two slots: said alone, so the game asks
])
def test_the_correction_is_what_is_meant(said, meant):
    assert corrected(said, STORY) == meant
    assert split_commands(said, STORY) == [meant]


@pytest.mark.parametrize("said", ["sorry, go east", "no, go west", "there is no way", "take the key"])
def test_no_correction_where_none_was_made(said):
    assert corrected(said, STORY) is None


def test_a_deed_never_to_be_done_after_a_lead():
    assert negated("whatever you do, don't take the key") == ("not", "take the key")
    intent = resolve("whatever you do, don't take the key", engine_at(W.index("take key")), [], None)
    assert intent.action is None


def test_words_that_are_no_moves():
    sands = engine_at(W.index("take coins"))  # the desert path: the sinking sands lie south
    assert resolve("more sand", sands, [], None).action is None  # never "move sand"
    assert split_commands("next up, heading east lol", STORY) == ["heading east lol"]
    assert resolve("I wonder what's down south", sands, [], None).action is None


@pytest.mark.parametrize("said, command", [
    ("Step 3: open the chest", "open the chest"), ("1) open the chest", "open the chest"),
    ("- open the chest", "open the chest"), ("TODO: open the chest", "open the chest"),
    ("> open chest (from the walkthrough)", "open chest"), ("[open the chest]", "open the chest")])
def test_a_command_marked_as_a_list_item_or_pasted(said, command):
    assert split_commands(said, STORY) == [command]
    assert split_commands("2.", STORY) == ["2"]  # a choice stays a choice


def test_all_from_a_holder_all_but_a_thing_and_looking_at_all():
    from game.understanding.plural import expand_all
    from game.world.events import Action
    assert expand_all("take all from the chest", engine_at(W.index("take key"))) == \
        [Action("take", "bronze_key", "cedar_chest")]  # never the chest itself
    dropped = expand_all("drop all but the lantern", engine_at(W.index("light lantern")))
    assert dropped and Action("drop", "lantern") not in dropped
    assert expand_all("drop all but the sword", engine_at(W.index("light lantern"))) == []  # no such exception
    looked = expand_all("x all", engine_at(W.index("take coins") + 1))
    assert Action("examine", "bronze_door") in looked and Action("examine", "lantern") not in looked


def test_a_typo_after_an_article_is_a_thing_and_dropping_onto_a_thing_is_putting():
    from game.understanding.normalise import normalise_command
    from game.understanding.spelling import fix_word, game_words
    from game.world.events import Action
    known = game_words(STORY)
    assert "altar" in known.names and "take" not in known.names
    assert normalise_command("put the wind shard on the altr", STORY).text == "put the wind shard on the altar"
    altar = engine_at(W.index("put wind shard on altar"))
    assert resolve("drop the wind shard onto the altar", altar, [], None).action == \
        Action("put", "shard_wind", "altar", text="on")
    assert fix_word("altr", known, noun=True) == ("altar", "typo")


def test_a_place_said_to_be_somewhere_is_no_move():
    sands = engine_at(W.index("take coins"))
    assert resolve("the map says the sinking sands are there", sands, [], None).action is None
