"""The grounding check (game.narration.grounding) on the bundled story: each rejection reason, and sentences that pass.

Facts come from real engine turns (Actions performed on the bundled story), never from hand-written
strings, so the check is tested on exactly what the narrator gets.
"""
from __future__ import annotations

import time

import pytest

from game.narration import grounding as g
from game.stories.loader import DEFAULT_STORY, load_story
from game.world.engine import Engine
from game.world.events import Action


@pytest.fixture(scope="module")
def story():
    return load_story(DEFAULT_STORY, check_walkthrough=False)


@pytest.fixture(scope="module")
def lexicon(story):
    return g.Lexicon(story)


def facts_after(story, lexicon, *actions):
    """Play the actions; the facts of the last one (all must succeed)."""
    engine = Engine(story)
    events = []
    for action in actions:
        outcome = engine.perform(action)
        assert not outcome.refused, (action, outcome.events)
        events = outcome.events
    return g.build_facts(story, events, engine.state, lexicon)


def reason(sentence, facts, lexicon, earlier=()):
    verdict = g.check_sentence(sentence, facts, list(earlier), lexicon)
    return verdict.reason if verdict else None


TO_GATEHOUSE = (Action("go", "east"), Action("go", "east"), Action("go", "east"))
WITH_KEY = (Action("go", "west"), Action("open", "cedar_chest"), Action("take", "bronze_key"), Action("go", "east"))


def test_true_sentences_pass(story, lexicon):
    square = facts_after(story, lexicon, Action("look"))
    for sentence in ("You stand in the dusty square beside the stone well.",
                     "The elder's house lies to the west, and the bazaar to the north.",
                     "You take a deep breath of the warm air.",
                     "Sun-baked mud houses ring the square.",
                     '"What a morning," you think, looking at the notice board.'):
        assert reason(sentence, square, lexicon) is None, sentence
    took = facts_after(story, lexicon, Action("go", "west"), Action("open", "cedar_chest"),
                       Action("take", "bronze_key"))
    assert reason("You take the bronze key from the cedar chest.", took, lexicon) is None
    moved = facts_after(story, lexicon, Action("go", "north"))
    assert reason("You walk north into the Bazaar, where Nadia waits.", moved, lexicon) is None
    talked = facts_after(story, lexicon, Action("go", "north"), Action("talk", "nadia"))
    assert reason("The waterskin costs 3 gold.", talked, lexicon) is None


def test_unknown_thing(story, lexicon):
    square = facts_after(story, lexicon, Action("look"))
    assert reason("Nadia waves at you from across the square.", square, lexicon) == g.UNKNOWN_THING
    assert reason("You see a brass lantern on the ground.", square, lexicon) == g.UNKNOWN_THING
    assert reason("You could head for the Whispering Gallery.", square, lexicon) == g.UNKNOWN_THING


def test_unknown_name(story, lexicon):
    well = facts_after(story, lexicon, Action("examine", "stone_well"))
    assert reason("You reach the ancient library of Qarth Vale.", well, lexicon) == g.UNKNOWN_NAME


def test_invented_things(story, lexicon):
    bazaar = facts_after(story, lexicon, Action("go", "north"))
    assert reason("The salt seller waves at you.", bazaar, lexicon) == g.INVENTED
    assert reason("You notice a narrow alleyway behind the stalls.", bazaar, lexicon) == g.INVENTED
    assert reason("The air smells of cumin and smoke.", bazaar, lexicon) is None
    assert reason("The striped awnings flutter in the breeze.", bazaar, lexicon) is None


def test_numbers_not_in_the_facts(story, lexicon):
    square = facts_after(story, lexicon, Action("look"))
    assert reason("You count seven houses around the square.", square, lexicon) == g.NUMBER
    assert reason("The well is 40 feet deep.", square, lexicon) == g.NUMBER
    talked = facts_after(story, lexicon, Action("go", "north"), Action("talk", "nadia"))
    assert reason("The waterskin costs 4 gold.", talked, lexicon) == g.NUMBER


def test_unknown_exit_and_wrong_direction(story, lexicon):
    house = facts_after(story, lexicon, Action("go", "west"))
    assert reason("A narrow passage leads north from here.", house, lexicon) == g.UNKNOWN_EXIT
    square = facts_after(story, lexicon, Action("look"))
    assert reason("The elder's house is to your east.", square, lexicon) == g.WRONG_DIRECTION
    assert reason("The elder's house is to your west.", square, lexicon) is None


