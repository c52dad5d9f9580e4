"""The mutable half of a game: `WorldState`, plus its canonical hash.

Everything that can change while playing lives here and nowhere else, so a
save, an undo step and a state hash are each just this model as JSON. Item
locations are stored as one `Place` per item (game.world.place; saved as
"room:<id>", "player", "in:<item>", ... as before), which makes "each item is
in exactly one place" true by construction; the engine's invariant check
verifies that every place still exists.

Deliberately left out: anything derived (visibility, light, score maximum) —
it is computed from the story and this state, never stored twice.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Literal

from pydantic import BaseModel, ConfigDict

from game.world.model import NOWHERE, PLAYER, Story
from game.world.place import CARRIED, NOWHERE_PLACE, Place, PlaceField

STATE_FORMAT = 1


class FoodState(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cooking: str = "raw"
    cooked: bool = False
    cutting: str = "uncut"
    burned: bool = False
    edible: bool = False
    needs_cooking: bool = False


class WorldState(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: int = STATE_FORMAT
    story_id: str
    location: str
    items: dict[str, PlaceField]
    doors_locked: dict[str, bool]
    containers_open: dict[str, bool]
    lit: dict[str, bool]
    doors_open: dict[str, bool] = {}  # only `openable` doors
    containers_locked: dict[str, bool] = {}  # only containers with a key
    eaten: list[str] = []  # eaten or drunk
    food: dict[str, FoodState] = {}  # items with `food`: how cooked and cut they are now
    quests: dict[str, Literal["completed", "failed"]] = {}  # settled quests only
    solved: list[str] = []
    flags: dict[str, bool] = {}
    counters: dict[str, int] = {}
    visited: list[str] = []
    awarded: list[str] = []  # score keys already paid out ("room:x", "item:y", ...)
    score: int = 0
    turn: int = 0  # in-game actions taken (meta commands do not count)
    minutes: int = 0  # game clock, minutes since the story's clock start
    outcome: Literal["playing", "won", "lost"] = "playing"
    ending: str = ""

    def trial_copy(self) -> "WorldState":
        """A copy to try an action on, ten times cheaper than a deep copy: every dict and list copied one
        level down (places are frozen values), food states copied whole (cooking changes them in place)."""
        fields = {name: (dict(value) if isinstance(value, dict) else list(value) if isinstance(value, list)
                         else value) for name, value in self.__dict__.items()}
        fields["food"] = {some_id: food.model_copy() for some_id, food in self.food.items()}
        return self.model_copy(update=fields)

    def canonical_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))

    def state_hash(self) -> str:
        """16 hex digits of SHA-256 over the canonical JSON: equal states, equal hashes."""
        return hashlib.sha256(self.canonical_json().encode()).hexdigest()[:16]

    def clock(self, story: Story) -> dt.datetime:
        return story.clock.start + dt.timedelta(minutes=self.minutes)


def place_of_story_location(story: Story, location: str) -> Place:
    """Translate an author's plain location id ("player", a room, a container) into a Place."""
    if location == PLAYER:
        return CARRIED
    if location == NOWHERE:
        return NOWHERE_PLACE
    kind = story.kind_of(location)
    if kind == "room":
        return Place.room(location)
    if kind == "character":
        return Place.character(location)
    if kind == "item":
        container = story.item(location).container
        return Place.holder(container.kind if container else "in", location)
    raise KeyError(location)


def initial_state(story: Story) -> WorldState:
    """The state at the start of a story (assumes `story_checks` passed)."""
    return WorldState(
        story_id=story.id,
        location=story.start,
        items={i.id: place_of_story_location(story, i.location) for i in story.items},
        doors_locked={d.id: d.locked for d in story.doors},
        containers_open={i.id: i.container.open for i in story.items if i.container and i.container.openable},
        lit={i.id: i.light.lit for i in story.items if i.light},
        doors_open={d.id: d.open for d in story.doors if d.openable},
        food={i.id: FoodState(cooking=i.food.cooking, cooked=i.food.cooked or i.food.cooking != "raw",
                              cutting=i.food.cutting, burned=i.food.burned,
                              edible=i.edible, needs_cooking=i.food.needs_cooking) for i in story.items if i.food},
        containers_locked={i.id: i.container.locked for i in story.items if i.container and i.container.lockable},
        flags=dict(story.flags),
        counters={story.currency: 0, **story.counters},
        visited=[story.start],
        awarded=[f"room:{story.start}"] if story.room(story.start).points else [],
        score=story.room(story.start).points,
    )
