"""Cross-reference checks on a schema-valid story; each problem carries its field path.

Checks: ids unique across all kinds; every reference (exit targets, doors,
riddles, keys, item and character locations, shop items, conditions) points
at something of the right kind; doors sit on two exits that lead back to each
other; containment has no cycles; the starting load fits; the win is
reachable — first ignoring locks (a map problem), then honouring them (keys
must be reachable without passing the door they open; riddle gates count as
passable since an answer can always be spoken); and the story's own
walkthrough, played by the deterministic parser and engine, wins.

Deliberately left out: judging prose, puzzle fairness and lose conditions'
reachability (a story need not be losable).
"""
from __future__ import annotations

from game.world.model import NOWHERE, PLAYER, Story

Loc = tuple


def cross_check(story: Story, *, check_walkthrough: bool = True,
                also_known: set[str] = frozenset()) -> list[tuple[Loc, str]]:
    """`also_known`: ids of parts dropped for schema errors; references to them are not
    reported again (and reachability is skipped, the map being incomplete)."""
    problems: list[tuple[Loc, str]] = []
    problems += _unique_ids(story)  # references still resolve (the last of equal ids wins)
    problems += _references(story, also_known)
    problems += _verbs(story)
    if problems or also_known:
        return problems
    problems += _reachability(story)
    if not problems and check_walkthrough and story.walkthrough:
        problems += _walkthrough(story)
    return problems


def _unique_ids(story: Story) -> list[tuple[Loc, str]]:
    seen: dict[str, Loc] = {}
    out = []
    for section in ("rooms", "doors", "items", "characters", "riddles", "quests"):
        for i, thing in enumerate(getattr(story, section)):
            loc = (section, i, "id")
            if thing.id in seen or thing.id in (PLAYER, NOWHERE):
                first = ".".join(map(str, seen.get(thing.id, ("reserved",))))
                out.append((loc, f"duplicate id {thing.id!r} (also at {first})"))
            else:
                seen[thing.id] = loc
    return out


def _verbs(story: Story) -> list[tuple[Loc, str]]:
    from game.understanding.lexicon import SYNONYMS

    known = sorted(SYNONYMS)
    return [(("verbs", phrase), f"{verb!r} is not a verb the game knows ({', '.join(known)})")
            for phrase, verb in story.verbs.items() if verb not in SYNONYMS]


