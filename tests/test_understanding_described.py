"""Words spelled by ear or dictated, and ways and people named by what the story says of them
(game.understanding.sounds, game.understanding.described), on the bundled story without a model.

The lines here are the rules' own examples, not lines of any evaluation set.
"""
from __future__ import annotations

import pytest

from game.understanding.described import described_thing, described_way
from game.understanding.intent import resolve
from game.understanding.normalise import normalise_command
from game.understanding.parser import parse, vocabulary
from game.understanding.sounds import by_sound, sounds_like, spoken_punctuation
from game.understanding.spelling import fix_word, game_words
from game.world.events import Action
from tests._oasis import STORY, W, engine_at


def test_dictated_punctuation_becomes_the_mark():
    assert spoken_punctuation("read the sign question mark") == "read the sign ?"
    assert spoken_punctuation("north full stop") == "north ."
    assert spoken_punctuation("take the key comma then go north") == "take the key , then go north"
    assert spoken_punctuation("wait for a period of time") == "wait for a period of time"  # only at the end


def test_a_word_spelled_by_ear_is_the_one_game_word_that_sounds_the_same():
    index = by_sound(["take", "tuck", "talk", "tinderbox", "light", "lit", "lite"])
    assert sounds_like("tayk", index) == "take"  # tuck sounds the same but shares fewer letters
    assert sounds_like("tinderbocks", index) == "tinderbox"
    assert sounds_like("tyck", by_sound(["tick", "tuck"])) is None  # as near to both: no one word
    assert sounds_like("xqzt", index) is None


def test_the_normaliser_hears_typos_but_never_turns_common_words_into_others():
    known = game_words(STORY)
    assert fix_word("tayk", known, first=True) == ("take", "sound")  # talk is nearer in letters, not in sound
    assert fix_word("reed", known, english_too=True, first=True) == ("read", "sound")  # rarer than the verb
    assert fix_word("loud", known, english_too=True) == ("loud", None)  # as common as "load": left alone
    assert fix_word("reed", known) == ("reed", None)  # a word English knows: only once nothing else worked
    assert normalise_command("ekks amine the well", STORY, english_too=True).text == "examine the well"
    assert normalise_command("take take the lantern", STORY).text == "take the lantern"
    assert normalise_command("go up up", STORY).text == "go up up"  # two moves, split later


def test_a_dictated_homophone_in_the_verbs_place_is_the_verb():
    known = game_words(STORY)
    assert fix_word("cell", known, english_too=True, first=True) == ("sell", "sound")
    assert fix_word("by", known, english_too=True, first=True) == ("buy", "sound")
    assert fix_word("by", known, english_too=True) == ("by", None)  # elsewhere "by" is "by"
    assert fix_word("cell", known) == ("cell", None)  # only once nothing else worked
    assert normalise_command("teh key", STORY, english_too=True).text == "the key"  # a slip of "the", not "tea"
    slip = normalise_command("grab the key form the chest", STORY, english_too=True)
    assert slip.text == "grab the key from the chest"


def test_dictated_and_heard_lines_are_understood():
    square = engine_at(0)
    assert resolve("reed the notice board", square, [], None).action == Action("read", "notice_board")
    assert resolve("examine the well full stop", square, [], None).action == Action("examine", "stone_well")
    assert resolve("ekks amine the well", square, [], None).action == Action("examine", "stone_well")


def test_a_way_named_by_the_rooms_text():
    square = engine_at(0)
    assert described_way(STORY, square.state, ["saddles", "harness"]) == "south"  # "Saddles and harness hang..."
    assert described_way(STORY, square.state, ["camels"]) is None  # a thing of the game (its room: the parser)
    assert described_way(STORY, square.state, ["striped", "awnings"]) == "north"
    assert resolve("go where the camels are", square, [], None).action == Action("go", "south")  # the camel's room
    assert described_way(STORY, square.state, ["it"]) is None
    assert described_way(STORY, square.state, ["spaceship"]) is None


@pytest.mark.parametrize("said", ["go back to Nadia's stall", "walk over to the merchant's stall",
                                  "go to the merchant stall", "return to nadias booth"])
def test_a_way_named_by_whose_place_it_is(said):
    assert resolve(said, engine_at(0), [], None).action == Action("go", "north")  # Nadia keeps the bazaar


def test_a_place_of_someone_not_that_way_is_no_way():
    assert resolve("go to the tinker's stall", engine_at(0), [], None).action is None


def test_a_way_named_in_a_clause_of_this_rooms_text():
    path = engine_at(W.index("take coins") - 1)
    assert path.state.location == "desert_path"
    assert described_way(STORY, path.state, ["broken", "columns"]) == "east"


@pytest.mark.parametrize("phrase, who", [("the woman with rings on every finger", "nadia"),
                                         ("the kid with straw in his hair", "tarek"),
                                         ("the man with patient eyes", "yusuf")])
def test_a_person_named_by_their_description(phrase, who):
    people = ["nadia", "tarek", "yusuf", "farah"]
    assert described_thing(STORY, phrase, people, vocabulary) == [who]


def test_one_description_word_alone_names_nothing():
    assert described_thing(STORY, "the sand", ["old_coins", "signpost"], vocabulary) == []  # coins "in the sand"
    assert described_thing(STORY, "the horse with a hump", ["sabra", "tarek"], vocabulary) == []


def test_the_red_one_and_a_thing_typed_as_two_words_in_a_list():
    altar = engine_at(W.index("put wind shard on altar"))
    assert parse(STORY, altar.state, "put the red one on the altar").action == Action("put", "shard_fire", "altar",
                                                                                        text="on")
    from game.understanding.splitting import split_commands
    assert split_commands("drop the key and the tinder box", STORY) == ["drop the key", "drop the tinderbox"]


def test_a_lore_topic_is_never_spell_fixed():
    intent = resolve("tell me about Qasr al-Rih", engine_at(0), [], None)
    assert intent.action == Action("lore", text="qasr al rih")


def test_a_direction_said_is_never_overridden_by_a_rooms_text():
    square = engine_at(0)
    assert described_way(STORY, square.state, ["saddles", "harness"]) == "south"
    assert described_way(STORY, square.state, ["west", "saddles", "harness"]) is None  # "west" was said


def test_a_thing_named_by_what_holds_it():
    bag = engine_at(W.index("open saddlebag") + 1)
    tinderbox = Action("take", "tinderbox")
    assert parse(STORY, bag.state, "take the thing inside the saddlebag").action == tinderbox
    assert parse(STORY, bag.state, "take the stuff in the saddlebag").action == tinderbox  # never the bag
    assert parse(STORY, bag.state, "take what's in the saddlebag").action == tinderbox
    closed = engine_at(1)  # the chest is still closed: nothing is seen in it
    assert parse(STORY, closed.state, "take the thing in the chest").status != "ok"


def test_a_person_by_what_their_description_makes_an_adjective_of():
    assert described_thing(STORY, "the guy with the beard", ["nadia", "tarek", "yusuf"], vocabulary) == ["yusuf"]
    assert resolve("who's the guy with the beard?", engine_at(1), [], None).action == Action("examine", "yusuf")


def test_that_one_and_that_again_with_another_thing():
    from game.understanding.intent import Context
    altar = engine_at(W.index("put straw shard on altar"))
    context = Context()
    resolve("examine the straw shard", altar, [], None, context=context)
    assert resolve("put that one on the altar too", altar, [], None, context=context).action == \
        Action("put", "shard_straw", "altar", text="on")
