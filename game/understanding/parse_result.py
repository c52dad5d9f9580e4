"""What the deterministic parser says about one command (game.understanding.parser, game.understanding.going)."""
from __future__ import annotations

from dataclasses import dataclass, field

from game.world.events import Action


@dataclass
class ParseResult:
    status: str
    action: Action | None = None
    message: str = ""
    candidates: list[Action] = field(default_factory=list)
    no_verb: bool = False  # not even the first word was understood (a bare riddle answer?)
