"""Captioned training scenes: a procedural background plus none, one or two OpenMoji sprites.

`SceneSampler(size, seed).batch(n, step)` is deterministic in (seed, step), so a
resumed training run sees exactly the images an uninterrupted one would have.
Some (setting, main object) pairs are held out of training entirely
(`held_out_pairs`), so evaluation can ask for combinations the model never saw.

What a sampler draws is its *data*: the settings, the objects, the share of
empty scenes ("nothing in a kitchen at dusk", `EMPTY_SHARE`) and the version of
the backgrounds (`backgrounds.VERSION`). A model records them in its
training.json and a judge in its judge.json; `data_spec(record)` reads such a
record, and a record from before these keys existed means the shipped model's
data (`LEGACY_DATA`: the 26 legacy objects, no empty scenes, backgrounds 1),
which a sampler given exactly that reproduces image for image.

Deliberately left out: a stored dataset. Scenes are composed on the fly
(about 1 ms each); `adventure images dataset` writes a sample to disk for
people to look at.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.images import backgrounds, sprites
from game.images.vocabulary import (
    HOUSEHOLD_OBJECTS,
    LEGACY_OBJECTS,
    LEGACY_SETTINGS,
    OBJECT_NAMES,
    SETTING_NAMES,
    TIME_NAMES,
    caption,
)

HELD_OUT_SHARE = 0.15
SECOND_OBJECT_P = 0.35
EMPTY_SHARE = 0.1  # scenes with no sprite at all, for models from backgrounds 2 on
LEGACY_DATA = {"objects": list(LEGACY_OBJECTS), "empty_share": 0.0, "backgrounds": 1}


def data_spec(record: dict) -> dict:
    """settings, objects, empty_share and backgrounds of a training.json / judge.json / checkpoint config; what a
    record lacks is what the shipped model was trained on (its 27 settings are recorded, older ones: the legacy 11)."""
    spec = {"settings": list(record.get("settings") or LEGACY_SETTINGS)}
    for key, legacy in LEGACY_DATA.items():
        value = record.get(key)
        spec[key] = (list(value) if isinstance(value, list) else value) if value is not None else legacy
    return spec


def held_out_pairs(seed: int = 0) -> set[tuple[str, str]]:
    """(setting, object) pairs never drawn together in training; fixed by the vocabulary and seed.

    Each group of pairs is drawn from its own generator, so the vocabulary can grow without moving any pair
    of an older group: the legacy settings × legacy objects exactly as the first bundled model had them (stream
    7), the newer settings × legacy objects as the shipped model had them (stream 8), and every setting × the
    household objects (stream 9).
    """
    newer = [s for s in SETTING_NAMES if s not in LEGACY_SETTINGS]
    groups = ((LEGACY_SETTINGS, LEGACY_OBJECTS, 7), (newer, LEGACY_OBJECTS, 8), (SETTING_NAMES, HOUSEHOLD_OBJECTS, 9))
    held = set()
    for settings, objects, stream in groups:
        rng = np.random.default_rng([seed, stream])
        pairs = [(s, o) for s in settings for o in objects]
        order = rng.permutation(len(pairs))
        held |= {pairs[i] for i in order[: int(len(pairs) * HELD_OUT_SHARE)]}
    return held


@dataclass
class Scene:
    image: np.ndarray  # (size, size, 3) float32 in [0, 1]
    caption: str
    setting: str
    time: str
    objects: list[str]  # empty for an empty scene


def compose(setting: str, time: str, objects: list[str], size: int, rng: np.random.Generator,
            backgrounds_version: int = backgrounds.VERSION) -> Scene:
    img = backgrounds.draw(setting, time, size, rng, version=backgrounds_version)
    for i, name in enumerate(objects):
        side = int(size * (rng.uniform(0.45, 0.6) if i == 0 else rng.uniform(0.28, 0.38)))
        x = int(rng.integers(0, size - side + 1))
        y = int(rng.integers(size // 4, size - side + 1))
        sprites.paste(img, name, side, x, y)
    if time == "night" and setting not in ("cave",):
        img *= 0.8
    return Scene(np.clip(img, 0, 1), caption(setting, time, objects), setting, time, list(objects))


class SceneSampler:
    def __init__(self, size: int = 32, seed: int = 0, split: str = "train", settings=None, objects=None,
                 empty_share: float = EMPTY_SHARE, backgrounds_version: int = backgrounds.VERSION) -> None:
        """`settings`, `objects`: those to draw (default: the whole vocabulary); `empty_share`: the share of scenes
        with no object (never in the held-out split); `backgrounds_version`: see `backgrounds.VERSION`."""
        if split not in ("train", "held_out", "all"):
            raise ValueError(f"split must be 'train', 'held_out' or 'all', not {split!r}")
        self.size, self.seed, self.split = size, seed, split
        self.settings = list(settings) if settings else list(SETTING_NAMES)
        self.objects = list(objects) if objects else list(OBJECT_NAMES)
        if unknown := set(self.settings) - set(SETTING_NAMES):
            raise ValueError(f"unknown settings {sorted(unknown)}")
        if unknown := set(self.objects) - set(OBJECT_NAMES):
            raise ValueError(f"unknown objects {sorted(unknown)}")
        if not 0 <= empty_share < 1:
            raise ValueError(f"empty_share must be in [0, 1), not {empty_share}")
        self.empty_share = 0.0 if split == "held_out" else float(empty_share)
        self.backgrounds_version = backgrounds.check_version(backgrounds_version)
        self.held_out = held_out_pairs(seed)

    def _allowed(self, setting: str, objects: list[str]) -> bool:
        if self.split == "all":
            return True
        touches = any((setting, o) in self.held_out for o in objects)
        if self.split == "train":
            return not touches
        return (setting, objects[0]) in self.held_out

    def draw(self, rng: np.random.Generator) -> Scene:
        names = self.objects
        while True:
            setting = self.settings[rng.integers(len(self.settings))]
            time = TIME_NAMES[rng.integers(len(TIME_NAMES))]
            if self.empty_share and rng.random() < self.empty_share:  # no draw at all when 0: legacy streams
                return compose(setting, time, [], self.size, rng, self.backgrounds_version)
            objects = [names[rng.integers(len(names))]]
            if rng.random() < SECOND_OBJECT_P:
                second = names[rng.integers(len(names))]
                if second != objects[0]:
                    objects.append(second)
            if self._allowed(setting, objects):
                return compose(setting, time, objects, self.size, rng, self.backgrounds_version)

    def batch(self, n: int, step: int) -> list[Scene]:
        rng = np.random.default_rng([self.seed, step, ("train", "held_out", "all").index(self.split)])
        return [self.draw(rng) for _ in range(n)]


def sampler_for(spec: dict, size: int, seed: int, split: str = "train", settings: bool = True) -> SceneSampler:
    """A sampler of a `data_spec` (its settings too unless `settings` is False: then the whole vocabulary's)."""
    return SceneSampler(size, seed, split, settings=spec["settings"] if settings else None, objects=spec["objects"],
                        empty_share=spec["empty_share"], backgrounds_version=spec["backgrounds"])
