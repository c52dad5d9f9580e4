"""Convert a TextWorld game description (the `.json` tw-make writes) into one of our stories.

TextWorld describes a game as logic facts over typed entities: `at(P, r_1)`,
`in(k_0, c_1)`, `north_of(r_1, r_0)`, `link(r_0, d_0, r_2)`, `locked(c_1)`,
`match(k_0, c_1)`, plus quests whose win and fail events are sets of facts.
`textworld_to_story_data(game)` maps every fact onto our schema — rooms and
exits, `openable` doors with keys, containers (lockable, fixed in place) and
supporters, portable objects, keys and food, quests with their rewards — and
raises `TextWorldImportError` naming the first fact it cannot represent, so an
imported game never silently differs from TextWorld's. `import_textworld(path)`
validates that dict directly (the story schema and `game.stories.checks`), so
each problem names the TextWorld file and the entity (`items.k_0.location`),
never a line of YAML nobody sees; YAML is written only when asked for
(`story_yaml_text`, `adventure story import-textworld`).

The textworld package itself is not needed: the JSON is read as data.

The cooking challenge maps too: food with its cooking and cutting state,
sharp tools, heat sources (oven roasts, stove fries, toaster grills) and the
recipe (`prepare meal` in its room).

Deliberately left out (each is a clear error, never an approximation):
repeatable quests and any predicate or entity type a newer TextWorld adds.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path

from game.stories.loader import Problem, validate_story_data
from game.textworld.game_file import (  # noqa: F401  (TextWorldImportError, fact_text: the importer's names too)
    TextWorldImportError,
    fact_text,
    import_error,
    plain_text,
    read_game,
    story_id_for,
)
from game.world.model import Story

log = logging.getLogger(__name__)

SUPPORTED_VERSION = 1
# Entity types: P player, I inventory, r room, d door, c container, s supporter,
# o portable object, k key, f food, t fixed thing; the cooking challenge adds
# meal (food), oven and toaster (containers), stove (supporter), ingredient and RECIPE.
ITEM_TYPES = {"c", "s", "o", "k", "f", "t", "meal", "oven", "toaster", "stove"}
KNOWN_TYPES = ITEM_TYPES | {"P", "I", "r", "d", "ingredient", "RECIPE", "slot"}  # a slot: one unit of capacity
_PORTABLE = {"o", "k", "f", "meal"}
_CONTAINER_KIND = {"c": "in", "oven": "in", "toaster": "in", "s": "on", "stove": "on"}
_HEAT = {"oven": "roasted", "stove": "fried", "toaster": "grilled"}
_COOKING = ("raw", "roasted", "fried", "grilled")
_CUTTING = ("uncut", "sliced", "diced", "chopped")
_FOOD_FACTS = {"cookable", "cuttable", "needs_cooking", "cooked", "burned", "edible", "inedible", "drinkable",
               "consumed", "sharp", *_COOKING, *_CUTTING}
_RECIPE_FACTS = {"base", "cooking_location", "out", "used"}
_DIRECTION_FACTS = {"north_of": ("north", "south"), "south_of": ("south", "north"),
                    "east_of": ("east", "west"), "west_of": ("west", "east")}
_STATE_FACTS = {"open", "closed", "locked"}
# Names the parser reads as something else. (Names holding "off", "for", "on"... are fine: the parser
# tries the whole phrase as one name before cutting "take X off Y" in two.)
_RESERVED_NAMES = {"all", "everything", "it", "me", "myself", "inventory", "look"}


class _Converter:
    def __init__(self, game: dict, file: str) -> None:
        self.game, self.file = game, file
        version = game.get("version")
        if version != SUPPORTED_VERSION:
            raise import_error(file, "version", f"TextWorld game format {version!r}; this importer reads format "
                                         f"{SUPPORTED_VERSION} (TextWorld 1.x)")
        try:
            self.infos = {entry[0]: entry[1] for entry in game["infos"]}
            self.facts = [(f["name"], tuple(a["name"] for a in f["arguments"])) for f in game["world"]]
        except (KeyError, TypeError, IndexError) as exc:
            raise import_error(file, "world", f"a malformed entity or fact ({exc!r})") from None
        for eid, info in self.infos.items():
            if info.get("type") not in KNOWN_TYPES:
                raise import_error(file, f"infos.{eid}", f"entity type {info.get('type')!r} is not supported "
                                                  "(made by a newer TextWorld?)")
        self.kind = {eid: info["type"] for eid, info in self.infos.items()}

    # --- helpers -------------------------------------------------------------------
    def name(self, eid: str) -> str:
        info = self.infos[eid]
        name = (info.get("name") or info.get("noun") or "").strip()
        if not name:
            raise import_error(self.file, f"infos.{eid}.name", f"entity {eid!r} has no name")
        if self.kind.get(eid) != "r" and name.lower() in _RESERVED_NAMES:
            raise import_error(self.file, f"infos.{eid}.name", f"the name {name!r} is a command word; the parser "
                                                        "could not tell the thing from the command")
        return name

    def holds(self, name: str, *args: str) -> bool:
        return (name, tuple(args)) in self.facts

    def where(self, eid: str) -> str:
        if self.holds("out", eid, "RECIPE"):
            return "nowhere"  # the meal, until it is prepared
        for name, args in self.facts:
            if args and args[0] == eid and name in ("at", "in", "on"):
                target = args[1]
                return "player" if target == "I" else target
        raise import_error(self.file, "world", f"{eid!r} ({self.name(eid)}) is nowhere: no at/in/on fact places it")

    # --- the conversion --------------------------------------------------------------
    def convert(self) -> dict:
        self._check_predicates()
        start = next((args[1] for name, args in self.facts if name == "at" and args[0] == "P"), None)
        if start is None:
            raise import_error(self.file, "world", "no at(P, room) fact: the player has no starting room")
        doors = self._doors()
        rooms = self._rooms(doors)
        items = self._items()
        quests, win, lose = self._quests()
        metadata = self.game.get("metadata") or {}
        walkthrough = metadata.get("walkthrough") or [c for q in self.game["quests"] for c in q.get("commands", [])]
        objective = plain_text(self.game.get("objective"), "") or "A TextWorld game."
        walkthrough = [c for c in walkthrough if isinstance(c, str)]
        return {
            "format": 1, "id": story_id_for(self.game, self.file),
            "title": f"TextWorld: {Path(self.file).stem}", "intro": objective,
            "narrator_rules": "This is an imported TextWorld game: keep to the engine's facts.",
            "start": start, "inventory_limit": self._capacity(len(items)),
            "clock": {"minutes_per_turn": 1},
            "rooms": rooms, "doors": list(doors.values()), "items": items, "quests": quests,
            "recipe": self._recipe(), "win": win, "lose": lose, "walkthrough": list(walkthrough),
        }

    def _capacity(self, item_count: int) -> int:
        """TextWorld's cooking games with `--drop` limit the hands to one thing per slot; others do not."""
        slots = sum(1 for kind in self.kind.values() if kind == "slot")
        return slots if slots else max(8, item_count + 1)

    def _check_predicates(self) -> None:
        known = {"at", "in", "on", "free", "link", "match", "eaten", *_STATE_FACTS, *_DIRECTION_FACTS,
                 *_FOOD_FACTS, *_RECIPE_FACTS}
        for i, (name, args) in enumerate(self.facts):
            if name not in known and not re.fullmatch(r"ingredient_\d+", name):
                raise import_error(self.file, f"world[{i}]", f"the fact {name}({', '.join(args)}) is not supported "
                                                      "(made by a newer TextWorld?)")
            if (name == "used" and self.kind.get(args[0]) != "slot") or name == "consumed":
                raise import_error(self.file, f"world[{i}]", f"the game starts with {name}({', '.join(args)}): "
                                                      "a partly played game cannot be imported")

    def _state_of(self, eid: str) -> tuple[bool, bool]:
        """(open, locked) from the open/closed/locked facts."""
        return self.holds("open", eid), self.holds("locked", eid)

    def _key_of(self, eid: str) -> str | None:
        return next((args[0] for name, args in self.facts if name == "match" and args[1] == eid), None)

    def _doors(self) -> dict[str, dict]:
        doors = {}
        for eid, kind in self.kind.items():
            if kind != "d":
                continue
            is_open, locked = self._state_of(eid)
            doors[eid] = {"id": eid, "name": self.name(eid), "adjectives": self._adjectives(eid),
                          "description": plain_text(self.infos[eid].get("desc"), self.name(eid)),
                          "locked": locked, "key": self._key_of(eid), "openable": True, "open": is_open}
        return doors

    def _rooms(self, doors: dict) -> list[dict]:
        links = {(args[0], args[2]): args[1] for name, args in self.facts if name == "link"}
        free = {args for name, args in self.facts if name == "free"}
        exits: dict[str, dict[str, dict]] = {eid: {} for eid, k in self.kind.items() if k == "r"}
        for name, args in self.facts:
            if name not in _DIRECTION_FACTS:
                continue
            there, here = args  # `there` is mapped <direction> of `here`
            forward, back = _DIRECTION_FACTS[name]
            for origin, direction, to in ((here, forward, there), (there, back, here)):
                door = links.get((origin, to))
                if door is None and (origin, to) not in free:
                    raise import_error(self.file, "world", f"{origin} and {to} are mapped {direction} of each other "
                                                    "but neither free() nor link() connects them")
                previous = exits[origin].get(direction)
                if previous and previous["to"] != to:
                    raise import_error(self.file, "world", f"room {origin} has two exits {direction}")
                exits[origin][direction] = {"direction": direction, "to": to, **({"door": door} if door else {})}
        rooms = []
        for eid in exits:
            name = self.name(eid)
            rooms.append({"id": eid, "name": name.title() if name.islower() else name,
                          "description": plain_text(self.infos[eid].get("desc"), name) or f"You are in the {name}.",
                          "exits": list(exits[eid].values())})
        return rooms

    def _adjectives(self, eid: str) -> list[str]:
        adj = self.infos[eid].get("adj")
        return [w for w in (adj or "").lower().split() if w]

    def _items(self) -> list[dict]:
        items = []
        for eid, kind in self.kind.items():
            if kind not in ITEM_TYPES:
                continue
            name = self.name(eid)
            item = {"id": eid, "name": name, "adjectives": self._adjectives(eid),
                    "aliases": [s for s in (self.infos[eid].get("synonyms") or [])
                                if s.lower() not in _RESERVED_NAMES],
                    "description": plain_text(self.infos[eid].get("desc"), name) or f"It is a {name}.",
                    "location": self.where(eid), "portable": kind in _PORTABLE}
            if _CONTAINER_KIND.get(kind) == "in":
                is_open, locked = self._state_of(eid)
                key = self._key_of(eid)
                item["container"] = {"kind": "in", "openable": True, "open": is_open, "locked": locked,
                                     "key": key, "capacity": 100}
            elif _CONTAINER_KIND.get(kind) == "on":
                item["container"] = {"kind": "on", "capacity": 100}
            if kind in _HEAT:
                item["heat"] = _HEAT[kind]
            if self.holds("sharp", eid):
                item["sharp"] = True
            if kind in ("f", "meal"):
                item["edible"] = not self.holds("inedible", eid)
                item["drinkable"] = self.holds("drinkable", eid)
                if self.cooking_game:
                    item["food"] = self._food(eid)
            if self.holds("eaten", eid):
                item["location"] = "nowhere"
            items.append(item)
        return items

    def _one_of(self, eid: str, values: tuple[str, ...]) -> str:
        found = [v for v in values if self.holds(v, eid)]
        if len(found) > 1:
            raise import_error(self.file, "world", f"{eid!r} is both {found[0]} and {found[1]}")
        return found[0] if found else values[0]

    @property
    def cooking_game(self) -> bool:
        """The cooking challenge's rules hold: its Inform 7 kinds say "food is cookable" and "food is usually
        cuttable" for every food, whatever facts the JSON lists."""
        return any(kind in ("RECIPE", "meal", "oven", "stove", "toaster") for kind in self.kind.values()) or any(
            name in ("cookable", "cuttable", "needs_cooking") for name, _ in self.facts)

    def _food(self, eid: str) -> dict:
        return {"cookable": True, "needs_cooking": self.holds("needs_cooking", eid),
                "cooking": self._one_of(eid, _COOKING), "cooked": self.holds("cooked", eid),
                "burned": self.holds("burned", eid), "cuttable": True, "cutting": self._one_of(eid, _CUTTING)}

    def _recipe(self) -> dict | None:
        if "RECIPE" not in self.kind:
            return None
        room = next((args[0] for name, args in self.facts if name == "cooking_location" and args[1] == "RECIPE"), None)
        meal = next((args[0] for name, args in self.facts if name == "out" and args[1] == "RECIPE"), None)
        if room is None or meal is None:
            raise import_error(self.file, "world", "the recipe has no cooking_location or no meal (out(meal, RECIPE))")
        ingredients = []
        for name, args in self.facts:
            if name == "in" and args[1] == "RECIPE":
                base = next((a[0] for n, a in self.facts if n == "base" and a[1] == args[0]), None)
                if base is None:
                    raise import_error(self.file, "world", f"ingredient {args[0]!r} has no base(food, {args[0]}) fact")
                ingredients.append({"item": base, "cooking": self._one_of(args[0], _COOKING),
                                    "cutting": self._one_of(args[0], _CUTTING)})
        if not ingredients:
            raise import_error(self.file, "world", "the recipe lists no ingredients")
        return {"room": room, "ingredients": ingredients, "meal": meal}

    # --- quests --------------------------------------------------------------------------
    def _conditions(self, event: dict, where: str) -> list[dict]:
        condition = event.get("condition") or {}
        out = []
        for k, fact in enumerate(condition.get("preconditions", [])):
            name, args = fact["name"], [a["name"] for a in fact["arguments"]]
            field = f"{where}.condition.preconditions[{k}]"
            if name == "at" and args[0] == "P":
                out.append({"player_in": args[1]})
            elif name in ("at", "in", "on"):
                out.append({"item": args[0], "at": "player" if args[1] == "I" else args[1]})
            elif name in _STATE_FACTS:
                out.append({"thing": args[0], "is": name})
            elif name in ("eaten", "consumed"):
                out.append({"thing": args[0], "is": "eaten"})
            elif name in (*_COOKING, *_CUTTING, "cooked", "burned"):
                out.append({"thing": args[0], "is": name})
            elif name in ("match", "link", "edible", *_DIRECTION_FACTS) and self.holds(name, *args):
                continue  # a static fact that holds for the whole game
            elif name == "free" and (door := next((a[1] for n, a in self.facts
                                                   if n == "link" and (a[0], a[2]) == tuple(args)), None)):
                out.append({"thing": door, "is": "open"})  # a passage through a door is free when it is open
            elif name == "free" and self.holds(name, *args):
                continue  # an open passage with no door stays open
            else:
                raise import_error(self.file, field, f"the goal fact {fact_text(fact)} cannot be represented")
        if not out:
            raise import_error(self.file, where, "an event with no conditions")
        return out

    def _quests(self) -> tuple[list[dict], dict, list[dict]]:
        quests, win_when, lose = [], [], []
        for i, quest in enumerate(self.game["quests"]):
            qid = f"quest_{i}"
            wins = [self._conditions(e, f"quests[{i}].win_events[{j}]")
                    for j, e in enumerate(quest.get("win_events", []))]
            fails = [self._conditions(e, f"quests[{i}].fail_events[{j}]")
                     for j, e in enumerate(quest.get("fail_events", []))]
            if quest.get("repeatable"):
                raise import_error(self.file, f"quests[{i}].repeatable", "repeatable quests are not supported")
            optional = bool(quest.get("optional"))
            quests.append({"id": qid, "description": plain_text(quest.get("desc"), "")[:300],
                           "points": int(quest.get("reward", 0)), "win": wins, "fail": fails, "optional": optional})
            if wins and not optional:
                win_when.append({"quest_completed": qid})
            if fails and not optional:
                lose.append({"when": [{"quest_failed": qid}], "message": "You lost: that ends the quest."})
        if not win_when:
            raise import_error(self.file, "quests", "no quest can be completed: the game has no way to win")
        return quests, {"when": win_when, "message": "You won! Every quest is complete."}, lose


