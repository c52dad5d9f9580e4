"""The TextWorld importer on hand-written game descriptions (no textworld package needed), and the
engine rules it relies on: three-state doors, locked containers, eating, cooking and the recipe."""
from __future__ import annotations

import copy
import json

import pytest

from game.stories.loader import StoryInvalid, parse_story_text
from game.textworld.importer import (
    TextWorldImportError,
    plain_text,
    story_yaml_from_textworld,
)
from game.textworld.story_files import open_story as load_story  # .json: the TextWorld importer
from game.understanding.parser import parse
from game.world.engine import Engine


def fact(name, *args):
    return {"name": name, "arguments": [{"name": a, "type": a.split("_")[0] if "_" in a else a} for a in args]}


def entity(eid, kind, name=None, desc="", adj=None):
    return [eid, {"id": eid, "type": kind, "name": name, "noun": name, "adj": adj, "desc": desc,
                  "room_type": None, "definite": None, "indefinite": None, "synonyms": None}]


def trigger(*facts):
    return {"commands": [], "actions": [], "condition": {"name": "trigger", "preconditions": list(facts),
                                                        "postconditions": []}}


# Hall (r_0) --east, through a locked wooden door d_0--> Study (r_1). The key k_0 is in a closed chest
# c_0 in the hall; an apple f_0 lies on a table s_0. Quest: put the apple... no: eat the apple (1 point),
# then carry the key into the study and put it on the desk s_1 (2 points).
GAME = {
    "version": 1,
    "world": [
        fact("at", "P", "r_0"), fact("at", "c_0", "r_0"), fact("at", "s_0", "r_0"), fact("at", "s_1", "r_1"),
        fact("in", "k_0", "c_0"), fact("on", "f_0", "s_0"), fact("closed", "c_0"),
        fact("east_of", "r_1", "r_0"), fact("link", "r_0", "d_0", "r_1"), fact("link", "r_1", "d_0", "r_0"),
        fact("locked", "d_0"), fact("match", "k_0", "d_0"),
    ],
    "infos": [entity("P", "P"), entity("I", "I"),
              entity("r_0", "r", "hall", "A bare hall. [if c_0 is open]The chest gapes.[end if]"),
              entity("r_1", "r", "study", "Books everywhere."),
              entity("d_0", "d", "wooden door", "It is a [noun]. [if open]It is open.[otherwise]Shut.[end if]"),
              entity("c_0", "c", "chest", "A heavy chest."), entity("s_0", "s", "table", "A table."),
              entity("s_1", "s", "desk", "A desk.", adj="oak"), entity("k_0", "k", "iron key", "A key."),
              entity("f_0", "f", "apple", "A red apple.")],
    "quests": [
        {"desc": "Eat the apple.", "reward": 1, "commands": [], "win_events": [trigger(fact("eaten", "f_0"))],
         "fail_events": [], "optional": False, "repeatable": False},
        {"desc": "Key on the desk.", "reward": 2, "commands": [],
         "win_events": [trigger(fact("on", "k_0", "s_1"))], "fail_events": [], "optional": False,
         "repeatable": False},
    ],
    "metadata": {"uuid": "tw-test-1", "walkthrough": [
        "take apple from table", "eat apple", "open chest", "take iron key from chest", "open chest",
        "unlock wooden door with iron key", "open wooden door", "go east", "put iron key on desk"]},
    "objective": "Eat, then leave the key on the desk.",
}


def write(tmp_path, game, name="game.json"):
    path = tmp_path / name
    path.write_text(json.dumps(game))
    return path


def play(story, commands):
    engine = Engine(story)
    results = [engine.perform(parse(story, engine.state, c).action) if parse(story, engine.state, c).action
               else None for c in commands]
    return engine, results


def test_import_round_trips_through_yaml_and_the_walkthrough_wins(tmp_path):
    path = write(tmp_path, GAME)
    story = load_story(path)  # .json is imported on the fly
    assert [e.direction for e in story.room("r_0").exits] == ["east"]
    assert story.room("r_1").exits[0].direction == "west" and story.room("r_1").exits[0].door == "d_0"
    door = story.door("d_0")
    assert (door.openable, door.locked, door.open, door.key) == (True, True, False, "k_0")
    assert story.item("c_0").container.openable and not story.item("c_0").portable
    assert story.item("s_1").adjectives == ["oak"] and story.item("f_0").edible
    assert [q.points for q in story.quests] == [1, 2] and story.max_score() == 3
    # "open chest" a second time is a no-op in TextWorld; the story's own walkthrough leaves it out
    assert story.walkthrough.count("open chest") == 1 and len(story.walkthrough) == 8
    yaml_text = story_yaml_from_textworld(path)
    again = parse_story_text(yaml_text, "again.yaml")
    assert again.model_dump() == story.model_dump()
    engine, _ = play(story, story.walkthrough)
    assert engine.state.outcome == "won" and engine.state.score == 3


