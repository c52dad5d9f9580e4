"""`adventure play --watch`: notice a story file change, reload it, replay the player's commands, say what changed.

Three small parts a UI strings together (the TUI polls from a timer and runs
the rest in a thread worker):
- `FileStamp(path).changed()`: whether the file's (mtime, size) moved since the
  last look. Polling a stat is cheap and needs no extra dependency.
- `reload(path)`: the new `Story`, or `StoryInvalid` whose text names
  FILE:LINE: field (the walkthrough is not played: an author mid-edit still
  wants to play).
- `replay(story, turns, save_path)`: every command of the old game's turn log
  played again on the new story by the engine alone (no model: free text the
  model ranked before may now be asked back), into a fresh save, and a
  `Replay` saying whether the engine's results are the same, or the first turn
  where they diverge (`game.play.transcript_compare`, without the state hash,
  which any edit of the story changes).

The UI then resumes that save with its model, so the game goes on in the new
version where the replay left it. The original save keeps the game as played
on the old version.

Deliberately left out: watching several files (a village script is not
watched), and replaying "retry", "transcript" and "quit" (prose, a file
written, the end of the program: nothing the engine's state depends on).
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from game.play.session import GameSession
from game.play.transcript_compare import (
    STORY_CHANGE_FIELDS,
    Difference,
    first_difference,
)
from game.textworld.story_files import open_story
from game.world.model import Story

log = logging.getLogger(__name__)
NOT_REPLAYED = ("retry", "transcript", "quit")


class FileStamp:
    """The file's (mtime in ns, size), or None while it is missing; `changed()` compares with the last look."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.stamp = self._read()

    def _read(self) -> tuple[int, int] | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def changed(self) -> bool:
        now = self._read()
        if now == self.stamp:
            return False
        self.stamp = now
        return True


def reload(path: str | Path) -> Story:
    """The story as the file says now; raises StoryInvalid (FILE:LINE: field: message lines)."""
    return open_story(path, check_walkthrough=False)


def replayed_commands(turns: list[dict]) -> list[dict]:
    """The turns whose input is replayed (see NOT_REPLAYED)."""
    return [t for t in turns if t.get("input", "").split()[:1] not in ([w] for w in NOT_REPLAYED)]


@dataclass
class Replay:
    commands: int  # how many were replayed
    difference: Difference | None  # the first turn whose engine result changed, or None
    save_path: Path  # the save holding the replayed game

    def message(self, file: str) -> str:
        if self.difference is None:
            return f"Reloaded {file}: replayed {self.commands} commands, same result."
        return (f"Reloaded {file}: replayed {self.commands} commands; the replay diverges at "
                + self.difference.describe("before", "now").replace(" differs:", ":", 1))


def replay(story: Story, turns: list[dict], save_path: str | Path) -> Replay:
    """Play the inputs of `turns` (result dicts, oldest first) on `story` with the engine alone, into a
    new save at `save_path`, and compare each result with the old one."""
    old = replayed_commands(turns)
    session = GameSession.start(story, None, save_path=save_path, resume=False, narrate=False)
    try:
        session.opening()
        new = [session.submit(turn["input"]).to_dict() for turn in old]
        path = session.store.path
    finally:
        session.close()
    found = first_difference(old, new, STORY_CHANGE_FIELDS)
    if found is not None:
        log.info("replay on %s diverges at turn %d (%s)", story.id, found.turn, found.input)
    return Replay(len(old), found, Path(path))
