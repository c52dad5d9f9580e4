"""Readings a player means where the plain words say something the engine would refuse, and phrasings of
keys, meals, cooking and ways that are general to any story (game.understanding: frame_table.TENTATIVE_FRAMES,
normalise, agreement, parser), on a small kitchen story without a model.

A key pushed into the thing it locks unlocks it, but only when the engine would unlock it: the same words
with a box that is open put the key in the box. The lines are the rules' own examples, not lines of any
evaluation set.
"""
from __future__ import annotations

import pytest

from game.stories.loader import parse_story_text
from game.understanding.intent import Context, resolve
from game.understanding.normalise import normalise_command
from game.understanding.parser import parse
from game.understanding.splitting import split_commands
from game.world.engine import Engine
from game.world.events import Action

KITCHEN = """
format: 1
id: kitchen_test
title: A Kitchen
intro: Dinner will not cook itself.
start: kitchen
rooms:
  - id: kitchen
    name: Kitchen
    description: A kitchen. A pantry door is north, a hall lies east.
    exits:
      - {direction: north, to: pantry, door: pantry_door}
      - {direction: east, to: hall}
  - id: pantry
    name: Pantry
    description: Shelves.
    exits:
      - {direction: south, to: kitchen, door: pantry_door}
  - id: hall
    name: Hall
    description: A hall.
    exits:
      - {direction: west, to: kitchen}
doors:
  - {id: pantry_door, name: pantry door, aliases: [door], locked: true, key: iron_key, openable: true}
items:
  - {id: chest, name: oak chest, aliases: [chest], description: An oak chest., location: kitchen, portable: false,
     container: {kind: in, openable: true, open: false, locked: true, key: brass_key}}
  - {id: box, name: tin box, aliases: [box], description: A tin box., location: kitchen, portable: false,
     container: {kind: in, openable: true, open: true}}
  - {id: table, name: table, description: A table., location: kitchen, portable: false, container: {kind: "on"}}
  - {id: stove, name: stove, description: A stove., location: kitchen, portable: false, heat: fried}
  - {id: brass_key, name: brass key, description: A brass key., location: player}
  - {id: iron_key, name: iron key, description: An iron key., location: player}
  - {id: carrot, name: carrot, description: A carrot., location: player, edible: true, food: {}}
  - {id: cup, name: cup, description: A cup., location: player}
  - {id: meal, name: meal, description: A meal., location: nowhere, edible: true}
recipe:
  room: kitchen
  ingredients: [{item: carrot, cooking: fried}]
  meal: meal
win:
  when:
    - {item: cup, at: pantry}
  message: Dinner is served.
"""
STORY = parse_story_text(KITCHEN, "kitchen_test.yaml", check_walkthrough=False)


def deed(said: str, engine: Engine | None = None) -> Action | None:
    return resolve(said, engine or Engine(STORY), [], None, context=Context()).action


@pytest.mark.parametrize("said", ["stick the brass key in the chest", "put the brass key into the oak chest",
                                  "turn the brass key in the chest", "fit the brass key into the chest",
                                  "try out the brass key on the chest"])
def test_a_key_pushed_into_what_it_locks_unlocks_it(said):
    assert deed(said) == Action("unlock", "chest", "brass_key")


def test_a_key_into_a_door_unlocks_the_door():
    assert deed("stick the iron key in the pantry door") == Action("unlock", "pantry_door", "iron_key")
    assert deed("turn the iron key in the door") == Action("unlock", "pantry_door", "iron_key")


def test_the_second_reading_is_kept_only_where_the_engine_would_do_it():
    assert deed("put the brass key in the tin box") == Action("put", "brass_key", "box", text="in")  # open: put
    wrong_key = resolve("stick the iron key in the chest", Engine(STORY), [], None)
    assert wrong_key.action == Action("put", "iron_key", "chest", text="in")  # the engine says the chest is closed
    assert not Engine(STORY).would_succeed(wrong_key.action)


@pytest.mark.parametrize("said", ["take the cup back off the table", "take the cup back from the table"])
def test_back_between_a_thing_and_where_it_was_adds_nothing(said):
    engine = Engine(STORY)
    engine.perform(Action("put", "cup", "table", text="on"))
    assert deed(said, engine) == Action("take", "cup", "table")


def test_back_after_a_verb_of_going_is_kept():
    assert normalise_command("go back in", STORY).text == "go back in"
    assert normalise_command("put the cup back in the box", STORY).text == "put the cup in the box"


