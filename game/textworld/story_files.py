"""Open a story file of any kind: the one place that chooses the loader by file type.

`.json` is a TextWorld game (imported on the fly, `game.textworld.importer`),
anything else a story YAML file (`game.stories.loader`). Everything that opens
a story a player or author names (the session, the commands, the solver, the
benches, the terminal UI) goes through `open_story`; `open_named_story` also
accepts a bundled story's name ("oasis") and skips the walkthrough check, as a
game about to be played or a village linking to its rooms wants.

Deliberately left out: guessing a type from the contents.
"""
from __future__ import annotations

from pathlib import Path

from game.stories.loader import load_story, resolve_story_path
from game.textworld.importer import load_textworld
from game.world.model import Story


def open_story(path: str | Path, *, check_walkthrough: bool = True) -> Story:
    """The Story in `path`, or StoryInvalid naming the file (and line, or TextWorld entity)."""
    path = Path(path)
    if path.suffix == ".json":
        return load_textworld(path, check_walkthrough=check_walkthrough)
    return load_story(path, check_walkthrough=check_walkthrough)


def open_named_story(name: str | None) -> Story:
    """A path or bundled name (None: the default story), without the walkthrough check."""
    return open_story(resolve_story_path(name), check_walkthrough=False)
