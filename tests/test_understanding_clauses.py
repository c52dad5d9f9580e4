"""Sentences that wrap the deed in a clause, and deeds said in rarer words (game.understanding: splitting,
negation, parser, answering, lexicon), on the bundled story without a model.

A clause that says why, when or on what condition ("since the door is locked, ...", "reaching into the chest,
...") frames the deed after its comma; an "it" after it is the one thing the clause named, and never a guess
between two. The lines here are the rules' own examples, not lines of any evaluation set.
"""
from __future__ import annotations

import pytest

from game.understanding.intent import resolve
from game.understanding.negation import negated
from game.understanding.splitting import split_commands
from game.world.events import Action
from tests._oasis import STORY, W, engine_at


def at(command: str, after: bool = False):
    return engine_at(W.index(command) + (1 if after else 0))


def deed(said: str, engine) -> Action | None:
    """What the one command of a line becomes (None when it is asked about or refused)."""
    pieces = split_commands(said, STORY)
    assert len(pieces) == 1, pieces
    return resolve(pieces[0], engine, [], None).action


@pytest.mark.parametrize("said", ["since the chest is shut, open it", "now that I'm in here, open the chest",
                                  "before anything else, open the chest", "to see what's inside, open the chest",
                                  "out of curiosity, open the chest", "the chest is closed; I'd like to open it"])
def test_a_clause_before_the_deed_frames_it(said):
    assert deed(said, at("open chest")) == Action("open", "cedar_chest")


def test_a_participle_before_the_deed_says_how():
    assert split_commands("reaching into the chest, I'll draw out the key", STORY) == ["ill draw out the key"]
    assert deed("reaching into the chest, I'll draw out the key", at("take key")) == Action("take", "bronze_key")


def test_it_after_a_clause_is_the_one_thing_it_named_never_a_guess_between_two():
    assert split_commands("since the door is locked, I'll use the bronze key on it", STORY) == \
        ["ill use the bronze key on door"]
    two = split_commands("having found the key in the chest, I shall remove it", STORY)
    assert two == ["i shall remove it"]  # the key or the chest: the pronoun is left to the game to ask about


def test_the_way_named_before_so_thats_where():
    assert split_commands("the exit lies to the east, so that's where I'm headed", STORY) == ["go east"]
    assert split_commands("the exit lies east or west, so that's where I'm headed", STORY) != ["go east"]


def test_a_deed_said_not_to_be_done_is_never_merged_into_another():
    pieces = split_commands("leave the bracelet where it is, don't take it", STORY)
    assert pieces == ["leave the bracelet where it is"]  # what not to do is no command of the line
    assert resolve(pieces[0], at("take bracelet"), [], None).action is None
    assert split_commands("buy the lantern, don't buy the rope", STORY) == ["buy the lantern"]
    assert split_commands("don't take it", STORY) == ["don't take it"]  # a line of nothing but "not": answered


@pytest.mark.parametrize("said, deed", [("never mind unlocking the door", "unlock the door"),
                                        ("on no account light the lantern", "light the lantern"),
                                        ("under no circumstances take the key", "take the key")])
def test_more_ways_to_say_not(said, deed):
    assert negated(said) == ("not", deed)
    assert negated("never mind, go north") is None  # a correction: the command after it is meant


def test_one_thing_named_in_two_halves_is_not_taken_out_of_itself():
    assert deed("take that shard of wind", at("take wind shard")) == Action("take", "shard_wind")


def test_closing_with_a_key_locks():
    door = engine_at(W.index("unlock door") + 1)
    assert resolve("close the door with the bronze key", door, [], None).action == \
        Action("lock", "bronze_door", "bronze_key")
    assert resolve("open the chest with care", at("open chest"), [], None).action == Action("open", "cedar_chest")


@pytest.mark.parametrize("said", ["is it a cloud? I'll answer cloud", "cloud! that's what it's describing",
                                  "my reply to the north gate is cloud", "utter cloud to the north gate"])
def test_an_answer_inside_a_sentence_is_its_word(said):
    action = deed(said, at("answer cloud"))
    assert action is not None and (action.verb, action.text) == ("answer", "cloud")


@pytest.mark.parametrize("said", ["I'll tell the gate so", "I'll say as much"])
def test_an_answer_that_points_back_is_asked(said):
    assert resolve(said, at("answer cloud"), [], None).action is None


@pytest.mark.parametrize("said, action", [
    ("relinquish the key", Action("drop", "bronze_key")), ("jettison the key", Action("drop", "bronze_key")),
    ("commandeer the bracelet", Action("take", "silver_bracelet")),
    ("survey my surroundings", Action("look")), ("remain where I am", Action("wait")),
    ("at last I can purchase the polished brass lantern", Action("buy", "lantern")),
])
def test_rarer_words_for_the_same_deeds(said, action):
    positions = {"drop": ("take key", True), "take": ("take bracelet", False), "look": ("west", False),
                 "wait": ("west", False), "buy": ("buy lantern with 14 gold", False)}
    command, after = positions[action.verb]
    got = deed(said, at(command, after))
    assert got is not None and (got.verb, got.obj) == (action.verb, action.obj)


def test_an_adjective_after_the_is_not_read_as_a_verb_form():
    from game.understanding.spelling import fix_word, game_words
    known = game_words(STORY)
    assert fix_word("polished", known, noun=True) == ("polished", None)
    assert fix_word("opened", known)[0] == "open"


def test_a_question_about_a_thing_then_a_deed_on_it():
    said = "is the fire shard within reach? I'd like to grab it"
    assert split_commands(said, STORY) == ["id like to grab fire shard"]
    kept = split_commands("does the bronze key fit this door? can I unlock it?", STORY)
    assert kept == ["does the bronze key fit this door? can I unlock it?"]  # not a question this rule reads


def test_a_participle_of_motion_is_the_deed_when_it_says_the_way():
    assert split_commands("following the wind shard, the straw shard goes on the altar too", STORY) == \
        ["the straw shard goes on the altar too"]
    assert split_commands("walking north, the map says so", STORY)[0].startswith("walking north")


def test_a_purpose_after_the_deed_and_a_face_are_no_deeds():
    assert split_commands("open the chest so nobody wonders", STORY) == ["open the chest"]
    assert split_commands("it's dark so I light the lamp", STORY) == ["i light the lamp"]  # the reason is no deed
    assert deed("gimme the key :D", at("take key")) == Action("take", "bronze_key")  # ":D" is no "d", down


def test_not_wanting_a_thing_any_more_drops_it():
    assert negated("I don't want the key anymore") is None  # the lexicon reads it as dropping
    assert deed("I don't want the key anymore", at("take key", after=True)) == Action("drop", "bronze_key")
