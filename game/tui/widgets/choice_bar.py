"""ChoiceBar: the turn's numbered choices as buttons; clicking one posts `ChoiceBar.Picked`.

Keys 1–9 are handled by the screen and the input (they post the same message);
this widget only draws the buttons it is given.

Deliberately left out: more than nine choices (the engine offers at most six).
"""
from __future__ import annotations

from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button


class ChoiceBar(Horizontal):
    class Picked(Message):
        def __init__(self, number: int) -> None:
            super().__init__()
            self.number = number

    def set_choices(self, choices: list[tuple[int, str]]) -> None:
        self.remove_children()
        self.mount_all(Button(f"{number} {label}", name=str(number), classes=f"choice choice-{number}",
                              compact=True) for number, label in choices[:9])

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.name and event.button.name.isdigit():
            self.post_message(self.Picked(int(event.button.name)))
