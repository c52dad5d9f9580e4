"""The story schema: what a YAML story may say, as pydantic v2 models.

A `Story` is the immutable definition of a world (rooms, exits, doors, items,
characters, riddle gates, endings, lore, walkthrough). The mutable part of a
game lives in `game.world.state.WorldState`; the engine never changes a `Story`.

Every model forbids unknown keys, so a typo in a story file is an error with
a field path instead of a silently ignored setting. Ids share one namespace
(an item's `location` may name a room, a container item or a character), so
they must be unique across rooms, doors, items, characters and riddles; that
and every other cross-reference is checked in `game.stories.checks`, not here.

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
    aliases: list[str] = Field([], description="other names players use for this place, e.g. 'ruins'")
    description: str = Field(min_length=1)
    dark: bool = Field(False, description="shows nothing without a lit light source")
    exits: list[Exit] = []
    points: int = Field(0, ge=0, description="score for the first visit")


class Door(Strict):
    id: str = Id
    name: str = Field(min_length=1)
    aliases: list[str] = []
    adjectives: list[str] = []
    description: str = ""
    locked: bool = True
    key: str | None = Field(None, description="item id that locks and unlocks it (none: it cannot be unlocked)")
    openable: bool = Field(False, description="the door is opened and closed by hand (TextWorld style): only an open "
                                              "door lets you through, and unlocking leaves it closed. Without it, "
                                              "a door is either locked or passable, and unlocking swings it open")
    open: bool = Field(False, description="with `openable`: whether it starts open")

    @model_validator(mode="after")
    def _open_or_locked(self):
        if self.open and not self.openable:
            raise ValueError("only an `openable` door has an open state")
        if self.open and self.locked:
            raise ValueError("a door cannot start both open and locked")
        return self


class LightSource(Strict):
    lit: bool = False
    needs: str | None = Field(None, description="item id the player must carry to light it")


class Container(Strict):
    kind: Literal["in", "on"] = Field("in", description="'in': a container, 'on': a supporter")
    openable: bool = False
    open: bool = True
    locked: bool = Field(False, description="starts locked (closed, opened only after unlocking with `key`)")
    key: str | None = Field(None, description="item id that locks and unlocks it (none, and locked: welded shut)")
    capacity: int = Field(8, ge=1)

    @model_validator(mode="after")
    def _closed_needs_lid(self):
        if not self.open and not self.openable:
            raise ValueError("a closed container must be openable")
        if self.kind == "on" and self.openable:
            raise ValueError("a supporter ('on') cannot be openable")
        if self.locked and self.open:
            raise ValueError("a locked container must start closed (open: false)")
        if self.key is not None and not self.openable:
            raise ValueError("only an openable container can have a lock (`key`)")
        return self

    @property
    def lockable(self) -> bool:
        """Has a lock: a key, or locked for good (welded shut)."""
        return self.key is not None or self.locked


Cooking = Literal["raw", "roasted", "fried", "grilled"]
Cutting = Literal["uncut", "sliced", "diced", "chopped"]


class Food(Strict):
    """Cooking and cutting (TextWorld's cooking challenge): cook it with a heat source, cut it with a sharp
    tool. Cooking a cooked food burns it, and burned food is inedible."""

    cookable: bool = True
    needs_cooking: bool = Field(False, description="inedible until cooked")
    cooking: Cooking = "raw"
    cooked: bool = Field(False, description="already cooked (cooking it again burns it); implied by a cooking "
                                            "other than raw")
    burned: bool = False
    cuttable: bool = True
    cutting: Cutting = "uncut"


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
    edible: bool = Field(False, description="`eat` consumes it (it must be carried); the item vanishes")
    drinkable: bool = Field(False, description="`drink` consumes it (it must be carried); the item vanishes")
    food: Food | None = None
    sharp: bool = Field(False, description="cuts food: slice / dice / chop X with it")
    heat: Cooking | None = Field(None, description="a heat source: cooking food with it makes the food this "
                                                   "(an oven roasts, a stove fries, a toaster or BBQ grills)")


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


ThingState = Literal["open", "closed", "locked", "eaten", "raw", "roasted", "fried", "grilled", "cooked",
                     "burned", "uncut", "sliced", "diced", "chopped"]


class Condition(Strict):
    """Exactly one test: where the player is, where an item is, a flag, a
    counter range, a solved riddle, the state of a door or container (or an
    eaten item), or a quest's result."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    player_in: str | None = None
    item: str | None = None
    at: str | None = Field(None, description="with `item`: a room, container/supporter item, character or 'player'")
    flag: str | None = None
    counter: str | None = None
    min: int | None = None
    max: int | None = None
    riddle_solved: str | None = None
    thing: str | None = Field(None, description="with `is`: a door or item id")
    is_: ThingState | None = Field(None, alias="is", description="with `thing`: open (unlocked and open), closed "
                                                                 "(closed, not locked), locked, or eaten")
    quest_completed: str | None = None
    quest_failed: str | None = None

    @model_validator(mode="after")
    def _exactly_one(self):
        kinds = [k for k in ("player_in", "item", "flag", "counter", "riddle_solved", "thing", "quest_completed",
                             "quest_failed") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("give exactly one of player_in, item (+at), flag, counter (+min/max), riddle_solved, "
                             "thing (+is), quest_completed, quest_failed")
        if (self.thing is None) != (self.is_ is None):
            raise ValueError("`thing` and `is` go together")
        if (self.item is None) != (self.at is None):
            raise ValueError("`item` and `at` go together")
        if self.counter is None and (self.min is not None or self.max is not None):
            raise ValueError("`min`/`max` need `counter`")
        return self


class Ending(Strict):
    when: list[Condition] = Field(min_length=1, description="all must hold")
    message: str = Field(min_length=1)
    points: int = Field(0, ge=0)


class Quest(Strict):
    """A scored goal, settled after every action: completed (once, paying `points`) as soon as all conditions
    of any `win` set hold, failed as soon as those of any `fail` set hold. Endings test them with
    `quest_completed` / `quest_failed` (TextWorld's quests map onto these one to one)."""

    id: str = Id
    description: str = ""
    points: int = Field(0, ge=0)
    win: list[list[Condition]] = Field([], description="alternatives; each a list of conditions that must all hold")
    fail: list[list[Condition]] = []
    optional: bool = False


class Ingredient(Strict):
    item: str
    cooking: Cooking = "raw"
    cutting: Cutting = "uncut"


class Recipe(Strict):
    """`prepare meal` in `room`, carrying every ingredient cooked and cut as listed: the ingredients vanish
    and the `meal` item (which starts 'nowhere') is carried."""

    room: str
    ingredients: list[Ingredient] = Field(min_length=1)
    meal: str


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
    inventory_limit: int = Field(8, ge=1, description="things the player can hold; a story may start the "
                                 "player over it (nothing more can be taken until enough is dropped)")
    clock: Clock = Clock()
    rooms: list[Room] = Field(min_length=1)
    doors: list[Door] = []
    items: list[Item] = []
    characters: list[Character] = []
    riddles: list[Riddle] = []
    quests: list[Quest] = []
    recipe: Recipe | None = None
    win: Ending
    lose: list[Ending] = []
    lore: list[LoreEntry] = []
    verbs: dict[str, str] = Field({}, description="the story's own verb phrases and the verb each means, "
                                  "e.g. {pat: examine, 'hand over': sell}")
    walkthrough: list[str] = Field([], description="commands that win the game from the start")

    # --- lookups (built lazily; a Story is frozen so they never go stale) ---
    _lookup: dict | None = PrivateAttr(None)

    def _index(self) -> dict:
        # read from the private slot itself: `self._lookup` goes through pydantic's __getattr__, and this is called
        # for every thing looked up (hundreds of thousands of times in a benchmark)
        cached = self.__pydantic_private__["_lookup"]
        if cached is None:
            cached = {
                "room": {r.id: r for r in self.rooms},
                "door": {d.id: d for d in self.doors},
                "item": {i.id: i for i in self.items},
                "character": {c.id: c for c in self.characters},
                "riddle": {r.id: r for r in self.riddles},
                "quest": {q.id: q for q in self.quests},
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

    def quest(self, qid: str) -> Quest:
        return self._index()["quest"][qid]

    def kind_of(self, some_id: str) -> str | None:
        """'room', 'door', 'item', 'character', 'riddle', 'quest' or None."""
        for kind, table in self._index().items():
            if some_id in table:
                return kind
        return None

    def max_score(self) -> int:
        return (sum(r.points for r in self.rooms) + sum(i.points for i in self.items)
                + sum(r.points for r in self.riddles) + sum(q.points for q in self.quests) + self.win.points)
