"""One handler per verb: validate against the rules, then mutate a working copy.

Each handler receives the story, a *copy* of the state that it may change,
and the `Action`. It either returns the events describing what happened or
raises `Refused` with the reason — in which case the engine throws the copy
away, so a refused action changes nothing (atomicity). Handlers validate
completely before their first mutation anyway, so a half-applied copy is
never even observed.

Deliberately left out: turn/clock bookkeeping, endings and invariant checks
(the engine does those for every action), and natural-language parsing.
"""
from __future__ import annotations

from typing import Callable

from game.world import queries as q
from game.world.events import Action, Event
from game.world.model import Story
from game.world.place import CARRIED, NOWHERE_PLACE, Place
from game.world.state import WorldState
from game.world.wording import capitalise_first, with_article


class Refused(Exception):
    """The action is not allowed now; the message says why, in the game's voice."""


Handler = Callable[[Story, WorldState, Action], list[Event]]
HANDLERS: dict[str, Handler] = {}


def handler(verb: str):
    def register(fn: Handler) -> Handler:
        HANDLERS[verb] = fn
        return fn
    return register


def award(story: Story, state: WorldState, key: str, points: int, reason: str) -> list[Event]:
    if points <= 0 or key in state.awarded:
        return []
    state.awarded = sorted([*state.awarded, key])
    state.score += points
    return [Event("score", f"(+{points} points: {reason}. Score {state.score} of {story.max_score()}.)",
                  {"points": points, "score": state.score, "reason": reason})]


def _require_in_scope(story: Story, state: WorldState, item_id: str | None) -> None:
    if item_id is None or story.kind_of(item_id) != "item" or item_id not in q.in_scope(story, state):
        raise Refused("You don't see that here." if q.is_lit(story, state) else "It is too dark to see.")


def _name(story: Story, item_id: str) -> str:
    return story.item(item_id).name


# --- looking -----------------------------------------------------------------
def describe_room(story: Story, state: WorldState) -> Event:
    room = story.room(state.location)
    if not q.is_lit(story, state):
        return Event("dark", f"{room.name}\nIt is pitch dark. You can't see a thing.",
                     {"room": room.id, "dark": True, "exits": [e.direction for e in room.exits]})
    items = [i for i in q.visible_in_room(story, state)]
    people = q.people_here(story, state)
    lines = [room.name, room.description]
    if items:
        lines.append("You see: " + ", ".join(_describe_item_here(story, state, i) for i in items) + ".")
    if people:
        lines.append("Here: " + ", ".join(story.character(c).name for c in people) + ".")
    for rid in q.riddles_here(story, state):
        riddle = story.riddle(rid)
        status = "stands open" if rid in state.solved else "is shut; a riddle is carved on it"
        lines.append(f"{capitalise_first(riddle.name)} {status}.")
    exits = []
    for e in room.exits:
        label = e.direction
        if e.to in state.visited:
            label += f" ({story.room(e.to).name})"
        blocker = q.exit_blocker(story, state, e)
        if blocker:
            label += " [blocked]"
        exits.append(label)
    lines.append("Exits: " + (", ".join(exits) if exits else "none") + ".")
    return Event("room", "\n".join(lines), {
        "room": room.id, "name": room.name, "items": items, "people": people,
        "exits": [e.direction for e in room.exits], "riddles": q.riddles_here(story, state)})


def _describe_item_here(story: Story, state: WorldState, item_id: str) -> str:
    place = state.items[item_id]
    text = with_article(_name(story, item_id))
    if state.lit.get(item_id):
        text += " (lit)"
    if place.container:
        text += f" ({place.kind} the {_name(story, place.container)})"
    return text


@handler("look")
def do_look(story, state, action):
    return [describe_room(story, state)]


@handler("inventory")
def do_inventory(story, state, action):
    carried = q.held(story, state)
    coins = state.counters.get(story.currency, 0)
    if carried:
        names = []
        for iid in carried:
            extra = " (lit)" if state.lit.get(iid) else ""
            place = state.items[iid]
            if place.container:
                extra += f" ({place.kind} the {_name(story, place.container)})"
            names.append(with_article(_name(story, iid)) + extra)
        text = "You carry: " + ", ".join(names) + "."
    else:
        text = "You carry nothing."
    if coins or q.uses_money(story):
        text += f" Purse: {coins} {story.currency}."  # stories without money (TextWorld's) show no purse
    return [Event("inventory", text, {"items": carried, story.currency: coins})]


