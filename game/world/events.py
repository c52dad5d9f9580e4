"""The two value types that cross module boundaries: `Action` in, `Event` out.

An `Action` is what the engine is asked to do, already resolved to ids (the
parser and the intent ranker produce them; the engine validates them). An
`Event` is what happened: a `kind`, a plain English `message` that is also
the deterministic fallback narration, and structured `data` for the
narrator, the UI and the JSONL log.

Deliberately left out: any behaviour. Both are frozen values.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from game.world.model import Story

# Verbs the engine understands. "Free" verbs only look: they never change the
# state, take no game time and leave no undo step.
VERBS = (
    "go", "take", "drop", "put", "open", "close", "unlock", "lock", "light", "extinguish", "read",
    "examine", "buy", "sell", "answer", "talk", "wait", "look", "inventory", "lore",
    "eat", "drink", "cut", "cook", "prepare",
)
FREE_VERBS = frozenset({"look", "inventory", "examine", "lore"})


@dataclass(frozen=True)
class Action:
    verb: str
    obj: str | None = None  # an id (item, door, character, riddle) or a direction
    target: str | None = None  # container / supporter for put; a character for buy and sell
    text: str | None = None  # a riddle answer, a lore query, an amount offered when buying

    def phrase(self, story: Story) -> str:
        """Plain English for prompts, logs and ranking ("take the brass lantern")."""
        obj = _name(story, self.obj) if self.obj else ""
        if self.verb == "go":
            return f"go {self.obj}"
        if self.verb == "put":
            holder = story.item(self.target) if self.target else None
            # an action the engine would refuse (a thing that holds nothing) is still phrased, for the log
            prep = holder.container.kind if holder is not None and holder.container is not None else "in"
            return f"put {obj} {prep} {_name(story, self.target)}"
        if self.verb == "buy":
            return f"buy {obj}" + (f" with {self.text} coins" if self.text else "")
        if self.verb in ("answer", "lore"):
            return f"{self.verb} {self.text or ''}".strip()
        if self.verb == "talk":
            return f"talk to {obj}"
        if self.verb in ("cook", "cut") and self.target:
            return f"{self.text if self.verb == 'cut' else 'cook'} {obj} with {_name(story, self.target)}"
        if self.verb == "prepare":
            return "prepare meal"
        if self.verb == "take" and self.target:
            return f"take {obj} from {_name(story, self.target)}"
        if self.verb in ("lock", "unlock") and self.target:
            return f"{self.verb} {obj} with {_name(story, self.target)}"
        if self.verb == "inventory":
            return "check inventory"
        if self.verb == "look":
            return "look around"
        return f"{self.verb} {obj}".strip()

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class Talk:
    """Speaking to a villager: a person of the story's village, whom the engine does not model.

    Understanding resolves "talk to Hassan", "ask Nadia about the well", "Hassan, ..." or a
    "Talk to NAME" choice into one; the session hands it to the village (game.play.village),
    never to the engine. `topic` is what the player asked about ("" for a plain greeting)."""
    villager: str  # the village's id for the villager
    topic: str = ""


def _name(story: Story, some_id: str | None) -> str:
    kind = story.kind_of(some_id) if some_id else None
    if kind == "item":
        return "the " + story.item(some_id).name
    if kind == "door":
        return "the " + story.door(some_id).name
    if kind == "riddle":
        return story.riddle(some_id).name
    if kind == "character":
        return story.character(some_id).name
    return some_id or ""


@dataclass(frozen=True)
class Event:
    kind: str
    message: str
    data: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"kind": self.kind, "message": self.message, **({"data": self.data} if self.data else {})}


def facts_text(events: list[Event]) -> str:
    """The events as plain prose: the narration of last resort."""
    return "\n".join(e.message for e in events if e.message)
