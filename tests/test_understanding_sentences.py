"""Lines of several sentences and plainer slips (game.understanding: clauses, splitting, correction, normalise),
on the bundled story without a model.

What the player sees, said before the deed ("Bright enough up here. Snuff the lamp."), is dropped and lends its
one thing to an "it"; "no idea" is not knowing, never an answer; a plan for now ("the next step is to ...") is the
deed; after a verb of going a word one slip from one way is that way. The lines are the rules' own examples, not
lines of any evaluation set.
"""
from __future__ import annotations

import pytest

from game.understanding.cleaning import clean
from game.understanding.intent import resolve
from game.understanding.normalise import normalise_command, strip_filler
from game.understanding.spelling import game_words
from game.understanding.splitting import split_commands
from game.world.events import Action
from tests._oasis import STORY, W, engine_at


def at(command: str):
    return engine_at(W.index(command))


def deed(said: str, engine) -> Action | None:
    pieces = split_commands(said, STORY)
    assert len(pieces) == 1, pieces
    return resolve(pieces[0], engine, [], None).action


def test_what_is_seen_before_the_deed_is_not_a_deed():
    assert split_commands("Bright enough up here. Snuff the lamp.", STORY) == ["snuff the lamp"]
    assert split_commands("Hot in here. I'll set the fire shard down.", STORY) == ["ill set the fire shard down"]


def test_the_one_thing_seen_is_what_it_means():
    engine = at("take straw shard")
    assert deed("Dusty old bins. The shard is right there. I grab it.", engine) == Action("take", "shard_straw")
    assert deed("the chest. open it", at("open chest")) == Action("open", "cedar_chest")


def test_a_list_of_things_is_not_an_observation():
    assert split_commands("lamp, rope", STORY) != ["rope"]


@pytest.mark.parametrize("said", ["Three gates. No idea. Hmm.", "no idea", "Easy one. Not sure."])
def test_not_knowing_is_never_an_answer(said):
    engine = at("answer wind")
    pieces = split_commands(said, STORY)
    assert all(resolve(p, engine, [], None).action is None for p in pieces), pieces


def test_a_correction_still_corrects():
    assert split_commands("go north, no wait, east", STORY) == ["east"]
    assert split_commands("nvm, take the lamp", STORY) == ["take the lamp"]


@pytest.mark.parametrize("said", ["the next step in the recipe is to open the chest",
                                  "next thing on my list is to open the chest",
                                  "ok, I reckon the smart thing now is to open the chest",
                                  "alright, the next thing to do is to open the chest"])
def test_a_plan_for_now_is_the_deed(said):
    assert strip_filler(clean(said)) == "open the chest"


def test_the_game_addressed_as_you():
    assert deed("u take the key", at("take key")) == Action("take", "bronze_key")
    assert deed("U can open the chest", at("open chest")) == Action("open", "cedar_chest")


@pytest.mark.parametrize(("said", "way"), [("go rest", "west"), ("go Eat", "east"), ("head nroth", "north")])
def test_a_slip_after_a_verb_of_going_is_a_way(said, way):
    assert normalise_command(said, STORY, english_too=True).text.split()[1:] == [way]


def test_a_real_verb_with_more_after_it_is_no_way():
    assert normalise_command("go eat the apple", STORY, english_too=True).text != "go east the apple"
    assert normalise_command("go on", STORY, english_too=True).text != "go in"


def test_a_way_said_twice():
    assert split_commands("Head east twice.", STORY) == ["go east", "go east"]
    assert split_commands("go north three times", STORY) == ["go north"] * 3


def test_rarer_shapes_of_looking_and_using():
    assert deed("take a good long look at the mural", at("answer wind")) == Action("examine", "mural")
    assert deed("where exactly am I now?", at("west")).verb == "look"
    assert deed("I'm using the key to unlock the door", at("unlock door")) == Action("unlock", "bronze_door",
                                                                                  "bronze_key")
    assert deed("bung the key in the chest", at("read tablet")) == Action("put", "bronze_key", "cedar_chest", "in")


def test_two_letters_swapped_beat_a_word_that_sounds_alike():
    assert deed("cuhck the key in the chest", at("read tablet")) == Action("put", "bronze_key", "cedar_chest", "in")


def test_one_deed_said_with_and_even_with_its_verb_mistyped():
    assert split_commands("sitck the key in the door and turn it", STORY) == ["sitck the key in the door and turn it"]
    assert deed("sitck the key in the door and turn it", at("unlock door")) == Action("unlock", "bronze_door",
                                                                                     "bronze_key")


def test_a_person_is_consulted_by_talking_a_tablet_by_reading():
    assert deed("consult the venerable elder", at("read tablet")) == Action("talk", "yusuf")
    assert deed("consult the tablet", at("read tablet")) == Action("read", "clay_tablet")


def test_a_thing_named_by_what_happened_to_it():
    assert deed("light up the lamp I bought", at("light lantern")) == Action("light", "lantern")
    assert deed("flog the bracelet Farah mentioned to the trader", at("sell bracelet")) == \
        Action("sell", "silver_bracelet")


def test_a_role_players_old_english():
    assert deed("Pray, what doth the tablet say?", at("read tablet")) == Action("read", "clay_tablet")
    assert deed("The hero speaks unto the east gate: Wind!", at("answer wind")) == Action("answer", text="wind")
    assert deed("Pray, let me gaze upon yonder well", at("west")).verb == "examine"
    assert not any("pray" in piece for piece in split_commands("Pray, once more", STORY))


def test_back_alone_is_the_way_back():
    assert normalise_command("and back", STORY).text in ("back", "and back")
    assert deed("back", at("west")) is None  # no move made before it: asked, never a guess