def _references(story: Story, also_known: set[str] = frozenset()) -> list[tuple[Loc, str]]:
    out: list[tuple[Loc, str]] = []

    def need(loc: Loc, ref: str | None, *kinds: str) -> bool:
        if ref is None:
            return True
        if ref in also_known:
            return False
        if story.kind_of(ref) not in kinds:
            out.append((loc, f"{ref!r} is not a known {' or '.join(kinds)} id"))
            return False
        return True

    need(("start",), story.start, "room")
    for r, room in enumerate(story.rooms):
        seen_dirs = set()
        for e, ex in enumerate(room.exits):
            base = ("rooms", r, "exits", e)
            if ex.direction in seen_dirs:
                out.append(((*base, "direction"), f"room {room.id!r} has two exits {ex.direction}"))
            seen_dirs.add(ex.direction)
            need((*base, "to"), ex.to, "room")
            need((*base, "door"), ex.door, "door")
            if need((*base, "riddle"), ex.riddle, "riddle") and ex.riddle and story.riddle(ex.riddle).room != room.id:
                out.append(((*base, "riddle"), f"riddle {ex.riddle!r} is in room {story.riddle(ex.riddle).room!r}, "
                                               f"not {room.id!r}: a gate must be where its exit starts"))
    for d, door in enumerate(story.doors):
        need(("doors", d, "key"), door.key, "item")
        uses = [(r.id, e.to) for r in story.rooms for e in r.exits if e.door == door.id]
        if len(uses) != 2 or uses[0] != (uses[1][1], uses[1][0]):
            out.append((("doors", d, "id"), f"door {door.id!r} must sit on exactly two exits that lead back to each "
                                            f"other (found {len(uses)})"))
    for i, item in enumerate(story.items):
        if item.location not in (PLAYER, NOWHERE) and need(("items", i, "location"), item.location,
                                                           "room", "item", "character"):
            if story.kind_of(item.location) == "item" and story.item(item.location).container is None:
                out.append((("items", i, "location"), f"{item.location!r} is an item but not a container or supporter"))
        if item.light:
            need(("items", i, "light", "needs"), item.light.needs, "item")
        if item.container and item.container.key:
            need(("items", i, "container", "key"), item.container.key, "item")
        if item.money and (item.container or item.light):
            out.append((("items", i, "money"), "money items vanish when taken; they cannot hold things or give light"))
    out += _containment(story)
    for c, char in enumerate(story.characters):
        need(("characters", c, "location"), char.location, "room")
        for table in ("sells", "buys"):
            for k, entry in enumerate(getattr(char, table)):
                if need(("characters", c, table, k, "item"), entry.item, "item") and table == "sells" \
                        and story.item(entry.item).location != char.id:
                    out.append((("characters", c, "sells", k, "item"),
                                f"{char.name} sells {entry.item!r}, so its location must be {char.id!r}"))
    for r, riddle in enumerate(story.riddles):
        need(("riddles", r, "room"), riddle.room, "room")
        if not any(e.riddle == riddle.id for room in story.rooms for e in room.exits):
            out.append((("riddles", r, "id"), f"riddle {riddle.id!r} guards no exit"))
    conditions = [((("win", "when", k)), c) for k, c in enumerate(story.win.when)]
    conditions += [(("lose", i, "when", k), c) for i, end in enumerate(story.lose) for k, c in enumerate(end.when)]
    for qi, quest in enumerate(story.quests):
        for part in ("win", "fail"):
            conditions += [(("quests", qi, part, a, k), c) for a, alt in enumerate(getattr(quest, part))
                           for k, c in enumerate(alt)]
    for loc, cond in conditions:
        need((*loc, "player_in"), cond.player_in, "room")
        need((*loc, "item"), cond.item, "item")
        if cond.at not in (None, PLAYER):
            need((*loc, "at"), cond.at, "room", "item", "character")
        need((*loc, "riddle_solved"), cond.riddle_solved, "riddle")
        need((*loc, "quest_completed"), cond.quest_completed, "quest")
        need((*loc, "quest_failed"), cond.quest_failed, "quest")
        # A lose or fail condition that can never hold is harmless (TextWorld writes such); a win one is not.
        can_fail = loc[0] == "lose" or (loc[0] == "quests" and loc[2] == "fail")
        if need((*loc, "thing"), cond.thing, "door", "item") and cond.thing and not can_fail:
            out += _thing_state_problem((*loc, "is"), story, cond.thing, cond.is_)
    if story.recipe:
        need(("recipe", "room"), story.recipe.room, "room")
        if need(("recipe", "meal"), story.recipe.meal, "item") and story.item(story.recipe.meal).location != NOWHERE:
            out.append((("recipe", "meal"), "the meal must start 'nowhere': preparing it brings it"))
        for k, ingredient in enumerate(story.recipe.ingredients):
            if need(("recipe", "ingredients", k, "item"), ingredient.item, "item") \
                    and story.item(ingredient.item).food is None:
                out.append((("recipe", "ingredients", k, "item"), f"{ingredient.item!r} is not food"))
    return out


def _thing_state_problem(loc: Loc, story: Story, thing: str, wanted: str) -> list[tuple[Loc, str]]:
    if story.kind_of(thing) == "item" and wanted not in ("open", "closed", "locked"):
        item = story.item(thing)
        food = item.food
        if wanted == "eaten":
            ok = item.edible or item.drinkable or bool(food and food.needs_cooking)
        elif food is None:
            ok = False
        elif wanted in ("raw", "uncut"):
            ok = wanted in (food.cooking, food.cutting)
        elif wanted in ("sliced", "diced", "chopped"):
            ok = food.cuttable or food.cutting == wanted
        else:  # roasted, fried, grilled, cooked, burned
            ok = food.cookable or food.cooking == wanted or (wanted == "burned" and food.burned)
        return [] if ok else [(loc, f"{thing!r} can never be {wanted}")]
    if story.kind_of(thing) == "door":
        door = story.door(thing)
        ok = wanted != "closed" or door.openable
        ok = ok and (wanted != "locked" or door.key is not None or door.locked)
    else:
        container = story.item(thing).container
        ok = container is not None and container.openable and (wanted != "locked" or container.lockable)
    return [] if ok else [(loc, f"{thing!r} can never be {wanted}")]


