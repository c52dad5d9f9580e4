"""LoadScreen (pick a named save: name, location, game time, turn) and SaveScreen (name a save).

Both are modal and dismiss with the chosen name, or None when cancelled.

Deliberately left out: deleting and renaming saves.
"""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from game.tui.controller import SaveInfo


class LoadScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Back")]

    def __init__(self, saves: list[SaveInfo]) -> None:
        super().__init__(id="load")
        self.saves = saves

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Load a saved game", classes="dialog-title")
            if self.saves:
                width = max(len(s.name) for s in self.saves)
                yield OptionList(*[Option(f"{s.name:<{width}}  {s.location} · {s.time} · turn {s.turn}", id=s.name)
                                   for s in self.saves], id="save-list")
            else:
                yield Label("No saves yet. Save with Ctrl+S (or type \"save NAME\").", id="no-saves")
            yield Label("Enter loads · Esc goes back", classes="dialog-hint")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class SaveScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Back")]

    def __init__(self, default: str = "quicksave") -> None:
        super().__init__(id="save")
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Save the game as", classes="dialog-title")
            yield Input(self.default, id="save-name", max_length=40)
            yield Label("Enter saves · Esc goes back", classes="dialog-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or self.default)
