"""Free-text understanding without a model: normaliser, lexicon frames, consistency, asking back.

Each test names the behaviour of one layer (game.understanding.normalise, game.understanding.lexicon,
game.understanding.agreement, game.understanding.intent) on the bundled story; the last ones play the
hand-written development set (tests/data/intent/oasis_dev.yaml) per category
through a real GameSession and the property test feeds hypothesis-made text.
The held-out set is measured by `adventure bench intent`, never here.
"""
from __future__ import annotations

import collections
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agent.scripted import ScriptedBackend
from game.benches.intent import DATA, hand_rows
from game.play.session import GameSession
from game.stories.loader import (
    DEFAULT_STORY,
    StoryInvalid,
    parse_story_text,
)
from game.understanding.cleaning import clean
from game.understanding.intent import Context, resolve
from game.understanding.normalise import normalise_command
from game.understanding.splitting import split_commands
from game.world.answers import normalise_answer
from game.world.engine import Engine
from game.world.events import Action
from tests._oasis import STORY, W, engine_at


def act(text: str, steps: int = 0, context: Context | None = None) -> Action | None:
    return resolve(text, engine_at(steps), [], None, context=context).action


def test_typos_are_fixed_only_onto_this_games_words():
    assert act("go notrh") == Action("go", "north")
    assert act("raed the notice") == Action("read", "notice_board")  # swapped letters: read, not red
    changes = normalise_command("stroll over to the bazaar", STORY).changes
    assert not [c for c in changes if c[0] == "typo"]  # "stroll" is English, never made "scroll"
    assert normalise_command("answer wnid", STORY).text == "answer wnid"  # the engine judges answers as typed


def test_word_forms_filler_and_shorthand():
    assert act("walk westwards") == Action("go", "west")
    assert act("head northwrads") == Action("go", "north")  # a direction form with a typo
    assert act("ok so please could you go south now") == Action("go", "south")
    assert clean("unlock door w/ key") == "unlock door with key"  # "w/" is not west


def test_frames_rewrite_sentences_into_commands():
    gatehouse = W.index("take coins") + 1
    assert act("use the bronze key to unlock the door", gatehouse) == Action("unlock", "bronze_door", "bronze_key")
    assert act("unlock the big door using my key", gatehouse) == Action("unlock", "bronze_door", "bronze_key")
    assert act("what's written on the tablet", 1) == Action("read", "clay_tablet")
    assert act("whats in my bag") == Action("inventory")
    assert act("where am i") == Action("look")
    chest_open = 2
    assert act("get the key out of the chest", chest_open).verb == "take"


def test_riddle_answers_inside_sentences():
    gate = W.index("answer wind")
    for said in ("the answer is the wind", "i think it's wind", "tell the gate wind", "hmm... wind?",
                 "answer the east gate: wind"):
        action = act(said, gate)
        assert action.verb == "answer" and normalise_answer(action.text) == "wind", said
    assert act("its a camel", 0) is None  # no gate here: not an answer


def test_pronouns_again_and_oops():
    context = Context()
    engine = engine_at(W.index("take coins") + 1)
    assert resolve("examine the door", engine, [], None, context=context).action == Action("examine", "bronze_door")
    assert resolve("unlock it", engine, [], None, context=context).action == Action("unlock", "bronze_door")
    assert resolve("again", engine, [], None, context=context).action == Action("unlock", "bronze_door")
    context = Context()
    assert resolve("read the sihn", engine_at(18), [], None, context=context).action == Action("read", "signpost")
    retyped = resolve("oops signpost", engine_at(18), [], None, context=context)
    assert retyped.action == Action("read", "signpost")


def test_several_commands_in_one_line(tmp_path):
    assert split_commands("take the lamp and go north", STORY) == ["take the lamp", "go north"]
    assert split_commands("n, then e", STORY) == ["n", "e"]
    assert split_commands("take the lamp and rope", STORY) == ["take the lamp", "take rope"]  # one per thing
    assert split_commands("save my.game", STORY) == ["save my.game"]
    session = GameSession.start(STORY, None, save_path=tmp_path / "g.sqlite", narrate=False)
    result = session.submit("go west, open the chest and take the key")
    assert result.location == "elder_house" and "bronze key" in result.inventory
    stopped = session.submit("go east and fly to the moon and go north")
    assert stopped.location == "elder_house" and stopped.how == "clarify"  # one part not understood: none is done
    assert "Nothing done yet" in stopped.facts and '"fly to the moon"' in stopped.facts