def _containment(story: Story) -> list[tuple[Loc, str]]:
    out = []
    for i, item in enumerate(story.items):
        seen, here = {item.id}, item.location
        while story.kind_of(here) == "item":
            if here in seen:
                out.append((("items", i, "location"), f"item {item.id!r} ends up inside itself"))
                break
            seen.add(here)
            here = story.item(here).location
    return out


def _room_of(story: Story, location: str, reachable_rooms: set[str]) -> str | None:
    """The room an item's starting location is in (following containers), or None."""
    seen = set()
    while location not in seen:
        seen.add(location)
        kind = story.kind_of(location)
        if location == PLAYER:
            return story.start
        if kind == "room":
            return location
        if kind == "character":
            return story.character(location).location
        if kind != "item":
            return None
        location = story.item(location).location
    return None


def reachable_rooms(story: Story, honour_locks: bool) -> set[str]:
    """Fixpoint: rooms reachable from the start; a locked door opens once its key's room is reachable."""
    rooms = {story.start}
    changed = True
    while changed:
        changed = False
        for room_id in list(rooms):
            for ex in story.room(room_id).exits:
                if ex.to in rooms:
                    continue
                if honour_locks and ex.door:
                    door = story.door(ex.door)
                    if door.locked and (door.key is None or _room_of(story, story.item(door.key).location, rooms)
                                        not in rooms):
                        continue
                rooms.add(ex.to)
                changed = True
    return rooms


def _item_room(story: Story, item_id: str, rooms: set[str]) -> str:
    """Where an item can be got: its starting room, the recipe's room for the meal, or a note."""
    if story.recipe and item_id == story.recipe.meal:
        return story.recipe.room
    return _room_of(story, story.item(item_id).location, rooms) or f"{item_id!r} (it starts nowhere)"


def _needed_rooms(story: Story, cond, rooms: set[str], depth: int = 0) -> list[str]:
    """Rooms a condition needs that are not in `rooms` (a quest needs those of its cheapest alternative)."""
    needed = []
    if cond.player_in:
        needed.append(cond.player_in)
    if cond.item:
        needed.append(_item_room(story, cond.item, rooms))
        if cond.at not in (None, PLAYER):
            needed.append(_room_of(story, cond.at, rooms))
    if cond.thing and story.kind_of(cond.thing) == "item":
        needed.append(_item_room(story, cond.thing, rooms))
    if cond.riddle_solved:
        needed.append(story.riddle(cond.riddle_solved).room)
    if cond.quest_completed and depth < 4:
        options = [sorted({r for c in alt for r in _needed_rooms(story, c, rooms, depth + 1)}, key=str)
                   for alt in story.quest(cond.quest_completed).win]
        needed += min(options, key=len) if options else ["(a quest with no way to complete it)"]
    return [r for r in needed if r not in rooms]


def _reachability(story: Story) -> list[tuple[Loc, str]]:
    out = []
    for honour, label in ((False, "even ignoring locks"), (True, "behind locked doors whose keys are out of reach")):
        rooms = reachable_rooms(story, honour)
        for k, cond in enumerate(story.win.when):
            missing = _needed_rooms(story, cond, rooms)
            if missing:
                out.append((("win", "when", k),
                            f"the win is unreachable: {', '.join(map(str, missing))} cannot be reached {label}"))
        if out:
            return out
    return out


def _walkthrough(story: Story) -> list[tuple[Loc, str]]:
    """Play the walkthrough with the deterministic layers only (no model)."""
    from game.understanding.replay import replay
    from game.world.engine import Engine

    engine = Engine(story)
    for step in replay(story, engine=engine):
        n, command = step.index, step.command
        if step.ended:
            return [(("walkthrough", n), f"the game already ended ({step.before.outcome}) before this command")]
        if step.outcome is None:
            return [(("walkthrough", n), f"{command!r} does not parse: {step.parsed.message}")]
        if step.outcome.refused:
            return [(("walkthrough", n), f"{command!r} is refused: {step.outcome.events[0].message}")]
    if engine.state.outcome != "won":
        return [(("walkthrough",), f"the walkthrough ends without winning (in {engine.state.location!r})")]
    return []
