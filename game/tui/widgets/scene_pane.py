"""ScenePane: the scene picture, or a tidy placeholder with the location's name; F2 shows it larger.

`show_scene(location_name, image_path)` is the whole interface: the scene-image
code calls it with a file; with None (or `--no-images`) the placeholder shows
the name in a frame. `ScenePictureScreen` is the enlarged view (F2; Esc, F2 or
q closes it).

How the picture reaches the terminal (`picture_mode()`): textual-image's probe
asks the terminal, once and before Textual owns stdin (`probe_terminal()`,
called by `adventure play`), whether it draws Sixel (xterm, foot, WezTerm,
iTerm2 ≥ 3.5, Konsole, tmux built with sixel) or Kitty's graphics protocol
(kitty): those get real pixels. Every other terminal gets coloured half-cells,
two pixels per cell, and the pane is sized (adventure.tcss) so a square picture
has 32 columns × 16 rows = 32×32 half-cell pixels, half the bundled model's 64×64
(F2 shows it larger). In the browser under `adventure serve` (no TTY, xterm.js) half-cells
too; with no terminal at all, textual-image's grey shade characters.
`ADVENTURE_PICTURES=kitty|sixel|halfcell|unicode` overrides the probe (for a
terminal that answers wrongly, or tmux without passthrough).

Deliberately left out: generating pictures (game.images; the GameScreen asks),
iTerm2's own inline-image protocol (textual-image does not speak it; iTerm2
takes Sixel), and animations.
"""
from __future__ import annotations

import os
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

MODES = ("kitty", "sixel", "halfcell", "unicode")
MODE_ENV = "ADVENTURE_PICTURES"


def probe_terminal() -> None:
    """Ask the terminal what it can draw (Sixel, Kitty, cell size) while stdin is still ours, before Textual starts.

    After Textual owns stdin the terminal's answer would arrive as typed text ("[?1;2c"): so the probe runs here even
    when `ADVENTURE_PICTURES` chooses the mode, since importing textual-image's widgets later would run it then.
    """
    import textual_image.widget  # noqa: F401  (importing it runs the probe and caches the cell size)


def picture_mode() -> str:
    """'kitty', 'sixel', 'halfcell' or 'unicode': how pictures are drawn in this terminal."""
    forced = os.environ.get(MODE_ENV, "")
    if forced in MODES:
        return forced
    if "web_driver" in os.environ.get("TEXTUAL_DRIVER", ""):  # textual-serve: xterm.js draws colours
        return "halfcell"
    from textual_image import renderable

    return {renderable.TGPImage: "kitty", renderable.SixelImage: "sixel",
            renderable.HalfcellImage: "halfcell"}.get(renderable.Image, "unicode")


def renderable_class(mode: str):
    """textual-image's Rich renderable for a mode."""
    from textual_image import renderable

    return {"kitty": renderable.TGPImage, "sixel": renderable.SixelImage, "halfcell": renderable.HalfcellImage,
            "unicode": renderable.UnicodeImage}[mode]


def widget_class(mode: str):
    """textual-image's Textual widget for a mode."""
    from textual_image import widget

    return {"kitty": widget.TGPImage, "sixel": widget.SixelImage, "halfcell": widget.HalfcellImage,
            "unicode": widget.UnicodeImage}[mode]


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
            placeholder.display = False
            self.mount(widget_class(picture_mode())(self.image_path, classes="scene-image"))
        else:
            placeholder.display = True
            placeholder.update(Text.assemble(("~ ", "dim"), (location_name or "…", "bold"), (" ~", "dim"), "\n",
                                             ("(no picture)", "dim italic")))


class ScenePictureScreen(ModalScreen[None]):
    """The scene picture as large as the terminal allows, with the location's name."""

    BINDINGS = [Binding("escape,f2,q", "dismiss(None)", "Close")]

    def __init__(self, location_name: str, image_path: Path) -> None:
        super().__init__(id="scene-picture")
        self.location_name, self.image_path = location_name, Path(image_path)

    def compose(self) -> ComposeResult:
        with Vertical(id="scene-picture-box"):
            yield Static(Text.assemble((self.location_name, "bold"), ("  (Esc closes)", "dim")),
                         id="scene-picture-title")
            yield widget_class(picture_mode())(self.image_path, id="scene-picture-image")
