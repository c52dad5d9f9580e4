"""The story schema: what a YAML story may say, as pydantic v2 models.

A `Story` is the immutable definition of a world (rooms, exits, doors, items,
characters, riddle gates, endings, lore, walkthrough). The mutable part of a
game lives in `game.state.WorldState`; the engine never changes a `Story`.

Every model forbids unknown keys, so a typo in a story file is an error with
a field path instead of a silently ignored setting. Ids share one namespace
(an item's `location` may name a room, a container item or a character), so
they must be unique across rooms, doors, items, characters and riddles; that
and every other cross-reference is checked in `game.story_checks`, not here.

Deliberately left out: scripting (arbitrary effects or expressions in YAML),
NPC behaviour (villagers are placeholders until their own issue lands),
timed events and combat.
"""
from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

# The ids an author writes: lowercase words joined by underscores, so they
# never collide with the prefixed place strings the state uses ("room:x").
Id = Field(pattern=r"^[a-z][a-z0-9_]*$", min_length=1, max_length=40)

DIRECTIONS = (
    "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
    "up", "down", "in", "out",
)
Direction = Literal[
    "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
    "up", "down", "in", "out",
]
# Special item locations besides room, container item and character ids.
PLAYER = "player"  # carried by the player
NOWHERE = "nowhere"  # not in the world (yet, or any more: spent coins)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Exit(Strict):
    direction: Direction
    to: str = Field(description="id of the room this exit leads to")
    door: str | None = Field(None, description="id of a door on this exit (locked doors block it)")
    riddle: str | None = Field(None, description="id of a riddle gate that blocks this exit until solved")
    description: str = ""


class Room(Strict):
    id: str = Id
    name: str = Field(min_length=1)
    description: str = Field(min_length=1)
    dark: bool = Field(False, description="shows nothing without a lit light source")
    exits: list[Exit] = []
    points: int = Field(0, ge=0, description="score for the first visit")


class Door(Strict):
    id: str = Id
    name: str = Field(min_length=1)
    aliases: list[str] = []
    description: str = ""
    locked: bool = True
    key: str | None = Field(None, description="item id that locks and unlocks it (none: it cannot be unlocked)")


class LightSource(Strict):
    lit: bool = False
    needs: str | None = Field(None, description="item id the player must carry to light it")


class Container(Strict):
    kind: Literal["in", "on"] = Field("in", description="'in': a container, 'on': a supporter")
    openable: bool = False
    open: bool = True
    capacity: int = Field(8, ge=1)

    @model_validator(mode="after")
    def _closed_needs_lid(self):
        if not self.open and not self.openable:
            raise ValueError("a closed container must be openable")
        if self.kind == "on" and self.openable:
            raise ValueError("a supporter ('on') cannot be openable")
        return self


class Item(Strict):
    id: str = Id
    name: str = Field(min_length=1)
    aliases: list[str] = Field([], description="other nouns the parser accepts, e.g. 'lamp'")
    adjectives: list[str] = []
    description: str = Field(min_length=1)
    location: str = Field(description="room, container item or character id, 'player' or 'nowhere'")
    portable: bool = True
    text: str | None = Field(None, description="what reading it shows")
    read_sets_flag: str | None = None
    light: LightSource | None = None
    container: Container | None = None
    points: int = Field(0, ge=0, description="score for the first time it is taken")
    money: int = Field(0, ge=0, description="taking it adds this many coins to the purse; the item vanishes")


class ShopEntry(Strict):
    item: str
    price: int = Field(gt=0)


class Character(Strict):
    """A villager reference. Behaviour comes with the villager issue; until then
    a character has a greeting and may trade."""

    id: str = Id
    name: str = Field(min_length=1)
    aliases: list[str] = []
    description: str = Field(min_length=1)
    location: str
    greeting: str = ""
    sells: list[ShopEntry] = []
    buys: list[ShopEntry] = []