def test_return_a_thing_to_a_holder_puts_it_the_holders_way():
    assert deed("return the cup to the table") == Action("put", "cup", "table")  # no "in" or "on": the table's
    assert deed("return the cup to the tin box") == Action("put", "cup", "box")
    assert parse(STORY, Engine(STORY).state, "put cup to table").action == Action("put", "cup", "table")


def test_again_inside_a_line_is_not_a_word_of_the_deed():
    engine = Engine(STORY)
    engine.perform(Action("unlock", "chest", "brass_key"))
    assert deed("lock the chest again with the brass key", engine) == Action("lock", "chest", "brass_key")
    assert deed("relock the chest with the brass key", engine) == Action("lock", "chest", "brass_key")
    assert deed("lock up the chest with the brass key", engine) == Action("lock", "chest", "brass_key")


@pytest.mark.parametrize("said", ["prepare the meal with the ingredients", "make dinner out of what I have",
                                  "use the ingredients to prepare a meal", "follow the recipe to make the meal",
                                  "combine everything to make the meal", "finish the meal"])
def test_a_meal_made_of_something_is_the_meal_prepared(said):
    engine = Engine(STORY)
    engine.perform(Action("cook", "carrot", "stove"))
    assert deed(said, engine) == Action("prepare")


def test_finishing_a_meal_that_is_made_is_not_making_it_again():
    engine = Engine(STORY)
    engine.perform(Action("cook", "carrot", "stove"))
    engine.perform(Action("prepare"))
    intent = resolve("finish the meal", engine, [], None)
    assert intent.action is None and intent.options == [Action("eat", "meal")]  # eating is asked first


@pytest.mark.parametrize("said", ["fry up the carrot using the stove", "warm the carrot on the stove"])
def test_cooking_said_with_a_particle_or_a_milder_verb(said):
    assert deed(said) == Action("cook", "carrot", "stove")


@pytest.mark.parametrize("said", ["go to the room to the east", "walk into the room that lies to the east",
                                  "head for the area off to the east"])
def test_a_room_named_by_its_way_is_that_way(said):
    assert deed(said) == Action("go", "east")


@pytest.mark.parametrize("said", ["bring the cup along", "take the cup with me"])
def test_bringing_a_thing_along_takes_it(said):
    engine = Engine(STORY)
    engine.perform(Action("drop", "cup"))
    assert deed(said, engine) == Action("take", "cup")


@pytest.mark.parametrize("said", ["open the locked chest with the brass key",
                                  "unlock the closed chest with the brass key"])
def test_a_thing_named_by_how_it_is_now(said):
    assert deed(said) == Action("unlock", "chest", "brass_key")


def test_a_state_that_does_not_hold_names_nothing():
    assert deed("open the open chest") is None  # the chest is closed: no such chest here


@pytest.mark.parametrize("said", ["empty the table of the cup", "help myself to the cup on the table",
                                  "reach into the tin box and grab the cup", "rummage in the tin box for the cup",
                                  "nab the cup sitting on the table"])
def test_more_ways_of_taking_a_thing_off_another(said):
    engine = Engine(STORY)
    engine.perform(Action("put", "cup", "table" if "table" in said else "box"))
    holder = "table" if "table" in said else "box"
    assert deed(said, engine) == Action("take", "cup", holder)


@pytest.mark.parametrize("said", ["look around the kitchen", "survey the kitchen", "examine this room",
                                  "where am I, exactly?", "what's in this room", "tell me what I see"])
def test_the_room_one_stands_in_looked_at_is_a_look(said):
    pieces = split_commands(said, STORY)
    assert [deed(p) for p in pieces] == [Action("look")]


def test_the_room_next_door_looked_at_is_no_look():
    assert deed("look around the hall") is None


def test_a_deed_said_again_with_it_is_done_once():
    assert split_commands("time to get rid of the cup, drop it", STORY) == ["time to get rid of the cup"]
    assert split_commands("take the cup, then drop it", STORY) == ["take the cup", "drop it"]


@pytest.mark.parametrize("said", ["dump the cup on the table", "toss the cup onto the table"])
def test_things_thrown_onto_a_surface_are_put_there(said):
    assert deed(said) == Action("put", "cup", "table", text="on")


