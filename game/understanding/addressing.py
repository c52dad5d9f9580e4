"""Words said to a villager: "talk to Hassan", "ask Nadia about the well", "Hassan, where are the ruins?".

Villagers are people in the room whom the engine does not model (the story's
village, game.play.village); the session lists the ones present as
`Addressee`s and understanding resolves a line said to one of them into a
`Talk` (game.world.events), like any other decision. A plain "talk to NAME"
to a villager who plays a story character is left to the engine, whose
authored greeting it is; with a topic, or to a villager of the village only,
it is a `Talk`.

Deliberately left out: talking to several people at once, and villagers not
in the player's room (they cannot hear).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from game.world.events import Talk
from game.world.limits import MAX_NAME_CHARS


@dataclass(frozen=True)
class Addressee:
    """A villager present: the village's id, every name the player may use (lower case), and whether the
    villager plays a story character (whose plain greeting the engine gives)."""
    id: str
    names: frozenset[str]
    plays_character: bool = False


_TALK = [
    re.compile(r"^(?:talk|speak|chat)\s+(?:to|with)\s+(?P<name>.+?)(?:\s+about\s+(?P<topic>.+))?[.!?]?$", re.I),
    re.compile(r"^ask\s+(?P<name>.+?)\s+(?:about|for|whether|if|where|what|why|who|how)\b(?P<topic>.*)$", re.I),
    re.compile(rf"^(?P<name>[A-Za-z][\w' ]{{0,{MAX_NAME_CHARS}}}),\s*(?P<topic>.+)$"),  # "Hassan, where ...?"
]


def talk_request(text: str) -> tuple[str, str] | None:
    """(name, topic) when the player addresses someone by name; topic may be ""."""
    text = " ".join(text.split()).strip()
    for pattern in _TALK:
        m = pattern.match(text)
        if m:
            return m.group("name").strip(" .,!?"), (m.group("topic") or "").strip()
    return None


def addressed(text: str, people: Sequence[Addressee]) -> Talk | None:
    """The Talk when `text` is said to one of `people`, else None (the line is for the engine)."""
    if not people or not isinstance(text, str):
        return None
    request = talk_request(text)
    if request is None:
        return None
    name, topic = request
    wanted = " ".join(name.lower().split())
    person = next((p for p in people if wanted in p.names), None)
    if person is None or (not topic and person.plays_character):
        return None
    return Talk(person.id, topic)
