"""Where an item is: a small typed `Place` (kind + id) instead of a "kind:id" string.

Kinds: "room" (lying in a room), "player" (carried), "in" / "on" (inside a
container, on a supporter: `id` is that item), "char" (held or sold by a
character) and "nowhere" (not in the world: not yet made, eaten, spent).
`CARRIED` and `NOWHERE_PLACE` are the two places without an id.

In saves and state hashes a place is still its old string ("room:hall",
"player", "in:chest"): `str(place)` writes it and `Place.parse` reads it, so a
save written before this type existed loads unchanged and hashes the same.

Deliberately left out: anything that needs the story (whether the id exists,
what a container's kind is) — `game.world.state` and the engine's invariant
check ask the story.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema

PlaceKind = Literal["room", "player", "in", "on", "char", "nowhere"]
_WITH_ID = ("room", "in", "on", "char")


@dataclass(frozen=True, order=True, slots=True)
class Place:
    kind: PlaceKind
    id: str = ""

    def __post_init__(self) -> None:
        if (self.kind in _WITH_ID) != bool(self.id):
            raise ValueError(f"a {self.kind!r} place {'needs' if self.kind in _WITH_ID else 'has no'} id")

    @classmethod
    def room(cls, room_id: str) -> Place:
        return cls("room", room_id)

    @classmethod
    def holder(cls, kind: Literal["in", "on"], item_id: str) -> Place:
        """Inside (kind "in") or on (kind "on") the item `item_id`."""
        return cls(kind, item_id)

    @classmethod
    def character(cls, character_id: str) -> Place:
        return cls("char", character_id)

    @classmethod
    def parse(cls, text: str) -> Place:
        """The saved form ("room:hall", "player", "in:chest") back into a Place; ValueError if it is none."""
        kind, colon, ref = text.partition(":")
        if kind not in (*_WITH_ID, "player", "nowhere") or (kind in _WITH_ID) != bool(colon) or (colon and not ref):
            raise ValueError(f"{text!r} is not a place (room:ID, player, in:ID, on:ID, char:ID or nowhere)")
        return cls(kind, ref)  # type: ignore[arg-type]

    @property
    def container(self) -> str | None:
        """The item this place is in or on, if it is one."""
        return self.id if self.kind in ("in", "on") else None

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}" if self.id else self.kind

    def __deepcopy__(self, memo) -> Place:
        return self  # immutable: a state's deep copy (one per engine step) need not copy places


CARRIED = Place("player")
NOWHERE_PLACE = Place("nowhere")


def _to_place(value: object) -> Place:
    if isinstance(value, Place):
        return value
    if isinstance(value, str):
        return Place.parse(value)
    raise ValueError(f"{value!r} is not a place")


# The field type of a place in a pydantic model: validated from the saved string, written back as it.
PlaceField = Annotated[Place, PlainValidator(_to_place), PlainSerializer(str, return_type=str),
                       WithJsonSchema({"type": "string"})]
