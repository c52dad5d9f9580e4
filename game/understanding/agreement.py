"""Consistency: which possible actions agree with every word the player used.

Before the model may choose anything, each content word of the player's line
is read against the game's own vocabulary:

  direction   "north", "westwards"      only going that way agrees
  thing       "bangle", "elder", "ruins" only actions about that item, door,
                                         person, riddle gate or place agree
  verb        "grab", "unlock"           only actions with a verb it can mean
  unknown     "gingerly", "fish"         no constraint (the engine cannot check it)

An action agrees when every direction, thing and verb word fits it. The
model then ranks only among agreeing actions; when none agrees, the player is
asked back with what was understood ("Go where? Exits: west, north.").

Deliberately left out: word senses beyond the lexicon (a word that is both a
verb and a thing, like "light", agrees through either reading). Negation never
reaches this layer: game.understanding.negation.negated stops "don't take the key" first.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz.distance import OSA

from game.understanding.cleaning import ARTICLES, clean
from game.understanding.lexicon import DIRECTION_WORDS, DIRECTIONS, SYNONYMS, verbs_for_word
from game.understanding.normalise import FILLER_WORDS
from game.understanding.parser import named_words, vocabulary
from game.understanding.spelling import game_words, per_story
from game.world import queries as q
from game.world.answers import singular
from game.world.engine import Engine
from game.world.events import Action

# Words that carry no content for agreement: grammar, pronouns, questions, filler.
STOP_WORDS = ARTICLES | frozenset("""
    a an the to at of for from with into in on onto upon over under by about around through across toward towards
    back up down out off inside outside here there it them him her its his their me i you we us my your our
    is are was be am do does did can could would should will shall may might must have has had not no yes
    what whats where wheres who whos how why which when whether if then than and or but so just also too very
    really please now again some any all one ones thing things stuff something anything bit little lot
    let lets want wanna like would id ill im maybe perhaps think guess ok okay hey hi oh well
    way side along bit try going gonna got get make made
""".split())
COMPASS = frozenset(d for d in DIRECTIONS if d not in ("in", "out", "up", "down"))
# words for a way through, whatever the story calls the door there: after a direction, the door (or the room) of
# that exit here ("leave via the west door" where the west door is a "hatch")
WAY_WORDS = frozenset({"door", "doorway", "gate", "gateway", "exit", "passage", "archway", "opening", "hatch"})
PLACE_WORDS = frozenset({"room", "area", "place", "chamber", "space"})  # "the room to the east"
_TOWARD = frozenset({"to", "the", "on", "at", "toward", "towards", "of", "that", "which", "is", "lies", "leads", "goes",
                     "lie", "lead", "go", "sits", "sit", "just", "off",
                     "over"})
LEAVING_WORDS = frozenset({"leave", "depart", "quit"})  # "leave the key" drops it, "leave west" goes


@dataclass
class Reading:
    """What the engine could read in the player's words."""
    directions: set[str] = field(default_factory=set)
    things: list[tuple[str, set[str]]] = field(default_factory=list)  # (word, ids or room ids it names)
    verbs: list[tuple[str, set[str]]] = field(default_factory=list)  # (word, engine verbs it can mean)
    unknown: list[str] = field(default_factory=list)

    @property
    def evidence(self) -> int:
        return len(self.directions) + len(self.things) + len(self.verbs)


def _thing_index(engine: Engine) -> dict[str, set[str]]:
    """word -> ids of every item, door, person, riddle and room the word names (whole story; built once)."""
    return per_story(engine.story, "thing_index", _build_thing_index)


def _build_thing_index(story) -> dict[str, set[str]]:
    index: dict[str, set[str]] = {}

    def add(phrase: str, some_id: str) -> None:
        for word in clean(phrase).split():
            if word not in STOP_WORDS and len(word) >= 2:
                index.setdefault(singular(word), set()).add(some_id)

    for thing in [*story.items, *story.doors, *story.characters, *story.riddles]:
        for phrase in [thing.name, *thing.aliases, *getattr(thing, "adjectives", [])]:
            add(phrase, thing.id)
    for room in story.rooms:
        for phrase in [room.name, *room.aliases]:
            add(phrase, room.id)
    return index