def test_a_list_of_things_is_one_command_per_thing(tmp_path):
    assert split_commands("take the rope and the lamp", STORY) == ["take the rope", "take the lamp"]
    assert split_commands("buy rope, lamp and waterskin", STORY) == ["buy rope", "buy lamp", "buy waterskin"]
    assert split_commands("put the cloud and fire shards on the altar", STORY) == [
        "put the cloud shard on the altar", "put fire shards on the altar"]  # the tail and the noun are shared
    assert split_commands("put the shard on the altar", STORY) == ["put the shard on the altar"]
    assert split_commands("ask nadia about the lamp and the rope", STORY) == ["ask nadia about the lamp and the rope"]
    session = GameSession.start(STORY, None, save_path=tmp_path / "g.sqlite", narrate=False)
    for command in W[:W.index("buy lantern with 14 gold")]:
        session.submit(command)
    result = session.submit("buy the rope and the waterskin")
    assert "coil of rope" in result.inventory and "waterskin" in result.inventory
    result = session.submit("drop the waterskin and rope")
    assert "coil of rope" not in result.inventory and "waterskin" not in result.inventory


def test_a_list_item_the_game_does_not_know_is_asked_back(tmp_path):
    session = GameSession.start(STORY, None, save_path=tmp_path / "g.sqlite", narrate=False)
    for command in W[:W.index("take key")]:
        session.submit(command)
    before = session.state_hash
    result = session.submit("take the key and the sword")
    assert result.state_hash == before and result.how == "clarify" and '"sword"' in result.facts


@pytest.mark.parametrize("said", ["don't go north", "do not go north", "never go north", "I won't go north",
                                  "i'd rather not go north", "no wait, don't go north", "never mind", "cancel",
                                  "nevermind", "no", "forget it", "no, the other door", "don't go north and east"])
def test_negation_never_does_the_deed(said, tmp_path):
    session = GameSession.start(STORY, None, save_path=tmp_path / "g.sqlite", narrate=False)
    before = session.state_hash
    result = session.submit(said)
    assert result.state_hash == before and result.location == "village_square" and result.action is None, said
    assert result.how == "clarify" and result.facts  # a short acknowledgement or question back


def test_what_negation_leaves_alone():
    assert act("don't forget to take the key", 2) == Action("take", "bronze_key")
    assert act("no, go west") == Action("go", "west")  # a correction is the command
    assert act("i don't need the key anymore", 5) == Action("drop", "bronze_key")


def test_all_and_both(tmp_path):
    session = GameSession.start(STORY, None, save_path=tmp_path / "g.sqlite", narrate=False)
    for command in W[:W.index("put wind shard on altar")]:
        session.submit(command)
    result = session.submit("put all the shards on the altar")
    shards = ("shard_wind", "shard_straw", "shard_cloud", "shard_fire")
    assert [str(session.state.items[s]) for s in shards] == ["on:altar"] * 4
    assert result.won


def test_a_direction_rules_out_every_other_way():
    question = resolve("scurry sideways to the northeast", engine_at(0), [], None)
    assert question.action is None and question.message.startswith("You can't go northeast from here. Exits:")
    far = resolve("head into the ruins", engine_at(W.index("take bracelet")), [], None)
    assert far.action is None and "Ruined Gatehouse" in far.message and "east (Desert Path)" in far.message


def test_costly_deeds_chosen_without_the_players_verb_ask_first():
    bazaar = W.index("sell bracelet")
    asked = resolve("what does this bracelet fetch", engine_at(bazaar), [], None)
    assert asked.action is None
    offered = resolve("sell the bracelet", engine_at(bazaar), [], None)
    assert offered.action == Action("sell", "silver_bracelet")  # said outright: done
    vague = resolve("sell something", engine_at(bazaar), [], None)
    assert vague.action is None and vague.options and vague.options[0].verb == "sell"


def test_one_agreeing_action_without_a_verb_is_confirmed_not_done():
    stables = 6
    intent = resolve("ride the camel", engine_at(stables), [], None)
    assert intent.action is None and intent.message.startswith("Do you want to")


