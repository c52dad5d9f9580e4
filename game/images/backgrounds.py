"""Procedural backgrounds: one drawing per setting, lit and coloured by the time of day.

Every drawing is a few numpy strokes (gradients, bands, blocks, ellipses) with
random jitter from the caller's generator, so no two training images are the
same but each setting keeps a recognisable layout and palette.

The common interactive-fiction places (kitchen, bedroom, shore, …) are drawn
in `backgrounds_places`, in the same style; both draw with the strokes of `strokes`.

The drawings are versioned (`VERSION`, the newest; `VERSIONS`): version 1 is what
the shipped model and judge were trained on; version 2 redraws seven settings the
model confused (`backgrounds_v2`). A model and a judge record the version they
were made with, and `adventure images eval` refuses to mix them.

Deliberately left out: perspective, textures finer than a pixel at 32×32, and
weather.
"""
from __future__ import annotations

import numpy as np

from game.images.backgrounds_places import DRAW
from game.images.backgrounds_v2 import DRAW_V2
from game.images.strokes import LIGHT, SKY, paint_disc, paint_ground, paint_indoor, paint_sky, rand_int, rgb

VERSION = 2
VERSIONS = (1, 2)


def check_version(version: int) -> int:
    if version not in VERSIONS:
        raise ValueError(f"backgrounds version {version!r} does not exist (known: {', '.join(map(str, VERSIONS))})")
    return int(version)


def draw(setting: str, time: str, size: int, rng: np.random.Generator, version: int = VERSION) -> np.ndarray:
    """An (size, size, 3) float32 image of the setting at the time of day, as backgrounds `version` draws it."""
    s, light = size, LIGHT[time]
    img = np.zeros((s, s, 3), np.float32)
    if check_version(version) >= 2 and setting in DRAW_V2:
        DRAW_V2[setting](img, time, rng)
        return np.clip(img, 0.0, 1.0)
    horizon = int(s * rng.uniform(0.4, 0.55))
    if setting in ("desert", "dunes", "oasis", "village", "bazaar", "ruins", "terrace"):
        paint_sky(img, time, horizon if setting != "terrace" else int(s * 0.75), rng)
    if setting == "desert":
        paint_ground(img, horizon, (0.93, 0.78, 0.50), light, rng)
    elif setting == "dunes":
        paint_ground(img, horizon, (0.90, 0.70, 0.40), light, rng)
        xs = np.arange(s)
        for k in range(3):
            phase, amp = rng.uniform(0, 6.3), s * 0.06
            crest = (horizon + k * s * 0.15 + amp * np.sin(xs / s * 6.3 + phase)).astype(int)
            for x in xs:
                img[np.clip(crest[x], 0, s - 1):, x] *= 0.85
    elif setting == "oasis":
        paint_ground(img, horizon, (0.90, 0.78, 0.52), light, rng)
        paint_disc(img, s // 2 + rand_int(rng, -s // 8, s // 8), int(s * 0.78), s // 6,
                   np.array((0.15, 0.45, 0.75)) * light, sx=2.2)
        for _ in range(3):
            paint_disc(img, rand_int(rng, 0, s), horizon + rand_int(rng, 0, s // 6), s // 10,
                  np.array((0.2, 0.6, 0.2)) * light, sx=1.5)
    elif setting in ("village", "bazaar"):
        paint_ground(img, horizon, (0.80, 0.72, 0.58), light, rng)
        x = int(rand_int(rng, -s // 8, 0))
        while x < s:
            w, h = int(rand_int(rng, s // 6, s // 3)), int(rand_int(rng, s // 6, s // 3))
            colour = np.array((0.88, 0.80, 0.65) if setting == "village" else (0.75, 0.55, 0.35)) * light
            img[max(horizon - h, 0):horizon + 2, max(x, 0):x + w] = colour
            if setting == "village":
                door = slice(x + w // 3, x + w // 3 + max(w // 4, 1))
                img[horizon - h // 2:horizon + 2, door] = np.array((0.3, 0.2, 0.1)) * light
            else:  # striped awning
                for i in range(max(x, 0), min(x + w, s)):
                    stripe = (0.85, 0.15, 0.15) if (i // max(s // 16, 1)) % 2 else (0.95, 0.95, 0.9)
                    img[max(horizon - h - s // 16, 0):max(horizon - h + s // 16, 1), i] = np.array(stripe) * light
            x += w + int(rand_int(rng, 1, s // 8))
    elif setting == "stables":
        line = paint_indoor(img, (0.50, 0.32, 0.18), (0.85, 0.75, 0.35), time, rng)
        for x in range(0, s, max(s // 8, 2)):
            img[:line, x] *= 0.7
        img[line:] += rng.normal(0, 0.06, (s - line, s, 1)).astype(np.float32)
    elif setting == "house":
        line = paint_indoor(img, (0.90, 0.80, 0.62), (0.65, 0.20, 0.18), time, rng)
        wx = int(rand_int(rng, s // 8, s // 2))
        img[s // 6:s // 6 + s // 4, wx:wx + s // 4] = rgb(SKY[time][1])
        img[line + 2::3, :] *= 0.8  # rug stripes
    elif setting == "ruins":
        paint_ground(img, horizon, (0.85, 0.72, 0.50), light, rng)
        for _ in range(int(rand_int(rng, 2, 5))):
            x, w = int(rand_int(rng, 0, s - s // 10)), max(s // 10, 2)
            h = int(rand_int(rng, s // 6, s // 2))
            img[max(horizon - h, 0):horizon + 3, x:x + w] = np.array((0.62, 0.60, 0.56)) * light
    elif setting == "temple":
        line = paint_indoor(img, (0.72, 0.66, 0.55), (0.55, 0.50, 0.45), time, rng, floor_at=0.7)
        for x in range(s // 10, s, max(s // 4, 1)):
            img[:line, x:x + max(s // 12, 2)] = np.array((0.85, 0.80, 0.70)) * (0.6 + 0.4 * LIGHT[time])
        img[line:, ::4] *= 0.85
    elif setting == "cave":
        img[:] = (0.16, 0.12, 0.10)
        img += rng.normal(0, 0.05, img.shape).astype(np.float32)
        paint_disc(img, s // 2 + rand_int(rng, -s // 6, s // 6), s // 2, s // 3, (0.05, 0.04, 0.04), sx=0.8)
    elif setting == "terrace":
        line = int(s * 0.75)
        img[line:] = np.array((0.80, 0.74, 0.64)) * light
        for x in range(0, s, max(s // 8, 2)):
            img[line - s // 10:line, x:x + max(s // 16, 1)] = np.array((0.85, 0.80, 0.70)) * light
        if time != "night":
            for _ in range(2):
                cloud_x, cloud_y = rand_int(rng, 0, s), rand_int(rng, s // 8, s // 3)
                paint_disc(img, cloud_x, cloud_y, s // 12 + 1, (0.97, 0.97, 0.97), sx=2.5)
    else:
        if setting not in DRAW:
            raise KeyError(f"unknown setting {setting!r}")
        DRAW[setting](img, time, rng)
    return np.clip(img, 0.0, 1.0)
