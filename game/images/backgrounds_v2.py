"""Backgrounds version 2: the settings the shipped model confused, redrawn to differ in big shapes and colours.

`adventure images eval` of the shipped 64×64 model lost the setting where the
version-1 drawings differ only in detail a generated picture blurs away: the
dark cave (taken for the stable or the attic at night), desert and dunes, the
ruins (thin columns on sand), the workshop (a plain room), the village and the
bazaar (beige blocks). Here each of them gets a layout and palette of its own:

- desert: a wide sky over pale, flat sand, with red flat-topped mesas on the horizon;
- dunes: a high horizon over big orange dunes, each with a lit face and a red-brown shadow face;
- ruins: a broken grey stone arch and a column stump over grey-green paving, fallen drums on the ground;
- cave: blotched blue-grey rock lit from below by a warm glow (any hour: a cave is dark all day), teeth of
  rock hanging from the top, and the cave's mouth on one side showing the sky of the hour;
- workshop: a teal pegboard wall, a red tool cabinet, a long dark workbench, a grey concrete floor;
- village: whitewashed houses with blue domes and doors over pale paving, their windows lit at night;
- bazaar: a row of tents in saturated colours with dark stalls (lamplit at night), bunting across the sky,
  dusty red ground.

The outdoor ones are lit at night by a blue moonlight (`_light`) brighter than version 1's, since at night most
scenes are near black and the shapes alone must carry the setting.

`backgrounds.draw(..., version=2)` uses these and version 1 (the shipped model's)
for every other setting, which did not change.

Deliberately left out: any change to the other twenty settings (the judge told
them apart) and textures finer than a 64-pixel model can keep.
"""
from __future__ import annotations

import numpy as np

from game.images.strokes import (
    INDOOR_TINT,
    LIGHT,
    SKY,
    paint_disc,
    paint_ground,
    paint_indoor,
    paint_sky,
    rand_int,
    rgb,
)


def _light(time: str) -> np.ndarray:
    """Daylight for the redrawn outdoor settings: at night a blue moonlight, brighter than version 1's 0.35, so
    their colours (and the sky with its moon) still tell them apart where most scenes are near black."""
    return rgb((0.5, 0.56, 0.68)) if time == "night" else rgb((LIGHT[time],) * 3)


def _box(img, y0, y1, x0, x1, colour) -> None:
    s = img.shape[0]
    img[max(int(y0), 0):min(int(y1), s), max(int(x0), 0):min(int(x1), s)] = colour


def _smooth_noise(rng, s: int, cells: int = 5) -> np.ndarray:
    """(s, s) noise in [-1, 1] that varies over about s/cells pixels: blotches a small model can keep."""
    grid = rng.uniform(-1, 1, (cells + 1, cells + 1))
    t = np.linspace(0, cells, s)
    i = np.minimum(t.astype(int), cells - 1)
    f = (t - i)[:, None]
    rows = grid[i] * (1 - f) + grid[i + 1] * f
    return (rows[:, i] * (1 - f.T) + rows[:, i + 1] * f.T).astype(np.float32)


