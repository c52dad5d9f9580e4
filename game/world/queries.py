"""Read-only questions about a world: what is here, what can be seen, is it lit.

Actions, the parser, the choice builder and the narrator all ask these, so
"what the player can see" has exactly one definition. Nothing here mutates.

Deliberately left out: line-of-sight between rooms and partial light (a room
is either lit or dark).
"""
from __future__ import annotations

from game.world.model import Exit, Story
from game.world.place import CARRIED, Place
from game.world.state import WorldState
from game.world.wording import capitalise_first


def room_place(room_id: str) -> Place:
    return Place.room(room_id)


def contents(state: WorldState, holder_place: Place) -> list[str]:
    """Item ids directly at a place, in story order (dicts keep insertion order)."""
    return [iid for iid, place in state.items.items() if place == holder_place]


def is_open(story: Story, state: WorldState, item_id: str) -> bool:
    container = story.item(item_id).container
    if container is None:
        return False
    return state.containers_open.get(item_id, container.open)


def _inside(story: Story, state: WorldState, place: Place, only_open: bool) -> list[str]:
    """Items at `place` plus, recursively, items in open containers / on supporters there."""
    at: dict[Place, list[str]] = {}  # one pass over the items, not one per container opened
    for iid, item_place in state.items.items():
        at.setdefault(item_place, []).append(iid)
    found: list[str] = []
    stack = list(at.get(place, ()))
    while stack:
        iid = stack.pop(0)
        found.append(iid)
        container = story.item(iid).container
        if container is None:
            continue
        if container.kind == "on" or not only_open or is_open(story, state, iid):
            stack.extend(at.get(Place.holder(container.kind, iid), ()))
    return found


def held(story: Story, state: WorldState) -> list[str]:
    """Everything the player carries, including inside open carried containers."""
    return _inside(story, state, CARRIED, only_open=True)


def carried_directly(state: WorldState) -> list[str]:
    return contents(state, CARRIED)


def has_light(story: Story, state: WorldState) -> bool:
    """A lit light source carried or lying in the room (even in a dark room)."""
    here = _inside(story, state, room_place(state.location), only_open=True) + held(story, state)
    return any(state.lit.get(iid, False) for iid in here)


def is_lit(story: Story, state: WorldState) -> bool:
    return not story.room(state.location).dark or has_light(story, state)


def visible_in_room(story: Story, state: WorldState) -> list[str]:
    """Items the player can see in the room (not counting what they carry)."""
    if not is_lit(story, state):
        return []
    return _inside(story, state, room_place(state.location), only_open=True)


def in_scope(story: Story, state: WorldState) -> list[str]:
    """Items the player can refer to: carried ones (always, by touch) and visible ones."""
    return held(story, state) + visible_in_room(story, state)


def people_here(story: Story, state: WorldState) -> list[str]:
    if not is_lit(story, state):
        return []
    return [c.id for c in story.characters if c.location == state.location]


def exits_here(story: Story, state: WorldState) -> list[Exit]:
    return list(story.room(state.location).exits)


def riddles_here(story: Story, state: WorldState) -> list[str]:
    """Riddle gates in this room that the player can see (riddles need light to read)."""
    if not is_lit(story, state):
        return []
    return [r.id for r in story.riddles if r.room == state.location]


def open_riddles_here(story: Story, state: WorldState) -> list[str]:
    return [r for r in riddles_here(story, state) if r not in state.solved]


def door_is_open(story: Story, state: WorldState, door_id: str) -> bool:
    """Can the player pass? A plain door when unlocked; an `openable` door only when open."""
    if story.door(door_id).openable:
        return state.doors_open.get(door_id, False)
    return not state.doors_locked.get(door_id, False)


def is_locked(story: Story, state: WorldState, thing_id: str) -> bool:
    """A door's or a lockable container's lock."""
    if story.kind_of(thing_id) == "door":
        return state.doors_locked.get(thing_id, False)
    return state.containers_locked.get(thing_id, False)


def exit_blocker(story: Story, state: WorldState, exit_: Exit) -> str | None:
    """Why this exit cannot be used now, or None."""
    if exit_.door and not door_is_open(story, state, exit_.door):
        door = story.door(exit_.door)
        if door.openable and not state.doors_locked.get(door.id, False):
            return f"You have to open the {door.name} first."
        return f"{capitalise_first(door.name)} is locked."
    if exit_.riddle and exit_.riddle not in state.solved:
        return f"{capitalise_first(story.riddle(exit_.riddle).name)} stays shut; a riddle is carved on it."
    return None


def doors_here(story: Story, state: WorldState) -> list[str]:
    return [e.door for e in exits_here(story, state) if e.door]


def stock_of(story: Story, state: WorldState, character_id: str) -> list[str]:
    """Items a present character can sell right now (still in their hands)."""
    char = story.character(character_id)
    return [e.item for e in char.sells if state.items.get(e.item) == Place.character(character_id)]


def merchants_here(story: Story, state: WorldState) -> list[str]:
    return [c for c in people_here(story, state) if story.character(c).sells or story.character(c).buys]


def price(story: Story, character_id: str, item_id: str, table: str = "sells") -> int | None:
    for entry in getattr(story.character(character_id), table):
        if entry.item == item_id:
            return entry.price
    return None


def load_of(state: WorldState) -> int:
    """How many things the player carries in their hands (containers count once)."""
    return len(carried_directly(state))


def uses_money(story: Story) -> bool:
    """The story has money to show: coins to find, a trader, or a starting purse (TextWorld's games have none)."""
    return (story.counters.get(story.currency, 0) > 0 or any(i.money for i in story.items)
            or any(c.sells or c.buys for c in story.characters))


def uses_clock(story: Story) -> bool:
    """The story keeps a clock worth showing: its author set the day and hour it starts (a TextWorld import
    only sets a minute per turn, and has no time of day)."""
    return "start" in story.clock.model_fields_set and story.clock.minutes_per_turn > 0
