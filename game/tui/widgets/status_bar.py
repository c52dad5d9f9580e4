"""StatusBar: model name, tokens/s of the last turn, image status, the narration mode and a thinking indicator.

`narration` is the session's one-line note on how turns are told (`GameSession.narration_note`,
e.g. "narration: model (probe passed)"); empty, it is left out.

The indicator animates only while `thinking` is on (so idle screens are
still for snapshots); the screen switches it around each model call.

Deliberately left out: per-role timings and memory figures (see `adventure bench`).
"""
from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


class StatusBar(Static):
    model = reactive("loading model…")
    tokens_per_s = reactive(None)
    images = reactive("images off")
    narration = reactive("")  # the session's narration mode note, "" when it has none
    thinking = reactive("")  # what the model is doing, "" when idle
    story_problem = reactive("")  # `--watch`: FILE:LINE of the first problem while the story file is invalid
    frame = reactive(0)

    def on_mount(self) -> None:
        self._timer = self.set_interval(0.1, self._tick, pause=True)

    def _tick(self) -> None:
        self.frame = (self.frame + 1) % len(SPINNER)

    def watch_thinking(self, value: str) -> None:
        if getattr(self, "_timer", None) is not None:
            (self._timer.resume if value else self._timer.pause)()

    def render(self) -> Text:
        """What the game is doing comes first: on an 80-column terminal (tmux's default) the end is cut."""
        text = Text()
        if self.thinking:
            text.append(f" {SPINNER[self.frame]} {self.thinking} ", style="bold")
        else:
            text.append(" ready ", style="dim")
        text.append("│ ")
        if self.story_problem:
            text.append(f"story invalid: {self.story_problem} ", style="bold red")
            text.append("│ ")
        text.append(f"{self.model} ", style="bold")
        speed = "-" if not self.tokens_per_s else f"{self.tokens_per_s:.0f} tok/s"
        text.append(f"│ {speed} │ {self.images} │ ")
        if self.narration:
            text.append(f"{self.narration} │ ")
        text.append("F1 help  ^P commands", style="dim")
        return text