def textworld_to_story_data(game: dict, file: str = "<textworld>") -> dict:
    data = _Converter(game, file).convert()
    data["walkthrough"] = _effective_walkthrough(data)
    return data


def _effective_walkthrough(data: dict) -> list[str]:
    """TextWorld's walkthroughs may hold no-op steps (opening a fridge that is already open); Inform 7
    refuses them and plays on. Keep only the steps our engine performs, so the story's walkthrough check
    stays strict. The differential test plays the original list against TextWorld itself."""
    from pydantic import ValidationError

    from game.understanding.replay import replay
    from game.world.engine import Engine, InvariantError

    try:
        story = Story.model_validate(data)
        engine = Engine(story)
    except (ValidationError, InvariantError, KeyError) as exc:
        log.info("walkthrough kept as TextWorld wrote it (the story checks will say why): %s", exc)
        return data["walkthrough"]  # the story's own checks will report what is wrong
    kept = []
    for step in replay(story, data["walkthrough"], engine):
        if step.ended:
            break
        if step.outcome is None or not step.outcome.refused:
            kept.append(step.command)  # one that does not parse stays, for the story check to report
    return kept


def _problem_at(data: dict, file: str):
    """Place a problem at a field path of the imported dict, naming list elements by their TextWorld id."""
    def at(loc: tuple, message: str) -> Problem:
        shown, node = [], data
        for part in loc:
            if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                node = node[part]
                named = isinstance(node, dict) and isinstance(node.get("id"), str)
                shown.append(node["id"] if named else str(part))
            else:
                node = node.get(part) if isinstance(node, dict) else None
                shown.append(str(part))
        return Problem(file, 0, ".".join(shown), message)

    return at


def import_textworld(path: str | Path, *, check_walkthrough: bool = True) -> tuple[Story, dict]:
    """The validated Story and the dict it came from; StoryInvalid naming the TextWorld file and entity."""
    data = textworld_to_story_data(read_game(path), str(path))
    story = validate_story_data(data, _problem_at(data, str(path)), check_walkthrough=check_walkthrough)
    return story, data


def load_textworld(path: str | Path, *, check_walkthrough: bool = True) -> Story:
    return import_textworld(path, check_walkthrough=check_walkthrough)[0]


def story_yaml_text(data: dict, path: str | Path) -> str:
    """An imported story as YAML an author can edit, with a header naming the TextWorld game."""
    import yaml

    header = f"# Imported from the TextWorld game {Path(path).name} by `adventure story import-textworld`.\n"
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110)


def story_yaml_from_textworld(path: str | Path) -> str:
    """The YAML text of the converted story (not validated: `import_textworld` does that)."""
    return story_yaml_text(textworld_to_story_data(read_game(path), str(path)), path)
