"""Shared helpers for the TUI tests: an app on the scripted test double, and settling.

Deliberately left out: any real model (the tmux end-to-end test uses the real one).
"""
from __future__ import annotations

import threading

from textual.widgets import Input

from agent.scripted import ScriptedBackend
from game.tui.app import AdventureApp

PROSE = "You walk north into the Bazaar. Nadia waits among the stalls."
SIZE = (120, 36)


class GatedBackend(ScriptedBackend):
    """ScriptedBackend (test double) that pauses after the first sentence until `gate` is set (the narrator
    shows a sentence once it is complete and checked, so the first one reaches the screen before the pause)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.gate = threading.Event()

    def stream(self, prompt, options=None):
        ended, held = False, False
        for piece in super().stream(prompt, options):
            yield piece
            if ended and not held:  # the first word after the first sentence: that sentence is complete
                held = True
                self.gate.wait(10)
            ended = ended or piece.rstrip().endswith(".")


def make_app(tmp_path, backend=None, **kwargs) -> AdventureApp:
    backend = backend or ScriptedBackend([PROSE])
    return AdventureApp(None, backend, save_path=tmp_path / "game.sqlite", **kwargs)


async def settle(pilot) -> None:
    """Wait for every worker and the messages they posted (no timing-based sleeps)."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    for screen in pilot.app.screen_stack:  # a blinking cursor would make snapshots flaky
        for box in screen.query(Input):
            box.cursor_blink = False
    await pilot.pause()