def read_words(engine: Engine, text: str) -> Reading:
    reading = Reading()
    index = _thing_index(engine)
    known = game_words(engine.story)
    words = clean(text).split()
    story_verbs = {clean(k): v for k, v in engine.story.verbs.items()}
    way_said: tuple[int, str] = (-1, "")  # the last word read as a way to go: (its index, the way)
    for n, word in enumerate(words):
        if word in STOP_WORDS:
            continue
        after = singular(words[n + 1]) if n + 1 < len(words) else ""
        named_with_next = index.get(word, set()) & index.get(after, set())
        if named_with_next:  # "the south gate": a name, not a way to go
            reading.things.append((word, named_with_next))
            continue
        if word in DIRECTION_WORDS and (DIRECTION_WORDS[word] in COMPASS or len(words) == 1 or word in (
                "upstairs", "downstairs")):
            reading.directions.add(DIRECTION_WORDS[word])
            way_said = (n, DIRECTION_WORDS[word])
            continue
        way = _way_there(engine, way_said[1]) if singular(word) in WAY_WORDS and way_said[0] == n - 1 else None
        if singular(word) in WAY_WORDS | PLACE_WORDS and not way:  # "the room to the east", "the door on the west"
            ahead = _way_ahead(words, n)
            way = _way_there(engine, ahead) if ahead else None
        if way:
            reading.things.append((word, way))
            continue
        ids = index.get(singular(word), set()) - {engine.state.location}  # "the pool" where you stand: no clue
        verbs = verbs_for_word(word) | ({story_verbs[word]} if word in story_verbs else set())
        verbs |= {"go"} if word in LEAVING_WORDS else set()
        if ids:
            reading.things.append((word, ids))
        if verbs and not ids:
            reading.verbs.append((word, verbs))
        if not ids and not verbs and word not in known.words:
            reading.unknown.append(word)
    return reading


def _way_there(engine: Engine, direction: str) -> set[str]:
    """The door (else the room) of the exit here that way; empty when there is none."""
    return {e.door or e.to for e in q.exits_here(engine.story, engine.state) if e.direction == direction}


def _way_ahead(words: list[str], n: int) -> str | None:
    """The compass way said just after words[n] with only words of pointing between ("room to the east" -> east)."""
    for word in words[n + 1:n + 6]:
        if word in DIRECTION_WORDS and DIRECTION_WORDS[word] in COMPASS:
            return DIRECTION_WORDS[word]
        if word not in _TOWARD:
            return None
    return None


def action_things(engine: Engine, action: Action) -> set[str]:
    """Ids an action is about; for a move, the room it leads to and the door or gate on the way."""
    things = {i for i in (action.obj, action.target) if i and engine.story.kind_of(i)}
    if action.verb == "go":
        for exit_ in q.exits_here(engine.story, engine.state):
            if exit_.direction == action.obj:
                things |= {exit_.to, *(x for x in (exit_.door, exit_.riddle) if x)}
    if action.verb in ("buy", "sell") and action.target:
        things.add(action.target)
    return things


_CUTS = frozenset(SYNONYMS["cut"])  # slice, dice, chop: each its own cut


def agrees(engine: Engine, action: Action, reading: Reading) -> bool:
    if reading.directions and not (action.verb == "go" and reading.directions == {action.obj}):
        return False
    about = action_things(engine, action)
    for _, ids in reading.things:
        if not ids & about:
            return False
    for word, verbs in reading.verbs:
        if action.verb not in verbs and not (action.verb == "go" and "go" in verbs):
            return False
        if action.verb == "cut" and word in _CUTS and action.text != word:  # "dice" is no slice
            return False
    return True


def names_nearly(engine: Engine, action: Action, reading: Reading, named: set[str]) -> bool:
    """The action's thing was named, or every word the game does not know is two letters from its name
    ("unlcok the dor"); "take in my surroundings" names nothing the one take here is about."""
    about = action_things(engine, action)
    words = {w for i in about if engine.story.kind_of(i) in ("item", "door", "character")
             for w in vocabulary(engine.story, i)[0]}
    return bool(named & about) or all(any(OSA.distance(u, w) <= 2 for w in words) for u in reading.unknown)


