"""Phrasings that must never become the wrong deed (game.understanding: lexicon, parser, spelling, intent), on
the bundled story without a model: a phrasal verb split by its thing, pointing the game cannot see, a hedged
riddle answer, a verb undone by "un", where a question looks, a move no word of the line points to.

The lines here are the rules' own examples, not lines of any evaluation set.
"""
from __future__ import annotations

import pytest

from game.understanding.intent import resolve
from game.understanding.lexicon import separated_frames
from game.understanding.spelling import fix_word, game_words
from game.world.events import Action
from tests._oasis import STORY, W, engine_at


def lit_lantern():
    return engine_at(W.index("light lantern") + 1)


@pytest.mark.parametrize("said", ["blow the lantern out", "switch the lamp off", "turn the brass lantern off"])
def test_a_phrasal_verb_with_its_thing_in_the_middle(said):
    assert resolve(said, lit_lantern(), [], None).action == Action("extinguish", "lantern")


def test_separated_frames_hold_only_particles_that_move():
    shapes = dict(separated_frames())
    assert shapes["snuff {x} out"] == "extinguish {x}" and shapes["switch {x} on"] == "light {x}"
    assert "feast {x} on" not in shapes  # "feast on" keeps its "on" before the thing


@pytest.mark.parametrize("said", ["go that way", "head over there", "walk the other way"])
def test_pointing_the_game_cannot_see_is_asked(said):
    path = engine_at(W.index("take coins"))  # the desert path: the sinking sands lie south
    intent = resolve(said, path, [], None)
    assert intent.action is None and "Which way" in intent.message


def test_a_move_no_word_points_to_is_asked():
    bazaar = engine_at(W.index("buy lantern with 14 gold") + 1)  # one exit: south
    intent = resolve("use the whatsit", bazaar, [], None)
    assert intent.action is None
    assert resolve("head out", bazaar, [], None).action == Action("go", "south")  # "out" points


@pytest.mark.parametrize("said, word", [("i'd go with echo", "echo"), ("my bet is ember", "ember"),
                                        ("I'm going with sand", "sand")])
def test_a_hedged_riddle_answer_is_the_word_after_the_hedge(said, word):
    hall = engine_at(W.index("answer wind"))
    action = resolve(said, hall, [], None).action
    assert action is not None and (action.verb, action.text) == ("answer", word)


def test_a_verb_undone_by_a_prefix_is_no_typo_of_the_verb():
    known = game_words(STORY)
    assert fix_word("unclose", known) == ("unclose", None)  # not "close": it means the opposite
    assert fix_word("disopen", known) == ("disopen", None)
    assert fix_word("unlcok", known)[0] == "unlock"  # a typo of a whole verb is still fixed


@pytest.mark.parametrize("said", ["what's beneath the well", "what is at the bottom of the well"])
def test_a_question_about_where_a_thing_looks_examines_it(said):
    square = engine_at(W.index("take coins") - 3)
    assert square.state.location == "village_square", square.state.location
    assert resolve(said, square, [], None).action == Action("examine", "stone_well")


def test_a_remark_about_the_game_is_not_a_command():
    from game.understanding.splitting import split_commands
    assert split_commands("oh great, another empty room. going north", STORY) == ["going north"]
    assert split_commands("ugh, of course it's locked. open the chest", STORY) == ["open the chest"]
    # words English knows as deeds, or words it does not know, are never dropped as remarks
    assert split_commands("sell the bracelet, dance", STORY) == ["sell the bracelet", "dance"]
    assert split_commands("take the key, frobnicate", STORY)[-1] == "frobnicate"


def test_another_after_a_plain_exclamation_corrects_nothing():
    from game.understanding.negation import negated
    assert negated("oh great, another empty room") is None
    assert negated("no, the other door")[0] == "other"


def test_a_typo_in_a_past_tense_and_a_thing_after_a_preposition():
    from game.understanding.normalise import normalise_command
    known = game_words(STORY)
    assert fix_word("graabbed", known, first=True) == ("grab", "typo")
    assert fix_word("palced", known, first=True) == ("place", "typo")
    assert normalise_command("put the key on altr", STORY).text == "put the key on altar"


def test_reading_or_looking_and_the_cut_said():
    mural = engine_at(W.index("answer wind"))
    assert resolve("what's that mural meant to be?", mural, [], None).action == Action("examine", "mural")
    assert resolve("what are the words on the mural", mural, [], None).action == Action("read", "mural")


