"""What a village step's phases share: the step's length, each villager's state, and the village as they see it.

`simulation.Village` runs the step; the phases in encounters.py and reactions.py work on it through `VillageView`,
the part of the village they read and change, so neither imports the simulation (no import ring).

Deliberately left out: how the village does any of it (simulation.py) and saving the state (persistence.py).
"""
from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Callable, Protocol, TypeVar

from .dialogue import Conversation
from .memory import ImportanceRater, MemoryRecord, MemoryStream
from .planning import Action, DayPlan
from .reflection import Reflector
from .script import Settings, Villager, VillageScript

STEP = 15  # minutes of village time one step covers

Item = TypeVar("Item")
Result = TypeVar("Result")


@dataclass
class VillagerState:
    id: str
    place: str
    stream: MemoryStream
    plan: DayPlan | None = None
    actions: list[Action] = field(default_factory=list)  # the current hour's quarter actions
    current: Action | None = None
    pending_importance: int = 0  # since the last reflection
    seen: dict[str, str] = field(default_factory=dict)  # other id -> what it was last seen doing
    last_chat: dict[str, int] = field(default_factory=dict)  # partner id -> minute
    told: dict[str, list[int]] = field(default_factory=dict)  # partner id -> memory ids told to them
    fired: list[int] = field(default_factory=list)  # trigger indexes already fired
    reacted_hour: int = -1


class VillageView(Protocol):
    """The village as a step's phases use it (simulation.Village is the one implementation)."""

    script: VillageScript
    settings: Settings
    clock: int
    people: dict[str, Villager]
    states: dict[str, VillagerState]
    talk: Conversation
    rater: ImportanceRater
    reflector: Reflector
    reflection_enabled: bool
    _floors: dict[int, int]
    _pending: list[MemoryRecord]

    def awake(self, vid: str) -> bool: ...

    def present(self, vid: str, place: str) -> list[Villager]: ...

    def in_focus(self, vid: str) -> bool: ...

    def _allowed(self, vid: str, cost: float = 1.0) -> bool: ...

    def _paying(self, who) -> AbstractContextManager: ...

    def _emit(self, vid: str, kind: str, text: str) -> None: ...

    def _remember(self, vid: str, kind: str, text: str, floor: int = 0) -> MemoryRecord: ...

    def _new_id(self) -> int: ...

    def _map(self, fn: Callable[[Item], Result], items: list[Item]) -> list[Result]: ...

    def _decompose(self, vid: str, reason: str = "") -> None: ...

    def _describe(self, action: Action) -> str: ...
