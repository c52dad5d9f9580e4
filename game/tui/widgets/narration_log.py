"""NarrationLog: the scrolling story — the player's inputs, the GM's streamed words, notes.

Entries are small Static widgets: `PlayerLine` (the player's input, styled
apart), `NarrationEntry` (Markdown, grown piece by piece while the model
streams; replaced by the final text when the turn ends), and `NoteLine`
(system notes and error lines). The log keeps the last `MAX_ENTRIES`.

Deliberately left out: searching the history and copying it (the transcript
command writes the whole story to a file).
"""
from __future__ import annotations

from rich.markdown import Markdown
from rich.text import Text
from textual import events
from textual.containers import VerticalScroll
from textual.widgets import Static

MAX_ENTRIES = 400


class PlayerLine(Static):
    def __init__(self, text: str) -> None:
        super().__init__(Text.assemble(("> ", "bold"), text), classes="player")


class NoteLine(Static):
    def __init__(self, text: str, kind: str = "note") -> None:
        super().__init__(Text(text), classes=kind)


class NarrationEntry(Static):
    """One narration; `append` while streaming, `finish` with the final text."""

    def __init__(self, text: str = "", classes: str = "narration", markdown: bool = True) -> None:
        super().__init__("", classes=classes)
        self.text = text
        self.cut = False
        self.markdown = markdown
        if text:
            self.update(self._render_text(text))

    def _render_text(self, text: str):
        """Model prose is Markdown; the engine's own text keeps its line breaks."""
        return Markdown(text) if self.markdown else Text(text)

    def append(self, piece: str) -> None:
        self.text += piece
        self.update(Markdown(self.text))

    def finish(self, text: str | None = None, cut: bool = False, markdown: bool = True) -> None:
        self.markdown = markdown
        if text is not None:
            self.text = text
        self.cut = cut
        if cut:
            self.add_class("cut")
            self.update(Markdown((self.text.rstrip() or "…") + " *— cut —*"))
        else:
            self.update(self._render_text(self.text))


class NarrationLog(VerticalScroll):
    """Anchored once the story outgrows the view: then at every layout the compositor keeps the end in
    view (until the player scrolls up; new content brings it back). `scroll_end` alone runs after the
    next refresh, which can come before a just-mounted entry has its height, and left a turn's last lines
    below the view. A story shorter than the view is not anchored, so it starts at the top."""

    can_focus = False

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.streaming: NarrationEntry | None = None

    def on_resize(self, event: events.Resize) -> None:
        if not self.is_anchored and event.virtual_size.height > event.size.height:
            self.anchor()

    def _add(self, widget: Static) -> Static:
        self.mount(widget)
        extra = len(self.children) - MAX_ENTRIES
        for old in list(self.children)[: max(0, extra)]:
            old.remove()
        self.scroll_end(animate=False)
        return widget

    def add_player(self, text: str) -> None:
        self._add(PlayerLine(text))

    def add_narration(self, text: str, classes: str = "narration", markdown: bool = True) -> NarrationEntry:
        return self._add(NarrationEntry(text, classes=classes, markdown=markdown))

    def add_note(self, text: str, kind: str = "note") -> None:
        self._add(NoteLine(text, kind))

    def add_error(self, text: str) -> None:
        self._add(NoteLine(text, "error"))

    def start_stream(self) -> NarrationEntry:
        self.streaming = self.add_narration("")
        return self.streaming

    def stream_piece(self, piece: str) -> None:
        if self.streaming is None:
            self.start_stream()
        self.streaming.append(piece)
        self.scroll_end(animate=False)

    def end_stream(self, text: str | None, cut: bool = False, markdown: bool = True) -> NarrationEntry | None:
        """Finish the streaming entry (creating one if nothing streamed)."""
        entry = self.streaming
        if entry is None and (text or cut):
            entry = self.add_narration("")
        if entry is not None:
            entry.finish(text, cut=cut, markdown=markdown)
        self.streaming = None
        self.scroll_end(animate=False)
        return entry

    def clear_log(self) -> None:
        self.streaming = None
        self.anchor(False)
        self.remove_children()