def test_inform7_markup_is_stripped():
    assert plain_text("A [noun]. [if open]It is open.[otherwise]Shut.[end if] End.", "door") == "A door. End."
    assert plain_text("[if a]x[if b]y[end if]z[end if]ok", "") == "ok"


def test_three_state_door_rules(tmp_path):
    story = load_story(write(tmp_path, GAME))
    engine, results = play(story, ["open chest", "take iron key", "go east", "open wooden door",
                                   "unlock wooden door with iron key", "go east", "lock wooden door with iron key",
                                   "open wooden door", "go east"])
    refused = [r.refused for r in results]
    # locked: cannot pass or open; unlocked: still closed; locked again; ... never through a closed door
    assert refused == [False, False, True, True, False, True, False, True, True]
    assert engine.state.location == "r_0" and engine.state.doors_locked["d_0"]


def test_take_from_the_wrong_holder_and_eating_need_the_thing_in_hand(tmp_path):
    story = load_story(write(tmp_path, GAME))
    engine, results = play(story, ["take apple from chest", "eat apple", "take apple", "eat apple"])
    assert [r.refused for r in results] == [True, True, False, False]
    assert engine.state.eaten == ["f_0"] and str(engine.state.items["f_0"]) == "nowhere"
    assert engine.state.quests == {"quest_0": "completed"} and engine.state.score == 1


def test_locked_container_needs_its_key(tmp_path):
    game = copy.deepcopy(GAME)
    game["world"] = [f for f in game["world"] if f["name"] != "closed"] + [
        fact("locked", "c_0"), fact("at", "k_1", "r_0"), fact("match", "k_1", "c_0")]
    game["infos"].append(entity("k_1", "k", "brass key", "Brass."))
    game["metadata"]["walkthrough"] = ["take brass key", "unlock chest with brass key"] + GAME["metadata"][
        "walkthrough"]
    story = load_story(write(tmp_path, game))
    engine, results = play(story, ["open chest", "unlock chest with iron key", "take brass key",
                                   "unlock chest with brass key", "open chest"])
    assert [r.refused if r else "no parse" for r in results][0] is True
    assert results[3].refused is False and results[4].refused is False
    assert engine.state.containers_open["c_0"]


COOKING = copy.deepcopy(GAME)
COOKING["world"] = [
    fact("at", "P", "r_0"), fact("at", "s_0", "r_0"), fact("at", "stove_0", "r_0"), fact("at", "oven_0", "r_0"),
    fact("on", "f_0", "s_0"), fact("on", "o_0", "s_0"), fact("closed", "oven_0"),
    fact("cookable", "f_0"), fact("cuttable", "f_0"), fact("uncut", "f_0"), fact("needs_cooking", "f_0"),
    fact("inedible", "f_0"), fact("sharp", "o_0"),
    fact("base", "f_0", "ingredient_0"), fact("in", "ingredient_0", "RECIPE"), fact("fried", "ingredient_0"),
    fact("sliced", "ingredient_0"), fact("cooking_location", "r_0", "RECIPE"), fact("out", "meal_0", "RECIPE"),
    fact("edible", "meal_0"),
]
COOKING["infos"] = [entity("P", "P"), entity("I", "I"), entity("r_0", "r", "kitchen", "A kitchen."),
                    entity("s_0", "s", "counter", "A counter."), entity("stove_0", "stove", "stove", "Hot."),
                    entity("oven_0", "oven", "oven", "Hot."), entity("f_0", "f", "carrot", "A carrot."),
                    entity("o_0", "o", "knife", "Sharp."), entity("ingredient_0", "ingredient"),
                    entity("meal_0", "meal", "meal"), entity("RECIPE", "RECIPE")]
COOKING["quests"] = [
    {"desc": "Eat the meal.", "reward": 1, "commands": [], "win_events": [trigger(fact("consumed", "meal_0"))],
     "fail_events": [trigger(fact("burned", "f_0"))], "optional": False, "repeatable": False}]
COOKING["metadata"] = {"uuid": "tw-cook-1", "walkthrough": [
    "take carrot", "take knife", "slice carrot with knife", "cook carrot with stove", "prepare meal", "eat meal"]}


