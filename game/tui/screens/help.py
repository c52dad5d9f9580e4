"""HelpScreen: the keys and the commands, as Markdown.

Deliberately left out: story-specific hints (the game's own `help` command).
"""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP_TEXT = """\
# How to play

Type what you want to do and press **Enter**: *take the lantern*, *go north*,
*talk to Nadia*, *answer wind*. Or pick one of the numbered choices: click it,
or press its number.

| Key | Does |
|-----|------|
| 1–9 | pick that choice |
| Enter | do what you typed |
| Up / Down | earlier / later commands |
| Tab | complete a verb or a thing that is here |
| Esc | stop the narration (what happened still happened) |
| Ctrl+Z / Ctrl+Y | undo / redo |
| Ctrl+R | tell the last turn again |
| Ctrl+S / Ctrl+O | save / load |
| Ctrl+N | new game |
| Ctrl+P | command palette |
| F1 | this help |
| F2 | the scene picture, larger |
| Ctrl+Q | quit (the game is saved after every move) |

Short forms: **n s e w u d**, **l** (look), **i** (inventory), **x THING** (examine).
Typed commands: *look, inventory, help, save NAME, load NAME, undo, redo, retry,
transcript FILE, quit*.

The game master is a small local language model: it retells what the game
engine decided. The engine's plain account is shown under each narration.

*Esc closes this help.*
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss(None)", "Close")]

    def __init__(self) -> None:
        super().__init__(id="help")

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help-dialog"):
            yield Markdown(HELP_TEXT)
