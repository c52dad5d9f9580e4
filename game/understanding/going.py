"""Ways: which exit "go ..." names, by direction ("westwards" is normalised before), destination room ("go to the
bazaar"), door or gate, who is there ("go and see the elder", "go back to Nadia's stall"), or what the room's text
says lies that way ("go to the broken columns", game.understanding.described); and several ways said in one piece
("n n e", "head east twice": `several_moves`, one move each).

Deliberately left out: routes of several rooms (one step at a time; the engine's travel does more) and what
"back" means (the intent layer's context knows where the player came from).
"""
from __future__ import annotations

from game.understanding.cleaning import ARTICLES, clean
from game.understanding.described import described_way
from game.understanding.lexicon import DIRECTION_WORDS
from game.understanding.normalise import strip_filler
from game.understanding.parse_result import ParseResult
from game.world import queries as q
from game.world.answers import singular
from game.world.events import Action
from game.world.model import Story
from game.world.state import WorldState

_POINTING = {"way", "direction", "that", "this", "other", "same", "over", "there", "yonder", "here", "one", "exit"}
_WAY_WORDS = {"stairs", "stair", "staircase", "steps", "path", "way", "passage", "corridor", "again"}


def go_phrase(story: Story, state: WorldState, rest: str) -> ParseResult:
    """The exit a "go ..." phrase names: a direction, a destination, a door or gate, who is there, what the text
    says lies that way."""
    rest = " ".join(w for w in rest.split() if w not in ARTICLES and w not in ("to", "the", "towards", "into",
                                                                                "through", "back", "for"))
    exits = q.exits_here(story, state)
    if not rest:
        return ParseResult("incomplete", message="Which way? " + ", ".join(e.direction for e in exits) + ".")
    if rest in DIRECTION_WORDS:
        direction = DIRECTION_WORDS[rest]
        if direction == "out" and len(exits) == 1 and exits[0].direction != "out":
            direction = exits[0].direction  # "leave", "go outside": the one way out of here
        gated = [e for e in exits if e.door or e.riddle]
        if direction == "in" and not any(e.direction == "in" for e in exits) and len(gated) == 1:
            direction = gated[0].direction  # "go in": through the one door or gate here
        return ParseResult("ok", Action("go", direction))
    words = rest.split()
    if set(words) <= _POINTING:  # "go that way": pointing the game cannot see
        return ParseResult("incomplete", message="Which way? " + ", ".join(e.direction for e in exits) + ".")
    if words[0] == "out" and words[1:2] in (["of"], ["from"]):  # "leave the shrine": out of where you are
        here = story.room(state.location)
        names = {w for n in [here.name, *here.aliases] for w in clean(n).split()}
        if set(words[2:]) and set(words[2:]) <= names:
            return go_phrase(story, state, "out")
        return ParseResult("unknown", message="You can't see a way like that.")
    if words[0] in DIRECTION_WORDS and len(words[0]) > 2 and set(words[1:]) <= _WAY_WORDS:
        return ParseResult("ok", Action("go", DIRECTION_WORDS[words[0]]))  # "down the stairs"
    named_ways: list[str] = []
    owner = _owner(words)  # "nadias stall": Nadia, where she is
    for ex in exits:  # by destination name ("go to the bazaar"), door or gate name
        names = {story.room(ex.to).name.lower().replace("'", ""), *story.room(ex.to).aliases}
        if ex.door:
            names |= {story.door(ex.door).name.lower(), *story.door(ex.door).aliases}
        if ex.riddle:
            names |= {story.riddle(ex.riddle).name.lower().removeprefix("the "), *story.riddle(ex.riddle).aliases}
        people = {n for c in story.characters if c.location == ex.to for n in [c.name, *c.aliases]}
        if any(_names(name, words) for name in names | people) or (owner and any(_names(p, owner) for p in people)):
            named_ways.append(ex.direction)  # "go and see the elder": where the elder is
    if len(named_ways) == 1:
        return ParseResult("ok", Action("go", named_ways[0]))
    if named_ways:  # "go through the gate" where three gates are
        options = [Action("go", d) for d in named_ways]
        return ParseResult("ambiguous", message="Which way: " + " or ".join(named_ways) + "?", candidates=options)
    described = described_way(story, state, words)  # "go to the broken columns": what the text says is there
    if described is not None:
        return ParseResult("ok", Action("go", described))
    return ParseResult("unknown", message="You can't see a way like that.")


def _names(name: str, words: list[str]) -> bool:
    """Every word said is a word of the name, its plural or its start ("where the camels are": the camels)."""
    name_words = [w for w in clean(name).split() if w not in ARTICLES]
    return bool(words) and all(any(n in (w, singular(w)) or (len(w) >= 3 and n.startswith(w)) for n in name_words)
                               for w in words)


_DWELLINGS = frozenset({"stall", "stand", "booth", "shop", "house", "home", "place", "hut", "tent", "room", "quarters",
                        "hall", "spot", "table", "counter", "corner"})


def _owner(words: list[str]) -> list[str] | None:
    """'nadias stall', 'the merchant stall' -> the owner's words (the apostrophe and often the "s" are gone by now;
    `_names` reads "nadias" as Nadia). Only ever compared with the names of people."""
    return words[:-1] if len(words) >= 2 and words[-1] in _DWELLINGS else None


MOTION_WORDS = frozenset({"go", "walk", "run", "head", "move", "travel", "g"})
_TIMES = {"twice": 2, "two times": 2, "2 times": 2, "x2": 2, "thrice": 3, "three times": 3, "3 times": 3, "x3": 3}
COMPASS_WORDS = frozenset({"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"})


def several_moves(piece: str) -> list[str] | None:
    """'n n e', 'go up up', 'walk north north': one move per direction word (None when the piece is not
    two or more directions, with at most a verb of motion before them)."""
    words = strip_filler(clean(piece)).split()
    tail = next((t.split() for t in _TIMES if words[-len(t.split()):] == t.split()), [])
    times, words = (_TIMES[" ".join(tail)], words[:-len(tail)]) if tail else (1, words)
    ways = words[1:] if words[:1] and words[0] in MOTION_WORDS else words
    ways = [w for i, w in enumerate(ways)  # "go up north", "head down south": up and down only say how
            if not (w in ("up", "down") and i + 1 < len(ways) and ways[i + 1] in COMPASS_WORDS)]
    if times > 1 and len(ways) == 1 and ways[0] in DIRECTION_WORDS:
        return [f"go {DIRECTION_WORDS[ways[0]]}"] * times  # "head east twice"
    if len(ways) < 2 or not all(w in DIRECTION_WORDS for w in ways):
        return None
    return [f"go {DIRECTION_WORDS[w]}" for w in ways]
