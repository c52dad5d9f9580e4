"""The strokes every procedural background is drawn with: sky, ground, indoor walls, discs, jittered integers.

Shared by `backgrounds` (the oasis story's settings) and `backgrounds_places` (the common interactive-fiction
places), which both import from here and never from each other. Colours are RGB floats in [0, 1].

Deliberately left out: any one setting's layout (those are in the two modules above).
"""
from __future__ import annotations

import numpy as np

SKY = {  # time -> (top colour, horizon colour), RGB in [0, 1]
    "dawn": ((0.45, 0.45, 0.75), (0.98, 0.70, 0.55)),
    "day": ((0.25, 0.55, 0.95), (0.70, 0.85, 1.00)),
    "dusk": ((0.35, 0.20, 0.45), (0.98, 0.50, 0.20)),
    "night": ((0.02, 0.03, 0.12), (0.10, 0.12, 0.30)),
}
LIGHT = {"dawn": 0.85, "day": 1.0, "dusk": 0.7, "night": 0.35}
INDOOR_TINT = {"dawn": (1.0, 0.9, 0.85), "day": (1.0, 1.0, 1.0), "dusk": (1.0, 0.8, 0.6), "night": (0.5, 0.55, 0.9)}


def rand_int(rng: np.random.Generator, low: int, high: int) -> int:
    """rng.integers that tolerates the empty ranges of very small images."""
    return int(rng.integers(low, max(high, low + 1)))


def rgb(c) -> np.ndarray:
    return np.asarray(c, dtype=np.float32)


def paint_sky(img, time, horizon, rng) -> None:
    top, low = rgb(SKY[time][0]), rgb(SKY[time][1])
    for y in range(horizon):
        t = y / max(horizon - 1, 1)
        img[y] = top * (1 - t) + low * t
    s = img.shape[0]
    if time == "night":
        for _ in range(rand_int(rng, 3, 8)):
            img[rand_int(rng, 0, max(horizon - 1, 1)), rand_int(rng, 0, s)] = (1.0, 1.0, 0.9)
        paint_disc(img, rand_int(rng, s // 8, s - s // 8), s // 8, s // 12 + 1, (0.95, 0.95, 0.85))
    elif time in ("dawn", "dusk"):
        paint_disc(img, rand_int(rng, s // 8, s - s // 8), horizon - 1, s // 8, (1.0, 0.6, 0.2))
    else:
        paint_disc(img, rand_int(rng, s // 8, s - s // 8), s // 8, s // 10 + 1, (1.0, 0.95, 0.6))


def paint_disc(img, cx, cy, r, colour, sx=1.0) -> None:
    s, r = img.shape[0], max(r, 1)
    yy, xx = np.mgrid[0:s, 0:s]
    mask = ((xx - cx) / (r * sx)) ** 2 + ((yy - cy) / r) ** 2 <= 1.0
    img[mask] = rgb(colour)


def paint_ground(img, horizon, colour, light, rng, noise=0.04) -> None:
    s = img.shape[0]
    base = rgb(colour) * light
    img[horizon:] = base + rng.normal(0, noise, (s - horizon, s, 1)).astype(np.float32)


def paint_indoor(img, wall, floor, time, rng, floor_at=0.65) -> int:
    s = img.shape[0]
    tint = rgb(INDOOR_TINT[time]) * (0.6 + 0.4 * LIGHT[time])
    line = int(s * floor_at) + int(rand_int(rng, -1, 2))
    img[:line] = rgb(wall) * tint
    img[line:] = rgb(floor) * tint
    return line
