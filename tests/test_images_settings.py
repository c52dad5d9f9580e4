"""Settings for every story: TextWorld's room names map onto fitting settings, the bundled story's rooms keep theirs,
every setting has a background, and a model trained before a setting existed gets the closest one it knows."""
from __future__ import annotations

import copy

import numpy as np
import pytest

from game.images import backgrounds
from game.images.dataset import SceneSampler, held_out_pairs
from game.images.scene_prompt import scene_prompt, setting_of
from game.images.vocabulary import (
    FALLBACK,
    LEGACY_OBJECTS,
    LEGACY_SETTINGS,
    SETTING_NAMES,
    TIME_NAMES,
    caption,
)
from game.stories.loader import load_story, parse_story_text, resolve_story_path
from game.textworld.importer import story_yaml_from_textworld
from game.world.model import Room
from game.world.state import initial_state

TEXTWORLD_ROOMS = [  # room name as TextWorld's grammars and challenges write it -> setting
    ("Kitchen", "kitchen"), ("chilly kitchen", "kitchen"), ("kitchenette", "kitchen"), ("cookhouse", "kitchen"),
    ("cookery", "kitchen"), ("scullery", "kitchen"), ("pantry", "kitchen"), ("canteen", "kitchen"),
    ("dish-pit", "kitchen"), ("Bedroom", "bedroom"), ("bedchamber", "bedroom"), ("spare room", "bedroom"),
    ("Bathroom", "bathroom"), ("washroom", "bathroom"), ("restroom", "bathroom"), ("steamy shower", "bathroom"),
    ("sauna", "bathroom"), ("steam room", "bathroom"), ("launderette", "bathroom"), ("laundry place", "bathroom"),
    ("cellar", "cellar"), ("basement", "cellar"), ("attic", "attic"), ("Corridor", "corridor"),
    ("hallway", "corridor"), ("office", "office"), ("study", "office"), ("studio", "office"),
    ("library", "library"), ("Supermarket", "shop"), ("shop", "shop"), ("bar", "shop"), ("Shed", "workshop"),
    ("garage", "workshop"), ("workshop", "workshop"), ("Livingroom", "house"), ("lounge", "house"),
    ("parlor", "house"), ("salon", "house"), ("playroom", "house"), ("recreation zone", "house"),
    ("Garden", "garden"), ("Backyard", "garden"), ("forest", "forest"), ("beach", "shore"), ("Street", "street"),
    ("Driveway", "street"), ("closet", "room"), ("cupboard", "room"), ("cubicle", "room"), ("room", "room"),
    ("vault", "cave"), ("chamber", "temple"), ("meadow", "field"),
]
BUNDLED = {"village_square": "village", "bazaar": "bazaar", "oasis_pool": "oasis", "elder_house": "house",
           "stables": "stables", "desert_path": "desert", "sinking_sands": "dunes", "ruins_gatehouse": "ruins",
           "hall_of_winds": "temple", "whispering_gallery": "temple", "granary": "temple", "sky_terrace": "terrace",
           "dark_stair": "cave", "ember_vault": "cave", "sanctum": "temple"}


def _room(name: str, description: str = "You are here.") -> Room:
    return Room(id="r_0", name=name.title() if name.islower() else name, description=description)


@pytest.mark.parametrize("name, setting", TEXTWORLD_ROOMS)
def test_textworld_room_names_map_to_fitting_settings(name, setting):
    assert setting_of(_room(name)) == setting


def test_unknown_rooms_are_a_plain_room_or_a_field_never_the_desert():
    assert setting_of(_room("Xyzzy", "A bare place with four walls.")) == "room"
    assert setting_of(_room("Misty Moor", "Wind bends the grass and a lone tree.")) == "field"
    # "path" in a description is not enough for a desert (TextWorld writes about paths everywhere)
    assert setting_of(_room("Nook", "A path of tiles leads nowhere.")) == "room"
    assert setting_of(_room("Inner Sanctum")) == "temple"  # "inn" is a whole word only


def test_bundled_story_rooms_keep_their_settings():
    story = load_story(resolve_story_path(None), check_walkthrough=False)
    assert {room.id: setting_of(room) for room in story.rooms} == BUNDLED


def test_an_imported_textworld_game_is_drawn_as_its_rooms(tmp_path):
    import json

    from tests.test_textworld_import import GAME

    game = copy.deepcopy(GAME)
    for entry in game["infos"]:
        if entry[0] == "r_0":
            entry[1]["name"] = "chilly kitchen"
        if entry[0] == "r_1":
            entry[1]["name"] = "spare room"
    (tmp_path / "game.json").write_text(json.dumps(game))
    story = parse_story_text(story_yaml_from_textworld(tmp_path / "game.json"), "tw.yaml")
    assert [setting_of(room) for room in story.rooms] == ["kitchen", "bedroom"]
    scene = scene_prompt(story, initial_state(story))
    assert scene.setting == "kitchen" and "in a kitchen" in scene.caption
    # the first bundled model never saw a kitchen: it is asked for the closest setting it knows
    assert scene.caption_for(LEGACY_SETTINGS) == scene.caption.replace("in a kitchen", "in a house")
    assert scene.caption_for(SETTING_NAMES) == scene.caption


def test_every_setting_has_a_background_that_differs_from_the_others():
    assert set(FALLBACK) == set(SETTING_NAMES) - set(LEGACY_SETTINGS)
    means = {}
    for setting in SETTING_NAMES:
        for size in (32, 64):
            for time in TIME_NAMES:
                img = backgrounds.draw(setting, time, size, np.random.default_rng(0))
                assert img.shape == (size, size, 3) and img.dtype == np.float32
                assert 0 <= img.min() and img.max() <= 1
        means[setting] = backgrounds.draw(setting, "day", 32, np.random.default_rng(0))
    for a in SETTING_NAMES:
        for b in SETTING_NAMES:
            if a < b:
                assert np.abs(means[a] - means[b]).mean() > 0.03, (a, b)
    with pytest.raises(KeyError):
        backgrounds.draw("moonbase", "day", 32, np.random.default_rng(0))


def test_legacy_held_out_pairs_are_unchanged_and_new_settings_get_their_own():
    held = held_out_pairs(0)
    rng = np.random.default_rng([0, 7])  # how the pairs were drawn before the vocabulary grew
    pairs = [(s, o) for s in LEGACY_SETTINGS for o in LEGACY_OBJECTS]
    before = {pairs[i] for i in rng.permutation(len(pairs))[:int(len(pairs) * 0.15)]}
    assert {p for p in held if p[0] in LEGACY_SETTINGS and p[1] in LEGACY_OBJECTS} == before and len(before) == 42
    assert any(p[0] == "kitchen" for p in held)
    legacy = SceneSampler(32, 0, settings=LEGACY_SETTINGS).batch(64, 0)
    assert {s.setting for s in legacy} <= set(LEGACY_SETTINGS)
    assert {s.setting for s in SceneSampler(32, 0).batch(200, 0)} - set(LEGACY_SETTINGS)
    with pytest.raises(ValueError, match="unknown settings"):
        SceneSampler(32, 0, settings=["moonbase"])
    assert caption("kitchen", "night", ["candle"]) == "a candle in a kitchen at night"