def test_a_persons_name_is_no_relative_clause():
    assert deed("what has the stable boy got to say?", at("open saddlebag")) == Action("talk", "tarek")


def test_elliptic_lines_lean_on_the_last_command():
    from game.understanding.intent import Context
    engine = at("take key")
    context = Context(last_command="take the clay tablet", last_things=("clay_tablet",), item="clay_tablet")
    assert resolve("now the key", engine, [], None, context=context).action == Action("take", "bronze_key")
    assert resolve("the key too", engine, [], None, context=context).action == Action("take", "bronze_key")


def test_the_other_one_is_the_one_other_thing_of_its_kind():
    from game.understanding.intent import Context
    engine = engine_at(29)
    context = Context(last_command="examine the wind shard", last_things=("shard_wind",), item="shard_wind")
    assert resolve("and the other one", engine, [], None, context=context).action == Action("examine", "shard_straw")


def test_the_other_one_at_a_gate_is_no_answer():
    from game.understanding.intent import Context
    context = Context(last_command="examine the east gate", last_things=("wind_gate",), item="wind_gate")
    assert resolve("and the other one", at("answer wind"), [], None, context=context).action is None


@pytest.mark.parametrize("said", ["what is this place", "describe this place to me", "where did I end up?",
                                  "Pray, what lieth about me?"])
def test_more_ways_to_ask_where_one_is(said):
    assert deed(said, at("west")).verb == "look"


def test_a_long_statement_or_an_article_first_sentence_is_seen_not_done():
    assert split_commands("It's pitch black down those stairs. I'll light the lamp.", STORY) == ["ill light the lamp"]
    assert split_commands("The wind moans in here, creepy. I take the shard.", STORY) == ["i take the shard"]
    assert split_commands("its wind. go east", STORY)[0] == "its wind"  # a short one may be an answer


@pytest.mark.parametrize("said", ['"What is green in the field and golden when dry?" Straw.',
                                  '\u201cWhat do camels eat?\u201d straw!'])
def test_a_riddle_read_out_in_quotes_then_the_answer(said):
    assert deed(said, at("answer straw")) == Action("answer", text="straw")


def test_a_frame_adds_no_verb_starts():
    # a frame's first words become words that begin a command; "for", "at" there split "at long last, enter ..."
    assert not {"for", "at"} & game_words(STORY).verb_starts


def test_a_list_of_things_said_without_a_verb_is_not_split_into_commands():
    assert split_commands("the lamp, the rope. take it", STORY)[0] == "the lamp and the rope"


def test_what_the_player_sees_before_the_deed_is_not_a_look():
    assert split_commands("I can see a tablet. Read it.", STORY) == ["read tablet"]
    assert split_commands("I see the chest and the tablet. Take it.", STORY) == ["take it"]  # which: asked


@pytest.mark.parametrize("said", ["the south one: straw", "the south gate - straw", "and for the south gate, straw"])
def test_a_gate_named_then_its_answer(said):
    assert deed(said, at("answer straw")) == Action("answer", text="straw")


@pytest.mark.parametrize("said", ["the south one: open it", "the south one: hmm", "the south gate: hmm",
                                  "the south gate"])
def test_a_gate_named_then_no_answer_answers_nothing(said):
    engine = at("answer straw")
    assert all(resolve(p, engine, [], None).action is None for p in split_commands(said, STORY))


@pytest.mark.parametrize("said", ["leave west", "leave heading west", "leave the room to the west"])
def test_leaving_with_a_way_goes_that_way(said):
    assert deed(said, engine_at(0)) == Action("go", obj="west")


@pytest.mark.parametrize("said", ["leave through the east door", "exit via the east door", "leave via the east exit",
                                  "head off through the east doorway"])
def test_a_door_named_by_its_way_is_the_way_through_it(said):
    # the door east of the gatehouse is the "bronze door": "the east door" or "the east exit" means it all the same
    assert deed(said, engine_at(21)) == Action("go", obj="east")


def test_leaving_a_thing_still_drops_it():
    assert deed("leave the bronze key", engine_at(3)) == Action("drop", obj="bronze_key")


@pytest.mark.parametrize("said", ["take a step west", "take a few steps west", "take two more steps to the west"])
def test_steps_taken_toward_a_way_go_that_way(said):
    assert deed(said, engine_at(0)) == Action("go", obj="west")


def test_it_after_a_clause_naming_two_things_is_the_one_the_deed_fits():
    assert split_commands("since the elder keeps his things in that chest, I'll open it", STORY) == ["ill open chest"]
    assert split_commands("since the elder keeps his things in that chest, I'll examine it", STORY) == \
        ["ill examine it"]  # both can be examined: "it" stays a question


def test_what_is_on_a_thing_with_writing_is_read_on_anything_else_examined():
    engine = engine_at(0)  # the village square: the notice board, the well
    assert deed("what's on the notice board?", engine) == Action("read", "notice_board")
    assert deed("what's on the well?", engine).verb == "examine"


def test_where_a_sign_points_is_read_and_which_way_alone_is_advice():
    path = engine_at(18)  # the desert path, by the signpost
    assert deed("which way does the signpost point?", path) == Action("read", "signpost")
    assert resolve("which way?", path, [], None).message.startswith("That is yours to decide")
    assert deed("what lies within the open chest, I wonder?", at("take key")) == Action("examine", "cedar_chest")


def test_a_thing_used_on_a_lamp_it_lights_lights_it():
    engine = at("light lantern")
    assert deed("use the tinderbox on the lantern", engine) == Action("light", "lantern")
    assert deed("combine tinderbox with lamp", engine) == Action("light", "lantern")
    assert deed("use the bronze key on the lantern", engine) is None  # the lantern needs the tinderbox