def test_the_model_only_ranks_actions_that_agree_with_the_words():
    seen: list[str] = []

    class RecordingBackend(ScriptedBackend):  # a test double that records what it is asked to score
        def logprobs(self, context, continuation, role="score"):
            seen.append(context)
            return [-1.0]

    resolve("gently deal with the bangle", engine_at(W.index("take bracelet")), [], RecordingBackend(["x"]))
    assert seen and all("bracelet" in phrase for phrase in seen)


def test_story_verbs_from_yaml(tmp_path):
    text = Path(DEFAULT_STORY).read_text(encoding="utf-8") + "\nverbs: {scrutinise thoroughly: examine}\n"
    story = parse_story_text(text, "oasis+verbs.yaml")
    engine = Engine(story)
    assert resolve("scrutinise thoroughly the well", engine, [], None).action == Action("examine", "stone_well")
    with pytest.raises(StoryInvalid) as error:
        parse_story_text(Path(DEFAULT_STORY).read_text(encoding="utf-8") + "\nverbs: {pet: stroke}\n", "bad.yaml")
    assert "verbs" in str(error.value.problems[0]) and "stroke" in str(error.value.problems[0])


# the floor per file: the fifth set (texting and British idiom) arrived at 0.61 and is still the hardest
FLOORS = {"oasis_dev.yaml": 0.9, "oasis_dev2.yaml": 0.9, "oasis_dev3.yaml": 0.9, "oasis_dev4.yaml": 0.9,
          "oasis_dev5.yaml": 0.85}


@pytest.mark.parametrize("name", list(FLOORS))
@pytest.mark.slow
def test_every_category_of_the_development_sets(name):
    rows = hand_rows("hand_dev", DATA / name, None)
    by_category = collections.defaultdict(collections.Counter)
    for row in rows:
        by_category[row.category][row.outcome] += 1
    assert set(by_category) >= {"synonym", "phrasal", "question", "typo", "sentence", "riddle", "pronoun", "multi",
                                "again", "ask", "impossible", "meta", "direction"}
    wrong = [(r.say, r.got) for r in rows if r.outcome == "wrong"]
    # a wrong deed is never acceptable (ask instead); what is left is at most one look the writers disagree on
    # ("what's on the notice board?": read it, or examine it; "Having read the tablet, I left": read it again)
    assert len(wrong) <= 1, wrong
    assert sum(r.outcome == "understood" for r in rows) / len(rows) >= FLOORS[name]
    for category, counts in by_category.items():  # past-tense role-play ("I knelt by the water and ...") is weakest
        assert counts["understood"] / sum(counts.values()) >= 0.5, (category, counts)


BAZAAR = engine_at(W.index("sell bracelet")).state


@settings(max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=60), st.text(alphabet=st.characters(codec="utf-8"), max_size=400),
                 st.lists(st.sampled_from(["take", "the", "key", "and", "go", "north", "it", ",", "oops", "again",
                                           "drop", "sell", "lantern", "answer", "?", "nadia", "w/", "then"]),
                          max_size=12).map(" ".join)))
@pytest.mark.slow
def test_no_text_raises_or_changes_the_world_unless_understood(text):
    engine = Engine(STORY, BAZAAR.model_copy(deep=True))
    context = Context()
    for part in split_commands(text, STORY) or [text]:
        intent = resolve(part, engine, [], None, context=context)
        if intent.action is None:
            if intent.how != "meta":  # a meta command (undo, save, …) acts on the game, not on the world
                assert intent.layer == "ask", intent
            break
        changed = engine.perform(intent.action).changed
        if changed:  # only a layer that understood the words may change the world
            assert intent.layer in ("parser", "normaliser", "lexicon", "senses", "consistency", "choice"), intent


def test_huge_pastes_and_control_characters(tmp_path):
    session = GameSession.start(STORY, None, save_path=tmp_path / "g.sqlite", narrate=False)
    before = session.state_hash
    for text in ("x" * 10_000, "\x00\x1b[2J\x07" * 50, "?!.,;" * 100, "Nimm den Schlüssel und geh nach Norden",
                 "拿钥匙", "", "   ", "take" + " the" * 3000):
        result = session.submit(text)
        assert result.state_hash == before, text[:40]


def test_a_question_back_names_the_thing_not_the_adjective():
    """The most specific word the player said picks the thing, and the question uses its real name."""
    asked = resolve("I would very much like to open the old saddlebag, if that's alright.", engine_at(1), [], None)
    assert asked.action is None
    assert asked.message == "What do you want to do with the leather saddlebag?"