def test_cooking_recipe_and_burning(tmp_path):
    story = load_story(write(tmp_path, COOKING))
    assert story.recipe.ingredients[0].cooking == "fried" and story.item("stove_0").heat == "fried"
    engine, results = play(story, ["eat carrot", "take carrot", "prepare meal", "dice carrot with counter",
                                   "take knife", "slice carrot with knife", "slice carrot with knife",
                                   "cook carrot with oven", "prepare meal"])
    assert [r.refused for r in results] == [True, False, True, True, False, False, True, False, True]
    assert engine.state.food["f_0"].cooking == "roasted"  # roasted, the recipe wants it fried
    burned, _ = play(story, ["take carrot", "cook carrot with stove", "cook carrot with stove"])
    assert burned.state.food["f_0"].burned and burned.state.outcome == "lost"
    won, _ = play(story, story.walkthrough)
    assert won.state.outcome == "won" and str(won.state.items["f_0"]) == "nowhere"


@pytest.mark.parametrize("mutate, expected", [
    (lambda g: g["world"].append(fact("glowing", "f_0")), "glowing(f_0) is not supported"),
    (lambda g: g["infos"].append(entity("x_0", "portal", "portal")), "entity type 'portal' is not supported"),
    (lambda g: g.update(version=2), "TextWorld game format 2"),
    (lambda g: g["infos"].__setitem__(9, entity("f_0", "f", "inventory")), "is a command word"),
    (lambda g: g["quests"].__setitem__(0, {**g["quests"][0], "win_events": [trigger(fact("glowing", "f_0"))]}),
     "the goal fact glowing(f_0) cannot be represented"),
    (lambda g: g["world"].remove(fact("link", "r_1", "d_0", "r_0")), "neither free() nor link() connects them"),
    (lambda g: g.update(quests=[]), "no quest can be completed"),
])
def test_bad_games_get_one_clear_error_naming_the_fact(tmp_path, mutate, expected):
    game = copy.deepcopy(GAME)
    mutate(game)
    with pytest.raises(TextWorldImportError) as caught:
        load_story(write(tmp_path, game))
    assert expected in str(caught.value) and "game.json" in str(caught.value)


def test_truncated_json_and_an_unreachable_win(tmp_path):
    path = tmp_path / "cut.json"
    path.write_text(json.dumps(GAME)[:500])
    with pytest.raises(StoryInvalid, match="cut.json.*does not parse"):
        load_story(path)
    game = copy.deepcopy(GAME)  # the study is no longer connected: the desk cannot be reached
    game["world"] = [f for f in game["world"] if f["name"] not in ("east_of", "link", "locked", "match")]
    game["infos"] = [e for e in game["infos"] if e[0] != "d_0"]
    with pytest.raises(StoryInvalid, match="the win is unreachable"):
        load_story(write(tmp_path, game))


@pytest.mark.anyio
@pytest.mark.timeout(120)
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.slow
async def test_the_terminal_ui_plays_an_imported_game_to_the_win(tmp_path, anyio_backend):
    from agent.scripted import ScriptedBackend
    from game.tui.app import AdventureApp
    from tests.tui_support import PROSE, SIZE, settle

    path = write(tmp_path, GAME)
    app = AdventureApp(str(path), ScriptedBackend([PROSE]), save_path=tmp_path / "game.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for command in GAME["metadata"]["walkthrough"]:
            await pilot.press(*command, "enter")
            await settle(pilot)
        state = app.controller.session.state
        assert state.outcome == "won" and state.score == 3 and state.location == "r_1"


def test_names_holding_separator_words_and_apostrophes_parse(tmp_path):
    game = copy.deepcopy(GAME)
    game["infos"][9] = entity("f_0", "f", "shut off apple")  # 'off' as in "take X off Y"
    game["infos"][8] = entity("k_0", "k", "Henderson's key for doors")  # an apostrophe and 'for'
    game["metadata"]["walkthrough"] = [c.replace("iron key", "Henderson's key for doors")
                                       .replace("apple", "shut off apple") for c in GAME["metadata"]["walkthrough"]]
    story = load_story(write(tmp_path, game))
    engine, results = play(story, ["take shut off apple off table", "open chest",
                                   "take henderson's key for doors from chest"])
    assert not any(r.refused for r in results)
    assert {"f_0", "k_0"} <= {i for i, p in engine.state.items.items() if str(p) == "player"}
    put = parse(story, engine.state, "put henderson's key for doors on table")
    assert put.action.obj == "k_0" and put.action.target == "s_0" and put.action.text == "on"


def test_an_imported_game_is_validated_as_data_with_problems_naming_the_file_and_entity(tmp_path):
    """No YAML in between: a problem names the TextWorld file and the entity's id, not a line of hidden text."""
    game = copy.deepcopy(GAME)
    game["world"] = [fact("in", "k_0", "s_9") if f == fact("in", "k_0", "c_0") else f for f in game["world"]]
    path = write(tmp_path, game)
    with pytest.raises(StoryInvalid) as caught:
        load_story(path)
    located = [p for p in caught.value.problems if p.field == "items.k_0.location"]
    assert len(located) == 1 and located[0].file == str(path) and "s_9" in located[0].message
