"""The verb slot, when a command's first word is no verb the game knows.

After every rule of the lexicon has failed, the first word is read three more ways:

  meaning    its WordNet senses (game.understanding.senses): "pilfer the key" -> take,
             "scrutinise the mural" -> examine, "trudge north" -> go
  form       its dictionary form, when that is a verb of the lexicon: "stole" -> steal (take)
  typo       a one-word verb of the lexicon one edit away, even where English has the word:
             "reed the tablet" -> read, "sel the bracelet" -> sell, "by the lantern" -> buy

Each reading becomes a command with the rest of the words, and counts only when the parser reads
it and the engine would carry it out here. The layer above acts on a single action left (asking
first for anything costly, since the player never said that verb) and asks which when several are.
Only the word's likeliest meaning is read ("try the door" is never "examine the door"): that the
engine could carry out a rarer one says nothing about what the player meant.

Deliberately left out: verbs that take free words (answer, lore) or none (look, wait): a guessed
verb must never answer a riddle or pass time; words after the first (the lexicon's frames do those).
"""
from __future__ import annotations

from typing import Callable

from rapidfuzz.distance import OSA

from game.understanding.cleaning import ARTICLES
from game.understanding.lexicon import DIRECTION_WORDS, verb_synonyms
from game.understanding.parser import parse
from game.understanding.senses import likeliest_engine_verbs, verb_lemmas
from game.understanding.spelling import zipf
from game.world.engine import Engine
from game.world.events import Action

COMMON_WORD_ZIPF = 6.0  # "red" (5.3) may be a slip for read; "more" (6.4) is no slip for move
NOT_GUESSED = frozenset({"answer", "lore", "look", "wait", "inventory"})
NOT_A_VERB_SLOT = ARTICLES | frozenset({"i", "you", "we", "it", "what", "whats", "where", "who", "how", "which",
                                        "why", "is", "are", "do", "does", "can", "could", "not", "no", "and"})


def _one_word_verbs(story_verbs: dict[str, str]) -> dict[str, str]:
    return {phrase: verb for phrase, verb in verb_synonyms(story_verbs).items()
            if " " not in phrase and phrase.isalpha() and len(phrase) >= 3}


def readings(head: str, story_verbs: dict[str, str]) -> list[str]:
    """Verb phrases the word may stand for, by its likeliest meaning (game.understanding.senses), then
    form, then typo."""
    table = verb_synonyms(story_verbs)
    found = list(likeliest_engine_verbs(head, story_verbs))
    found += [table[lemma] for lemma in verb_lemmas(head) if lemma in table]
    if len(head) >= 2 and zipf(head) < COMMON_WORD_ZIPF and not verb_lemmas(head):  # "keep" is no slip for peep
        found += [verb for phrase, verb in _one_word_verbs(story_verbs).items() if OSA.distance(head, phrase) == 1]
    return [v for v in dict.fromkeys(found) if v.split()[0] not in NOT_GUESSED]


def guess_actions(words: str, engine: Engine, with_referents: Callable[[str], str]) -> list[Action]:
    """Possible actions from reading the first word as a verb; [] when it is a verb the game knows."""
    said = words.split()
    if len(said) < 2:
        return []
    head, rest = said[0], " ".join(said[1:])
    story_verbs = dict(engine.story.verbs)
    if head in verb_synonyms(story_verbs) or head in DIRECTION_WORDS or head in NOT_A_VERB_SLOT \
            or not head.isalpha():
        return []
    found: list[Action] = []
    for verb in readings(head, story_verbs):
        parsed = parse(engine.story, engine.state, with_referents(f"{verb} {rest}"))
        if parsed.status == "ok" and parsed.action.verb not in NOT_GUESSED and engine.would_succeed(parsed.action) \
                and parsed.action not in found:
            found.append(parsed.action)
    return found
