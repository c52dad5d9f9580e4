"""`TurnResult`: everything a UI or a transcript needs to know about one turn, as one value.

Made by game.play.session for every line the player submits; `to_dict()` is the JSON
object `adventure run` writes per turn and the save's turn record keeps.

Deliberately left out: behaviour; a TurnResult is only read.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from game.world.choices import Choice
from game.world.events import Event


@dataclass
class TurnResult:
    input: str
    how: str
    action: str | None
    events: list[Event]
    facts: str
    narration: str
    narration_source: str
    choices: list[Choice]
    location: str
    location_name: str
    inventory: list[str]
    purse: int
    score: int
    max_score: int
    won: bool
    lost: bool
    state_hash: str
    turn: int
    changed: bool = False
    quit: bool = False
    ranked: list[tuple[str, float]] = field(default_factory=list)
    understood_by: str = ""  # the understanding layer that settled the input (game.understanding.intent)
    timings: dict = field(default_factory=dict)
    narration_rejected: list[dict] = field(default_factory=list)  # {"sentence", "reason", "detail"} per rejection
    narration_mode: str = ""  # "model" or "engine"
    record: int = 0  # the id of this turn's record in the save (0: not recorded)

    def to_dict(self) -> dict:
        return {
            "input": self.input, "how": self.how, "action": self.action,
            "events": [e.to_dict() for e in self.events], "facts": self.facts, "narration": self.narration,
            "narration_source": self.narration_source, "location": self.location,
            "location_name": self.location_name, "inventory": self.inventory, "purse": self.purse,
            "choices": [c.to_dict() for c in self.choices], "score": self.score, "max_score": self.max_score,
            "won": self.won, "lost": self.lost, "state_hash": self.state_hash, "turn": self.turn,
            "changed": self.changed, "ranked": self.ranked[:5], "understood_by": self.understood_by,
            "timings": self.timings,
            "narration_mode": self.narration_mode, "narration_rejected": self.narration_rejected,
            "record": self.record,
        }
