"""Play a list of commands (by default a story's walkthrough) with the deterministic parser and the engine.

`replay(story, commands, engine)` is the one loop that replays a walkthrough:
the story check (does it win?), the TextWorld importer (which steps does our
engine perform?), the engine and narration benches and the generated intent
rows all walk it. Each command is parsed against the state it meets and, when
it parses, performed; a `Step` is yielded after that, with the state before
it (the engine replaces its state on every action, so keeping the old one
costs nothing). When the game has ended before a command, one last step says
so (`ended`) and the replay stops.

Deliberately left out: the model (a walkthrough is what the deterministic
layers must understand), typed-line splitting, and anything a session adds
(saves, villagers, narration): a session replays by submitting each line.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

from game.understanding.parser import ParseResult, parse
from game.world.engine import Engine, Outcome
from game.world.model import Story
from game.world.state import WorldState


@dataclass
class Step:
    index: int
    command: str
    before: WorldState  # the state the command met
    parsed: ParseResult | None = None  # None only when `ended`
    outcome: Outcome | None = None  # None when it did not parse (or `ended`)
    ended: bool = False  # the game was over before this command: nothing was tried

    @property
    def performed(self) -> bool:
        """Parsed, and the engine carried it out (not refused)."""
        return self.outcome is not None and not self.outcome.refused


def replay(story: Story, commands: Iterable[str] | None = None, engine: Engine | None = None) -> Iterator[Step]:
    """Each command in turn on `engine` (default: a new game of `story`); `commands` default to the walkthrough."""
    engine = engine if engine is not None else Engine(story)
    for index, command in enumerate(story.walkthrough if commands is None else commands):
        before = engine.state
        if before.outcome != "playing":
            yield Step(index, command, before, ended=True)
            return
        parsed = parse(story, before, command)
        outcome = engine.perform(parsed.action) if parsed.action is not None else None
        yield Step(index, command, before, parsed, outcome)