def test_hurrying_after_a_command_is_not_a_move():
    assert deed("drop the cup quick") == Action("drop", "cup")
    assert deed("cook the carrot with the stove!!! hurry") == Action("cook", "carrot", "stove")


def test_a_part_of_a_thing_that_opens_is_that_thing():
    assert deed("examine the chest lid") == Action("examine", "chest")
    assert deed("unlock the lock of the chest with the brass key") == Action("unlock", "chest", "brass_key")
    assert deed("lift the chest lid") == Action("open", "chest")  # a frame; lifting is no taking of the chest
    assert deed("take the chest lid") is None  # no taking of the chest for its lid


def test_how_a_verb_is_done_said_before_it():
    engine = Engine(STORY)
    assert deed("roughly drop the cup", engine) == Action("drop", "cup")


@pytest.mark.parametrize("said", ["secure the cup", "lay my hands on the cup", "add the cup to my inventory",
                                  "the cup is mine now", "got to have the cup", "hang on to the cup"])
def test_more_ways_of_taking_a_thing(said):
    engine = Engine(STORY)
    engine.perform(Action("drop", "cup"))
    assert deed(said, engine) == Action("take", "cup")


def test_securing_what_has_a_lock_still_locks_it():
    engine = Engine(STORY)
    engine.perform(Action("unlock", "chest", "brass_key"))
    assert deed("secure the chest with the brass key", engine) == Action("lock", "chest", "brass_key")


@pytest.mark.parametrize("said", ["cook the carrot in my hand on the stove",
                                  "cook the carrot from my bag on the stove"])
def test_where_the_first_thing_is_said_before_the_tool(said):
    assert deed(said) == Action("cook", "carrot", "stove")


def test_a_misspelt_tool_is_no_manner():
    assert deed("open the lock of the chest with the brass kye") == Action("unlock", "chest", "brass_key")
    engine = Engine(STORY)
    engine.perform(Action("unlock", "chest", "brass_key"))
    assert deed("open the chest with care", engine) == Action("open", "chest")


def test_one_word_off_names_the_one_thing_here_when_nothing_is_so_named():
    engine = Engine(STORY)
    engine.perform(Action("drop", "cup"))
    assert deed("take the old cup", engine) == Action("take", "cup")  # no cup anywhere is old
    assert deed("take the brass cup", engine) is None  # a material is never a loose word
    engine.perform(Action("drop", "iron_key"))
    assert deed("take the brass key", engine) is None  # the brass key exists: the iron one is not it


def test_where_a_single_thing_came_from_says_nothing_more():
    engine = Engine(STORY)
    assert deed("drop the cup from my bag", engine) == Action("drop", "cup")
    assert deed("examine the chest near the hall", engine) == Action("examine", "chest")


def test_what_is_to_happen_before_someone_acts_is_no_deed():
    assert split_commands("drop the cup before the cook sees it", STORY) == ["drop the cup"]


def test_what_a_thing_looks_like_asked_with_whats():
    assert deed("what's that chest look like") == Action("examine", "chest")


def test_a_typo_after_a_word_of_a_name_is_a_thing_before_a_way():
    from game.understanding.spelling import fix_word, game_words
    known = game_words(STORY)
    assert fix_word("cest", known, after_name=True)[0] == "chest"
    assert normalise_command("unlock the oak cest with the brass key", STORY).text == \
        "unlock the oak chest with the brass key"
    assert normalise_command("open cest oak", STORY).text == "open chest oak"  # before one, too


def test_a_mistyped_name_word_is_never_a_loose_one():
    engine = Engine(STORY)
    engine.perform(Action("put", "brass_key", "table", text="on"))  # the brass key stays in the kitchen
    engine.perform(Action("go", "east"))
    engine.perform(Action("drop", "iron_key"))
    assert deed("take the brss key", engine) is None  # "brss" is brass mistyped: never the iron key here
    assert deed("take the old key", engine) == Action("take", "iron_key")  # no key anywhere is old


def test_a_loose_word_comes_before_the_noun_and_a_real_tool_is_still_no_manner():
    from game.understanding.loose_names import one_word_off
    assert one_word_off(STORY, "chest about", ["chest"]) == []
    assert one_word_off(STORY, "old chest", ["chest"]) == ["chest"]
    engine = Engine(STORY)
    engine.perform(Action("unlock", "chest", "brass_key"))
    assert deed("open the chest with the tin box by the door", engine) == Action("open", "chest")
