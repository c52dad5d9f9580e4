"""ChoiceBar: the turn's numbered choices as buttons; clicking one posts `ChoiceBar.Picked`.

Keys 1–9 are handled by the screen and the input (they post the same message);
this widget only draws the buttons it is given. A new set of choices relabels the
buttons in place and mounts or removes only the difference, so the bar never
stands empty (or doubled) between two turns while removals are still pending.

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

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.buttons: list[Button] = []  # ours, in order; never one already being removed
        self.shown: list[tuple[int, str]] = []

    def set_choices(self, choices: list[tuple[int, str]]) -> None:
        wanted = list(choices[:9])
        self.shown = wanted
        for button, (number, label) in zip(self.buttons, wanted):
            button.label = f"{number} {label}"
            button._name = str(number)  # DOMNode.name has no setter; the number travels in it
            button.set_classes(f"choice choice-{number}")
        for button in self.buttons[len(wanted):]:
            button.remove()
        fresh = [Button(f"{number} {label}", name=str(number), classes=f"choice choice-{number}", compact=True)
                 for number, label in wanted[len(self.buttons):]]
        self.buttons = self.buttons[:len(wanted)] + fresh
        if fresh:
            self.mount_all(fresh)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.name and event.button.name.isdigit():
            self.post_message(self.Picked(int(event.button.name)))
