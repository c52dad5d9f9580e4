"""Commands about several things at once: "take all", "put all the shards on the altar", "drop both keys".

The quantifier's noun phrase is matched against what is here, then the command is
rewritten once per thing with that thing's own name and parsed again, so every
action is one the parser and the engine would accept on its own. The session
carries them out in turn and stops at the first the engine refuses.

Deliberately left out: exceptions ("all but the key") and counts ("two coins").
"""
from __future__ import annotations

import re

from . import queries as q
from .answers import singular
from .engine import Engine
from .events import Action
from .normalise import clean
from .parser import match_nouns, parse

_COUNTS = frozenset({"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "of", "these", "the"})
_ALL = re.compile(r"\b(?:all|every|each|both|everything)\b(?:\s+of)?(?:\s+(?:the|my|these|those|your))?"
                  r"\s*(?P<noun>.*?)(?=\s+(?:on|onto|in|into|from|with|to|off|inside|upon)\s|$)")


def expand_all(command: str, engine: Engine) -> list[Action] | None:
    """The actions "VERB all X ..." stands for, each valid now; None when the command has no quantifier."""
    match = _ALL.search(command)
    if match is None or match.start() == 0:
        return None
    story, state = engine.story, engine.state
    noun = " ".join(singular(w) for w in match.group("noun").split() if w not in _COUNTS)
    scope = list(dict.fromkeys(q.in_scope(story, state) + q.held(story, state)))
    ids = match_nouns(story, noun, scope) if noun else scope
    actions = []
    for some_id in ids:
        name = clean(story.item(some_id).name) if story.kind_of(some_id) == "item" else None
        if name is None:
            continue
        parsed = parse(story, state, command[:match.start()] + name + command[match.end():])
        if parsed.status == "ok" and parsed.action not in actions and engine.would_succeed(parsed.action):
            actions.append(parsed.action)
    return actions