@handler("examine")
def do_examine(story, state, action):
    kind = story.kind_of(action.obj) if action.obj else None
    if kind == "character" and action.obj in q.people_here(story, state):
        return [Event("examined", story.character(action.obj).description, {"id": action.obj})]
    if kind == "riddle" and action.obj in q.riddles_here(story, state):
        riddle = story.riddle(action.obj)
        state_text = "It stands open." if action.obj in state.solved else "It is shut."
        return [Event("riddle", f"{capitalise_first(riddle.name)}: \"{riddle.prompt}\" {state_text}",
                      {"riddle": riddle.id, "prompt": riddle.prompt, "solved": action.obj in state.solved})]
    if kind == "door" and action.obj in q.doors_here(story, state):
        door = story.door(action.obj)
        lock = "locked" if state.doors_locked[door.id] else "unlocked"
        if door.openable and not state.doors_locked[door.id]:
            lock = "open" if state.doors_open[door.id] else "closed"
        return [Event("examined", f"{door.description or capitalise_first(door.name)} It is {lock}.", {"id": door.id})]
    _require_in_scope(story, state, action.obj)
    item = story.item(action.obj)
    text = item.description
    if item.light:
        text += " It is lit." if state.lit.get(item.id) else " It is not lit."
    if item.container:
        if item.container.kind == "in" and not q.is_open(story, state, item.id):
            text += " It is locked." if q.is_locked(story, state, item.id) else " It is closed."
        else:
            inside = q.contents(state, Place.holder(item.container.kind, item.id))
            names = ", ".join(with_article(_name(story, i)) for i in inside) or "nothing"
            text += f" {'In' if item.container.kind == 'in' else 'On'} it: {names}."
    if item.text:
        text += " Something is written on it."
    return [Event("examined", text, {"id": item.id})]


@handler("read")
def do_read(story, state, action):
    _require_in_scope(story, state, action.obj)
    item = story.item(action.obj)
    if not item.text:
        raise Refused(f"There is nothing written on the {item.name}.")
    if not q.is_lit(story, state):
        raise Refused("It is too dark to read.")
    if item.read_sets_flag:
        state.flags = {**state.flags, item.read_sets_flag: True}
    return [Event("read", f"The {item.name} reads: \"{item.text}\"", {"id": item.id, "text": item.text})]


@handler("lore")
def do_lore(story, state, action):
    from agent.text_search import LoreIndex  # the narrator's LoreSearch tool uses the same index

    query = (action.text or "").strip()
    hits = LoreIndex([(e.title, e.text) for e in story.lore]).search(query) if query else []
    if not hits:
        raise Refused("You recall no lore about that.")
    title, text, _ = hits[0]
    return [Event("lore", f"{title}: {text}", {"title": title})]


# --- moving --------------------------------------------------------------------
@handler("go")
def do_go(story, state, action):
    exit_ = next((e for e in q.exits_here(story, state) if e.direction == action.obj), None)
    if exit_ is None:
        raise Refused("You can't go that way.")
    blocker = q.exit_blocker(story, state, exit_)
    if blocker:
        raise Refused(blocker)
    origin = state.location
    state.location = exit_.to
    if exit_.to not in state.visited:
        state.visited = sorted([*state.visited, exit_.to])
    events = [Event("moved", "", {"from": origin, "to": exit_.to, "direction": exit_.direction}),
              describe_room(story, state)]
    room = story.room(exit_.to)
    return events + award(story, state, f"room:{room.id}", room.points, f"reached {room.name}")


