"""Noun phrases: the words that name each thing of a story, and which things a phrase names.

A thing is named by the words of its name, aliases and adjectives (cleaned like the player's words); a phrase
names a thing when every word of it is one of those words or the start (three letters or more) of one ("lant"
-> lantern). An exact name wins outright. Built once per story.

Left out: what is in scope (the parser passes the ids to choose from) and every looser reading of a phrase
(game.understanding.loose_names).
"""
from __future__ import annotations

from game.understanding.cleaning import ARTICLES, clean
from game.understanding.spelling import per_story
from game.world.model import Story

# words that tell things of one kind apart: never dropped as noise, never a loose word ("the red key")
DISTINGUISHING = frozenset("""red blue green yellow white black brown purple violet orange pink grey gray silver gold
    golden bronze iron wooden wood glass stone brass copper steel metal leather paper tin clay crystal left right
    first second third upper lower front back""".split())
SEPARATORS = frozenset({"on", "onto", "in", "into", "inside", "with", "using", "from", "of", "off", "to", "under",
                        "upon", "for"})


def noun_words(phrase: str) -> list[str]:
    words = [w for w in phrase.split() if w not in ARTICLES]
    return words[:-1] if len(words) > 1 and words[-1] in ("one", "ones") else words  # "the red one"


def vocabulary(story: Story, some_id: str) -> tuple[set[str], str]:
    """(the words that name a thing, its plain name): built once per story, asked for on every noun."""
    return per_story(story, "vocabulary", _vocabularies)[some_id]


def _vocabularies(story: Story) -> dict[str, tuple[frozenset[str], str]]:
    return {some_id: _vocabulary(story, some_id) for some_id in everything(story)}


def _vocabulary(story: Story, some_id: str) -> tuple[frozenset[str], str]:
    kind = story.kind_of(some_id)
    thing = {"item": story.item, "door": story.door, "character": story.character,
             "riddle": story.riddle}[kind](some_id)
    words = set(clean(thing.name).split())  # the same normalisation as the player's words
    for alias in thing.aliases:
        words |= set(clean(alias).split())
    words |= {w for a in getattr(thing, "adjectives", []) for w in clean(a).split()}
    if kind == "riddle":
        words |= {"gate", "riddle", "inscription"}
    return frozenset(words - ARTICLES), clean(thing.name).removeprefix("the ")


def match_nouns(story: Story, phrase: str, ids: list[str]) -> list[str]:
    """Ids whose vocabulary covers every word of `phrase`; an exact name wins outright."""
    words = noun_words(phrase)
    if not words:
        return []
    hits, exact = [], []
    for some_id in dict.fromkeys(ids):
        vocab, name = vocabulary(story, some_id)
        if " ".join(words) == name:
            exact.append(some_id)
        if all(w in vocab or (len(w) >= 3 and any(v.startswith(w) for v in vocab)) for w in words):
            hits.append(some_id)
    return exact if len(exact) == 1 else hits


def named_words(story: Story) -> frozenset[str]:
    """Every word that names a thing of the game (items, people, doors, riddle gates), once per story."""
    return per_story(story, "named_words", lambda s: frozenset(w for i in everything(s) for w in vocabulary(s, i)[0]))


def everything(story: Story) -> list[str]:
    return [*(i.id for i in story.items), *(c.id for c in story.characters), *(d.id for d in story.doors),
            *(r.id for r in story.riddles)]
