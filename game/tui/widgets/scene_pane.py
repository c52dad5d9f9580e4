"""ScenePane: the scene picture, or a tidy placeholder with the location's name.

`show_scene(location_name, image_path)` is the whole interface: the scene-image
issue calls it with a file; with None (or `--no-images`) the placeholder shows
the name in a frame. Pictures use textual-image (Kitty / Sixel where the
terminal supports them, coloured half-cells everywhere else, and in the browser
under `adventure serve`, where textual-image would pick grey shade characters
since there is no TTY); it is imported only when a picture is first shown,
because it probes the terminal.

Deliberately left out: generating pictures (game.images; the GameScreen asks) and animations.
"""
from __future__ import annotations

import os
from pathlib import Path

from rich.text import Text
from textual.containers import Container
from textual.widgets import Static


class ScenePane(Container):
    can_focus = False

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.location_name = ""
        self.image_path: Path | None = None

    def compose(self):
        yield Static("", id="scene-placeholder")

    def show_scene(self, location_name: str, image_path: str | Path | None = None) -> None:
        self.location_name = location_name
        self.image_path = Path(image_path) if image_path else None
        for old in self.query(".scene-image"):
            old.remove()
        placeholder = self.query_one("#scene-placeholder", Static)
        if self.image_path is not None and self.image_path.exists():
            if "web_driver" in os.environ.get("TEXTUAL_DRIVER", ""):  # textual-serve: xterm.js draws colours
                from textual_image.widget import HalfcellImage as Image
            else:
                from textual_image.widget import Image  # lazy: probes the terminal

            placeholder.display = False
            self.mount(Image(self.image_path, classes="scene-image"))
        else:
            placeholder.display = True
            placeholder.update(Text.assemble(("~ ", "dim"), (location_name or "…", "bold"), (" ~", "dim"), "\n",
                                             ("(no picture)", "dim italic")))
