"""Contact sheets: a grid of pictures with their prompts underneath, as one PNG.

Deliberately left out: fonts other than Pillow's built-in one.
"""
from __future__ import annotations

import textwrap

import numpy as np
from PIL import Image, ImageDraw


def contact_sheet(images, captions: list[str], out_path, columns: int = 8, cell: int = 128) -> None:
    rows = (len(images) + columns - 1) // columns
    label = 40
    sheet = Image.new("RGB", (columns * cell, rows * (cell + label)), "white")
    draw = ImageDraw.Draw(sheet)
    for i, (image, text) in enumerate(zip(images, captions)):
        if not isinstance(image, Image.Image):
            image = Image.fromarray((np.asarray(image) * 255).round().astype(np.uint8))
        x, y = (i % columns) * cell, (i // columns) * (cell + label)
        sheet.paste(image.convert("RGB").resize((cell, cell), Image.BICUBIC), (x, y))
        draw.multiline_text((x + 2, y + cell + 1), "\n".join(textwrap.wrap(text, 24)[:3]), fill="black")
    sheet.save(out_path)
