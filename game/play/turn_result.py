"""`TurnResult`: everything a UI or a transcript needs to know about one turn, as one value.

Made by game.play.session for every line the player submits; `to_dict()` is the JSON
object `adventure run` writes per turn and the save's turn record keeps.

Deliberately left out: behaviour; a TurnResult is only read (`of` gathers it from the state).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from game.narration.narrator import Narration
from game.world import queries as q
from game.world.choices import Choice
from game.world.events import Action, Event, facts_text
from game.world.model import Story
from game.world.state import WorldState


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

    @classmethod
    def of(cls, story: Story, state: WorldState, shown_input: str, how: str, action: Action | None,
           events: list[Event], narration: Narration, choices: list[Choice], *, changed: bool = False,
           narration_mode: str = "") -> TurnResult:
        """The result of a turn that left the world in `state`."""
        timings = {"ttft_s": narration.ttft_s, "tokens_per_s": narration.tokens_per_s,
                   "prompt_tokens": narration.prompt_tokens, "cached_tokens": narration.cached_tokens}
        return cls(
            input=shown_input, how=how, action=action.phrase(story) if action else None, events=events,
            facts=facts_text(events), narration=narration.text, narration_source=narration.source,
            choices=choices, location=state.location, location_name=story.room(state.location).name,
            inventory=[story.item(i).name for i in q.held(story, state)],
            purse=state.counters.get(story.currency, 0), score=state.score, max_score=story.max_score(),
            won=state.outcome == "won", lost=state.outcome == "lost", state_hash=state.state_hash(),
            turn=state.turn, changed=changed, timings=timings, narration_mode=narration_mode,
            narration_rejected=[r.to_dict() for r in narration.rejected])

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
