"""The scene model's data as it grew: household objects, empty scenes, backgrounds version 2 — without moving a held-out
pair of the shipped model, and with its own data still reproducible image for image (`dataset.LEGACY_DATA`)."""
from __future__ import annotations

import hashlib
import json
from types import SimpleNamespace

import numpy as np
import pytest

from game.images import backgrounds, sprites
from game.images.backgrounds_v2 import DRAW_V2
from game.images.dataset import (
    EMPTY_SHARE,
    LEGACY_DATA,
    SceneSampler,
    compose,
    data_spec,
    held_out_pairs,
)
from game.images.scene_prompt import ScenePrompt, object_of
from game.images.vocabulary import (
    HOUSEHOLD_OBJECTS,
    LEGACY_OBJECTS,
    LEGACY_SETTINGS,
    OBJECT_NAMES,
    SETTING_NAMES,
    TIME_NAMES,
    caption,
)

SHIPPED_HELD_OUT_SHA = "28c6013d4c85c6ee"  # sorted held-out pairs of 27 settings x 26 objects, before the objects grew
# SceneSampler(64, 0, split).batch(12, 3) as the shipped model's code drew it: captions' digest, sum of all pixels
SHIPPED_SCENES = {"train": ("6c2a5051f89eaf98", 54957.369188963174),
                  "held_out": ("686b7d4ac02c214d", 53407.52159442613),
                  "all": ("8e3e4ceadd56bead", 56518.5782103829)}


def _digest(obj) -> str:
    return hashlib.sha256(json.dumps(obj).encode()).hexdigest()[:16]


def test_the_shipped_models_held_out_pairs_stay_held_out_and_its_trained_pairs_trained():
    held = held_out_pairs(0)
    old = {p for p in held if p[1] in LEGACY_OBJECTS}
    assert len(old) == 104 and _digest(sorted(old)) == SHIPPED_HELD_OUT_SHA
    rebuilt = set()  # the code as it was: two streams over the 26 objects
    newer = [s for s in SETTING_NAMES if s not in LEGACY_SETTINGS]
    for group, stream in ((LEGACY_SETTINGS, 7), (newer, 8)):
        pairs = [(s, o) for s in group for o in LEGACY_OBJECTS]
        order = np.random.default_rng([0, stream]).permutation(len(pairs))
        rebuilt |= {pairs[i] for i in order[:int(len(pairs) * 0.15)]}
    assert old == rebuilt  # so every pair it trained on is still a training pair too
    new = held - old
    assert all(o in HOUSEHOLD_OBJECTS for _, o in new) and len(new) == int(27 * len(HOUSEHOLD_OBJECTS) * 0.15)
    assert held_out_pairs(1) != held  # still a function of the seed


@pytest.mark.parametrize("split", ["train", "held_out", "all"])
def test_the_shipped_models_data_is_reproduced_image_for_image(split):
    scenes = SceneSampler(64, 0, split, objects=LEGACY_DATA["objects"], empty_share=LEGACY_DATA["empty_share"],
                          backgrounds_version=LEGACY_DATA["backgrounds"]).batch(12, 3)
    digest, total = SHIPPED_SCENES[split]
    assert _digest([s.caption for s in scenes]) == digest
    assert float(sum(s.image.astype(np.float64).sum() for s in scenes)) == pytest.approx(total, abs=1e-2)


def test_a_record_without_data_keys_means_the_shipped_models_data():
    assert data_spec({"settings": list(SETTING_NAMES)}) == {"settings": list(SETTING_NAMES), **LEGACY_DATA}
    assert data_spec({})["settings"] == LEGACY_SETTINGS
    new = data_spec({"settings": ["kitchen"], "objects": OBJECT_NAMES, "empty_share": 0.1, "backgrounds": 2})
    assert new == {"settings": ["kitchen"], "objects": OBJECT_NAMES, "empty_share": 0.1, "backgrounds": 2}