def desert(img, time, rng):
    s, light = img.shape[0], _light(time)
    horizon = int(s * rng.uniform(0.55, 0.62))
    paint_sky(img, time, horizon, rng)
    paint_ground(img, horizon, (0.97, 0.90, 0.66), light, rng, noise=0.02)
    for _ in range(rand_int(rng, 1, 3)):  # mesas: flat-topped red rock, slightly tapered
        w, h = rand_int(rng, s // 4, s // 2), rand_int(rng, max(s // 8, 1), max(s // 5, 2))
        x = rand_int(rng, -s // 8, s - w // 2)
        for k in range(h):
            taper = k * w // max(4 * h, 1)
            _box(img, horizon - 1 - k, horizon - k, x + taper, x + w - taper, rgb((0.72, 0.36, 0.22)) * light)


def dunes(img, time, rng):
    s, light = img.shape[0], _light(time)
    horizon = int(s * rng.uniform(0.28, 0.36))
    paint_sky(img, time, horizon, rng)
    lit, shade = rgb((0.98, 0.62, 0.26)) * light, rgb((0.64, 0.30, 0.14)) * light
    img[horizon:] = shade
    xs = np.arange(s)
    for k in range(3):  # back to front: each dune covers the one behind it
        phase, freq = rng.uniform(0, 2 * np.pi), rng.uniform(1.6, 2.6) * 2 * np.pi / s
        amp, base = s * rng.uniform(0.05, 0.09), horizon + s * (0.06 + 0.22 * k)
        crest = np.clip((base + amp * np.sin(xs * freq + phase)).astype(int), 0, s - 1)
        facing = np.cos(xs * freq + phase) > 0
        for x in xs:
            img[crest[x]:, x] = lit if facing[x] else shade
    img[horizon:] += rng.normal(0, 0.02, (s - horizon, s, 1)).astype(np.float32)


def ruins(img, time, rng):
    s, light = img.shape[0], _light(time)
    horizon = int(s * rng.uniform(0.55, 0.62))
    paint_sky(img, time, horizon, rng)
    paint_ground(img, horizon, (0.56, 0.58, 0.46), light, rng, noise=0.03)
    img[horizon::max(s // 8, 2)] *= 0.8  # paving joints
    stone = rgb((0.74, 0.72, 0.68)) * light
    cx, half, pw = s // 2 + rand_int(rng, -s // 10, s // 10), s // 4, max(s // 8, 2)
    top = horizon - int(s * 0.3)
    yy, xx = np.mgrid[0:s, 0:s]
    ring = np.abs(np.hypot(xx - cx, yy - top) - half) <= pw / 2
    broken_at = cx + rand_int(rng, half // 4, half)  # the arch breaks off somewhere right of its keystone
    img[ring & (yy <= top) & (xx <= broken_at)] = stone
    _box(img, top, horizon + 1, cx - half - pw // 2, cx - half + pw // 2 + 1, stone)  # left pillar, whole
    _box(img, top + rand_int(rng, s // 10, s // 5), horizon + 1, cx + half - pw // 2, cx + half + pw // 2 + 1, stone)
    side = rand_int(rng, 0, 2)  # a column stump with its capital at one edge
    x0 = 0 if side == 0 else s - pw - 1
    stump = horizon - rand_int(rng, s // 8, s // 4)
    _box(img, stump, horizon + 1, x0 + 1, x0 + pw, stone * 0.9)
    _box(img, stump - max(s // 20, 1), stump + 1, x0, x0 + pw + 1, stone)
    for _ in range(2):  # fallen column drums
        paint_disc(img, rand_int(rng, 0, s), rand_int(rng, horizon + s // 10, s), max(s // 14, 1), stone * 0.85,
                   sx=1.6)


def cave(img, time, rng):
    s = img.shape[0]
    img[:] = rgb((0.34, 0.33, 0.40)) * (1 + 0.35 * _smooth_noise(rng, s))[..., None]
    yy, xx = np.mgrid[0:s, 0:s]
    gx, gy = s // 2 + rand_int(rng, -s // 6, s // 6), int(s * 0.8)
    glow = np.exp(-((xx - gx) ** 2 + (yy - gy) ** 2) / (2 * (0.32 * s) ** 2))[..., None].astype(np.float32)
    img[:] = img * (0.35 + 0.9 * glow) + rgb((0.45, 0.22, 0.05)) * glow  # a warm fire-glow from below
    mx = s // 5 if rng.random() < 0.5 else s - s // 5  # the mouth, and the sky of the hour through it
    top, low = rgb(SKY[time][0]), rgb(SKY[time][1])
    mouth = ((xx - mx) / max(s // 6, 1)) ** 2 + ((yy - s * 0.35) / max(s // 6, 1)) ** 2 <= 1
    shade = np.clip((yy - (s * 0.35 - s // 6)) / max(s // 3, 1), 0, 1)[..., None]
    img[mouth] = (top * (1 - shade) + low * shade)[mouth]
    dark = rgb((0.12, 0.11, 0.14))
    x = rand_int(rng, -2, 2)
    while x < s:  # teeth of rock hanging from the roof
        w, h = rand_int(rng, max(s // 12, 2), max(s // 7, 3)), rand_int(rng, s // 8, s // 4)
        for k in range(h):
            inset = k * w // max(2 * h, 1)
            _box(img, k, k + 1, x + inset, x + w - inset, dark)
        x += w + rand_int(rng, 0, s // 10)
    img += rng.normal(0, 0.02, img.shape).astype(np.float32)


def workshop(img, time, rng):
    s = img.shape[0]
    t = rgb(INDOOR_TINT[time]) * (0.6 + 0.4 * LIGHT[time])
    line = paint_indoor(img, (0.20, 0.46, 0.50), (0.52, 0.52, 0.54), time, rng, floor_at=0.72)
    step = max(s // 8, 2)
    img[step // 2:line - s // 5:step, step // 2::step] = rgb((0.08, 0.16, 0.18)) * t  # pegboard holes
    left = rng.random() < 0.5
    cab_w = max(s // 4, 2)
    cab_x = rand_int(rng, 0, s // 10) if left else s - cab_w - rand_int(rng, 0, s // 10)
    _box(img, line - s // 2, line + s // 10, cab_x, cab_x + cab_w, rgb((0.80, 0.12, 0.10)) * t)  # tool cabinet
    for y in range(line - s // 2 + s // 8, line + s // 10, max(s // 8, 2)):
        _box(img, y, y + 1, cab_x + 1, cab_x + cab_w - 1, rgb((0.35, 0.05, 0.05)) * t)  # its drawers
    x0, x1 = (cab_x + cab_w + 1, s) if left else (0, cab_x - 1)
    bench = line - s // 6
    _box(img, bench, bench + max(s // 12, 1), x0, x1, rgb((0.36, 0.22, 0.10)) * t)  # workbench top
    for lx in (x0 + s // 16, x1 - s // 16 - max(s // 20, 1)):
        _box(img, bench, s, lx, lx + max(s // 20, 1), rgb((0.28, 0.17, 0.08)) * t)  # its legs
    img[line:] += rng.normal(0, 0.03, (s - line, s, 1)).astype(np.float32)
    paint_disc(img, rand_int(rng, 0, s), rand_int(rng, line + s // 10, s), max(s // 10, 1),
               rgb((0.34, 0.34, 0.36)) * t, sx=2.0)  # an oil stain


def village(img, time, rng):
    s, light = img.shape[0], _light(time)
    horizon = int(s * rng.uniform(0.5, 0.58))
    paint_sky(img, time, horizon, rng)
    paint_ground(img, horizon, (0.86, 0.82, 0.74), light, rng, noise=0.02)
    img[horizon::max(s // 8, 2)] *= 0.88  # paving
    img[horizon:, ::max(s // 8, 2)] *= 0.88
    white, blue = rgb((0.97, 0.96, 0.92)) * light, rgb((0.14, 0.34, 0.78)) * light
    x = rand_int(rng, -s // 10, 0)
    while x < s:
        w, h = rand_int(rng, s // 5, s // 3), rand_int(rng, s // 6, s // 3)
        if rng.random() < 0.6:
            paint_disc(img, x + w // 2, horizon - h, max(w // 3, 1), blue)  # a blue dome
        _box(img, horizon - h, horizon + 2, x, x + w, white)
        door_w = max(w // 4, 1)
        _box(img, horizon - h // 2, horizon + 2, x + w // 2 - door_w // 2, x + w // 2 - door_w // 2 + door_w, blue)
        window = rgb((1.0, 0.82, 0.35)) if time == "night" else rgb((0.2, 0.22, 0.3)) * light  # lit at night
        _box(img, horizon - h + h // 4, horizon - h + h // 4 + max(s // 16, 1), x + max(w // 8, 1),
             x + max(w // 8, 1) + max(s // 16, 1), window)
        x += w + rand_int(rng, 1, s // 10)


def bazaar(img, time, rng):
    s, light = img.shape[0], _light(time)
    horizon = int(s * rng.uniform(0.55, 0.62))
    paint_sky(img, time, horizon, rng)
    paint_ground(img, horizon, (0.66, 0.44, 0.30), light, rng, noise=0.03)
    palette = np.array([(0.88, 0.12, 0.12), (0.12, 0.32, 0.82), (0.96, 0.76, 0.08), (0.10, 0.60, 0.25),
                        (0.62, 0.18, 0.62)], np.float32)
    for i in range(0, s, max(s // 16, 1)):  # bunting across the sky
        colour = palette[(i // max(s // 16, 1)) % len(palette)] * light
        for k in range(max(s // 20, 1)):
            _box(img, s // 8 + k, s // 8 + k + 1, i + k, i + max(s // 16, 1) - k, colour)
    x = rand_int(rng, -s // 8, 0)
    while x < s:  # tents: a peaked canopy over a dark stall with its goods
        w = rand_int(rng, s // 4, s // 3)
        colour = palette[rand_int(rng, 0, len(palette))] * light
        peak, eave = horizon - s // 3, horizon - s // 6
        for y in range(peak, eave):
            half = (y - peak + 1) * (w // 2) // max(eave - peak, 1)
            _box(img, y, y + 1, x + w // 2 - half, x + w // 2 + half + 1, colour)
        stall = rgb((0.95, 0.62, 0.22)) if time == "night" else rgb((0.22, 0.13, 0.08)) * light  # lamplit at night
        _box(img, eave, horizon + s // 10, x + 1, x + w, stall)
        for gx in range(x + 2, x + w - 1, max(s // 16, 2)):
            _box(img, horizon, horizon + max(s // 20, 1), gx, gx + max(s // 24, 1),
                 palette[rand_int(rng, 0, len(palette))] * light)
        x += w + rand_int(rng, 0, s // 12)


DRAW_V2 = {f.__name__: f for f in (desert, dunes, ruins, cave, workshop, village, bazaar)}
