"""Captioned training scenes: a procedural background plus one or two OpenMoji sprites.

`SceneSampler(size, seed).batch(n, step)` is deterministic in (seed, step), so a
resumed training run sees exactly the images an uninterrupted one would have.
Some (setting, main object) pairs are held out of training entirely
(`held_out_pairs`), so evaluation can ask for combinations the model never saw.

Deliberately left out: a stored dataset. Scenes are composed on the fly
(about 1 ms each); `adventure images dataset` writes a sample to disk for
people to look at.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.images import backgrounds, sprites
from game.images.vocabulary import (
    LEGACY_SETTINGS,
    OBJECT_NAMES,
    SETTING_NAMES,
    TIME_NAMES,
    caption,
)

HELD_OUT_SHARE = 0.15
SECOND_OBJECT_P = 0.35


def held_out_pairs(seed: int = 0) -> set[tuple[str, str]]:
    """(setting, object) pairs never drawn together in training; fixed by the vocabulary and seed.

    The legacy settings' pairs are drawn exactly as before the vocabulary grew (so the first bundled model's
    held-out pairs stay held out); the newer settings' pairs are drawn from a second generator.
    """
    held = set()
    for group, stream in ((LEGACY_SETTINGS, 7), ([s for s in SETTING_NAMES if s not in LEGACY_SETTINGS], 8)):
        rng = np.random.default_rng([seed, stream])
        pairs = [(s, o) for s in group for o in OBJECT_NAMES]
        order = rng.permutation(len(pairs))
        held |= {pairs[i] for i in order[: int(len(pairs) * HELD_OUT_SHARE)]}
    return held


@dataclass
class Scene:
    image: np.ndarray  # (size, size, 3) float32 in [0, 1]
    caption: str
    setting: str
    time: str
    objects: list[str]


def compose(setting: str, time: str, objects: list[str], size: int, rng: np.random.Generator) -> Scene:
    img = backgrounds.draw(setting, time, size, rng)
    for i, name in enumerate(objects):
        side = int(size * (rng.uniform(0.45, 0.6) if i == 0 else rng.uniform(0.28, 0.38)))
        x = int(rng.integers(0, size - side + 1))
        y = int(rng.integers(size // 4, size - side + 1))
        sprites.paste(img, name, side, x, y)
    if time == "night" and setting not in ("cave",):
        img *= 0.8
    return Scene(np.clip(img, 0, 1), caption(setting, time, objects), setting, time, list(objects))


class SceneSampler:
    def __init__(self, size: int = 32, seed: int = 0, split: str = "train", settings=None) -> None:
        """`settings`: the settings to draw (default: the whole vocabulary)."""
        if split not in ("train", "held_out", "all"):
            raise ValueError(f"split must be 'train', 'held_out' or 'all', not {split!r}")
        self.size, self.seed, self.split = size, seed, split
        self.settings = list(settings) if settings else list(SETTING_NAMES)
        if unknown := set(self.settings) - set(SETTING_NAMES):
            raise ValueError(f"unknown settings {sorted(unknown)}")
        self.held_out = held_out_pairs(seed)

    def _allowed(self, setting: str, objects: list[str]) -> bool:
        if self.split == "all":
            return True
        touches = any((setting, o) in self.held_out for o in objects)
        if self.split == "train":
            return not touches
        return (setting, objects[0]) in self.held_out

    def draw(self, rng: np.random.Generator) -> Scene:
        while True:
            setting = self.settings[rng.integers(len(self.settings))]
            time = TIME_NAMES[rng.integers(len(TIME_NAMES))]
            objects = [OBJECT_NAMES[rng.integers(len(OBJECT_NAMES))]]
            if rng.random() < SECOND_OBJECT_P:
                second = OBJECT_NAMES[rng.integers(len(OBJECT_NAMES))]
                if second != objects[0]:
                    objects.append(second)
            if self._allowed(setting, objects):
                return compose(setting, time, objects, self.size, rng)

    def batch(self, n: int, step: int) -> list[Scene]:
        rng = np.random.default_rng([self.seed, step, ("train", "held_out", "all").index(self.split)])
        return [self.draw(rng) for _ in range(n)]