def test_empty_scenes_are_a_tenth_of_training_and_never_held_out():
    scenes = SceneSampler(32, 0).batch(500, 0)
    empty = [s for s in scenes if not s.objects]
    assert abs(len(empty) / len(scenes) - EMPTY_SHARE) < 0.04
    assert all(s.caption == caption(s.setting, s.time, []) and s.caption.startswith("nothing ") for s in empty)
    assert {o for s in scenes for o in s.objects} & set(HOUSEHOLD_OBJECTS)
    assert all(s.objects for s in SceneSampler(32, 0, "held_out").batch(100, 0))
    assert all(s.objects for s in SceneSampler(32, 0, empty_share=0).batch(100, 0))
    bare = compose("kitchen", "dusk", [], 32, np.random.default_rng(1))
    assert bare.caption == "nothing in a kitchen at dusk"
    with pytest.raises(ValueError, match="unknown objects"):
        SceneSampler(32, 0, objects=["spaceship"])
    with pytest.raises(ValueError, match="backgrounds version"):
        SceneSampler(32, 0, backgrounds_version=9)


def test_household_objects_have_sprites_and_read_well_in_captions():
    assert len(HOUSEHOLD_OBJECTS) == 16 and OBJECT_NAMES[:26] == LEGACY_OBJECTS
    for name in HOUSEHOLD_OBJECTS:
        rgba = sprites.sprite(name, 16)
        assert rgba.shape == (16, 16, 4) and rgba[..., 3].max() > 0.9, name
    assert caption("kitchen", "day", ["apple", "knife"]) == "an apple and a knife in a kitchen by day"
    assert caption("kitchen", "night", ["milk"]) == "milk in a kitchen at night"
    # the shipped model's captions do not change
    assert caption("oasis", "dusk", ["coins", "fire"]) == "coins and a fire at an oasis at dusk"
    assert caption("cave", "dawn", ["old man", "water"]) == "an old man and water in a dark cave at dawn"


TEXTWORLD_THINGS = {"red apple": "apple", "fridge": "cabinet", "refrigerator": "cabinet", "kitchen knife": "knife",
                    "stove": "frying pan", "oven": "frying pan", "BBQ": "frying pan", "yellow bell pepper": "pepper",
                    "red hot pepper": "pepper", "purple potato": "potato", "carrot": "carrot",
                    "block of cheese": "cheese", "milk": "milk", "chicken wing": "chicken leg",
                    "pork chop": "chicken leg", "cookbook": "book", "bookshelf": "book", "sofa": "sofa",
                    "couch": "sofa", "bed": "bed", "patio chair": "chair", "armchair": "chair",
                    "wooden door": "door", "shelf": "cabinet", "chest of drawers": "cabinet", "toolbox": "chest",
                    "workbench": "tools", "counter": None, "table": None}


def test_textworld_things_map_onto_household_objects_and_the_bundled_story_keeps_its_own():
    for name, obj in TEXTWORLD_THINGS.items():
        assert object_of(SimpleNamespace(id="o_1", name=name, aliases=[])) == obj, name
    from game.stories.loader import load_story, resolve_story_path

    story = load_story(resolve_story_path(None), check_walkthrough=False)
    assert [object_of(t) for t in [*story.characters, *story.items]] == [
        "merchant", "old man", "girl", "boy", "camel", "well", "signpost", "lantern", "water", "rope", "bracelet",
        "chest", "key", "stone tablet", "saddlebag", "fire", "signpost", "coins", "mural", "feather", "straw",
        "cloud", "fire", "scroll", "altar"]


def _scene(*candidates: str, setting: str = "kitchen") -> ScenePrompt:
    return ScenePrompt("r_0", "", caption(setting, "day", list(candidates[:2])), setting, "day", candidates,
                       tuple(candidates[:2]), tuple(candidates))


def test_a_model_is_asked_only_for_the_objects_it_knows():
    scene = _scene("apple", "knife", "key")
    assert scene.caption_for(SETTING_NAMES) == "an apple and a knife in a kitchen by day"
    assert scene.caption_for(SETTING_NAMES, OBJECT_NAMES) == scene.caption
    assert scene.caption_for(SETTING_NAMES, LEGACY_OBJECTS) == "a key in a kitchen by day"
    assert scene.caption_for(LEGACY_SETTINGS, LEGACY_OBJECTS) == "a key in a house by day"
    assert _scene("apple").objects_for(LEGACY_OBJECTS) == []