def test_the_cut_said_is_the_cut_done(tmp_path):
    from game.textworld.story_files import open_story
    from game.world.engine import Engine
    from tests.test_textworld_import import COOKING, play, write
    story = open_story(write(tmp_path, COOKING))
    engine, _ = play(story, ["take carrot", "take knife"])
    engine = Engine(story, engine.state)
    assert resolve("i dice carrot by the knife", engine, [], None).action == Action("cut", "f_0", "o_0", text="dice")


def test_a_kind_of_thing_said_with_a_is_asked_when_only_a_modifier_names_it():
    sky = engine_at(W.index("take cloud shard"))
    assert resolve("grab a cloud", sky, [], None).action is None  # the sky's clouds, or the cloud shard?
    assert resolve("grab the cloud", sky, [], None).action == Action("take", "shard_cloud")
    assert resolve("grab a shard", sky, [], None).action == Action("take", "shard_cloud")


def test_arrows_and_plus_signs_are_words():
    from game.understanding.cleaning import clean
    assert clean("onion -> floor") == "onion to floor" and clean("door + key => unlock") == "door and key to unlock"


@pytest.mark.parametrize("said, parts", [
    ("the chest - open it", ["open the chest"]), ("the chest: open it", ["open the chest"]),
    ("west, go", ["go west"]), ("tell the red gate: smoke", ["tell the red gate: smoke"])])
def test_a_thing_or_a_way_said_first(said, parts):
    from game.understanding.splitting import split_commands
    assert split_commands(said, STORY) == parts


def test_moves_said_other_ways_and_looks_around():
    square = engine_at(0)
    assert resolve("off to the north i go", square, [], None).action == Action("go", "north")
    assert resolve("let me get my bearings", square, [], None).action == Action("look")
    assert resolve("keep waiting", square, [], None).action == Action("wait")


def test_a_holder_the_game_does_not_know_is_where_the_thing_lies():
    chest = engine_at(W.index("take key"))
    assert resolve("take the key off the floor", chest, [], None).action == Action("take", "bronze_key")


def test_riddle_answers_in_more_forms_and_a_gate_named_by_its_direction():
    hall = engine_at(W.index("answer wind"))
    for said in ("the word you want is echo", "echo. final answer", "my guess for the east gate: echo"):
        action = resolve(said, hall, [], None).action
        assert action is not None and (action.verb, action.text) == ("answer", "echo"), said
    assert resolve("what's carved on the south gate", hall, [], None).action.verb == "examine"


def test_a_doubled_letter_in_a_verb_form():
    assert fix_word("taaking", game_words(STORY), first=True) == ("take", "typo")  # not "talk"


def test_the_bag_of_the_game_is_no_inventory():
    held = engine_at(W.index("take tinderbox") + 1)
    action = resolve("take the tinderbox out of the bag", held, [], None).action
    assert action is None or action.verb != "drop"


def test_where_a_thing_lies_is_no_deed_and_a_mistyped_name_is_no_other_thing():
    from game.understanding.described import near_a_name
    from game.understanding.parser import named_words
    carrying = engine_at(W.index("take key") + 1)
    action = resolve("there's a bronze key on the floor", carrying, [], None).action
    assert action is None or action.verb != "drop"
    assert near_a_name("kee", named_words(STORY)) is False and near_a_name("chset", named_words(STORY))


def test_that_after_a_thing_said_first_and_more_ways_to_say_again():
    from game.understanding.intent import Context
    chest = engine_at(W.index("take key"))
    assert resolve("the bronze key, I'll grab that", chest, [], None).action == Action("take", "bronze_key")
    square = engine_at(0)
    assert resolve("what's the deal with the well", square, [], None).action == Action("examine", "stone_well")
    context = Context()
    resolve("examine the well", square, [], None, context=context)
    assert resolve("ditto", square, [], None, context=context).action == Action("examine", "stone_well")


def test_frame_words_that_must_never_begin_a_command():
    """Every frame's first word becomes a place a command can begin (spelling._lexicon_words): a frame opening
    with an optional "[and]" or "(my guess|...)" made "and" and "my" command starts, and the splitter and the typo
    fixer read them so."""
    from game.understanding.spelling import _lexicon_words
    _, starts = _lexicon_words()
    assert not starts & {"and", "my", "so", "just", "it", "a", "an", "but", "or", "next", "other"}
