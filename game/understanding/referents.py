"""What the words point back to: "it", "her", "go back", "same with X", "the seller".

Pronouns name the last thing or person an action was about ("take it" -> "take the brass lantern";
"talk to it" may be the camel); "that"/"this" are pronouns only when nothing follows them ("that
bracelet" is a thing). "go back" is the way the last move came; "same with the straw shard" is the
last command with the thing it works for replaced; "talk to seller" is whoever trades here.

Deliberately left out: remembering more than the last action (game.understanding.intent.Context
keeps what is remembered) and riddle answers, which are never rewritten.
"""
from __future__ import annotations

from typing import Protocol

from game.understanding.agreement import read_words
from game.understanding.cleaning import clean
from game.understanding.parser import parse
from game.understanding.spelling import fix_word, game_words
from game.world import queries as q
from game.world.engine import Engine

PRONOUNS = {"it": "item", "them": "item", "that": "item", "this": "item", "him": "person", "her": "person"}
DETERMINERS = frozenset({"that", "this"})  # "that bracelet": a pronoun only when nothing follows
# words that begin commands but are no verbs: "i" (inventory), question words, articles
_NOT_VERBS = frozenset({"i", "g", "whats", "what", "where", "who", "how", "is", "its", "the", "a", "an", "my"})


class Remembered(Protocol):
    """What the last commands left (game.understanding.intent.Context)."""
    item: str | None
    person: str | None
    last_command: str | None
    came_from: str | None
    last_things: tuple[str, ...]


def with_referents(command: str, engine: Engine, context: Remembered) -> str:
    """'take it' -> 'take the brass lantern' (the last thing named), 'go back' -> the way the last move came,
    'same with the straw shard' -> the last command about that; riddle answers are left alone."""
    if command == "talk to seller":  # "what's for sale?": whoever trades here
        traders = [c for c in q.people_here(engine.story, engine.state)
                   if engine.story.character(c).sells or engine.story.character(c).buys]
        return f"talk to {clean(name_of(engine, traders[0]))}" if len(traders) == 1 else command
    if command == "go back" and context.came_from:
        way = [e.direction for e in q.exits_here(engine.story, engine.state) if e.to == context.came_from]
        return f"go {way[0]}" if way else command
    if command.startswith("same with ") and context.last_command and (context.last_things or context.item):
        command = f"same with {_one_of_a_kind(command[10:], engine, [context.item, *context.last_things])}"
        first = None  # the thing of the last command whose place the new one takes: the one that then works
        for some_id in dict.fromkeys([*context.last_things, context.item]):
            item = some_id and engine.story.kind_of(some_id) == "item" and engine.story.item(some_id)
            names = sorted((clean(n) for n in ([item.name, *item.aliases] if item else [])), key=len, reverse=True)
            for name in (n for n in names if f" {n} " in f" {context.last_command} "):
                new = f" {context.last_command} ".replace(f" {name} ", f" {command[10:]} ", 1).strip()
                parsed = parse(engine.story, engine.state, new)
                if parsed.status == "ok" and engine.would_succeed(parsed.action):
                    return new
                first = first or new
                break
        return first or command
    verb, _, rest = command.partition(" ")
    if verb in ("answer", "lore") or not rest:
        return command
    out, words = [], rest.split()
    for i, word in enumerate(words):
        if word == "one" and i and words[i - 1] in DETERMINERS and out and out[-1] == words[i - 1]:
            some_id = referent(context, words[i - 1])  # "put that one on the altar": that
            if some_id:
                out[-1] = clean(name_of(engine, some_id))
            else:
                out.append(word)
            continue
        some_id = None if word in DETERMINERS and i < len(words) - 1 else referent(context, word)
        out.append(clean(name_of(engine, some_id)) if some_id else word)
    return f"{verb} {' '.join(out)}"


def _one_of_a_kind(said: str, engine: Engine, last: list[str | None]) -> str:
    """'the south one' after the east gate -> 'south gate'; 'the other one' -> the one other thing here of the same
    kind (by the last word of its name), when there is exactly one; the words as they are otherwise."""
    words = [w for w in said.split() if w not in ("the", "a", "an")]
    if not words or words[-1] != "one":
        return said
    here = [*q.in_scope(engine.story, engine.state), *q.doors_here(engine.story, engine.state),
            *q.riddles_here(engine.story, engine.state)]
    names = {i: clean(name_of(engine, i)) for i in dict.fromkeys(here)}
    for thing in (t for t in dict.fromkeys(last) if t and engine.story.kind_of(t) in ("item", "door", "riddle")):
        head = clean(name_of(engine, thing)).split()[-1]
        if words[:-1] == ["other"]:
            others = [n for i, n in names.items() if i != thing and n.split()[-1] == head]
            if len(others) == 1:
                return others[0]
            continue
        wanted = " ".join([*words[:-1], head])
        if any(f" {n}".endswith(f" {wanted}") for n in names.values()):
            return wanted
    return said


def referent(context: Remembered, word: str) -> str | None:
    kind = PRONOUNS.get(word)
    if kind == "item":
        return context.item or (context.person if word == "it" else None)  # "talk to it": the camel
    if kind == "person":  # "open him": a thing, for a player whose language gives things a gender
        return context.person or context.item
    return None


def name_of(engine: Engine, some_id: str) -> str:
    kind = engine.story.kind_of(some_id)
    lookup = {"item": engine.story.item, "door": engine.story.door, "character": engine.story.character,
              "riddle": engine.story.riddle}
    return lookup[kind](some_id).name if kind in lookup else some_id


def in_line_antecedent(engine: Engine, said: list[str], at: int, verb_starts: frozenset[str]) -> str | None:
    """'is that a bracelet in the reeds can i pick it up' -> 'pick the silver bracelet up': a pronoun no
    earlier command explains means the latest thing named before it in the same line for which the command
    can be done (else the last one, unless an earlier thing named is several here), when that names one thing
    here; the command is the clause from the last verb before the pronoun. None when there is none (the player
    is asked what "it" is)."""
    here = set(q.in_scope(engine.story, engine.state)) | set(q.people_here(engine.story, engine.state)) | \
        set(q.doors_here(engine.story, engine.state))  # "click the wooden door to open it"
    named = [ids & here for _, ids in read_words(engine, " ".join(said[:at])).things]
    known = game_words(engine.story)
    verbs = [i for i in range(at) if fix_word(said[i], known)[0] in verb_starts and said[i] not in PRONOUNS
             and said[i] not in _NOT_VERBS]
    clauses, blocked = [], False
    for ids in reversed(named):
        if not ids:
            continue  # "the reeds": not a thing here
        if len(ids) > 1 or not verbs:
            blocked = True  # a thing named that is not one thing here: no earlier one is reached past it
            break
        name = clean(name_of(engine, next(iter(ids))))
        clauses.append(" ".join([*said[verbs[-1]:at], name, *said[at + 1:]]))
    for clause in clauses:  # "click the key in the drawer to take it": the key, the one that can be taken
        parsed = parse(engine.story, engine.state, clause)
        if parsed.status == "ok" and engine.would_succeed(parsed.action):
            return clause
    if clauses and not blocked:
        return clauses[0]  # the layers above read it further ("pick the bracelet up")
    return None  # "click the pepper in the counter to take it", the pepper being several: asked, never the counter