def test_shut_door_and_gate_do_not_open(story, lexicon):
    gatehouse = facts_after(story, lexicon, *TO_GATEHOUSE)
    assert reason("The bronze door swings open.", gatehouse, lexicon) == g.CONTRADICTION
    assert reason("The bronze door is shut tight.", gatehouse, lexicon) is None
    unlocked = facts_after(story, lexicon, *WITH_KEY, *TO_GATEHOUSE, Action("unlock", "bronze_door"))
    assert reason("The bronze door swings open.", unlocked, lexicon) is None
    assert reason("The bronze door is locked.", unlocked, lexicon) == g.CONTRADICTION
    hall = facts_after(story, lexicon, *WITH_KEY, *TO_GATEHOUSE, Action("unlock", "bronze_door"), Action("go", "east"))
    assert reason("The east gate swings open before you.", hall, lexicon) == g.CONTRADICTION
    assert reason("The gate opens with a groan.", hall, lexicon) == g.CONTRADICTION


def test_claimed_deeds_that_did_not_happen(story, lexicon):
    opened = facts_after(story, lexicon, Action("go", "west"), Action("open", "cedar_chest"))
    assert reason("You take the bronze key.", opened, lexicon) == g.CONTRADICTION
    square = facts_after(story, lexicon, Action("look"))
    assert reason("You buy a silver dagger from the weaver.", square, lexicon) == g.CONTRADICTION
    took = facts_after(story, lexicon, Action("go", "west"), Action("open", "cedar_chest"),
                       Action("take", "bronze_key"))
    assert reason("You take the clay tablet.", took, lexicon) == g.CONTRADICTION
    bazaar = facts_after(story, lexicon, Action("go", "north"), Action("go", "south"), Action("go", "north"))
    assert reason("You reach the Village Square.", bazaar, lexicon) == g.CONTRADICTION
    assert reason("You reach the salt caves.", bazaar, lexicon) == g.CONTRADICTION
    assert reason("You reach the bazaar, full of spices.", bazaar, lexicon) is None
    assert reason("You take the bronze key and eat it.", took, lexicon) == g.CONTRADICTION
    assert reason("You take the bronze key and place it on the ground.", took, lexicon) == g.CONTRADICTION
    waited = facts_after(story, lexicon, Action("wait"))
    assert reason("You step into the Village Square.", waited, lexicon) == g.CONTRADICTION  # nobody moved
    assert reason("You are in the Village Square.", waited, lexicon) is None
    sold = facts_after(story, lexicon, Action("go", "east"), Action("take", "silver_bracelet"), Action("go", "west"),
                       Action("go", "north"), Action("sell", "silver_bracelet", "nadia"))
    assert reason("You pay 14 gold for the silver bracelet.", sold, lexicon) == g.CONTRADICTION
    assert reason("Nadia pays you 8 gold for the silver bracelet.", sold, lexicon) is None


def test_call_syntax_and_prompt_text(story, lexicon):
    square = facts_after(story, lexicon, Action("look"))
    assert reason("Calculator(63-63) -> 61 silver.", square, lexicon) == g.CALL_SYNTAX
    assert reason("You pay [Calculator(3+2) -> 5] gold.", square, lexicon) == g.CALL_SYNTAX
    assert reason("You are the narrator of a text adventure.", square, lexicon) == g.PROMPT_TEXT
    assert reason("Facts: you look around the square.", square, lexicon) == g.PROMPT_TEXT
    assert reason("The game engine has given you a question.", square, lexicon) == g.PROMPT_TEXT
    assert reason("<|im_start|>assistant You look around.", square, lexicon) == g.PROMPT_TEXT


def test_repeats_cut_off_and_not_prose(story, lexicon):
    square = facts_after(story, lexicon, Action("look"))
    assert reason("You see a stone well.", square, lexicon, earlier=["You see a stone well."]) == g.REPEAT
    assert reason("A dusty square, a dusty square, a dusty square.", square, lexicon) == g.REPEAT
    assert reason("The bazaar lies to the north and", square, lexicon) == g.CUT_OFF
    assert reason("Ok.", square, lexicon) == g.NOT_PROSE
    assert reason("%%% ### !!! ... ???", square, lexicon) == g.NOT_PROSE


def test_split_sentences_holds_the_unfinished_rest():
    done, rest = g.split_sentences('You look. "Hello!" she says. The well is')
    assert done == ["You look.", '"Hello!"', "she says."] and rest == " The well is"
    assert g.split_sentences("No end yet") == ([], "No end yet")


def test_check_is_fast(story, lexicon):
    facts = facts_after(story, lexicon, Action("look"))
    sentences = ["You stand in the dusty square beside the stone well.", "Nadia waves at you.",
                 "The elder's house is to your east.", "You count seven houses around the square."] * 50
    started = time.perf_counter()
    for sentence in sentences:
        g.check_sentence(sentence, facts, [], lexicon)
    assert (time.perf_counter() - started) / len(sentences) < 0.005