class Riddle(Strict):
    id: str = Id
    name: str = Field(min_length=1, description="what the player sees, e.g. 'the east gate'")
    aliases: list[str] = []
    room: str
    prompt: str = Field(min_length=1)
    answers: list[str] = Field(min_length=1)
    synonyms: list[str] = Field([], description="further accepted answers")
    solved_message: str = Field(min_length=1)
    points: int = Field(0, ge=0)


class Condition(Strict):
    """Exactly one test: where the player is, where an item is, a flag, a
    counter range or a solved riddle."""

    player_in: str | None = None
    item: str | None = None
    at: str | None = Field(None, description="with `item`: a room, container/supporter item, character or 'player'")
    flag: str | None = None
    counter: str | None = None
    min: int | None = None
    max: int | None = None
    riddle_solved: str | None = None

    @model_validator(mode="after")
    def _exactly_one(self):
        kinds = [k for k in ("player_in", "item", "flag", "counter", "riddle_solved") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("give exactly one of player_in, item (+at), flag, counter (+min/max), riddle_solved")
        if (self.item is None) != (self.at is None):
            raise ValueError("`item` and `at` go together")
        if self.counter is None and (self.min is not None or self.max is not None):
            raise ValueError("`min`/`max` need `counter`")
        return self


class Ending(Strict):
    when: list[Condition] = Field(min_length=1, description="all must hold")
    message: str = Field(min_length=1)
    points: int = Field(0, ge=0)


class LoreEntry(Strict):
    title: str = Field(min_length=1)
    text: str = Field(min_length=1)


class Clock(Strict):
    start: dt.datetime = dt.datetime(2026, 5, 4, 8, 0)
    minutes_per_turn: int = Field(5, ge=0, le=1440)


class Story(Strict):
    format: Literal[1] = 1
    id: str = Id
    title: str = Field(min_length=1)
    intro: str = Field(min_length=1, description="shown at the start and given to the narrator every turn")
    narrator_rules: str = Field("", description="extra instructions for the narrator")
    start: str = Field(description="id of the starting room")
    currency: str = Field("gold", description="the counter shops take and give")
    counters: dict[str, int] = {}
    flags: dict[str, bool] = {}
    inventory_limit: int = Field(8, ge=1)
    clock: Clock = Clock()
    rooms: list[Room] = Field(min_length=1)
    doors: list[Door] = []
    items: list[Item] = []
    characters: list[Character] = []
    riddles: list[Riddle] = []
    win: Ending
    lose: list[Ending] = []
    lore: list[LoreEntry] = []
    walkthrough: list[str] = Field([], description="commands that win the game from the start")

    # --- lookups (built lazily; a Story is frozen so they never go stale) ---
    _lookup: dict | None = PrivateAttr(None)

    def _index(self) -> dict:
        cached = self._lookup
        if cached is None:
            cached = {
                "room": {r.id: r for r in self.rooms},
                "door": {d.id: d for d in self.doors},
                "item": {i.id: i for i in self.items},
                "character": {c.id: c for c in self.characters},
                "riddle": {r.id: r for r in self.riddles},
            }
            self._lookup = cached
        return cached

    def room(self, rid: str) -> Room:
        return self._index()["room"][rid]

    def door(self, did: str) -> Door:
        return self._index()["door"][did]

    def item(self, iid: str) -> Item:
        return self._index()["item"][iid]

    def character(self, cid: str) -> Character:
        return self._index()["character"][cid]

    def riddle(self, rid: str) -> Riddle:
        return self._index()["riddle"][rid]

    def kind_of(self, some_id: str) -> str | None:
        """'room', 'door', 'item', 'character', 'riddle' or None."""
        for kind, table in self._index().items():
            if some_id in table:
                return kind
        return None

    def max_score(self) -> int:
        return (sum(r.points for r in self.rooms) + sum(i.points for i in self.items)
                + sum(r.points for r in self.riddles) + self.win.points)
