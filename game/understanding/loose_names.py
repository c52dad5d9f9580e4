"""Things named loosely: by how they are now ("the locked chest"), by a part ("the fridge door", "the lid of the
trunk"), with one word that names nothing ("the old saddlebag"), or with where the first of two things is ("the
pepper on the counter").

Each is a fallback of the parser's noun resolution (game.understanding.parser), tried only when the plain words
name nothing here. Left out: any of these where the words might name another thing of the story: "the brass key"
is never the iron key, and a mistyped name word is never a loose one.
"""
from __future__ import annotations

import re

from game.understanding.described import near_a_name
from game.understanding.nouns import (
    DISTINGUISHING,
    SEPARATORS,
    everything,
    match_nouns,
    named_words,
    noun_words,
    vocabulary,
)
from game.understanding.spelling import game_words
from game.world import queries as q
from game.world.model import Story
from game.world.state import WorldState


def _opened(story: Story, state: WorldState, some_id: str) -> bool | None:
    """Open or not, for what opens and closes; None for anything else."""
    if story.kind_of(some_id) == "door":
        return q.door_is_open(story, state, some_id)
    if story.kind_of(some_id) == "item" and story.item(some_id).container is not None:
        return q.is_open(story, state, some_id) if story.item(some_id).container.openable else None
    return None


# words for how a thing is now, in the player's form and the normaliser's ("locked" -> "lock")
STATES = {"locked": lambda s, st, i: q.is_locked(s, st, i), "lock": lambda s, st, i: q.is_locked(s, st, i),
           "unlocked": lambda s, st, i: _opened(s, st, i) is not None and not q.is_locked(s, st, i),
           "unlock": lambda s, st, i: _opened(s, st, i) is not None and not q.is_locked(s, st, i),
           "closed": lambda s, st, i: _opened(s, st, i) is False, "close": lambda s, st, i: _opened(s, st, i) is False,
           "shut": lambda s, st, i: _opened(s, st, i) is False, "open": lambda s, st, i: _opened(s, st, i) is True,
           "opened": lambda s, st, i: _opened(s, st, i) is True}


def in_the_state_said(story: Story, state: WorldState, phrase: str, scope: list[str]) -> list[str]:
    """"the locked chest", "the open box": the things named by the other words that are in that state now."""
    words = noun_words(phrase)
    said = [w for w in words if w in STATES]
    rest = [w for w in words if w not in STATES]
    if not said or not rest:
        return []
    return [h for h in match_nouns(story, " ".join(rest), scope) if all(STATES[w](story, state, h) for w in said)]


def one_word_off(story: Story, phrase: str, scope: list[str]) -> list[str]:
    """The one thing here named by every word but one, where nothing in the whole story is named by all of them:
    "the old saddlebag" is the leather saddlebag; "the old key" is never the rusty key while an old key exists. The
    word left over comes before the noun, as an adjective does ("the scroll about" is no scroll)."""
    words = noun_words(phrase)
    if len(words) < 2:
        return []
    never_loose = DISTINGUISHING | SEPARATORS | PARTS | STATES.keys() | game_words(story).verb_starts
    hits = []
    for some_id in scope:
        vocab = vocabulary(story, some_id)[0]
        missing = [w for w in words if w not in vocab]
        if len(missing) == 1 and missing[0] != words[-1] and missing[0] not in never_loose and \
                not missing[0].isdigit() and not near_a_name(missing[0], named_words(story)):
            hits.append(some_id)  # never a word of how or what to do ("open the chest"), nor a name mistyped
    if len(hits) != 1 or match_nouns(story, phrase, everything(story)):
        return []
    return hits


PARTS = frozenset({"door", "doors", "lid", "lids", "top", "lock", "latch", "handle", "flap", "cover", "hinge",
                    "hinges", "front", "clasp"})


def whole_for_its_part(story: Story, phrase: str, scope: list[str]) -> list[str]:
    """"the fridge door", "the door of the trunk", "the trunk's lid": a part of a thing that opens is that thing."""
    words = noun_words(phrase)
    rest = [w for w in words if w not in PARTS and w not in ("of", "s", "on")]
    if len(rest) == len(words) or not rest:
        return []
    return [h for h in match_nouns(story, " ".join(rest), scope) if story.kind_of(h) == "item"
            and story.item(h).container is not None and story.item(h).container.openable]



_WHERE = re.compile(r"\s+(?:on|in|at|by|near|beside|inside|upon|from|over)\s+(?P<where>.+)$")
HANDS = frozenset({"my hand", "my hands", "hand", "hands", "my inventory", "inventory", "my pack", "my bag",
                    "the floor", "the ground", "floor", "ground", "here", "there"})


def without_where(story: Story, phrase: str) -> str:
    """"the pepper on the counter" -> "the pepper": where a thing is, said of the first of two things, when the
    place is in the player's hands or a thing of the game ("" when the phrase says no such place)."""
    match = _WHERE.search(phrase)
    if match is None:
        return ""
    where = match["where"].strip()
    named = named_words(story)
    if where in HANDS or (noun_words(where) and all(w in named for w in noun_words(where))):
        return phrase[:match.start()]
    return ""