def _generator(tmp_path, record: dict | None):
    from game.images.generator import BundledSceneGenerator

    folder = tmp_path / "model"
    folder.mkdir(parents=True)
    if record is not None:
        (folder / "training.json").write_text(json.dumps(record))
    generator = BundledSceneGenerator(folder)
    generator.prompts = []

    def generate(prompt, seed):  # test double for the model: records what it is asked
        from PIL import Image

        generator.prompts.append(prompt)
        return Image.new("RGB", (128, 128))

    generator.generate = generate
    return generator


def test_a_model_that_learned_empty_scenes_draws_them_and_an_older_one_does_not(tmp_path):
    shipped = _generator(tmp_path / "a", {"settings": SETTING_NAMES})  # the shipped training.json records no data
    picture = shipped.draw_scene(_scene("apple"), seed=3)  # an apple: unknown to it, so nothing it knows
    assert shipped.prompts == [] and not shipped.draws_itself(_scene())
    expected = compose("kitchen", "day", [], 64, np.random.default_rng([3, 7]), backgrounds_version=1).image
    small = np.asarray(picture.resize((64, 64)), np.float32) / 255
    assert np.abs(small - expected).mean() < 0.05  # the background its training pictures had (version 1)
    shipped.draw_scene(_scene("apple", "key"), seed=3)
    assert shipped.prompts == ["a key in a kitchen by day"]
    new = _generator(tmp_path / "b", {"settings": SETTING_NAMES, "objects": OBJECT_NAMES, "empty_share": 0.1,
                                      "backgrounds": 2})
    new.draw_scene(_scene(), seed=3)
    new.draw_scene(_scene("apple", "key"), seed=3)
    assert new.prompts == ["nothing in a kitchen by day", "an apple and a key in a kitchen by day"]


def test_backgrounds_version_2_redraws_only_the_confused_settings():
    assert set(DRAW_V2) == {"desert", "dunes", "ruins", "cave", "workshop", "village", "bazaar"}
    for setting in SETTING_NAMES:
        one = backgrounds.draw(setting, "dusk", 32, np.random.default_rng(4), version=1)
        two = backgrounds.draw(setting, "dusk", 32, np.random.default_rng(4), version=2)
        assert np.array_equal(one, two) == (setting not in DRAW_V2), setting
    for size in (8, 16, 64):  # tiny test sizes draw too
        for setting in DRAW_V2:
            for time in TIME_NAMES:
                img = backgrounds.draw(setting, time, size, np.random.default_rng(0))
                assert img.shape == (size, size, 3) and 0 <= img.min() and img.max() <= 1
    with pytest.raises(ValueError, match="known: 1, 2"):
        backgrounds.draw("cave", "day", 32, np.random.default_rng(0), version=3)


def _setting_accuracy(version: int) -> dict[str, float]:
    """k-nearest neighbours on 8x8-pixel composites (random time and object): only big shapes and colours are left
    at 8x8, as in a blurry generated picture; the share of each redrawn setting's scenes it names right."""
    def coarse(seed: int, count: int) -> tuple[np.ndarray, list[str]]:
        scenes = SceneSampler(64, seed, "all", objects=LEGACY_OBJECTS, empty_share=0,
                              backgrounds_version=version).batch(count, 0)
        return np.stack([s.image.reshape(8, 8, 8, 8, 3).mean((1, 3)).ravel() for s in scenes]), \
            [s.setting for s in scenes]

    known, names = coarse(1, 1350)
    asked, truth = coarse(2, 1350)
    right = {s: [] for s in DRAW_V2}
    for x, setting in zip(asked, truth):
        if setting in right:
            nearest = np.argsort(((known - x) ** 2).sum(1))[:5]
            votes = [names[i] for i in nearest]
            right[setting].append(max(set(votes), key=votes.count) == setting)
    return {s: float(np.mean(v)) for s, v in right.items()}


@pytest.mark.slow
def test_the_redrawn_settings_are_told_apart_by_big_shapes_alone():
    new, old = _setting_accuracy(2), _setting_accuracy(1)
    assert min(new.values()) >= 0.7, new
    assert np.mean(list(new.values())) >= np.mean(list(old.values())) + 0.1, (new, old)
