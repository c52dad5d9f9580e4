"""Procedural backgrounds for the common interactive-fiction places (kitchen, bedroom, cellar, shore, …).

Same style as `backgrounds`: a few numpy strokes with jitter from the caller's
generator, one recognisable layout and palette per setting, lit by the time of
day (indoor rooms take the lamp tint of `strokes.INDOOR_TINT`, outdoor ones
the sky of `strokes.SKY`). Each drawing is chosen to differ from every other
at 32×32 pixels in at least its palette or its large shapes, so a small judge
can tell them apart.

Deliberately left out: furniture in perspective, people and objects (those are
sprites, placed by `dataset.compose`), and weather.
"""
from __future__ import annotations

import numpy as np

from game.images.strokes import (
    INDOOR_TINT,
    LIGHT,
    paint_disc,
    paint_ground,
    paint_indoor,
    paint_sky,
    rand_int,
    rgb,
)


def _tint(time: str) -> np.ndarray:
    return rgb(INDOOR_TINT[time]) * (0.6 + 0.4 * LIGHT[time])


def _box(img, y0, y1, x0, x1, colour) -> None:
    s = img.shape[0]
    img[max(int(y0), 0):min(int(y1), s), max(int(x0), 0):min(int(x1), s)] = colour


def kitchen(img, time, rng):
    s, t = img.shape[0], _tint(time)
    line = paint_indoor(img, (0.92, 0.92, 0.86), (0.9, 0.9, 0.9), time, rng, floor_at=0.7)
    step = max(s // 8, 2)
    img[:line:step, :] *= 0.8  # wall tiles
    img[:line, ::step] *= 0.8
    yy, xx = np.mgrid[line:s, 0:s]
    img[line:][((yy // step + xx // step) % 2) == 0] = rgb((0.15, 0.15, 0.18)) * t  # chequered floor
    top = line - s // 5 + rand_int(rng, -1, 2)
    _box(img, top, line, 0, s, rgb((0.55, 0.35, 0.2)) * t)  # counter
    _box(img, top, top + max(s // 20, 1), 0, s, rgb((0.3, 0.3, 0.32)) * t)
    x = rand_int(rng, 0, s - s // 4)
    _box(img, s // 8, s // 8 + s // 6, x, x + s // 4, rgb((0.75, 0.78, 0.8)) * t)  # cupboard


def bedroom(img, time, rng):
    s, t = img.shape[0], _tint(time)
    line = paint_indoor(img, (0.62, 0.68, 0.90), (0.55, 0.38, 0.22), time, rng, floor_at=0.62)
    img[line:, ::max(s // 6, 2)] *= 0.8  # floorboards
    x = rand_int(rng, 0, s // 3)
    _box(img, line - s // 8, line + s // 5, x, x + s // 2 + s // 8, rgb((0.97, 0.97, 0.95)) * t)  # bed
    _box(img, line - s // 16, line + s // 5, x + s // 6, x + s // 2 + s // 8, rgb((0.8, 0.15, 0.25)) * t)
    _box(img, line - s // 4, line + s // 5, x - s // 16, x, rgb((0.4, 0.25, 0.12)) * t)  # headboard


def bathroom(img, time, rng):
    s, t = img.shape[0], _tint(time)
    line = paint_indoor(img, (0.55, 0.85, 0.88), (0.95, 0.95, 0.97), time, rng, floor_at=0.66)
    step = max(s // 10, 2)
    img[:line:step, :] *= 0.85
    img[:line, ::step] *= 0.85
    img[line::step, :] *= 0.85
    paint_disc(img, s // 2 + rand_int(rng, -s // 6, s // 6), line, s // 6, rgb((0.99, 0.99, 1.0)) * t, sx=2.2)  # tub
    _box(img, s // 8, s // 8 + s // 5, s - s // 4, s - s // 10, rgb((0.75, 0.85, 0.95)) * t)  # mirror


def cellar(img, time, rng):
    s = img.shape[0]
    base = rgb((0.32, 0.32, 0.34))
    img[:] = base
    brick_h, brick_w = max(s // 8, 2), max(s // 4, 3)
    for row, y in enumerate(range(0, s, brick_h)):
        img[y, :] = base * 0.55
        for x in range((row % 2) * brick_w // 2, s, brick_w):
            img[y:y + brick_h, x] = base * 0.55
    img += rng.normal(0, 0.03, img.shape).astype(np.float32)
    for _ in range(2):  # barrels
        paint_disc(img, rand_int(rng, s // 8, s - s // 8), s - s // 5, s // 7, (0.45, 0.28, 0.12), sx=0.8)
    img *= 0.55 + 0.2 * LIGHT[time]


def attic(img, time, rng):
    s, t = img.shape[0], _tint(time)
    img[:] = rgb((0.62, 0.45, 0.28)) * t
    yy, xx = np.mgrid[0:s, 0:s]
    roof = yy < (s // 2 - np.abs(xx - s // 2))  # the two slopes of the roof, dark timber
    img[roof] = rgb((0.28, 0.18, 0.1)) * t
    for k in range(1, 4):
        img[(yy == s // 2 - np.abs(xx - s // 2) + k * s // 10)] *= 0.7  # rafters
    window = rgb((0.85, 0.85, 0.6)) * (0.4 + 0.6 * LIGHT[time])
    paint_disc(img, s // 2, s // 4 + s // 8, s // 10 + 1, window)  # a round window
    img[int(s * 0.75):, ::max(s // 8, 2)] *= 0.75


def corridor(img, time, rng):
    s, t = img.shape[0], _tint(time)
    img[:] = rgb((0.72, 0.6, 0.45)) * t
    yy, xx = np.mgrid[0:s, 0:s]
    c = s // 2 + rand_int(rng, -s // 10, s // 10)
    far = s // 6
    img[(np.abs(xx - c) < far) & (np.abs(yy - s // 2) < far)] = rgb((0.2, 0.15, 0.12)) * t  # the far end
    floor = yy > s // 2 + np.abs(xx - c) * 0.9
    img[floor] = rgb((0.45, 0.12, 0.12)) * t  # a long red runner
    ceiling = yy < s // 2 - np.abs(xx - c) * 0.9
    img[ceiling] = rgb((0.88, 0.85, 0.78)) * t
    for x in (c - s // 3, c + s // 3 - s // 10):  # side doors
        _box(img, s // 3, s // 2 + s // 6, x, x + s // 10, rgb((0.35, 0.2, 0.1)) * t)


def office(img, time, rng):
    s, t = img.shape[0], _tint(time)
    line = paint_indoor(img, (0.7, 0.74, 0.78), (0.42, 0.44, 0.48), time, rng, floor_at=0.7)
    x = rand_int(rng, 0, s // 3)
    _box(img, line - s // 10, line - s // 10 + max(s // 16, 1), x, x + s // 2 + s // 6, rgb((0.45, 0.3, 0.18)) * t)
    _box(img, line - s // 10, s, x + s // 16, x + s // 8, rgb((0.45, 0.3, 0.18)) * t)  # desk and a leg
    _box(img, line - s // 3, line - s // 8, x + s // 6, x + s // 2, rgb((0.1, 0.1, 0.12)) * t)  # monitor
    _box(img, line - s // 3 + 1, line - s // 8 - 1, x + s // 6 + 1, x + s // 2 - 1, rgb((0.3, 0.6, 0.95)) * t)
    img[s // 10:s // 10 + max(s // 20, 1), :] = rgb((0.95, 0.95, 0.9)) * t  # ceiling light strip


def library(img, time, rng):
    s, t = img.shape[0], _tint(time)
    img[:] = rgb((0.38, 0.22, 0.12)) * t
    shelf = max(s // 5, 3)
    palette = np.array([(0.7, 0.1, 0.1), (0.1, 0.35, 0.15), (0.15, 0.2, 0.55), (0.75, 0.6, 0.2), (0.5, 0.3, 0.5)])
    for y in range(1, int(s * 0.8), shelf):
        x = 0
        while x < s:
            w = rand_int(rng, 1, max(s // 16, 2) + 1)
            h = shelf - 1 - rand_int(rng, 0, max(shelf // 3, 1))
            _box(img, y + shelf - 1 - h, y + shelf - 1, x, x + w, palette[rand_int(rng, 0, len(palette))] * t)
            x += w
        img[min(y + shelf - 1, s - 1), :] = rgb((0.25, 0.14, 0.07)) * t
    img[int(s * 0.8):] = rgb((0.5, 0.12, 0.12)) * t


def shop(img, time, rng):
    s, t = img.shape[0], _tint(time)
    line = paint_indoor(img, (0.55, 0.78, 0.55), (0.78, 0.72, 0.6), time, rng, floor_at=0.72)
    for y in (s // 6, s // 6 + s // 5):  # shelves of goods
        img[y, :] = rgb((0.4, 0.28, 0.15)) * t
        for x in range(rand_int(rng, 0, 3), s, max(s // 10, 2)):
            colour = rng.uniform(0.2, 1.0, 3).astype(np.float32)
            _box(img, y - max(s // 12, 1), y, x, x + max(s // 16, 1), colour * t)
    _box(img, line - s // 6, line + s // 10, 0, s, rgb((0.6, 0.42, 0.25)) * t)  # counter
    for i in range(0, s, max(s // 8, 2)):  # striped counter front
        _box(img, line - s // 6 + max(s // 16, 1), line + s // 10, i, i + max(s // 16, 1),
             rgb((0.95, 0.9, 0.8)) * t)


def workshop(img, time, rng):
    s, t = img.shape[0], _tint(time)
    line = paint_indoor(img, (0.72, 0.62, 0.42), (0.35, 0.35, 0.35), time, rng, floor_at=0.7)
    step = max(s // 10, 2)
    img[s // 8:line - s // 5:step, s // 8:s - s // 8:step] = rgb((0.2, 0.15, 0.1)) * t  # pegboard holes
    for _ in range(3):  # hanging tools
        x = rand_int(rng, s // 8, s - s // 8)
        _box(img, s // 6, s // 6 + s // 4, x, x + max(s // 24, 1), rgb((0.55, 0.55, 0.6)) * t)
    _box(img, line - s // 8, line, 0, s, rgb((0.5, 0.3, 0.15)) * t)  # workbench
    img[line:] += rng.normal(0, 0.04, (s - line, s, 1)).astype(np.float32)


def room(img, time, rng):
    """A plain room: bare grey-green wall, a door, wooden floor — for any indoor place we have no picture for."""
    s, t = img.shape[0], _tint(time)
    line = paint_indoor(img, (0.68, 0.72, 0.66), (0.6, 0.45, 0.3), time, rng, floor_at=0.72)
    x = rand_int(rng, s // 10, s - s // 3)
    _box(img, line - s // 2, line, x, x + s // 4, rgb((0.42, 0.26, 0.14)) * t)  # door
    _box(img, line - s // 4, line - s // 4 + 1, x + s // 5, x + s // 5 + 1, rgb((0.9, 0.8, 0.3)) * t)
    img[line + 1::max(s // 10, 2), :] *= 0.85
    img[line - max(s // 32, 1):line] = rgb((0.35, 0.3, 0.25)) * t  # skirting


def garden(img, time, rng):
    s, light = img.shape[0], LIGHT[time]
    horizon = int(s * rng.uniform(0.35, 0.45))
    paint_sky(img, time, horizon, rng)
    paint_ground(img, horizon, (0.35, 0.7, 0.3), light, rng)
    img[horizon - s // 8:horizon + 1] = rgb((0.12, 0.38, 0.14)) * light  # hedge
    palette = [(0.95, 0.3, 0.4), (0.98, 0.85, 0.2), (0.95, 0.95, 0.95), (0.7, 0.35, 0.9)]
    for _ in range(rand_int(rng, 8, 16)):  # flowers
        paint_disc(img, rand_int(rng, 0, s), rand_int(rng, horizon + s // 10, s), max(s // 32, 1),
              rgb(palette[rand_int(rng, 0, len(palette))]) * light)


def forest(img, time, rng):
    s, light = img.shape[0], LIGHT[time]
    horizon = int(s * 0.3)
    paint_sky(img, time, horizon, rng)
    img[horizon:] = rgb((0.2, 0.32, 0.15)) * light
    img[horizon:] += rng.normal(0, 0.03, (s - horizon, s, 1)).astype(np.float32)
    for _ in range(rand_int(rng, 4, 7)):
        x = rand_int(rng, 0, s)
        _box(img, horizon - s // 10, s, x, x + max(s // 12, 2), rgb((0.35, 0.22, 0.12)) * light)  # trunk
        paint_disc(img, x + s // 24, rand_int(rng, 0, horizon + s // 8), s // 6, rgb((0.1, 0.4, 0.12)) * light, sx=1.2)


def shore(img, time, rng):
    s, light = img.shape[0], LIGHT[time]
    horizon = int(s * rng.uniform(0.35, 0.45))
    paint_sky(img, time, horizon, rng)
    beach = int(s * rng.uniform(0.65, 0.75))
    img[horizon:beach] = rgb((0.1, 0.35, 0.65)) * light  # sea
    for y in range(horizon + 2, beach, max(s // 10, 2)):
        xs = np.arange(rand_int(rng, 0, 4), s, max(s // 6, 3))
        img[y, xs] = rgb((0.9, 0.95, 1.0)) * light  # wave crests
    paint_ground(img, beach, (0.95, 0.87, 0.65), light, rng, noise=0.02)
    img[beach:beach + max(s // 32, 1)] = rgb((0.97, 0.97, 0.97)) * light  # surf


def street(img, time, rng):
    s, light = img.shape[0], LIGHT[time]
    horizon = int(s * 0.55)
    paint_sky(img, time, horizon, rng)
    paint_ground(img, horizon, (0.35, 0.35, 0.38), light, rng, noise=0.02)  # asphalt
    mid = horizon + (s - horizon) // 2
    for x in range(rand_int(rng, 0, 4), s, max(s // 5, 3)):
        _box(img, mid, mid + max(s // 32, 1), x, x + max(s // 10, 2), rgb((0.95, 0.95, 0.9)) * light)
    x = 0
    while x < s:  # brick and plaster fronts
        w, h = rand_int(rng, s // 5, s // 3), rand_int(rng, s // 4, horizon)
        colour = ((0.65, 0.3, 0.22), (0.75, 0.72, 0.68), (0.55, 0.55, 0.6))[rand_int(rng, 0, 3)]
        _box(img, horizon - h, horizon, x, x + w, rgb(colour) * light)
        for wy in range(horizon - h + 2, horizon - 2, max(s // 8, 3)):
            _box(img, wy, wy + max(s // 16, 1), x + 2, x + w - 2, rgb((0.95, 0.85, 0.4) if time == "night"
                                                                          else (0.3, 0.45, 0.6)) * light)
        x += w + 1


def field(img, time, rng):
    """Open country: wide sky, rolling green-gold grass, a fence — for any outdoor place we have no picture for."""
    s, light = img.shape[0], LIGHT[time]
    horizon = int(s * rng.uniform(0.45, 0.55))
    paint_sky(img, time, horizon, rng)
    paint_ground(img, horizon, (0.6, 0.7, 0.3), light, rng)
    xs = np.arange(s)
    hill = (horizon - s * 0.08 * np.sin(xs / s * 3.1 + rng.uniform(0, 3))).astype(int)
    for x in xs:
        img[max(hill[x], 0):horizon, x] = rgb((0.45, 0.62, 0.28)) * light
    rail = horizon + s // 6
    img[rail, :] = rgb((0.5, 0.35, 0.2)) * light
    img[rail - s // 12:rail + s // 12, ::max(s // 6, 3)] = rgb((0.45, 0.3, 0.15)) * light  # fence posts


DRAW = {f.__name__: f for f in (kitchen, bedroom, bathroom, cellar, attic, corridor, office, library, shop, workshop,
                                room, garden, forest, shore, street, field)}