# --- items ---------------------------------------------------------------------
@handler("take")
def do_take(story, state, action):
    _require_in_scope(story, state, action.obj)
    item = story.item(action.obj)
    if state.items[item.id] == CARRIED:
        raise Refused(f"You already have the {item.name}.")
    if action.target is not None and state.items[item.id].container != action.target:
        raise Refused(f"The {item.name} is not {_where_word(story, action.target)} the {_name(story, action.target)}.")
    if not item.portable:
        raise Refused(f"The {item.name} cannot be moved.")
    if item.money:
        state.items[item.id] = NOWHERE_PLACE
        state.counters[story.currency] = state.counters.get(story.currency, 0) + item.money
        return [Event("coins", f"You pocket the {item.name}: {item.money} {story.currency}. "
                      f"Purse: {state.counters[story.currency]} {story.currency}.",
                      {"id": item.id, "amount": item.money, "purse": state.counters[story.currency]})
                ] + award(story, state, f"item:{item.id}", item.points, f"found the {item.name}")
    if item.id in q.held(story, state):  # taking it out of a carried container: no new load
        pass
    elif q.load_of(state) >= story.inventory_limit:
        raise Refused(f"Your hands are full (you can carry {story.inventory_limit} things). Drop something first.")
    state.items[item.id] = CARRIED
    return [Event("taken", f"You take the {item.name}.", {"id": item.id})] + award(
        story, state, f"item:{item.id}", item.points, f"found the {item.name}")


def _where_word(story: Story, holder: str) -> str:
    if story.kind_of(holder) != "item" or story.item(holder).container is None:
        return "in"
    return story.item(holder).container.kind


@handler("drop")
def do_drop(story, state, action):
    if action.obj not in q.held(story, state):
        raise Refused("You aren't carrying that.")
    state.items[action.obj] = q.room_place(state.location)
    return [Event("dropped", f"You drop the {_name(story, action.obj)}.", {"id": action.obj})]


@handler("put")
def do_put(story, state, action):
    if action.obj not in q.held(story, state):
        raise Refused("You aren't carrying that.")
    _require_in_scope(story, state, action.target)
    target = story.item(action.target)
    if target.container is None:
        raise Refused(f"You can't put things in or on the {target.name}.")
    if action.target == action.obj or _encloses(state, action.obj, action.target):
        raise Refused("That would put a thing inside itself.")
    kind = target.container.kind
    if action.text in ("in", "on") and action.text != kind:  # the player said "on" for a box, or "in" for a table
        raise Refused(f"You can't put things {action.text} the {target.name}; try 'put ... {kind} the {target.name}'.")
    if kind == "in" and not q.is_open(story, state, target.id):
        raise Refused(f"The {target.name} is closed.")
    if len(q.contents(state, Place.holder(kind, target.id))) >= target.container.capacity:
        raise Refused(f"There is no room {kind} the {target.name}.")
    state.items[action.obj] = Place.holder(kind, target.id)
    return [Event("put", f"You put the {_name(story, action.obj)} {kind} the {target.name}.",
                  {"id": action.obj, "target": target.id, "prep": kind})]


def _encloses(state: WorldState, outer: str, inner: str) -> bool:
    """Is `inner` (transitively) inside or on `outer`?"""
    place = state.items.get(inner)
    seen = set()
    while place is not None and place.container and place not in seen:
        seen.add(place)
        if place.container == outer:
            return True
        place = state.items.get(place.container)
    return False


@handler("light")
def do_light(story, state, action):
    _require_in_scope(story, state, action.obj)
    item = story.item(action.obj)
    if item.light is None:
        raise Refused(f"The {item.name} cannot be lit.")
    if state.lit[item.id]:
        raise Refused(f"The {item.name} is already lit.")
    if item.light.needs and item.light.needs not in q.held(story, state):
        raise Refused(f"You have nothing to light the {item.name} with.")
    was_dark = not q.is_lit(story, state)
    state.lit[item.id] = True
    events = [Event("lit", f"You light the {item.name}. Warm light spills out.", {"id": item.id})]
    return events + ([describe_room(story, state)] if was_dark else [])


@handler("extinguish")
def do_extinguish(story, state, action):
    _require_in_scope(story, state, action.obj)
    item = story.item(action.obj)
    if item.light is None or not state.lit[item.id]:
        raise Refused(f"The {item.name} is not lit.")
    state.lit[item.id] = False
    return [Event("extinguished", f"You put out the {item.name}.", {"id": item.id})]
