"""Commands about several things at once: "take all", "put all the shards on the altar", "drop both keys",
and lists: "take the rope and the lamp", "buy rope, waterskin", "put the cloud and fire shards on the altar".

The quantifier's noun phrase is matched against what is here, then the command is
rewritten once per thing with that thing's own name and parsed again, so every
action is one the parser and the engine would accept on its own. The session
carries them out in turn and stops at the first the engine refuses.

A list ("VERB X and Y [PREP Z]") becomes one command per thing ("VERB X PREP Z", "VERB Y PREP Z")
when every item names a thing of the story; an item that names nothing ("take the key and the
sword") is reported so that the layer above asks back, never let another thing stand in for it.
A list is only read when its first item names a thing: "ask nadia about the lamp and the rope"
is left whole.

"All but the lamp" spares the things named after "but" (or "except"): a spared thing the game cannot
find here spares nothing, so nothing is done and the player is asked.

Deliberately left out: counts ("two coins").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from game.understanding.cleaning import ARTICLES, clean
from game.understanding.parser import match_nouns, named_words, parse
from game.understanding.referents import name_of
from game.understanding.spelling import fix_word, game_words, per_story
from game.world import queries as q
from game.world.answers import singular
from game.world.engine import Engine
from game.world.events import Action
from game.world.model import Story

_BUT = re.compile(r"\s+(?:but|except|except for|apart from|other than|besides|save)\s+(?P<spared>.+)$")
_COUNTS = frozenset({"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "of", "these", "the"})
_ALL = re.compile(r"\b(?:all|every|each|both|everything)\b(?:\s+of)?(?:\s+(?:the|my|these|those|your))?"
                  r"(?P<noun>(?:\s+.*?)??)(?=\s+(?:on|onto|in|into|from|with|to|off|inside|upon)\s|$)")


def expand_all(command: str, engine: Engine) -> list[Action] | None:
    """The actions "VERB all X ..." stands for, each valid now; None when the command has no quantifier."""
    but = _BUT.search(command)  # "drop all but the lamp", "take everything except the key"
    command, spared = (command[:but.start()], but.group("spared")) if but else (command, "")
    match = _ALL.search(command)
    if match is None or match.start() == 0:
        return None
    story, state = engine.story, engine.state
    noun = " ".join(singular(w) for w in match.group("noun").split() if w not in _COUNTS)  # "" for "take all"
    scope = list(dict.fromkeys(q.in_scope(story, state) + q.held(story, state) + q.doors_here(story, state)
                               + q.people_here(story, state)))  # doors and people: only ever looked at
    ids = match_nouns(story, noun, scope) if noun else scope
    if spared:
        kept = [i for part in re.split(r"\s*(?:,|\band\b|\bor\b)\s*", spared) if part.strip()
                for i in match_nouns(story, " ".join(w for w in part.split() if w not in _COUNTS), scope)]
        if not kept:
            return []  # "all but the sword": a thing not here is no exception the game can make
        ids = [i for i in ids if i not in kept]
    actions = []
    held = set(q.held(story, state))
    holder = " ".join(w for w in command[match.end():].split()[1:] if w not in _COUNTS)  # "from [the] saddlebag"
    for some_id in ids:
        kind = story.kind_of(some_id)
        name = clean(name_of(engine, some_id)) if kind in ("item", "door", "character") else None
        if name is None or some_id in match_nouns(story, holder, [some_id]):
            continue  # "take all from the saddlebag" never takes the saddlebag
        parsed = parse(story, state, command[:match.start()] + name + command[match.end():])
        if parsed.status == "ok" and parsed.action not in actions and engine.would_succeed(parsed.action) and (
                kind == "item" or parsed.action.verb == "examine") and not (
                parsed.action.verb == "examine" and not noun and some_id in held):  # "x all": what is around
            actions.append(parsed.action)
    return actions


# --- lists: "take the rope and the lamp" ------------------------------------------------------------
# Verbs whose words are not things: an answer or a topic may hold "and" ("say wind and fire").
_NOT_LISTS = frozenset({"answer", "say", "reply", "shout", "whisper", "tell", "ask", "guess", "go", "lore", "recall",
                        "remember", "respond", "utter", "yell", "speak", "save", "load", "restore", "transcript"})
_RELATIONS = frozenset({"about", "to", "for", "with", "of", "from", "in", "on", "at", "into", "onto", "by"})
_TAIL = re.compile(r"^(?P<item>.+?)\s+(?P<tail>(?:on top of|onto|on|into|inside|in|from|off of|off|out of|with|using|"
                   r"to|at|under|upon)\s+.+)$")


def _things(story: Story) -> list[str]:
    return per_story(story, "list_things", lambda s: [*(i.id for i in s.items), *(c.id for c in s.characters),
                                                       *(d.id for d in s.doors), *(r.id for r in s.riddles)])


def names_thing(story: Story, phrase: str) -> bool:
    """Whether a noun phrase names some item, person, door or gate of the story (anywhere)."""
    known = game_words(story)
    words = [fix_word(w, known)[0] for w in clean(phrase).split() if w not in ARTICLES]
    words = [singular(w) if singular(w) in named_words(story) else w for w in words]
    return bool(words) and bool(match_nouns(story, " ".join(words), _things(story)))


@dataclass
class ListSplit:
    commands: list[str]  # one command per thing; empty when an item names nothing
    unknown: str = ""  # the first item that names nothing the game knows
    verb: str = ""


def split_list(command: str, story: Story) -> ListSplit | None:
    """'take the rope and the lamp' -> take the rope, take the lamp; None when the command holds no list."""
    words = clean(command).split()
    if " and " not in f" {' '.join(words)} " or not words or words[0] in _NOT_LISTS:
        return None
    known, thing_words = game_words(story), named_words(story)
    if words[0] in ARTICLES or (words[0] not in known.verb_starts and fix_word(words[0], known)[0] not in
                                 known.verb_starts):
        return None  # "the lamp and the rope": things named, no deed said
    n = 1
    while n < min(len(words), 4) and words[n] not in ARTICLES and words[n] not in thing_words and \
            singular(words[n]) not in thing_words and words[n] != "and":
        n += 1
    verb, rest = " ".join(words[:n]), " ".join(words[n:])
    items = [i.strip() for i in f" {rest} ".split(" and ")]
    if len(items) < 2 or not all(items) or any(i.split()[0] in known.verb_starts - ARTICLES - thing_words
                                                for i in items[1:]):
        return None  # "take the lamp and go north": two commands, split elsewhere
    tail = ""
    match = _TAIL.match(items[-1])
    if match and names_thing(story, match.group("item")):
        items[-1], tail = match.group("item"), " " + match.group("tail")
    whole = rest[: len(rest) - len(tail)] if tail else rest
    if names_thing(story, whole):  # one thing with "and" in its name
        return None
    head = singular(items[-1].split()[-1])
    for i, item in enumerate(items[:-1]):  # "the cloud and fire shards": the cloud shard
        content = [w for w in item.split() if w not in ARTICLES]
        if len(content) == 1 and names_thing(story, f"{content[0]} {head}") and content[0] != head:
            items[i] = f"{item} {head}"
    if not names_thing(story, items[0]):
        if set(items[0].split()) & _RELATIONS or not any(names_thing(story, item) for item in items[1:]):
            return None  # not a list of things: "ask nadia about the lamp and the rope"
        return ListSplit([], items[0], verb)  # "examine the rugs and the chest": never the chest alone
    unknown = next((item for item in items if not names_thing(story, item)), None)
    if unknown is not None:
        return ListSplit([], unknown, verb)
    return ListSplit([f"{verb} {item}{tail}" for item in items], verb=verb)
