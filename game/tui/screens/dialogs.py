"""Small screens around the game: the resume question, the error screen and the menu.

- ResumeScreen asks whether to resume the autosave (never resumes silently).
- ErrorScreen shows why a story or save could not be opened, with a way back.
- MenuScreen is where "back" leads: a new game of the default story, or quit.

Deliberately left out: a story browser (pass a story file to `adventure play`).
"""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Label, Static


class ResumeScreen(ModalScreen[bool]):
    BINDINGS = [Binding("escape", "dismiss(True)", "Resume")]

    def __init__(self, summary: str) -> None:
        super().__init__(id="resume")
        self.summary = summary

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Resume your game?", classes="dialog-title")
            yield Label(self.summary, id="resume-summary")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Resume", id="resume-yes", variant="primary")
                yield Button("New game", id="resume-new")

    def on_mount(self) -> None:
        self.query_one("#resume-yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "resume-yes")


class ErrorScreen(Screen[None]):
    BINDINGS = [Binding("escape", "back", "Back to the menu")]

    def __init__(self, title: str, message: str) -> None:
        super().__init__(id="error")
        self.title_text, self.message = title, message

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog error-dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(self.message, id="error-message")
            yield Button("Back to the menu", id="error-back", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#error-back", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_back()

    def action_back(self) -> None:
        self.app.show_menu()


class MenuScreen(Screen[None]):
    def __init__(self) -> None:
        super().__init__(id="menu")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("adventure", classes="dialog-title")
            yield Button("New game (the default story)", id="menu-new", variant="primary")
            yield Button("Quit", id="menu-quit")

    def on_mount(self) -> None:
        self.query_one("#menu-new", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "menu-new":
            self.app.new_default_game()
        else:
            self.app.exit()