def agreeing(engine: Engine, actions: list[Action], reading: Reading) -> list[Action]:
    return [a for a in actions if agrees(engine, a, reading)]


def what_was_understood(engine: Engine, reading: Reading, actions: list[Action]) -> str:
    """A question back that names what the engine did understand."""
    story, state = engine.story, engine.state
    exits = q.exits_here(story, state)
    exit_list = ", ".join(f"{e.direction} ({story.room(e.to).name})" for e in exits) or "none"
    if reading.directions:
        way = " and ".join(sorted(reading.directions))
        if any(e.direction in reading.directions for e in exits):
            return f"Go {way}? Say 'go {way}', or pick one. Exits: {exit_list}."
        return f"You can't go {way} from here. Exits: {exit_list}."
    named = {i for _, ids in reading.things for i in ids}
    rooms = [story.room(i).name for i in named if story.kind_of(i) == "room"]
    if rooms and not (named - {r.id for r in story.rooms}):
        return f"You can't get to the {rooms[0]} directly from here. Exits: {exit_list}."
    if reading.things:
        word, ids = min(reading.things, key=lambda thing: len(thing[1]))  # the most specific word said
        about = [a for a in actions if named & action_things(engine, a)]
        if about:  # the thing by its name ("the leather saddlebag" for "the old saddlebag", not "the old")
            return f"What do you want to do with {_called(story, ids) or 'the ' + word}?"
        return f"You don't see any {word} here you could do that with."
    if reading.verbs:
        word = reading.verbs[0][0]
        if "go" in reading.verbs[0][1]:
            return f"Go where? Exits: {exit_list}."
        return f"{word.capitalize()} what?"
    return "I don't understand that. Try a number, or words like 'take lantern'."


def _called(story, ids: set[str]) -> str | None:
    """How the question back names the one thing a word picked out: "the old saddlebag", "Nadia"; None if not one."""
    if len(ids) != 1:
        return None
    (some_id,) = ids
    kind = story.kind_of(some_id)
    if kind == "character":
        return story.character(some_id).name
    table = {"item": story.item, "door": story.door, "room": story.room}
    return f"the {table[kind](some_id).name}" if kind in table else None


_NOT_A_MOVE = frozenset({"more", "another", "again", "says", "said", "was", "were", "are", "must", "there"})


def idle_words(text: str, reading: Reading, story) -> bool:
    """Words that say another deed or thing, or more of one, besides the place named ("more" in "more sand"):
    a move read from a place's name alone is then asked first."""
    placed = {w for phrase, _ in reading.things for w in phrase.split()} | ARTICLES | FILLER_WORDS
    verbs = game_words(story).verb_starts
    return any(w not in placed and len(w) > 2 and (w in named_words(story) or w in _NOT_A_MOVE or (
        w in verbs and "go" not in verbs_for_word(w) and w not in DIRECTION_WORDS)) for w in text.split())


_WRITING = frozenset({"say", "says", "said", "written", "writing", "write", "words", "word", "text", "read",
                      "inscription", "inscribed", "letters", "letter", "lettering", "message", "runes", "rune",
                      "carved", "scrawled", "printed"})


_LOOKS = frozenset({"look", "looks", "like", "picture", "painting", "image", "drawing", "of", "supposed", "meant",
                    "depict", "depicts", "show", "shows", "colour", "color", "shape", "figures", "figure"})


def look_or_read(fitting: list[Action], text: str) -> Action | None:
    """A "what's ..." question about one thing examines it; where reading and examining it both fit, a line about
    its writing reads it, one about its looks examines it; None for any other line (writers disagree there)."""
    said = set(text.split())
    readable = any(a.verb == "read" for a in fitting)
    if len({a.obj for a in fitting}) == 1 and text.split()[0] in ("whats", "what") and not readable:
        return next((a for a in fitting if a.verb == "examine"), None)  # "what's that red thing?": what it is
    if len(fitting) != 2 or {a.verb for a in fitting} != {"read", "examine"} or fitting[0].obj != fitting[1].obj:
        return None
    wanted = "read" if said & _WRITING else "examine" if said & _LOOKS else None
    return next((a for a in fitting if a.verb == wanted), None)  # neither said: asked (reading may score)
