"""Handlers for opening, closing, locking and unlocking doors and containers.

Two kinds of door exist. A plain door (the default) is either locked or
passable: unlocking it swings it open and closing it is pointless. An
`openable` door (TextWorld's kind) has three states, open / closed / locked:
only an open door lets the player through, unlocking leaves it closed, and it
must be closed before it can be locked. Containers with a `key` follow the
same three states. A named key ("unlock the chest with the brass key") must be
the right one; without one, the right key must be carried.

Deliberately left out: picking locks, breaking doors, and keys that fit more
than one lock (a story names exactly one key per lock).
"""
from __future__ import annotations

from game.world import queries as q
from game.world.actions import Refused, _require_in_scope, handler
from game.world.events import Event
from game.world.place import Place
from game.world.wording import with_article


def _name(story, some_id: str) -> str:
    return story.door(some_id).name if story.kind_of(some_id) == "door" else story.item(some_id).name


def _openable_container(story, state, item_id) -> None:
    _require_in_scope(story, state, item_id)
    container = story.item(item_id).container
    if container is None or not container.openable:
        raise Refused(f"The {_name(story, item_id)} doesn't open or close.")


@handler("open")
def do_open(story, state, action):
    if action.obj in q.doors_here(story, state):
        door = story.door(action.obj)
        if not door.openable:  # plain door: opening it means unlocking it
            if state.doors_locked[door.id]:
                return do_unlock(story, state, action)
            raise Refused(f"The {door.name} is already open.")
        if state.doors_locked[door.id]:
            raise Refused(_unlock_first(story, door.id, door.key))
        if state.doors_open[door.id]:
            raise Refused(f"The {door.name} is already open.")
        state.doors_open[door.id] = True
        return [Event("opened", f"You open the {door.name}.", {"id": door.id, "contents": []})]
    _openable_container(story, state, action.obj)
    if q.is_locked(story, state, action.obj):
        raise Refused(_unlock_first(story, action.obj, story.item(action.obj).container.key))
    if q.is_open(story, state, action.obj):
        raise Refused(f"The {_name(story, action.obj)} is already open.")
    state.containers_open[action.obj] = True
    inside = q.contents(state, Place.holder("in", action.obj))
    names = ", ".join(with_article(_name(story, i)) for i in inside) or "nothing"
    return [Event("opened", f"You open the {_name(story, action.obj)}. Inside: {names}.",
                  {"id": action.obj, "contents": inside})]


def _unlock_first(story, thing_id: str, key: str | None) -> str:
    if key is None:
        return f"The {_name(story, thing_id)} is welded shut."
    return f"You have to unlock the {_name(story, thing_id)} with the {story.item(key).name} first."


@handler("close")
def do_close(story, state, action):
    if action.obj in q.doors_here(story, state):
        door = story.door(action.obj)
        if not door.openable:
            raise Refused(f"The {door.name} swings back by itself; there is no need.")
        if not state.doors_open[door.id]:
            raise Refused(f"The {door.name} is already closed.")
        state.doors_open[door.id] = False
        return [Event("closed", f"You close the {door.name}.", {"id": door.id})]
    _openable_container(story, state, action.obj)
    if not q.is_open(story, state, action.obj):
        raise Refused(f"The {_name(story, action.obj)} is already closed.")
    state.containers_open[action.obj] = False
    return [Event("closed", f"You close the {_name(story, action.obj)}.", {"id": action.obj})]


def _lock_and_key(story, state, action) -> tuple[str, str]:
    """(thing id, key id) after checking the lock is here and the right key is in hand."""
    thing = action.obj
    if thing in q.doors_here(story, state):
        key = story.door(thing).key
    else:
        if thing is None or story.kind_of(thing) != "item":
            raise Refused("There is nothing like that to unlock here.")
        _require_in_scope(story, state, thing)
        container = story.item(thing).container
        if container is None or not container.lockable:
            raise Refused(f"The {_name(story, thing)} has no lock.")
        key = container.key
    if key is None:
        raise Refused(f"The {_name(story, thing)} has no keyhole.")
    named = action.target
    if named is not None:
        _require_in_scope(story, state, named)
        if named != key:
            raise Refused(f"The {story.item(named).name} doesn't fit the {_name(story, thing)}.")
    if key not in q.held(story, state):
        raise Refused(f"You need the right key for the {_name(story, thing)}.")
    return thing, key


def _set_locked(story, state, thing: str, locked: bool) -> None:
    table = state.doors_locked if story.kind_of(thing) == "door" else state.containers_locked
    table[thing] = locked


@handler("unlock")
def do_unlock(story, state, action):
    thing, key = _lock_and_key(story, state, action)
    if not q.is_locked(story, state, thing):
        raise Refused(f"The {_name(story, thing)} is already unlocked.")
    _set_locked(story, state, thing, False)
    swings = story.kind_of(thing) == "door" and not story.door(thing).openable
    text = f"You unlock the {_name(story, thing)} with the {story.item(key).name}."
    return [Event("unlocked", text + (" It swings open." if swings else ""), {"id": thing, "key": key})]


@handler("lock")
def do_lock(story, state, action):
    thing, key = _lock_and_key(story, state, action)
    if q.is_locked(story, state, thing):
        raise Refused(f"The {_name(story, thing)} is already locked.")
    is_door = story.kind_of(thing) == "door"
    if (state.doors_open[thing] if is_door and story.door(thing).openable
            else not is_door and q.is_open(story, state, thing)):
        raise Refused(f"You have to close the {_name(story, thing)} first.")
    _set_locked(story, state, thing, True)
    return [Event("locked", f"You lock the {_name(story, thing)}.", {"id": thing})]
