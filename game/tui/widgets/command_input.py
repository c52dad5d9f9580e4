"""CommandInput: the free-text line, with history (up/down), tab completion and paste cleanup.

- Up/down walk through earlier commands (most recent first), like a shell.
- Tab completes the word under the cursor from `vocabulary` (verbs, directions,
  and the nouns present; the screen refreshes it every turn); pressing tab
  again cycles through the matches.
- A digit typed into an empty line picks that choice at once (posts `Picked`).
- Pasted multi-line text becomes one line (lines joined by spaces).

Deliberately left out: multi-word completion menus and fuzzy matching.
"""
from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

MAX_HISTORY = 200
MAX_CHARS = 300  # the parser reads at most this much


class CommandInput(Input):
    BINDINGS = [
        Binding("up", "history(-1)", "Earlier command", show=False),
        Binding("down", "history(1)", "Later command", show=False),
        Binding("tab", "complete", "Complete word", show=False),
    ]

    class Picked(Message):
        def __init__(self, number: int) -> None:
            super().__init__()
            self.number = number

    def __init__(self, **kwargs) -> None:
        super().__init__(max_length=MAX_CHARS, **kwargs)
        self.history: list[str] = []
        self.vocabulary: list[str] = []
        self._history_pos: int | None = None
        self._completion: tuple[str, list[str], int] | None = None  # (stem, matches, index)

    # --- history ---------------------------------------------------------------------
    def remember(self, text: str) -> None:
        if text and (not self.history or self.history[-1] != text):
            self.history = (self.history + [text])[-MAX_HISTORY:]
        self._history_pos = None

    def action_history(self, step: int) -> None:
        if not self.history:
            return
        pos = len(self.history) if self._history_pos is None else self._history_pos
        pos = max(0, min(len(self.history), pos + step))
        self._history_pos = pos
        self.value = self.history[pos] if pos < len(self.history) else ""
        self.cursor_position = len(self.value)

    # --- completion ------------------------------------------------------------------
    def action_complete(self) -> None:
        before = self.value[: self.cursor_position]
        start = len(before) - len(before.split(" ")[-1])
        if self._completion and self.value[start:self.cursor_position] in self._completion[1]:
            stem, matches, index = self._completion
            index = (index + 1) % len(matches)
        else:
            stem = before[start:].lower()
            matches = sorted((w for w in self.vocabulary if w.startswith(stem) and w != stem),
                             key=lambda w: (-len(w.split()), w)) if stem else []  # whole names first
            index = 0
            if not matches:
                self._completion = None
                return
        self._completion = (stem, matches, index)
        word = matches[index]
        self.value = self.value[:start] + word + self.value[self.cursor_position:]
        self.cursor_position = start + len(word)

    # --- keys and paste --------------------------------------------------------------
    async def _on_key(self, event: events.Key) -> None:
        if event.character and event.character in "123456789" and len(event.character) == 1 and not self.value:
            event.stop()
            event.prevent_default()
            self.post_message(self.Picked(int(event.character)))
            return
        if event.key != "tab":
            self._completion = None
        # Input._on_key runs after this (Textual dispatches along the MRO)

    def _on_paste(self, event: events.Paste) -> None:
        text = " ".join(event.text.split())[:MAX_CHARS]
        if text:
            self.insert_text_at_cursor(text)
        event.stop()
        event.prevent_default()  # not Input's own handler, which keeps only the first line
